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

/* Locking, from the outside in.  A handshake message takes its device's
 * static_identity.lock (read) before the peer's handshake.lock; both are
 * rwsems, so handshakes run in process context only (the handshake
 * workers, netlink).  Sessions are found from softirq context: through
 * peer->keypairs or the index table, under rcu_read_lock_bh(), and kept
 * with a reference.  keypairs.keypair_update_lock (a BH spinlock) orders
 * the writers of the session slots.
 */

/* The device's long-term key pair. */
struct noise_static_identity {
	/* Written only by wg_noise_set_static_identity_private_key() and
	 * wg_noise_static_identity_clear() with lock held for writing;
	 * every reader holds it for reading.
	 */
	struct rw_semaphore lock;
	bool has_identity;			/* false: both keys are zero */
	u8 static_private[NOISE_PUBLIC_KEY_LEN];	/* clamped */
	u8 static_public[NOISE_PUBLIC_KEY_LEN];
};

/* Where one peer's handshake stands.  Each role walks its own pair of
 * states, and begin_session accepts only the last one of either; any
 * failure or expiry returns to NOISE_HS_IDLE (zero, as memset leaves it).
 */
enum noise_handshake_state {
	NOISE_HS_IDLE = 0,
	/* we initiate */
	NOISE_HS_INITIATION_CREATED,
	NOISE_HS_RESPONSE_CONSUMED,
	/* we respond */
	NOISE_HS_INITIATION_CONSUMED,
	NOISE_HS_RESPONSE_CREATED,
};

/* The Noise state of one peer.  Unless noted, fields are read and written
 * with lock held (for writing when the handshake advances).
 */
struct noise_handshake {
	struct rw_semaphore lock;

	/* Long-term material.  static_identity and remote_static are set by
	 * wg_noise_handshake_init() and never change, so the peer lookup
	 * table may hash remote_static without the lock.  preshared_key is
	 * replaced by netlink, static_static_dh (DH(s, rs), zero without an
	 * identity) when the device's private key changes; both under lock.
	 */
	struct noise_static_identity *static_identity;
	u8 remote_static[NOISE_PUBLIC_KEY_LEN];
	u8 preshared_key[NOISE_SYMMETRIC_KEY_LEN];
	u8 static_static_dh[NOISE_PUBLIC_KEY_LEN];

	/* The exchange in progress: wiped (memzero_explicit) whenever it
	 * ends.  entry holds our sender index while a message of ours is
	 * outstanding; remote_index is the other side's.
	 */
	enum noise_handshake_state state;
	struct wg_reg_entry entry;
	__le32 remote_index;
	u8 ephemeral_secret[NOISE_PUBLIC_KEY_LEN];
	u8 remote_ephemeral[NOISE_PUBLIC_KEY_LEN];
	u8 chaining_key[NOISE_HASH_LEN];	/* ck */
	u8 hash[NOISE_HASH_LEN];		/* h */

	/* Kept across exchanges, against replayed and flooded initiations:
	 * the newest TAI64N timestamp accepted (big endian, so memcmp orders
	 * them) and when (ktime_get_coarse_boottime_ns()).
	 */
	u8 newest_timestamp[NOISE_TIMESTAMP_LEN];
	u64 last_initiation_consumption;
};

/* One direction of a session's keys.  Only is_valid ever changes. */
struct noise_symmetric_key {
	u8 key[NOISE_SYMMETRIC_KEY_LEN];
	u64 birthdate;		/* ktime_get_coarse_boottime_ns() at creation */
	bool is_valid;		/* WRITE_ONCE() to false, never back */
};

/* A session: the keys one completed handshake yields.  Counted by
 * refcount; the last wg_noise_keypair_put() takes it out of the index
 * table and frees it after an RCU grace period, so a reader that found it
 * under RCU must take its reference (wg_noise_keypair_get()) before the
 * read section ends.
 */
