/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A peer of a device: its keys, sessions, endpoint, timers and queues.
 */
#ifndef _WG_PEER_H
#define _WG_PEER_H

#include "device.h"
#include "noise.h"
#include "cookie.h"
#include "queueing.h"
#include "events.h"

#include <linux/types.h>
#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/kref.h>
#include <net/dst_cache.h>

struct wg_device;

/*
 * Where the peer was last seen, and the local source address we used to
 * answer it (sticky source for multihomed hosts).
 */
struct endpoint {
	union {
		struct sockaddr addr;
		struct sockaddr_in addr4;
		struct sockaddr_in6 addr6;
	};
	union {
		struct {
			struct in_addr src4;
			int src_if4;	/* ifindex the source belongs to */
		};
		struct in6_addr src6;
	};
};

/*
 * Lifetime: refcount (kref).  The device's peer_list and the pubkey
 * hashtable hold one reference between creation and removal; lookups
 * (allowedips, index table, pubkey table) return a new reference taken
 * with kref_get_unless_zero() under RCU.  Freed after an RCU grace period.
 *
 * Locking:
 *  - immutable after creation: device, internal_id.
 *  - device->device_update_lock: peer_list membership, is_dead transitions,
 *    persistent_keepalive_interval, allowedips_list (also the allowedips
 *    table lock), preshared key changes (with handshake.lock).
 *  - endpoint_lock (rwlock, softirq-safe): endpoint and endpoint_cache.
 *  - handshake.lock: handshake; keypairs.keypair_update_lock: keypairs.
 *  - latest_cookie.lock: latest_cookie.
 *  - stats (rx_bytes, tx_bytes, last handshake time) are updated from the
 *    data path without a lock; readers tolerate tearing on 32-bit (we are
 *    64-bit only in practice, u64 stores are atomic on x86-64).
 *  - timers: see timers.c; they never run after is_dead is set and the
 *    timers are deleted synchronously in wg_peer_remove().
 */
struct wg_peer {
	struct wg_device *device;

	/* cryptokey state */
	struct noise_handshake handshake;
	struct noise_keypairs keypairs;
	struct cookie latest_cookie;
	atomic64_t last_sent_handshake;	/* ns (boottime) */
	/*
	 * Early retry after a cookie reply (send.c): when the last one was
	 * allowed (ns, boottime), and bit 0 of cookie_retry set while the
	 * retry is queued so the worker lets it past the REKEY_TIMEOUT limit.
	 */
	atomic64_t last_cookie_retry;
	unsigned long cookie_retry;
	bool sent_lastminute_handshake;

	/* where to send */
	struct endpoint endpoint;
	struct dst_cache endpoint_cache;
	rwlock_t endpoint_lock;

	/* packets waiting for a session; bounded by MAX_STAGED_PACKETS */
	struct sk_buff_head staged_packet_queue;

	/*
	 * data path (see queueing.h).  tx_serial (bit 0) is held by whoever
	 * sends the peer's finished transmit batches, in order.
	 */
	struct wg_peer_queue tx_queue, rx_queue;
	struct napi_struct napi;
	unsigned long tx_serial;
	struct work_struct transmit_handshake_work;
	struct work_struct clear_peer_work;

	/* timers (timers.c) */
	struct timer_list timer_retransmit_handshake;
	struct timer_list timer_send_keepalive;
	struct timer_list timer_new_handshake;
	struct timer_list timer_zero_key_material;
	struct timer_list timer_persistent_keepalive;
	unsigned int timer_handshake_attempts;
	u16 persistent_keepalive_interval;	/* seconds, 0 = off */
	bool timer_need_another_keepalive;

	/* statistics for the netlink dump */
	u64 rx_bytes, tx_bytes;
	struct timespec64 walltime_last_handshake;

	/* events, RTT and event rate limit (events.h has the locking) */
	struct wg_peer_events events;

	/* membership */
	struct hlist_node reg_link;	/* in the registry, by public key */
	/*
	 * in device->peer_list once published; before, in the list of
	 * peers a configuration request allocated (netlink.c)
	 */
	struct list_head peer_list;
	struct list_head allowedips_list;	/* of allowedips_node */
	bool is_dead;

	struct kref refcount;
	struct rcu_head rcu;
	u64 internal_id;
};

/*
 * Creation in two steps (see peer.c): wg_peer_alloc() may fail (NULL)
 * and links nothing; wg_peer_publish() initialises the peer and links it
 * into the device (device_update_lock held, room for it checked) and
 * cannot fail.  An unpublished peer goes with wg_peer_free_unpublished().
 */
struct wg_peer *wg_peer_alloc(void);
void wg_peer_free_unpublished(struct wg_peer *peer);
void wg_peer_publish(struct wg_device *wg, struct wg_peer *peer,
		     const u8 public_key[NOISE_PUBLIC_KEY_LEN],
		     const u8 preshared_key[NOISE_SYMMETRIC_KEY_LEN]);

struct wg_peer *__must_check wg_peer_get_maybe_zero(struct wg_peer *peer);
static inline struct wg_peer *wg_peer_get(struct wg_peer *peer)
{
	kref_get(&peer->refcount);
	return peer;
}
void wg_peer_put(struct wg_peer *peer);
void wg_peer_remove(struct wg_peer *peer);
void wg_peer_remove_all(struct wg_device *wg);
/* Remove every peer on list (linked by peer_list); device_update_lock held. */
void wg_peer_remove_list(struct wg_device *wg, struct list_head *list);

int wg_peer_init(void);
void wg_peer_uninit(void);

#endif /* _WG_PEER_H */
