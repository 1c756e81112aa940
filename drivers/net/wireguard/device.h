/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WG_DEVICE_H
#define _WG_DEVICE_H

#include "noise.h"
#include "allowedips.h"
#include "peerlookup.h"
#include "cookie.h"
#include "queueing.h"
#include "events.h"

#include <linux/types.h>
#include <linux/netdevice.h>
#include <linux/workqueue.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/ptr_ring.h>

struct wg_device;

/* One WireGuard interface.
 *
 * Locking:
 *  - device_update_lock (mutex) serialises every configuration change
 *    (netlink SET, peer removal, link deletion) and is held by netlink
 *    dumps so they see a consistent peer list.  It nests outside
 *    socket_update_lock, static_identity.lock, and every peer lock.
 *  - socket_update_lock (mutex) serialises socket (re)binding; sock4/sock6
 *    are RCU pointers read by the transmit path.
 *  - creating_net: the namespace holding the sockets; written under RTNL
 *    (set at creation, cleared when that namespace dies); no reference is
 *    held: wg_netns_pre_exit() deletes the device first.
 *  - device_list: under RTNL.
 *  - peer_list, num_peers: device_update_lock (+ RCU for readers).
 *  - events: atomic drop counters, no lock.
 *  - fwmark, incoming_port: written under device_update_lock (and
 *    socket_update_lock for the port), read locklessly (READ_ONCE) by the
 *    data path.
 */
struct wg_device {
	struct net_device *dev;
	struct list_head device_list;
	struct net *creating_net;

	struct noise_static_identity static_identity;
	struct cookie_checker cookie_checker;

	struct wg_registry *registry;	/* peers by key, sessions by index */
	struct allowedips peer_allowedips;
	struct list_head peer_list;
	unsigned int num_peers;
	unsigned int device_update_gen;	/* bumped per change, for dumps */

	struct sock __rcu *sock4, *sock6;

	/* data path (see queueing.h): the crypt rings and the ring of
	 * incoming handshake messages, each with per-CPU workers on the
	 * workqueues below.  handshake_queue_len counts the latter for the
	 * under-load decision; last_under_load (jiffies) keeps it sticky for
	 * a second.
	 */
	struct workqueue_struct *handshake_receive_wq;
	struct workqueue_struct *handshake_send_wq;
	struct workqueue_struct *packet_crypt_wq;
	struct wg_crypt_queue encrypt_queue, decrypt_queue, handshake_queue;
	atomic_t handshake_queue_len;
	unsigned long last_under_load;

	/* configuration: peers, allowed IPs, keys (see Locking above) */
	struct mutex device_update_lock;
	/* (re)binding: the swap of sock4 and sock6 (see Locking above) */
	struct mutex socket_update_lock;

	u32 fwmark;
	u16 incoming_port;

	struct wg_device_events events;
};

/* True while incoming handshakes must carry a valid mac2 (cookie). */
bool wg_device_under_load(struct wg_device *wg);

/* Forget every session and handshake of every device (VM fork, suspend,
 * hibernation; see sleep.c).  Process context; takes RTNL.
 */
void wg_device_forget_sessions(void);

int wg_device_init(void);
void wg_device_uninit(void);

#endif /* _WG_DEVICE_H */
