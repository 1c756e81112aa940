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

/*
 * The device side: answers floods with cookies.
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

/*
 * The peer side: the cookie we last received from this peer and the keys
 * to talk to it.  The keys are written by
 * wg_cookie_checker_precompute_peer_keys() (when the peer is created,
 * under device_update_lock); everything, keys included, is read and
 * written under lock (rwsem, process context: handshake workers).  The
 * peer's owner wipes the whole structure when the peer is freed.
 */
struct cookie {
	u64 birthdate;			/* ktime_get_coarse_boottime_ns() */
	bool is_valid;
	u8 cookie[COOKIE_LEN];
	bool have_sent_mac1;
	u8 last_mac1_sent[COOKIE_LEN];
	u8 cookie_decryption_key[NOISE_SYMMETRIC_KEY_LEN];
	u8 message_mac1_key[NOISE_SYMMETRIC_KEY_LEN];
	struct rw_semaphore lock;
};

enum cookie_mac_state {
	INVALID_MAC,
	VALID_MAC_BUT_NO_COOKIE,
	VALID_MAC_WITH_COOKIE_BUT_RATELIMITED,
	VALID_MAC_WITH_COOKIE
};

void wg_cookie_checker_init(struct cookie_checker *checker,
			    struct wg_device *wg);
void wg_cookie_checker_precompute_device_keys(struct cookie_checker *checker);
/* Wipes the secret and keys (device teardown, no user left). */
void wg_cookie_checker_uninit(struct cookie_checker *checker);
void wg_cookie_checker_precompute_peer_keys(struct wg_peer *peer);
void wg_cookie_init(struct cookie *cookie);

/*
 * skb: a handshake message (initiation or response) with its network and
 * transport headers set.  Sleeps (rwsems): handshake worker context.
 */
enum cookie_mac_state wg_cookie_validate_packet(struct cookie_checker *checker,
						struct sk_buff *skb,
						bool check_cookie);
/* message: a handshake message of len bytes ending with struct wg_msg_macs. */
void wg_cookie_add_mac_to_packet(void *message, size_t len,
				 struct wg_peer *peer);

void wg_cookie_message_create(struct wg_msg_cookie_reply *dst,
			      struct sk_buff *skb, __le32 index,
			      struct cookie_checker *checker);
/*
 * Takes the cookie from a reply.  Returns the peer, referenced, when the
 * reply answered an initiation still in flight (the caller retries it with
 * mac2 and drops the reference); NULL otherwise.
 */
struct wg_peer *wg_cookie_message_consume(struct wg_msg_cookie_reply *src,
					  struct wg_device *wg);

#ifdef WG_DEBUG
bool wg_cookie_selftest(void);
#endif

#endif /* _WG_COOKIE_H */
