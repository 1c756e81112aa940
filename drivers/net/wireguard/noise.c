// SPDX-License-Identifier: GPL-2.0
/*
 * The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s handshake of WireGuard and
 * the sessions (keypairs) it yields.
 *
 * Notation in the comments follows the protocol description: ck is the
 * chaining key, h the running hash, e/s ephemeral/static keys, i/r the
 * initiator and responder.
 */

#include "noise.h"
#include "device.h"
#include "peer.h"
#include "messages.h"
#include "queueing.h"
#include "peerlookup.h"
#include "debug.h"

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/bitmap.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/highmem.h>
#include <linux/log2.h>

static const u8 noise_construction[] = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
static const u8 noise_identifier[] = "WireGuard v1 zx2c4 Jason@zx2c4.com";

/* HASH(construction) and HASH(that || identifier), computed once. */
static u8 initial_chaining_key[NOISE_HASH_LEN] __ro_after_init;
static u8 initial_hash[NOISE_HASH_LEN] __ro_after_init;

static atomic64_t keypair_counter = ATOMIC64_INIT(0);

void __init wg_noise_init(void)
{
	struct wg_blake2s_state st;

	wg_blake2s(initial_chaining_key, noise_construction, NULL,
		   NOISE_HASH_LEN, sizeof(noise_construction) - 1, 0);
	wg_blake2s_init(&st, NOISE_HASH_LEN);
	wg_blake2s_update(&st, initial_chaining_key, NOISE_HASH_LEN);
	wg_blake2s_update(&st, noise_identifier, sizeof(noise_identifier) - 1);
	wg_blake2s_final(&st, initial_hash);
}

static bool key_is_zero(const u8 key[NOISE_PUBLIC_KEY_LEN])
{
	static const u8 zero[NOISE_PUBLIC_KEY_LEN];

	return !wg_memneq(key, zero, NOISE_PUBLIC_KEY_LEN);
}

/* Takes handshake->lock; the caller holds the device's device_update_lock,
 * under which the static identity is written, or its lock.
 */
void wg_noise_precompute_static_static(struct wg_peer *peer)
{
	struct noise_handshake *handshake = &peer->handshake;

	down_write(&handshake->lock);
	if (!handshake->static_identity->has_identity ||
	    !wg_curve25519(handshake->static_static_dh,
			   handshake->static_identity->static_private,
			   handshake->remote_static))
		memset(handshake->static_static_dh, 0,
		       NOISE_PUBLIC_KEY_LEN);
	up_write(&handshake->lock);
}

void wg_noise_handshake_init(struct noise_handshake *handshake,
			     struct noise_static_identity *static_identity,
			     const u8 remote_static[NOISE_PUBLIC_KEY_LEN],
			     const u8 psk_or_null[NOISE_SYMMETRIC_KEY_LEN],
			     struct wg_peer *peer)
{
	memset(handshake, 0, sizeof(*handshake));
	init_rwsem(&handshake->lock);
	wg_reg_entry_init(&handshake->entry, WG_REG_HANDSHAKE, peer);
	memcpy(handshake->remote_static, remote_static, NOISE_PUBLIC_KEY_LEN);
	if (psk_or_null)
		memcpy(handshake->preshared_key, psk_or_null,
		       NOISE_SYMMETRIC_KEY_LEN);
	handshake->static_identity = static_identity;
	handshake->state = NOISE_HS_IDLE;
	wg_noise_precompute_static_static(peer);
}

void wg_noise_handshake_set_preshared_key(struct noise_handshake *handshake,
					  const u8 key[NOISE_SYMMETRIC_KEY_LEN])
{
	down_write(&handshake->lock);
	memcpy(handshake->preshared_key, key, NOISE_SYMMETRIC_KEY_LEN);
	up_write(&handshake->lock);
}

/* Forget the handshake in progress; handshake->lock held for writing. */
static void handshake_zero(struct noise_handshake *handshake)
{
	memzero_explicit(handshake->ephemeral_secret, NOISE_PUBLIC_KEY_LEN);
	memzero_explicit(handshake->remote_ephemeral, NOISE_PUBLIC_KEY_LEN);
	memzero_explicit(handshake->hash, NOISE_HASH_LEN);
	memzero_explicit(handshake->chaining_key, NOISE_HASH_LEN);
	handshake->remote_index = 0;
	handshake->state = NOISE_HS_IDLE;
}

