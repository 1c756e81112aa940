// SPDX-License-Identifier: GPL-2.0
/*
 * Fault and race injection for the debug build (see debug.h).
 */

#include "debug.h"
#include "peerlookup.h"

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/skbuff.h>

#ifdef WG_DEBUG
static unsigned int race_delay_ms;
module_param_named(debug_race_delay_ms, race_delay_ms, uint, 0644);
MODULE_PARM_DESC(debug_race_delay_ms,
		 "debug: busy-wait this many ms where packets of a peer are handed on (race tests)");

static unsigned int fail_keypair_every;
module_param_named(debug_fail_keypair_alloc, fail_keypair_every, uint, 0644);
MODULE_PARM_DESC(debug_fail_keypair_alloc,
		 "debug: fail every Nth session (keypair) allocation, 0 never");

static atomic_t keypair_allocs = ATOMIC_INIT(0);

static bool rng_not_ready;
module_param_named(debug_rng_not_ready, rng_not_ready, bool, 0644);
MODULE_PARM_DESC(debug_rng_not_ready,
		 "debug: act as if the RNG were not initialised (no handshakes)");

static unsigned int handshake_cost_us;
module_param_named(debug_handshake_cost_us, handshake_cost_us, uint, 0644);
MODULE_PARM_DESC(debug_handshake_cost_us,
		 "debug: sleep this many us before consuming each admitted handshake message");

void wg_debug_handshake_cost(void)
{
	unsigned int us = READ_ONCE(handshake_cost_us);

	if (unlikely(us))
		usleep_range(us, us + us / 4);
}

bool wg_debug_rng_not_ready(void)
{
	return READ_ONCE(rng_not_ready);
}

void wg_debug_race_delay(void)
{
	unsigned int ms = READ_ONCE(race_delay_ms);

	/* Busy: callers may be in atomic context. */
	if (unlikely(ms))
		mdelay(ms);
}

bool wg_debug_fail_keypair_alloc(void)
{
	unsigned int every = READ_ONCE(fail_keypair_every);

	return every && !(atomic_inc_return(&keypair_allocs) % every);
}

void wg_debug_check_index_empty(struct wg_registry *reg)
{
	WARN(!wg_registry_no_indices(reg),
	     "wireguard: index table entry left at device teardown\n");
}

void wg_debug_check_peer_freed(struct sk_buff_head *staged)
{
	WARN(!skb_queue_empty(staged),
	     "wireguard: peer freed with %u staged packets\n", staged->qlen);
}
#endif