struct noise_keypair {
	struct wg_reg_entry entry;	/* our index for the session */
	__le32 remote_index;			/* theirs, in our messages */
	bool i_am_the_initiator;
	struct noise_symmetric_key sending;
	atomic64_t sending_counter;		/* the next nonce to send */
	struct noise_symmetric_key receiving;
	struct noise_replay_counter receiving_counter;
	struct kref refcount;
	struct rcu_head rcu;
	u64 internal_id;			/* names it in debug messages */
};

/* A peer's sessions, each slot owning one reference.  Readers:
 * rcu_dereference_bh() under rcu_read_lock_bh().  Writers: hold
 * keypair_update_lock and publish with rcu_assign_pointer().
 */
struct noise_keypairs {
	spinlock_t keypair_update_lock;	/* writers of the three slots */
	/* the session we send with (and the usual one to receive on) */
	struct noise_keypair __rcu *cur;
	/* a session we answered and may not send with until the initiator's
	 * first transport message arrives on it
	 */
	struct noise_keypair __rcu *next;
	/* the session cur replaced, for packets still in flight */
	struct noise_keypair __rcu *prev;
};

struct wg_peer;
struct wg_device;

/* Module init: the hashes every handshake starts from. */
void wg_noise_init(void);

/* The static identity; the setter's caller holds identity->lock (write). */
void wg_noise_static_identity_init(struct noise_static_identity *identity);
/* An all-zero private key clears the identity. */
void wg_noise_set_static_identity_private_key(struct noise_static_identity *identity,
					      const u8 private_key[NOISE_PUBLIC_KEY_LEN]);
void wg_noise_static_identity_clear(struct noise_static_identity *identity);

/* Per-peer state: set up when the peer is created, wiped on removal. */
void wg_noise_handshake_init(struct noise_handshake *handshake,
			     struct noise_static_identity *static_identity,
			     const u8 remote_static[NOISE_PUBLIC_KEY_LEN],
			     const u8 psk_or_null[NOISE_SYMMETRIC_KEY_LEN],
			     struct wg_peer *peer);
void wg_noise_handshake_set_preshared_key(struct noise_handshake *handshake,
					  const u8 key[NOISE_SYMMETRIC_KEY_LEN]);
/* Recomputes DH(s, rs) after the device's identity changed. */
void wg_noise_precompute_static_static(struct wg_peer *peer);
void wg_noise_handshake_clear(struct noise_handshake *handshake);
void wg_noise_keypairs_init(struct noise_keypairs *keypairs);
void wg_noise_keypairs_clear(struct noise_keypairs *keypairs);

/* The four handshake messages, process context only.  The create_*
 * functions fill dst for our own handshake; the consume_* ones return the
 * peer a message is from, referenced, or NULL if it is not acceptable.
 * After a response was created or consumed, begin_session turns the
 * handshake into a session in keypairs.
 */
bool wg_noise_handshake_create_initiation(struct wg_msg_initiation *dst,
					  struct noise_handshake *handshake);
struct wg_peer *
wg_noise_handshake_consume_response(struct wg_msg_response *src,
				    struct wg_device *wg);
struct wg_peer *
wg_noise_handshake_consume_initiation(struct wg_msg_initiation *src,
				      struct wg_device *wg);
bool wg_noise_handshake_create_response(struct wg_msg_response *dst,
					struct noise_handshake *handshake);
bool wg_noise_handshake_begin_session(struct noise_handshake *handshake,
				      struct noise_keypairs *keypairs);

/* Session references: get under RCU; put with unreference_now when the
 * keypair also leaves its slot.
 */
struct noise_keypair *wg_noise_keypair_get(struct noise_keypair *keypair);
void wg_noise_keypair_put(struct noise_keypair *keypair, bool unreference_now);
/* Data arrived on received_keypair: if that was the unconfirmed next
 * session, promote it to cur and return true.
 */
bool wg_noise_received_with_keypair(struct noise_keypairs *keypairs,
				    struct noise_keypair *received_keypair);
/* Forget the handshake in progress and stop sending on the peer's
 * sessions (they still decrypt what arrives).
 */
void wg_noise_expire_current_peer_keypairs(struct wg_peer *peer);

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