static struct wg_registry *handshake_registry(struct noise_handshake *h)
{
	return h->entry.peer->device->registry;
}

/* A removed peer's handshake must not (re-)enter the index table: removal
 * clears the handshake under its lock after marking the peer dead, and an
 * entry added after that would outlive the peer.  handshake->lock held.
 */
static bool handshake_peer_dead(struct noise_handshake *h)
{
	return READ_ONCE(h->entry.peer->is_dead);
}

void wg_noise_handshake_clear(struct noise_handshake *handshake)
{
	down_write(&handshake->lock);
	wg_registry_release(handshake_registry(handshake), &handshake->entry);
	handshake_zero(handshake);
	up_write(&handshake->lock);
}

void wg_noise_static_identity_init(struct noise_static_identity *identity)
{
	memset(identity, 0, sizeof(*identity));
	init_rwsem(&identity->lock);
}

void wg_noise_set_static_identity_private_key(struct noise_static_identity *identity,
					      const u8 private_key[NOISE_PUBLIC_KEY_LEN])
{
	memcpy(identity->static_private, private_key, NOISE_PUBLIC_KEY_LEN);
	wg_curve25519_clamp_secret(identity->static_private);
	identity->has_identity =
		!key_is_zero(private_key) &&
		wg_curve25519_generate_public(identity->static_public,
					      private_key);
	if (!identity->has_identity)
		wg_noise_static_identity_clear(identity);
}

void wg_noise_static_identity_clear(struct noise_static_identity *identity)
{
	memzero_explicit(identity->static_private, NOISE_PUBLIC_KEY_LEN);
	memzero_explicit(identity->static_public, NOISE_PUBLIC_KEY_LEN);
	identity->has_identity = false;
}

/* Keypairs */

static void keypair_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct noise_keypair, rcu));
}

static void keypair_release(struct kref *kref)
{
	struct noise_keypair *keypair =
		container_of(kref, struct noise_keypair, refcount);
	struct wg_peer *peer = keypair->entry.peer;

	pr_debug("%s: Keypair %llu destroyed\n", peer->device->dev->name,
		 keypair->internal_id);
	wg_registry_release(peer->device->registry, &keypair->entry);
	call_rcu(&keypair->rcu, keypair_free_rcu);
}

/* unreference_now: the keypair is being dropped from the peer's slots,
 * so take it out of the index table right away rather than when the
 * last packet using it is done.
 */
void wg_noise_keypair_put(struct noise_keypair *keypair, bool unreference_now)
{
	if (!keypair)
		return;
	if (unreference_now)
		wg_registry_release(keypair->entry.peer->device->registry,
				    &keypair->entry);
	kref_put(&keypair->refcount, keypair_release);
}

struct noise_keypair *wg_noise_keypair_get(struct noise_keypair *keypair)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_bh_held(),
			 "taking a keypair reference outside RCU");
	if (unlikely(!keypair || !kref_get_unless_zero(&keypair->refcount)))
		return NULL;
	return keypair;
}

void wg_noise_keypairs_init(struct noise_keypairs *keypairs)
{
	RCU_INIT_POINTER(keypairs->cur, NULL);
	RCU_INIT_POINTER(keypairs->prev, NULL);
	RCU_INIT_POINTER(keypairs->next, NULL);
	spin_lock_init(&keypairs->keypair_update_lock);
}

/* What a slot of keypairs holds, for the holder of keypair_update_lock. */
static struct noise_keypair *keypair_slot(struct noise_keypairs *keypairs,
					  struct noise_keypair __rcu **slot)
{
	spinlock_t *lock = &keypairs->keypair_update_lock;

	return rcu_dereference_protected(*slot, lockdep_is_held(lock));
}

/* Empty all three slots at once; the sessions go when their last user does. */
void wg_noise_keypairs_clear(struct noise_keypairs *keypairs)
{
	struct noise_keypair *gone[3];
	int i;

	spin_lock_bh(&keypairs->keypair_update_lock);
	gone[0] = keypair_slot(keypairs, &keypairs->next);
	gone[1] = keypair_slot(keypairs, &keypairs->prev);
	gone[2] = keypair_slot(keypairs, &keypairs->cur);
	RCU_INIT_POINTER(keypairs->next, NULL);
	RCU_INIT_POINTER(keypairs->prev, NULL);
	RCU_INIT_POINTER(keypairs->cur, NULL);
	for (i = 0; i < ARRAY_SIZE(gone); i++)
		wg_noise_keypair_put(gone[i], true);
	spin_unlock_bh(&keypairs->keypair_update_lock);
}

