/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peer events and figures for operators: the "wireguard-event" Generic
 * Netlink family (include/uapi/linux/wireguard_events.h).
 *
 * The driver calls the wg_events_*() hooks below where something happens;
 * they count, measure and, when somebody listens, multicast an event.
 * Every hook may be called from process or softirq context (none sleeps)
 * but not from hard interrupts.
 */
#ifndef _WG_EVENTS_H
#define _WG_EVENTS_H

#include "uapi/linux/wireguard_events.h"

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>

struct wg_peer;
struct wg_device;
struct endpoint;

/* Per peer, embedded in struct wg_peer.
 *
 * Locking: lock (bottom-half safe) protects the token bucket (tokens,
 * refilled), suppressed_since, and the RTT figures (rtt_last_ns,
 * rtt_smoothed_ns, rtt_samples).  initiation_sent_ns, handshakes and
 * suppressed are atomics read and written without it.
 */
struct wg_peer_events {
	spinlock_t lock;	/* see above */
	u64 tokens;		/* ns of budget, one event costs an interval */
	u64 refilled;		/* ktime_get_ns() of the last refill */
	u64 suppressed_since;	/* suppressed since the last delivered event */
	u64 rtt_last_ns, rtt_smoothed_ns, rtt_samples;
	atomic64_t initiation_sent_ns;	/* ktime_get_ns(), 0 = none pending */
	atomic64_t handshakes;
	atomic64_t suppressed;
};

/* Per device, embedded in struct wg_device: drops by enum wgev_drop,
 * trains by enum wgev_train.  Atomics, from any context.
 */
struct wg_device_events {
	atomic_long_t drops[__WGEV_DROP_MAX];
	atomic_long_t trains[__WGEV_TRAIN_MAX];
};

void wg_events_peer_init(struct wg_peer *peer);

/* An initiation to peer is about to be sent: the RTT clock starts. */
void wg_events_initiation_sent(struct wg_peer *peer);
/* A handshake completed.  As initiator, consumed_ns is ktime_get_ns() when
 * consuming the response began (the RTT clock stops); as responder, 0.
 */
void wg_events_handshake(struct wg_peer *peer, bool initiator,
			 u64 consumed_ns);
/* Every key of the peer was zeroed (no new session for a long time). */
void wg_events_keys_zeroed(struct wg_peer *peer);
/* An authenticated packet came from a new remote address. */
void wg_events_endpoint(struct wg_peer *peer, const struct endpoint *endpoint);
/* device_update_lock held. */
void wg_events_peer_added(struct wg_peer *peer);
void wg_events_peer_removed(struct wg_peer *peer);

static inline void wg_events_drop(struct wg_device_events *ev,
				  enum wgev_drop reason)
{
	atomic_long_inc(&ev->drops[reason]);
}

/* A train of messages (more than one) was sent (rx false) or received. */
static inline void wg_events_train(struct wg_device_events *ev, bool rx,
				   unsigned int messages)
{
	atomic_long_inc(&ev->trains[rx ? WGEV_TRAIN_RX : WGEV_TRAIN_TX]);
	atomic_long_add(messages, &ev->trains[rx ? WGEV_TRAIN_RX_MESSAGES :
					      WGEV_TRAIN_TX_MESSAGES]);
}

int wg_events_init(void);
void wg_events_uninit(void);

#endif /* _WG_EVENTS_H */
