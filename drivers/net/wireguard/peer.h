/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct wg_peer: everything a device knows about one remote party, and
 * the interface of peer.c, which creates, removes and frees peers.
 *
 * The structure is laid out by concern.  Each group below says which lock
 * (if any) guards it; the summary:
 *
 *   identity, keys     immutable after publish, or the noise/cookie locks
 *   endpoint           endpoint_lock
 *   queues             their own locks; tx_serial bit 0 for ordered sends
 *   timers             timers.c (softirq; armed only while alive and up)
 *   stats              lockless counters, READ_ONCE by the netlink dump
 *   lifetime           kref + RCU; lists under device_update_lock
 */
#ifndef _WG_PEER_H
#define _WG_PEER_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>

#include "cookie.h"
#include "device.h"
#include "events.h"
#include "noise.h"
#include "queueing.h"

struct wg_device;

/* How to reach a peer: its UDP address, and the local source we answer it
 * from (a "sticky" source, so a multihomed host keeps replying from the
 * address the peer wrote to).  In each union the largest member comes
 * first, so that an empty initialiser clears the whole union.
 *
 * The source union is cleared as a whole through src6 (socket.c): src6 must
 * cover both src4 and src_if4, which the static_assert below pins.
 */
struct endpoint {
	union {
		struct sockaddr_in6 addr6;
		struct sockaddr_in addr4;
		struct sockaddr addr;	/* sa_family tells which one is set */
	};
	union {
		struct in6_addr src6;
		struct {
			struct in_addr src4;
			int src_if4;	/* ifindex src4 was seen on; 0: any */
		};
	};
};

static_assert(sizeof(struct in6_addr) >=
	      sizeof(struct in_addr) + sizeof(int),
	      "clearing endpoint.src6 must clear src4 and src_if4");

struct wg_peer {
	/* Identity and keys.  device and internal_id never change once the
	 * peer is published.  handshake has its own lock (handshake.lock;
	 * its preshared key is also written under device_update_lock),
	 * keypairs theirs (keypairs.keypair_update_lock, RCU for readers),
	 * latest_cookie its rwsem.  The remaining fields rate-limit
	 * initiations and are atomics or bit operations, taken lock-free:
	 *  - last_sent_handshake: boottime ns of the last initiation sent;
	 *  - last_cookie_retry: boottime ns when a cookie reply last let an
	 *    early retry through, and cookie_retry bit 0, set while that
	 *    retry is queued so the worker waives the REKEY_TIMEOUT limit
	 *    (send.c);
	 *  - sent_lastminute_handshake: the receive path already asked for
	 *    a rekey of an old session; cleared when a handshake completes.
	 */
	struct wg_device *device;
	u64 internal_id;
	struct noise_handshake handshake;
	struct noise_keypairs keypairs;
	struct cookie latest_cookie;
	atomic64_t last_sent_handshake;
	atomic64_t last_cookie_retry;
	unsigned long cookie_retry;
	bool sent_lastminute_handshake;

	/* Endpoint.  endpoint and the routes cached for it (endpoint_cache)
	 * are read under read_lock_bh(&endpoint_lock) by every send and
	 * written under the write side when the peer roams or is
	 * configured.
	 */
	rwlock_t endpoint_lock;
	struct endpoint endpoint;
	struct dst_cache endpoint_cache;

	/* Queues (queueing.h).  staged_packet_queue holds packets waiting
	 * for a session, at most MAX_STAGED_PACKETS, under its own spinlock.
	 * tx_queue and rx_queue carry the peer's packets through the crypt
	 * workers in order; napi delivers received ones.  Bit 0 of tx_serial
	 * is owned by whoever is sending the finished transmit batches.
	 * transmit_handshake_work sends an initiation from process context
	 * and holds a peer reference while queued.
	 */
	struct sk_buff_head staged_packet_queue;
	struct wg_peer_queue tx_queue;
	struct wg_peer_queue rx_queue;
	struct napi_struct napi;
	unsigned long tx_serial;
	struct work_struct transmit_handshake_work;