/* Received packets still decrypt under a session that stops sending. */
static void stop_sending(struct noise_keypair *keypair)
{
	if (keypair)
		WRITE_ONCE(keypair->sending.is_valid, false);
}

void wg_noise_expire_current_peer_keypairs(struct wg_peer *peer)
{
	struct noise_keypairs *keypairs = &peer->keypairs;

	wg_noise_handshake_clear(&peer->handshake);
	wg_noise_reset_last_sent_handshake(&peer->last_sent_handshake);

	spin_lock_bh(&keypairs->keypair_update_lock);
	stop_sending(keypair_slot(keypairs, &keypairs->next));
	stop_sending(keypair_slot(keypairs, &keypairs->cur));
	spin_unlock_bh(&keypairs->keypair_update_lock);
}

/* Install a freshly derived session; keypair_update_lock held. */
static void add_new_keypair(struct noise_keypairs *keypairs,
			    struct noise_keypair *new)
{
	struct noise_keypair *previous, *next, *current_kp;

	previous = keypair_slot(keypairs, &keypairs->prev);
	next = keypair_slot(keypairs, &keypairs->next);
	current_kp = keypair_slot(keypairs, &keypairs->cur);

	if (new->i_am_the_initiator) {
		/* Our own initiation was answered: the session is confirmed
		 * and used at once.  The old current becomes previous (to
		 * decrypt what is still in flight), unless an unconfirmed
		 * responder session was waiting in next, which then takes
		 * that place and the old current is dropped.
		 */
		if (next) {
			RCU_INIT_POINTER(keypairs->next, NULL);
			rcu_assign_pointer(keypairs->prev, next);
			wg_noise_keypair_put(current_kp, true);
		} else {
			rcu_assign_pointer(keypairs->prev,
					   current_kp);
		}
		wg_noise_keypair_put(previous, true);
		rcu_assign_pointer(keypairs->cur, new);
	} else {
		/* As responder we may not send with the session before the
		 * initiator proves it has it (its first data packet): park
		 * it in next.  previous is dropped so that confirmation can
		 * shift current into it.
		 */
		rcu_assign_pointer(keypairs->next, new);
		wg_noise_keypair_put(next, true);
		RCU_INIT_POINTER(keypairs->prev, NULL);
		wg_noise_keypair_put(previous, true);
	}
}

bool wg_noise_received_with_keypair(struct noise_keypairs *keypairs,
				    struct noise_keypair *received_keypair)
{
	struct noise_keypair *old;
	bool confirmed = false;

	/* Cheap check first: almost every packet uses current. */
	if (likely(received_keypair !=
		   rcu_access_pointer(keypairs->next)))
		return false;

	spin_lock_bh(&keypairs->keypair_update_lock);
	if (received_keypair == keypair_slot(keypairs, &keypairs->next)) {
		old = keypair_slot(keypairs, &keypairs->prev);
		rcu_assign_pointer(keypairs->prev,
				   keypair_slot(keypairs, &keypairs->cur));
		wg_noise_keypair_put(old, true);
		rcu_assign_pointer(keypairs->cur, received_keypair);
		RCU_INIT_POINTER(keypairs->next, NULL);
		confirmed = true;
	}
	spin_unlock_bh(&keypairs->keypair_update_lock);
	return confirmed;
}

/* Handshake primitives */

/* HKDF with HMAC-BLAKE2s: up to three 32-byte outputs from the chaining
 * key and the input keying material.
 */
