/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WG_DEVICE_H
#define _WG_DEVICE_H

#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/list.h>
#include <net/net_namespace.h>

/*
 * One WireGuard interface.
 *
 * Locking:
 *  - device_update_lock (mutex) serialises every configuration change of
 *    this device (netlink SET, link deletion, namespace moves).  Netlink
 *    dumps take it too, so a dump sees a consistent peer list.
 *  - device_list is protected by the RTNL (see device.c).
 */
struct wg_device {
	struct net_device *dev;
	struct list_head device_list;
	/* Namespace whose UDP sockets carry this device's packets. */
	struct net *creating_net;
	struct mutex device_update_lock;
	u32 fwmark;
	u16 incoming_port;
};

int wg_device_init(void);
void wg_device_uninit(void);

#endif /* _WG_DEVICE_H */
