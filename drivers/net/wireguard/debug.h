/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault and race injection for the debug build (WG_DEBUG), set through
 * module parameters by the regression tests; no-ops in release builds.
 *
 *   debug_race_delay_ms    busy-wait this long at the points where a
 *                          handshake worker takes a message or hands a
 *                          peer's packets on, or a sender does (widens the
 *                          windows peer removal and link down race with)
 *   debug_fail_keypair_alloc  fail every Nth session allocation (0: never)
 *   debug_rng_not_ready    act as if the RNG were not initialised yet
 *   debug_handshake_cost_us  sleep this long before consuming each admitted
 *                          handshake message (a slow CPU, so that a flood
 *                          from an emulated machine outpaces the worker)
 */
#ifndef _WG_DEBUG_H
#define _WG_DEBUG_H

#include <linux/types.h>
#include <linux/random.h>

struct wg_registry;
struct sk_buff_head;

#ifdef WG_DEBUG
void wg_debug_race_delay(void);
bool wg_debug_fail_keypair_alloc(void);
/* WARN when a device's index table still holds entries at teardown. */
void wg_debug_check_index_empty(struct wg_registry *reg);
/* WARN when a peer is freed with packets still staged. */
void wg_debug_check_peer_freed(struct sk_buff_head *staged);
bool wg_debug_rng_not_ready(void);
/* Process context only (the handshake worker). */
void wg_debug_handshake_cost(void);
#else
static inline void wg_debug_race_delay(void)
{
}

static inline bool wg_debug_fail_keypair_alloc(void)
{
	return false;
}

static inline void wg_debug_check_index_empty(struct wg_registry *reg)
{
}

static inline void wg_debug_check_peer_freed(struct sk_buff_head *staged)
{
}

static inline bool wg_debug_rng_not_ready(void)
{
	return false;
}

static inline void wg_debug_handshake_cost(void)
{
}
#endif

/* Handshakes need random ephemeral keys and indices: none is made or
 * answered before the RNG is initialised (early boot).
 */
static inline bool wg_rng_ready(void)
{
	return rng_is_initialized() && !wg_debug_rng_not_ready();
}

#endif /* _WG_DEBUG_H */