static void kdf(u8 *out1, u8 *out2, u8 *out3, const u8 *data, size_t data_len,
		const u8 chaining_key[NOISE_HASH_LEN])
{
	u8 prk[BLAKE2S_HASH_SIZE];
	u8 t[BLAKE2S_HASH_SIZE + 1];

	wg_blake2s_hmac(prk, data, chaining_key, BLAKE2S_HASH_SIZE, data_len,
			NOISE_HASH_LEN);

	t[0] = 1;
	wg_blake2s_hmac(t, t, prk, BLAKE2S_HASH_SIZE, 1, BLAKE2S_HASH_SIZE);
	if (out1)
		memcpy(out1, t, BLAKE2S_HASH_SIZE);
	if (!out2)
		goto out;

	t[BLAKE2S_HASH_SIZE] = 2;
	wg_blake2s_hmac(t, t, prk, BLAKE2S_HASH_SIZE, BLAKE2S_HASH_SIZE + 1,
			BLAKE2S_HASH_SIZE);
	memcpy(out2, t, BLAKE2S_HASH_SIZE);
	if (!out3)
		goto out;

	t[BLAKE2S_HASH_SIZE] = 3;
	wg_blake2s_hmac(t, t, prk, BLAKE2S_HASH_SIZE, BLAKE2S_HASH_SIZE + 1,
			BLAKE2S_HASH_SIZE);
	memcpy(out3, t, BLAKE2S_HASH_SIZE);
out:
	memzero_explicit(prk, sizeof(prk));
	memzero_explicit(t, sizeof(t));
}

/* h = HASH(h || data) */
static void mix_hash(u8 hash[NOISE_HASH_LEN], const u8 *data, size_t len)
{
	struct wg_blake2s_state st;

	wg_blake2s_init(&st, NOISE_HASH_LEN);
	wg_blake2s_update(&st, hash, NOISE_HASH_LEN);
	wg_blake2s_update(&st, data, len);
	wg_blake2s_final(&st, hash);
}

/* (ck, key) = KDF2(ck, DH(private, public)); key may be NULL (KDF1). */
static bool __must_check mix_dh(u8 chaining_key[NOISE_HASH_LEN],
				u8 key[NOISE_SYMMETRIC_KEY_LEN],
				const u8 private[NOISE_PUBLIC_KEY_LEN],
				const u8 public[NOISE_PUBLIC_KEY_LEN])
{
	u8 shared[NOISE_PUBLIC_KEY_LEN];

	if (unlikely(!wg_curve25519(shared, private, public))) {
		memzero_explicit(shared, sizeof(shared));
		return false;
	}
	kdf(chaining_key, key, NULL, shared, NOISE_PUBLIC_KEY_LEN, chaining_key);
	memzero_explicit(shared, sizeof(shared));
	return true;
}

static bool __must_check mix_precomputed_dh(u8 chaining_key[NOISE_HASH_LEN],
					    u8 key[NOISE_SYMMETRIC_KEY_LEN],
					    const u8 shared[NOISE_PUBLIC_KEY_LEN])
{
	if (unlikely(key_is_zero(shared)))
		return false;
	kdf(chaining_key, key, NULL, shared, NOISE_PUBLIC_KEY_LEN, chaining_key);
	return true;
}

/* (ck, t, key) = KDF3(ck, psk); h = HASH(h || t) */
static void mix_psk(u8 chaining_key[NOISE_HASH_LEN], u8 hash[NOISE_HASH_LEN],
		    u8 key[NOISE_SYMMETRIC_KEY_LEN],
		    const u8 psk[NOISE_SYMMETRIC_KEY_LEN])
{
	u8 tau[NOISE_HASH_LEN];

	kdf(chaining_key, tau, key, psk, NOISE_SYMMETRIC_KEY_LEN, chaining_key);
	mix_hash(hash, tau, NOISE_HASH_LEN);
	memzero_explicit(tau, sizeof(tau));
}

static void handshake_start(u8 chaining_key[NOISE_HASH_LEN],
			    u8 hash[NOISE_HASH_LEN],
			    const u8 responder_static[NOISE_PUBLIC_KEY_LEN])
{
	memcpy(chaining_key, initial_chaining_key, NOISE_HASH_LEN);
	memcpy(hash, initial_hash, NOISE_HASH_LEN);
	mix_hash(hash, responder_static, NOISE_PUBLIC_KEY_LEN);
}

