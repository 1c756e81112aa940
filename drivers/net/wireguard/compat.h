/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where differences between the kernels we build against
 * (Debian's 6.1 and 6.12) are handled.  Everything else includes this and
 * uses the wg_compat_* helpers instead of testing LINUX_VERSION_CODE.
 */
#ifndef _WG_COMPAT_H
#define _WG_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

/* 6.12 moved the unaligned accessors out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* skb_gso_segment() moved to its own header in 6.5. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

/* Lockless transmit became a net_device bit field in 6.11. */
static inline void wg_compat_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* The parsed request attributes of a Generic Netlink dump. */
static inline struct nlattr **wg_compat_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _WG_COMPAT_H */
