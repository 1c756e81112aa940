// SPDX-License-Identifier: GPL-2.0
/*
 * mac1, mac2 and cookie replies (WireGuard paper, section 5.4.4 and 5.4.7).
 *
 * mac1 = MAC(HASH("mac1----" || receiver's static public key), message up
 *            to mac1): proves the sender knows whom it is talking to.
 * mac2 = MAC(cookie, message up to mac2), where the responder's
 *        cookie = MAC(secret, source IP || source port) and secret is
 *        random, replaced every COOKIE_SECRET_MAX_AGE seconds.
 * A cookie reply carries the cookie encrypted with XChaCha20-Poly1305
 * under HASH("cookie--" || responder's static public key), with a random
 * nonce, and the mac1 of the message it answers as additional data.
 * MAC is keyed BLAKE2s with a 16-byte output, HASH plain BLAKE2s-256.
 */

#include "cookie.h"
#include "peer.h"
#include "device.h"
#include "messages.h"
#include "ratelimiter.h"

#include <crypto/algapi.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>

#define LABEL_LEN 8
static const char mac1_label[] = "mac1----";
static const char cookie_label[] = "cookie--";

/* Ages are compared in protocol time (see wg_birthdate_has_expired()). */
static inline u64 cookie_clock(void)
{
	return ktime_get_coarse_boottime_ns();
}

/* HASH(label || public key) */
static void derive_key(u8 key[NOISE_SYMMETRIC_KEY_LEN], const char *label,
		       const u8 pubkey[NOISE_PUBLIC_KEY_LEN])
{
	struct wg_blake2s_state state;

	wg_blake2s_init(&state, NOISE_SYMMETRIC_KEY_LEN);
	wg_blake2s_update(&state, (const u8 *)label, LABEL_LEN);
	wg_blake2s_update(&state, pubkey, NOISE_PUBLIC_KEY_LEN);
	wg_blake2s_final(&state, key);
}

void wg_cookie_checker_init(struct cookie_checker *checker,
			    struct wg_device *wg)
{
	init_rwsem(&checker->secret_lock);
	checker->secret_birthdate = cookie_clock();
	get_random_bytes(checker->secret, NOISE_HASH_LEN);
	memset(checker->cookie_encryption_key, 0,
	       sizeof(checker->cookie_encryption_key));
	memset(checker->message_mac1_key, 0, sizeof(checker->message_mac1_key));
	checker->device = wg;
}

/* Called whenever the device's static identity changes, with
 * static_identity.lock held for writing.
 */
void wg_cookie_checker_precompute_device_keys(struct cookie_checker *checker)
{
	struct noise_static_identity *id = &checker->device->static_identity;

	down_write(&checker->secret_lock);
	if (id->has_identity) {
		derive_key(checker->cookie_encryption_key, cookie_label,
			   id->static_public);
		derive_key(checker->message_mac1_key, mac1_label,
			   id->static_public);
	} else {
		memzero_explicit(checker->cookie_encryption_key,
				 NOISE_SYMMETRIC_KEY_LEN);
		memzero_explicit(checker->message_mac1_key,
				 NOISE_SYMMETRIC_KEY_LEN);
	}
	up_write(&checker->secret_lock);
}

void wg_cookie_checker_uninit(struct cookie_checker *checker)
{
	down_write(&checker->secret_lock);
	memzero_explicit(checker->secret, NOISE_HASH_LEN);
	memzero_explicit(checker->cookie_encryption_key,
			 NOISE_SYMMETRIC_KEY_LEN);
	memzero_explicit(checker->message_mac1_key, NOISE_SYMMETRIC_KEY_LEN);
	checker->secret_birthdate = 0;
	up_write(&checker->secret_lock);
}

void wg_cookie_checker_precompute_peer_keys(struct wg_peer *peer)
{
	struct cookie *cookie = &peer->latest_cookie;

	down_write(&cookie->lock);
	derive_key(cookie->cookie_decryption_key, cookie_label,
		   peer->handshake.remote_static);
	derive_key(cookie->message_mac1_key, mac1_label,
		   peer->handshake.remote_static);
	up_write(&cookie->lock);
}

void wg_cookie_init(struct cookie *cookie)
{
	memset(cookie, 0, sizeof(*cookie));
	init_rwsem(&cookie->lock);
}