/* dst = AEAD(key, 0, src, h); h = HASH(h || dst) */
static void message_encrypt(u8 *dst, const u8 *src, size_t src_len,
			    u8 key[NOISE_SYMMETRIC_KEY_LEN],
			    u8 hash[NOISE_HASH_LEN])
{
	wg_chacha20poly1305_encrypt(dst, src, src_len, hash, NOISE_HASH_LEN, 0,
				    key);
	mix_hash(hash, dst, noise_encrypted_len(src_len));
}

static bool __must_check message_decrypt(u8 *dst, const u8 *src,
					 size_t src_len,
					 u8 key[NOISE_SYMMETRIC_KEY_LEN],
					 u8 hash[NOISE_HASH_LEN])
{
	if (!wg_chacha20poly1305_decrypt(dst, src, src_len, hash,
					 NOISE_HASH_LEN, 0, key))
		return false;
	mix_hash(hash, src, src_len);
	return true;
}

/* The ephemeral public key goes into both h and ck. */
static void message_ephemeral(u8 dst[NOISE_PUBLIC_KEY_LEN],
			      const u8 src[NOISE_PUBLIC_KEY_LEN],
			      u8 chaining_key[NOISE_HASH_LEN],
			      u8 hash[NOISE_HASH_LEN])
{
	if (dst != src)
		memcpy(dst, src, NOISE_PUBLIC_KEY_LEN);
	mix_hash(hash, src, NOISE_PUBLIC_KEY_LEN);
	kdf(chaining_key, NULL, NULL, src, NOISE_PUBLIC_KEY_LEN, chaining_key);
}

static bool __must_check new_ephemeral(u8 private[NOISE_PUBLIC_KEY_LEN],
				       u8 public[NOISE_PUBLIC_KEY_LEN])
{
	get_random_bytes(private, NOISE_PUBLIC_KEY_LEN);
	wg_curve25519_clamp_secret(private);
	return wg_curve25519_generate_public(public, private);
}

/* TAI64N of now.  The nanoseconds are rounded down so that the timestamp
 * does not leak fine-grained clock information; the granularity is still
 * below the initiation flood limit.
 */
static void tai64n_now(u8 out[NOISE_TIMESTAMP_LEN])
{
	struct timespec64 now;
	unsigned long step;

	ktime_get_real_ts64(&now);
	step = rounddown_pow_of_two(NSEC_PER_SEC / INITIATIONS_PER_SECOND);
	now.tv_nsec = ALIGN_DOWN(now.tv_nsec, step);
	put_unaligned_be64(0x400000000000000aULL + now.tv_sec, out);
	put_unaligned_be32(now.tv_nsec, out + sizeof(u64));
}

bool wg_noise_handshake_create_initiation(struct wg_msg_initiation *dst,
					  struct noise_handshake *handshake)
{
	u8 timestamp[NOISE_TIMESTAMP_LEN];
	u8 key[NOISE_SYMMETRIC_KEY_LEN];
	bool ret = false;

	down_read(&handshake->static_identity->lock);
	down_write(&handshake->lock);

	if (unlikely(!handshake->static_identity->has_identity ||
		     handshake_peer_dead(handshake)))
		goto out;

	dst->hdr.type = cpu_to_le32(WG_MSG_INITIATION);
	handshake_start(handshake->chaining_key, handshake->hash,
			handshake->remote_static);

	/* e */
	if (!new_ephemeral(handshake->ephemeral_secret,
			   dst->ephemeral))
		goto out;
	message_ephemeral(dst->ephemeral,
			  dst->ephemeral, handshake->chaining_key,
			  handshake->hash);

	/* es */
	if (!mix_dh(handshake->chaining_key, key, handshake->ephemeral_secret,
		    handshake->remote_static))
		goto out;

	/* s */
	message_encrypt(dst->sealed_static,
			handshake->static_identity->static_public,
			NOISE_PUBLIC_KEY_LEN, key, handshake->hash);

	/* ss */
	if (!mix_precomputed_dh(handshake->chaining_key, key,
				handshake->static_static_dh))
		goto out;

	/* {t} */
	tai64n_now(timestamp);
	message_encrypt(dst->sealed_timestamp, timestamp,
			NOISE_TIMESTAMP_LEN, key, handshake->hash);

	dst->sender = wg_registry_assign(handshake_registry(handshake),
					 &handshake->entry);
	handshake->state = NOISE_HS_INITIATION_CREATED;
	ret = true;
out:
	if (!ret)
		handshake_zero(handshake);
	up_write(&handshake->lock);
	up_read(&handshake->static_identity->lock);
	memzero_explicit(key, sizeof(key));
	memzero_explicit(timestamp, sizeof(timestamp));
	return ret;
}