	/* Timers (timers.c has the table of what arms which).  They run in
	 * softirq context and are armed only while the device is up and
	 * the peer alive; wg_timers_stop() deletes them synchronously.
	 * timer_handshake_attempts and timer_need_another_keepalive belong
	 * to the timer handlers and the events feeding them (no lock: the
	 * worst a race does is one retry or keepalive more or less).
	 * clear_peer_work zeroes the keys in process context for the
	 * zero-key-material timer, holding a reference while queued.
	 * persistent_keepalive_interval (seconds, 0 = off) is written under
	 * device_update_lock with WRITE_ONCE and read with READ_ONCE.
	 */
	struct timer_list timer_retransmit_handshake;
	struct timer_list timer_send_keepalive;
	struct timer_list timer_new_handshake;
	struct timer_list timer_zero_key_material;
	struct timer_list timer_persistent_keepalive;
	unsigned int timer_handshake_attempts;
	bool timer_need_another_keepalive;
	u16 persistent_keepalive_interval;
	struct work_struct clear_peer_work;

	/* Statistics for the netlink dump.  rx_bytes and tx_bytes are plain
	 * additions by the receive and send paths without a lock (a
	 * counter, not an exact figure, when senders race) and read with
	 * READ_ONCE.  walltime_last_handshake is written when a handshake
	 * completes.  events keeps RTT and event state; events.h has its
	 * locking.
	 */
	u64 rx_bytes;
	u64 tx_bytes;
	struct timespec64 walltime_last_handshake;
	struct wg_peer_events events;

	/* Lifetime.  refcount counts references; the device's list owns
	 * one from wg_peer_publish() to removal, lookups take theirs with
	 * wg_peer_get_maybe_zero() under RCU, and the memory is freed one
	 * grace period (rcu) after the last put.  Under device_update_lock:
	 * is_dead (set once, read locklessly with READ_ONCE), peer_list
	 * (device->peer_list once published, before that the list of peers
	 * a netlink request allocated), reg_link (the registry's hash chain
	 * by public key, RCU readers) and allowedips_list (the trie nodes
	 * owned by this peer, see allowedips.h).
	 */
	struct kref refcount;
	struct rcu_head rcu;
	bool is_dead;
	struct list_head peer_list;
	struct hlist_node reg_link;
	struct list_head allowedips_list;
};

/* peer.c, creation.  Two steps, so that a configuration request can fail
 * before it changed anything: wg_peer_alloc() may return NULL and links
 * nothing anywhere; wg_peer_publish() sets the peer up and adds it to the
 * device, with device_update_lock held and room checked by the caller, and
 * cannot fail.  A peer never published is freed with
 * wg_peer_free_unpublished().
 */
struct wg_peer *wg_peer_alloc(void);
void wg_peer_publish(struct wg_device *wg, struct wg_peer *peer,
		     const u8 public_key[NOISE_PUBLIC_KEY_LEN],
		     const u8 preshared_key[NOISE_SYMMETRIC_KEY_LEN]);
void wg_peer_free_unpublished(struct wg_peer *peer);

/* References.  wg_peer_get() needs a reference already held (or the
 * device's, under device_update_lock); wg_peer_get_maybe_zero() is for RCU
 * readers that found the peer in a table and may race with its last put:
 * NULL then.  wg_peer_put() accepts NULL.
 */
static inline struct wg_peer *wg_peer_get(struct wg_peer *peer)
{
	kref_get(&peer->refcount);
	return peer;
}

struct wg_peer *__must_check wg_peer_get_maybe_zero(struct wg_peer *peer);
void wg_peer_put(struct wg_peer *peer);

/* Removal, all with device_update_lock held; they sleep (grace period,
 * workqueue flush).  wg_peer_remove() takes NULL; wg_peer_remove_list()
 * removes the peers linked on list by peer_list, in one batch.
 */
void wg_peer_remove(struct wg_peer *peer);
void wg_peer_remove_list(struct wg_device *wg, struct list_head *list);
void wg_peer_remove_all(struct wg_device *wg);

/* Module load and unload: the peer slab cache. */
int wg_peer_init(void);
void wg_peer_uninit(void);

#endif /* _WG_PEER_H */