/* The messages carrying macs end with them. */
static inline struct wg_msg_macs *macs_of(void *message, size_t len)
{
	return message + len - sizeof(struct wg_msg_macs);
}

static void compute_mac1(u8 mac1[COOKIE_LEN], const void *message, size_t len,
			 const u8 key[NOISE_SYMMETRIC_KEY_LEN])
{
	wg_blake2s(mac1, message, key, COOKIE_LEN,
		   len - sizeof(struct wg_msg_macs), NOISE_SYMMETRIC_KEY_LEN);
}

static void compute_mac2(u8 mac2[COOKIE_LEN], const void *message, size_t len,
			 const u8 cookie[COOKIE_LEN])
{
	wg_blake2s(mac2, message, cookie, COOKIE_LEN,
		   len - sizeof(struct wg_msg_macs) + COOKIE_LEN, COOKIE_LEN);
}

/* The cookie of the outer source of skb under the current secret, which
 * is renewed first if it is too old.
 */
static void make_cookie(u8 cookie[COOKIE_LEN], struct sk_buff *skb,
			struct cookie_checker *checker)
{
	struct wg_blake2s_state state;

	down_read(&checker->secret_lock);
	if (unlikely(wg_birthdate_has_expired(checker->secret_birthdate,
					      COOKIE_SECRET_MAX_AGE))) {
		up_read(&checker->secret_lock);
		down_write(&checker->secret_lock);
		if (wg_birthdate_has_expired(checker->secret_birthdate,
					     COOKIE_SECRET_MAX_AGE)) {
			get_random_bytes(checker->secret, NOISE_HASH_LEN);
			checker->secret_birthdate = cookie_clock();
		}
		downgrade_write(&checker->secret_lock);
	}

	wg_blake2s_init_key(&state, COOKIE_LEN, checker->secret,
			    NOISE_HASH_LEN);
	if (skb->protocol == htons(ETH_P_IP))
		wg_blake2s_update(&state, (const u8 *)&ip_hdr(skb)->saddr,
				  sizeof(struct in_addr));
	else if (skb->protocol == htons(ETH_P_IPV6))
		wg_blake2s_update(&state, (const u8 *)&ipv6_hdr(skb)->saddr,
				  sizeof(struct in6_addr));
	wg_blake2s_update(&state, (const u8 *)&udp_hdr(skb)->source,
			  sizeof(__be16));
	wg_blake2s_final(&state, cookie);
	up_read(&checker->secret_lock);
}

static enum cookie_mac_state validate(struct cookie_checker *checker,
				      struct sk_buff *skb, bool check_cookie,
				      struct net *net)
{
	struct wg_msg_macs *macs;
	u8 computed[COOKIE_LEN];
	u8 cookie[COOKIE_LEN];
	enum cookie_mac_state ret = MACS_INVALID;

	/* The receive path hands us linear handshake messages. */
	if (unlikely(skb->len < sizeof(struct wg_msg_header) +
				 sizeof(struct wg_msg_macs) ||
		     skb_headlen(skb) < skb->len))
		return MACS_INVALID;
	macs = macs_of(skb->data, skb->len);

	down_read(&checker->secret_lock);
	compute_mac1(computed, skb->data, skb->len,
		     checker->message_mac1_key);
	up_read(&checker->secret_lock);
	if (crypto_memneq(computed, macs->mac1, COOKIE_LEN))
		goto out;

	ret = MAC1_VALID;
	if (!check_cookie)
		goto out;

	make_cookie(cookie, skb, checker);
	compute_mac2(computed, skb->data, skb->len, cookie);
	memzero_explicit(cookie, COOKIE_LEN);
	if (crypto_memneq(computed, macs->mac2, COOKIE_LEN))
		goto out;

	ret = MAC2_VALID_RATELIMITED;
	if (!wg_ratelimiter_allow(skb, net))
		goto out;
	ret = MAC2_VALID;
out:
	memzero_explicit(computed, COOKIE_LEN);
	return ret;
}

enum cookie_mac_state wg_cookie_validate_packet(struct cookie_checker *checker,
						struct sk_buff *skb,
						bool check_cookie)
{
	struct wg_device *wg = checker->device;
	struct net *net = READ_ONCE(wg->creating_net);

	/* Buckets by the sockets' namespace, as on the receive path. */
	return validate(checker, skb, check_cookie, net ?: dev_net(wg->dev));
}

