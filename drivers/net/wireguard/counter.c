// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay window for the counters (nonces) of received data messages.
 *
 * The window is a ring of COUNTER_BITS_TOTAL bits; bit n of the ring
 * (word n / BITS_PER_LONG modulo the ring size) says whether counter n was
 * seen.  When a higher counter arrives, the words between the old highest
 * counter's word and the new one are cleared, at most the whole ring, so
 * the work per packet is bounded whatever the jump.  One word is kept as
 * slack so that a counter exactly COUNTER_WINDOW_SIZE below the highest
 * still maps to its own word and never aliases the newest one.
 */

#include "counter.h"

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/slab.h>

enum {
	COUNTER_WORDS = COUNTER_BITS_TOTAL / BITS_PER_LONG
};

static_assert((COUNTER_WORDS & (COUNTER_WORDS - 1)) == 0);
/* The window tolerates at least 2048 packets of reordering. */
static_assert(COUNTER_WINDOW_SIZE >= 2048);
/* The ring holds the window and a word of slack. */
static_assert(COUNTER_WINDOW_SIZE + BITS_PER_LONG <= COUNTER_BITS_TOTAL);

void wg_replay_counter_init(struct noise_replay_counter *counter)
{
	counter->counter = 0;
	memset(counter->backtrack, 0, sizeof(counter->backtrack));
	spin_lock_init(&counter->lock);
}

static inline unsigned int counter_word(u64 n)
{
	return (n / BITS_PER_LONG) & (COUNTER_WORDS - 1);
}

bool wg_replay_counter_validate(struct noise_replay_counter *counter,
				u64 their_counter)
{
	unsigned int shift = their_counter % BITS_PER_LONG;
	bool accepted = false;
	u64 old_word, new_word, i, n;

	if (unlikely(their_counter >= REJECT_AFTER_MESSAGES))
		return false;

	spin_lock_bh(&counter->lock);

	/* counter->counter is one past the highest counter accepted. */
	if (their_counter >= counter->counter) {
		if (counter->counter) {
			old_word = (counter->counter - 1) / BITS_PER_LONG;
			new_word = their_counter / BITS_PER_LONG;
			n = min_t(u64, new_word - old_word, COUNTER_WORDS);
			for (i = 1; i <= n; ++i)
				counter->backtrack[counter_word((old_word + i) *
								BITS_PER_LONG)] = 0;
		}
		counter->counter = their_counter + 1;
	} else if (their_counter + COUNTER_WINDOW_SIZE + 1 < counter->counter) {
		/* More than COUNTER_WINDOW_SIZE below the highest. */
		goto out;
	}

	accepted = !__test_and_set_bit(shift,
				       &counter->backtrack[counter_word(their_counter)]);
out:
	spin_unlock_bh(&counter->lock);
	return accepted;
}

#ifdef WG_DEBUG
#include "selftest/counter.c"
#endif
