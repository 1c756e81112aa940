/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anti-replay sliding window for received data-message counters.
 */
#ifndef _WG_COUNTER_H
#define _WG_COUNTER_H

#include "messages.h"

#include <linux/spinlock.h>
#include <linux/types.h>

/* counter is the highest nonce accepted so far (plus one); backtrack is a
 * ring of COUNTER_BITS_TOTAL bits for the nonces just below it.  Callers
 * validate from any CPU, so lock protects both.
 */
struct noise_replay_counter {
	u64 counter;
	spinlock_t lock;	/* protects counter and backtrack */
	unsigned long backtrack[COUNTER_BITS_TOTAL / BITS_PER_LONG];
};

void wg_replay_counter_init(struct noise_replay_counter *counter);
/* True when their_counter is acceptable (not seen before, inside the
 * window, below REJECT_AFTER_MESSAGES); it is then recorded as seen.
 */
bool wg_replay_counter_validate(struct noise_replay_counter *counter,
				u64 their_counter);

#ifdef WG_DEBUG
bool wg_replay_counter_selftest(void);
#endif

#endif /* _WG_COUNTER_H */