struct wg_peer *
wg_noise_handshake_consume_initiation(struct wg_msg_initiation *src,
				      struct wg_device *wg)
{
	struct noise_static_identity *identity = &wg->static_identity;
	u8 chaining_key[NOISE_HASH_LEN], hash[NOISE_HASH_LEN];
	u8 s[NOISE_PUBLIC_KEY_LEN], e[NOISE_PUBLIC_KEY_LEN];
	u8 t[NOISE_TIMESTAMP_LEN];
	u8 key[NOISE_SYMMETRIC_KEY_LEN];
	struct noise_handshake *handshake;
	struct wg_peer *peer = NULL, *ret = NULL;
	bool replay, flood;
	u64 now;

	down_read(&identity->lock);
	if (unlikely(!identity->has_identity))
		goto out;

	handshake_start(chaining_key, hash, identity->static_public);

	/* e */
	message_ephemeral(e, src->ephemeral, chaining_key, hash);

	/* es */
	if (!mix_dh(chaining_key, key, identity->static_private, e))
		goto out;

	/* s */
	if (!message_decrypt(s, src->sealed_static,
			     sizeof(src->sealed_static), key, hash))
		goto out;

	peer = wg_registry_peer_by_key(wg->registry, s);
	if (!peer)
		goto out;
	handshake = &peer->handshake;

	down_write(&handshake->lock);
	/* ss */
	if (!mix_precomputed_dh(chaining_key, key,
				handshake->static_static_dh))
		goto out_unlock;

	/* {t} */
	if (!message_decrypt(t, src->sealed_timestamp,
			     sizeof(src->sealed_timestamp), key, hash))
		goto out_unlock;

	/* Big-endian TAI64N: memcmp orders timestamps. */
	replay = memcmp(t, handshake->newest_timestamp,
			NOISE_TIMESTAMP_LEN) <= 0;
	now = ktime_get_coarse_boottime_ns();
	flood = handshake->last_initiation_consumption &&
		(s64)(handshake->last_initiation_consumption +
		      NSEC_PER_SEC / INITIATIONS_PER_SECOND) > (s64)now;
	if (replay || flood)
		goto out_unlock;

	memcpy(handshake->remote_ephemeral, e, NOISE_PUBLIC_KEY_LEN);
	memcpy(handshake->newest_timestamp, t, NOISE_TIMESTAMP_LEN);
	memcpy(handshake->hash, hash, NOISE_HASH_LEN);
	memcpy(handshake->chaining_key, chaining_key, NOISE_HASH_LEN);
	handshake->remote_index = src->sender;
	handshake->last_initiation_consumption = now;
	handshake->state = NOISE_HS_INITIATION_CONSUMED;
	ret = peer;
out_unlock:
	up_write(&handshake->lock);
out:
	memzero_explicit(key, sizeof(key));
	memzero_explicit(hash, sizeof(hash));
	memzero_explicit(chaining_key, sizeof(chaining_key));
	memzero_explicit(e, sizeof(e));
	up_read(&identity->lock);
	if (!ret && peer)
		wg_peer_put(peer);
	return ret;
}

bool wg_noise_handshake_create_response(struct wg_msg_response *dst,
					struct noise_handshake *handshake)
{
	u8 key[NOISE_SYMMETRIC_KEY_LEN];
	bool ret = false;

	down_read(&handshake->static_identity->lock);
	down_write(&handshake->lock);

	if (handshake->state != NOISE_HS_INITIATION_CONSUMED ||
	    handshake_peer_dead(handshake))
		goto out;

	dst->hdr.type = cpu_to_le32(WG_MSG_RESPONSE);
	dst->receiver = handshake->remote_index;

	/* e */
	if (!new_ephemeral(handshake->ephemeral_secret,
			   dst->ephemeral))
		goto out;
	message_ephemeral(dst->ephemeral,
			  dst->ephemeral, handshake->chaining_key,
			  handshake->hash);

	/* ee */
	if (!mix_dh(handshake->chaining_key, NULL, handshake->ephemeral_secret,
		    handshake->remote_ephemeral))
		goto out;

