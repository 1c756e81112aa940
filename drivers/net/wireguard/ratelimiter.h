/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-source token bucket for incoming handshake messages.
 */
#ifndef _WG_RATELIMITER_H
#define _WG_RATELIMITER_H

#include <linux/skbuff.h>
#include <net/net_namespace.h>

/* The entry cache: module load and unload. */
int wg_ratelimiter_slab_init(void);
void wg_ratelimiter_slab_uninit(void);

/* Shared by every device: init takes a reference (allocating the table on
 * the first), uninit drops it (freeing on the last).  Process context.
 */
int wg_ratelimiter_init(void);
void wg_ratelimiter_uninit(void);

/* True if a handshake from the outer source of skb (IPv4 address, or
 * IPv6 /64) in net may be processed now.  Callable from any context.
 */
bool wg_ratelimiter_allow(struct sk_buff *skb, struct net *net);

#ifdef WG_DEBUG
bool wg_ratelimiter_selftest(void);
#endif

#endif /* _WG_RATELIMITER_H */