void wg_cookie_add_mac_to_packet(void *message, size_t len,
				 struct wg_peer *peer)
{
	struct wg_msg_macs *macs = macs_of(message, len);
	struct cookie *cookie = &peer->latest_cookie;

	down_write(&cookie->lock);
	compute_mac1(macs->mac1, message, len, cookie->message_mac1_key);
	memcpy(cookie->last_mac1_sent, macs->mac1, COOKIE_LEN);
	cookie->have_sent_mac1 = true;

	/* A cookie is used while the responder surely still holds the
	 * secret it came from: up to COOKIE_SECRET_LATENCY seconds before
	 * that secret is replaced.
	 */
	if (cookie->is_valid &&
	    !wg_birthdate_has_expired(cookie->birthdate,
			    COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY))
		compute_mac2(macs->mac2, message, len, cookie->cookie);
	else
		memset(macs->mac2, 0, COOKIE_LEN);
	up_write(&cookie->lock);
}

void wg_cookie_message_create(struct wg_msg_cookie_reply *dst,
			      struct sk_buff *skb, __le32 index,
			      struct cookie_checker *checker)
{
	struct wg_msg_macs *macs = macs_of(skb->data, skb->len);
	u8 cookie[COOKIE_LEN];

	dst->hdr.type = cpu_to_le32(WG_MSG_COOKIE_REPLY);
	dst->receiver = index;
	get_random_bytes(dst->nonce, COOKIE_NONCE_LEN);

	make_cookie(cookie, skb, checker);
	down_read(&checker->secret_lock);
	wg_xchacha20poly1305_encrypt(dst->sealed_cookie, cookie, COOKIE_LEN,
				     macs->mac1, COOKIE_LEN, dst->nonce,
				     checker->cookie_encryption_key);
	up_read(&checker->secret_lock);
	memzero_explicit(cookie, COOKIE_LEN);
}

/* Decrypt and keep the cookie of a reply to what we sent peer. */
static bool consume_for_peer(struct wg_msg_cookie_reply *src,
			     struct wg_peer *peer)
{
	struct cookie *cookie = &peer->latest_cookie;
	u8 value[COOKIE_LEN];
	bool ok;

	down_write(&cookie->lock);
	ok = cookie->have_sent_mac1 &&
	     wg_xchacha20poly1305_decrypt(value, src->sealed_cookie,
					  sizeof(src->sealed_cookie),
					  cookie->last_mac1_sent, COOKIE_LEN,
					  src->nonce,
					  cookie->cookie_decryption_key);
	if (ok) {
		memcpy(cookie->cookie, value, COOKIE_LEN);
		cookie->birthdate = cookie_clock();
		cookie->is_valid = true;
		/* One reply per message we sent. */
		cookie->have_sent_mac1 = false;
	}
	up_write(&cookie->lock);
	memzero_explicit(value, COOKIE_LEN);
	return ok;
}

struct wg_peer *wg_cookie_message_consume(struct wg_msg_cookie_reply *src,
					  struct wg_device *wg)
{
	struct wg_reg_entry *entry;
	struct wg_peer *peer = NULL;
	bool ok, handshake;

	/* The lookup pins the peer, not the entry: a keypair's entry may be
	 * freed once the read section ends, so its type is read inside.
	 */
	rcu_read_lock_bh();
	entry = wg_registry_find(wg->registry, src->receiver,
				 WG_REG_HANDSHAKE | WG_REG_SESSION, &peer);
	handshake = entry && entry->kind == WG_REG_HANDSHAKE;
	rcu_read_unlock_bh();
	if (unlikely(!entry))
		return NULL;

	ok = consume_for_peer(src, peer);
	if (ok)
		net_dbg_ratelimited("%s: Receiving cookie response from peer %llu\n",
				    wg->dev->name, peer->internal_id);
	else
		net_dbg_ratelimited("%s: Could not decrypt invalid cookie response from peer %llu\n",
				    wg->dev->name, peer->internal_id);
	if (ok && handshake)
		return peer;
	wg_peer_put(peer);
	return NULL;
}

#ifdef WG_DEBUG
#include "selftest/cookie.c"
#endif