	/* se */
	if (!mix_dh(handshake->chaining_key, NULL, handshake->ephemeral_secret,
		    handshake->remote_static))
		goto out;

	/* psk */
	mix_psk(handshake->chaining_key, handshake->hash, key,
		handshake->preshared_key);

	/* {} */
	message_encrypt(dst->sealed_empty, NULL, 0, key, handshake->hash);

	dst->sender = wg_registry_assign(handshake_registry(handshake),
					 &handshake->entry);
	handshake->state = NOISE_HS_RESPONSE_CREATED;
	ret = true;
out:
	if (!ret)
		handshake_zero(handshake);
	up_write(&handshake->lock);
	up_read(&handshake->static_identity->lock);
	memzero_explicit(key, sizeof(key));
	return ret;
}

/* The initiator's secrets while a response is checked: a private copy,
 * so that no handshake lock is held across the two DH operations.  Wiped
 * as a whole when the check ends, whatever its outcome.
 */
struct response_check {
	u8 chaining_key[NOISE_HASH_LEN];
	u8 hash[NOISE_HASH_LEN];
	u8 ephemeral_secret[NOISE_PUBLIC_KEY_LEN];
	u8 static_private[NOISE_PUBLIC_KEY_LEN];
	u8 preshared_key[NOISE_SYMMETRIC_KEY_LEN];
	u8 remote_ephemeral[NOISE_PUBLIC_KEY_LEN];
	u8 key[NOISE_SYMMETRIC_KEY_LEN];
};

/* Identity lock held for reading.  Returns the state the copy was taken in. */
static enum noise_handshake_state
response_check_load(struct response_check *rc,
		    struct noise_handshake *handshake,
		    const struct noise_static_identity *identity)
{
	enum noise_handshake_state state;

	down_read(&handshake->lock);
	state = handshake->state;
	memcpy(rc->hash, handshake->hash, NOISE_HASH_LEN);
	memcpy(rc->chaining_key, handshake->chaining_key, NOISE_HASH_LEN);
	memcpy(rc->ephemeral_secret, handshake->ephemeral_secret,
	       NOISE_PUBLIC_KEY_LEN);
	memcpy(rc->preshared_key, handshake->preshared_key,
	       NOISE_SYMMETRIC_KEY_LEN);
	up_read(&handshake->lock);
	memcpy(rc->static_private, identity->static_private,
	       NOISE_PUBLIC_KEY_LEN);
	return state;
}

/* The responder's tokens, e ee se psk {}, against the copy. */
static bool response_check_tokens(struct response_check *rc,
				  const struct wg_msg_response *src)
{
	u8 empty[1];

	message_ephemeral(rc->remote_ephemeral, src->ephemeral,
			  rc->chaining_key, rc->hash);
	if (!mix_dh(rc->chaining_key, NULL, rc->ephemeral_secret,
		    rc->remote_ephemeral))
		return false;
	if (!mix_dh(rc->chaining_key, NULL, rc->static_private,
		    rc->remote_ephemeral))
		return false;
	mix_psk(rc->chaining_key, rc->hash, rc->key, rc->preshared_key);
	return message_decrypt(empty, src->sealed_empty,
			       sizeof(src->sealed_empty), rc->key, rc->hash);
}

/* Publish a checked response, unless another response or a new
 * initiation changed the handshake while the check ran unlocked.
 */
static bool response_check_commit(const struct response_check *rc,
				  struct noise_handshake *handshake,
				  const struct wg_msg_response *src,
				  enum noise_handshake_state loaded)
{
	bool unchanged;

	down_write(&handshake->lock);
	unchanged = handshake->state == loaded &&
		  handshake->entry.id == src->receiver;
	if (unchanged) {
		memcpy(handshake->remote_ephemeral, rc->remote_ephemeral,
		       NOISE_PUBLIC_KEY_LEN);
		memcpy(handshake->hash, rc->hash, NOISE_HASH_LEN);
		memcpy(handshake->chaining_key, rc->chaining_key,
		       NOISE_HASH_LEN);
		handshake->remote_index = src->sender;
		handshake->state = NOISE_HS_RESPONSE_CONSUMED;
	}
	up_write(&handshake->lock);
	return unchanged;
}

