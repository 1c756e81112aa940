/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mac1/mac2 fields of handshake messages and cookie replies, the
 * protocol's defence against handshake floods.
 */
#ifndef _WG_COOKIE_H
#define _WG_COOKIE_H

#include "messages.h"

#include <linux/rwsem.h>
#include <linux/types.h>

struct wg_peer;
struct wg_device;
struct sk_buff;

/* The device side: answers floods with cookies.
 *
 * Locking: secret_lock (rwsem, process context: handshake workers and
 * netlink) protects everything but device, which is immutable.  Readers
 * (mac1 checks, cookie computation, cookie replies) hold it for reading;
 * the keys are written by wg_cookie_checker_precompute_device_keys()
 * (its caller also holds static_identity.lock for writing) and the
 * secret is renewed every COOKIE_SECRET_MAX_AGE seconds, both for
 * writing.  secret, and the keys, are secrets: they are wiped with
 * memzero_explicit() when replaced or by wg_cookie_checker_uninit().
 */
struct cookie_checker {
	u8 secret[NOISE_HASH_LEN];
	u8 cookie_encryption_key[NOISE_SYMMETRIC_KEY_LEN];
	u8 message_mac1_key[NOISE_SYMMETRIC_KEY_LEN];
	u64 secret_birthdate;		/* ktime_get_coarse_boottime_ns() */
	struct rw_semaphore secret_lock;
	struct wg_device *device;
};

/* The peer side: what we need to put mac1 and mac2 on the handshake
 * messages we send to one peer, and to accept its cookie replies.  All of
 * it, the keys included, is read and written under lock (rwsem, process
 * context: handshake workers); the keys are written once, by
 * wg_cookie_checker_precompute_peer_keys() when the peer is created (under
 * device_update_lock).  The peer's owner wipes the whole structure when
 * the peer is freed.
 */
struct cookie {
	struct rw_semaphore lock;

	/* Derived from the peer's public key. */
	u8 message_mac1_key[NOISE_SYMMETRIC_KEY_LEN];
	u8 cookie_decryption_key[NOISE_SYMMETRIC_KEY_LEN];

	/* The mac1 of the last handshake message we sent: a cookie reply is
	 * accepted only if sealed with it as associated data, and only once.
	 */
	u8 last_mac1_sent[COOKIE_LEN];
	bool have_sent_mac1;

	/* The cookie of the last accepted reply, keying our mac2 until it is
	 * COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY old.
	 */
	u8 cookie[COOKIE_LEN];
	u64 birthdate;			/* ktime_get_coarse_boottime_ns() */
	bool is_valid;
};

/* What wg_cookie_validate_packet() found, from worst to best.  A message
 * must reach MAC1_VALID to be looked at; under load it must reach
 * MAC2_VALID (otherwise the sender gets a cookie reply).
 */
enum cookie_mac_state {
	MACS_INVALID,			/* mac1 wrong, or no room for macs */
	MAC1_VALID,			/* mac2 wrong, absent or not checked */
	MAC2_VALID_RATELIMITED,		/* ...but its source is over its rate */
	MAC2_VALID,
};

/* The device side: set up and torn down with the device. */
void wg_cookie_checker_init(struct cookie_checker *checker,
			    struct wg_device *wg);
/* Wipes the secret and keys (device teardown, no user left). */
void wg_cookie_checker_uninit(struct cookie_checker *checker);
/* Rederives the keys after the device's identity changed. */
void wg_cookie_checker_precompute_device_keys(struct cookie_checker *checker);

/* The peer side: set up when the peer is created. */
void wg_cookie_init(struct cookie *cookie);
void wg_cookie_checker_precompute_peer_keys(struct wg_peer *peer);

/* Sending a handshake message: message is len bytes ending with struct
 * wg_msg_macs, which this fills in.
 */
void wg_cookie_add_mac_to_packet(void *message, size_t len,
				 struct wg_peer *peer);

/* Receiving one: skb holds an initiation or response with its network and
 * transport headers set; check_cookie asks for mac2 to be checked too (the
 * device is under load).  Sleeps (rwsems): handshake worker context.
 */
enum cookie_mac_state wg_cookie_validate_packet(struct cookie_checker *checker,
						struct sk_buff *skb,
						bool check_cookie);

/* Answering one under load: fill dst with a cookie for skb's source,
 * addressed to the sender's index.
 */
void wg_cookie_message_create(struct wg_msg_cookie_reply *dst,
			      struct sk_buff *skb, __le32 index,
			      struct cookie_checker *checker);

/* Taking the cookie from a reply.  Returns the peer, referenced, when the
 * reply answered an initiation still in flight (the caller retries it with
 * mac2 and drops the reference); NULL otherwise.
 */
struct wg_peer *wg_cookie_message_consume(struct wg_msg_cookie_reply *src,
					  struct wg_device *wg);

#ifdef WG_DEBUG
bool wg_cookie_selftest(void);
#endif

#endif /* _WG_COOKIE_H */
