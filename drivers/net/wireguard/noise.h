/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Noise_IKpsk2 handshake and session key state.
 */
#ifndef _WG_NOISE_H
#define _WG_NOISE_H

#include "messages.h"
#include "counter.h"
#include "peerlookup.h"

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/rwsem.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/timekeeping.h>

/* One direction of a session. Immutable after creation. */
struct noise_symmetric_key {
	u8 key[NOISE_SYMMETRIC_KEY_LEN];
	u64 birthdate;		/* ktime_get_coarse_boottime_ns() at creation */
	bool is_valid;		/* cleared (never set again) on expiry */
};

/*
 * A session: the pair of keys derived by one handshake.
 *
 * Lifetime: kref; freed after an RCU grace period.  Readers find keypairs
 * through peer->keypairs (RCU) or the index hashtable (RCU), and take a
 * reference with kref_get_unless_zero() before leaving the read section.
 */
struct noise_keypair {
	struct index_hashtable_entry entry;	/* our receiver index */
	struct noise_symmetric_key sending;
	atomic64_t sending_counter;		/* next nonce to use */
	struct noise_symmetric_key receiving;
	struct noise_replay_counter receiving_counter;
	__le32 remote_index;			/* the peer's index for us */
	bool i_am_the_initiator;
	struct kref refcount;
	struct rcu_head rcu;
	u64 internal_id;			/* for debug messages only */
};

/*
 * The (at most) three sessions of a peer.  current is used to send; next
 * is a responder's session not yet confirmed by a data packet from the
 * initiator; previous is kept to decrypt packets still in flight.
 * Writers hold keypair_update_lock; readers use RCU.
 */
struct noise_keypairs {
	struct noise_keypair __rcu *current_keypair;
	struct noise_keypair __rcu *previous_keypair;
	struct noise_keypair __rcu *next_keypair;
	spinlock_t keypair_update_lock;
};

/* The device's own key pair.  lock: writers (netlink) exclusive. */
struct noise_static_identity {
	u8 static_public[NOISE_PUBLIC_KEY_LEN];
	u8 static_private[NOISE_PUBLIC_KEY_LEN];
	struct rw_semaphore lock;
	bool has_identity;
};

enum noise_handshake_state {
	HANDSHAKE_ZEROED,
	HANDSHAKE_CREATED_INITIATION,
	HANDSHAKE_CONSUMED_INITIATION,
	HANDSHAKE_CREATED_RESPONSE,
	HANDSHAKE_CONSUMED_RESPONSE
};

/*
 * The handshake in progress with one peer, plus the peer's long-term
 * keys.  Every field is protected by lock (a sleeping rwsem: handshakes
 * are processed in workqueues, never in softirq).
 */
struct noise_handshake {
	struct index_hashtable_entry entry;	/* our sender index */

	enum noise_handshake_state state;
	u64 last_initiation_consumption;	/* ns, flood limiting */

	struct noise_static_identity *static_identity;

	u8 ephemeral_private[NOISE_PUBLIC_KEY_LEN];
	u8 remote_static[NOISE_PUBLIC_KEY_LEN];
	u8 remote_ephemeral[NOISE_PUBLIC_KEY_LEN];
	u8 precomputed_static_static[NOISE_PUBLIC_KEY_LEN];

	u8 preshared_key[NOISE_SYMMETRIC_KEY_LEN];

	u8 hash[NOISE_HASH_LEN];
	u8 chaining_key[NOISE_HASH_LEN];

	u8 latest_timestamp[NOISE_TIMESTAMP_LEN];
	__le32 remote_index;

	struct rw_semaphore lock;
};

struct wg_peer;
struct wg_device;

void wg_noise_init(void);
void wg_noise_handshake_init(struct noise_handshake *handshake,
			     struct noise_static_identity *static_identity,
			     const u8 peer_public_key[NOISE_PUBLIC_KEY_LEN],
			     const u8 peer_preshared_key[NOISE_SYMMETRIC_KEY_LEN],
			     struct wg_peer *peer);
void wg_noise_handshake_clear(struct noise_handshake *handshake);
void wg_noise_handshake_set_preshared_key(struct noise_handshake *handshake,
					  const u8 key[NOISE_SYMMETRIC_KEY_LEN]);
void wg_noise_precompute_static_static(struct wg_peer *peer);

void wg_noise_static_identity_init(struct noise_static_identity *identity);
/* Caller holds identity->lock for writing.  An all-zero key clears it. */
void wg_noise_set_static_identity_private_key(
	struct noise_static_identity *static_identity,
	const u8 private_key[NOISE_PUBLIC_KEY_LEN]);
void wg_noise_static_identity_clear(struct noise_static_identity *identity);

/* Keypairs: references are counted, the last put frees after RCU. */
struct noise_keypair *wg_noise_keypair_get(struct noise_keypair *keypair);
void wg_noise_keypair_put(struct noise_keypair *keypair, bool unreference_now);
void wg_noise_keypairs_init(struct noise_keypairs *keypairs);
void wg_noise_keypairs_clear(struct noise_keypairs *keypairs);
/* True when keypair was the unconfirmed "next" and is now current. */
bool wg_noise_received_with_keypair(struct noise_keypairs *keypairs,
				    struct noise_keypair *received_keypair);
void wg_noise_expire_current_peer_keypairs(struct wg_peer *peer);

/* Handshake messages; process context only (they sleep on rwsems). */
bool wg_noise_handshake_create_initiation(
	struct wg_msg_initiation *dst,
	struct noise_handshake *handshake);
struct wg_peer *
wg_noise_handshake_consume_initiation(struct wg_msg_initiation *src,
				      struct wg_device *wg);
bool wg_noise_handshake_create_response(struct wg_msg_response *dst,
					struct noise_handshake *handshake);
struct wg_peer *
wg_noise_handshake_consume_response(struct wg_msg_response *src,
				    struct wg_device *wg);
bool wg_noise_handshake_begin_session(struct noise_handshake *handshake,
				      struct noise_keypairs *keypairs);

/* ktime_get_coarse_boottime_ns() based ages, in protocol time. */
static inline bool wg_birthdate_has_expired(u64 birthdate_ns,
					    unsigned int expiration_secs)
{
	return (s64)(birthdate_ns + wg_proto_ns(expiration_secs)) <=
	       (s64)ktime_get_coarse_boottime_ns();
}

/* Allow the next initiation right away (no REKEY_TIMEOUT wait). */
static inline void wg_noise_reset_last_sent_handshake(atomic64_t *sent_ns)
{
	atomic64_set(sent_ns, ktime_get_coarse_boottime_ns() -
			      wg_proto_ns(REKEY_TIMEOUT) - NSEC_PER_SEC);
}

#endif /* _WG_NOISE_H */