struct wg_peer *
wg_noise_handshake_consume_response(struct wg_msg_response *src,
				    struct wg_device *wg)
{
	struct noise_static_identity *identity = &wg->static_identity;
	enum noise_handshake_state loaded;
	struct noise_handshake *handshake;
	struct response_check rc;
	struct wg_reg_entry *entry;
	struct wg_peer *peer = NULL;
	bool good = false;

	down_read(&identity->lock);
	if (unlikely(!identity->has_identity))
		goto out;
	entry = wg_registry_find(wg->registry, src->receiver,
				 WG_REG_HANDSHAKE, &peer);
	if (!entry)
		goto out;
	handshake = container_of(entry, struct noise_handshake, entry);

	loaded = response_check_load(&rc, handshake, identity);
	good = loaded == NOISE_HS_INITIATION_CREATED &&
	       response_check_tokens(&rc, src) &&
	       response_check_commit(&rc, handshake, src, loaded);
	memzero_explicit(&rc, sizeof(rc));
	if (!good) {
		wg_peer_put(peer);
		peer = NULL;
	}
out:
	up_read(&identity->lock);
	return peer;
}

static struct noise_keypair *keypair_create(struct wg_peer *peer)
{
	struct noise_keypair *keypair;

	if (wg_debug_fail_keypair_alloc())
		return NULL;
	keypair = kzalloc(sizeof(*keypair), GFP_KERNEL);
	if (unlikely(!keypair))
		return NULL;
	spin_lock_init(&keypair->receiving_counter.lock);
	kref_init(&keypair->refcount);
	wg_reg_entry_init(&keypair->entry, WG_REG_SESSION, peer);
	keypair->internal_id = atomic64_inc_return(&keypair_counter);
	return keypair;
}

bool wg_noise_handshake_begin_session(struct noise_handshake *handshake,
				      struct noise_keypairs *keypairs)
{
	struct wg_peer *peer = handshake->entry.peer;
	struct noise_keypair *new_keypair;
	struct noise_symmetric_key *first, *second;
	bool ret = false;
	u64 now;

	down_write(&handshake->lock);
	if (handshake->state != NOISE_HS_RESPONSE_CREATED &&
	    handshake->state != NOISE_HS_RESPONSE_CONSUMED)
		goto out;

	new_keypair = keypair_create(peer);
	if (unlikely(!new_keypair)) {
		/* No session: the handshake and its index go, as on success. */
		wg_registry_release(handshake_registry(handshake),
				    &handshake->entry);
		handshake_zero(handshake);
		goto out;
	}
	new_keypair->i_am_the_initiator =
		handshake->state == NOISE_HS_RESPONSE_CONSUMED;
	new_keypair->remote_index = handshake->remote_index;

	/* (T_send_i = T_recv_r, T_recv_i = T_send_r) = KDF2(ck, empty) */
	if (new_keypair->i_am_the_initiator) {
		first = &new_keypair->sending;
		second = &new_keypair->receiving;
	} else {
		first = &new_keypair->receiving;
		second = &new_keypair->sending;
	}
	kdf(first->key, second->key, NULL, NULL, 0, handshake->chaining_key);
	now = ktime_get_coarse_boottime_ns();
	first->birthdate = now;
	second->birthdate = now;
	first->is_valid = true;
	second->is_valid = true;
	wg_replay_counter_init(&new_keypair->receiving_counter);
	atomic64_set(&new_keypair->sending_counter, 0);

	handshake_zero(handshake);

	spin_lock_bh(&keypairs->keypair_update_lock);
	if (likely(!READ_ONCE(peer->is_dead))) {
		/* The session takes over the handshake's receiver index. */
		if (wg_registry_hand_over(handshake_registry(handshake),
					  &handshake->entry,
					  &new_keypair->entry)) {
			add_new_keypair(keypairs, new_keypair);
			ret = true;
		}
	}
	spin_unlock_bh(&keypairs->keypair_update_lock);
	if (ret) {
		pr_debug("%s: Keypair %llu created\n",
			 peer->device->dev->name, new_keypair->internal_id);
	} else {
		wg_registry_release(handshake_registry(handshake),
				    &handshake->entry);
		kfree_sensitive(new_keypair);
	}
out:
	up_write(&handshake->lock);
	return ret;
}
