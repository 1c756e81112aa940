/* SPDX-License-Identifier: GPL-2.0 */
/*
 * WireGuard on the wire (protocol version 1), and the protocol's numbers.
 *
 * The first half of this header is the wire format: one structure per
 * message, each followed by assertions that pin its size and every field's
 * offset to what the protocol specifies, so that a change here that would
 * break compatibility with other implementations fails to build.  Integers
 * on the wire are little endian.  The second half holds the protocol's
 * constants, grouped by what they govern (key material, time, message
 * counts, this implementation's own resource limits).
 */
#ifndef _WG_MESSAGES_H
#define _WG_MESSAGES_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/param.h>
#include <linux/skbuff.h>
#include <linux/stddef.h>
#include <linux/time64.h>
#include <linux/types.h>

#include "crypto/blake2s.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/curve25519.h"

/* Sizes of the primitives of Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s, in
 * bytes.  A timestamp is TAI64N: 8 bytes of seconds, 4 of nanoseconds,
 * both big endian.
 */
#define NOISE_PUBLIC_KEY_LEN	CURVE25519_KEY_SIZE		/* 32 */
#define NOISE_SYMMETRIC_KEY_LEN	CHACHA20POLY1305_KEY_SIZE	/* 32 */
#define NOISE_HASH_LEN		BLAKE2S_HASH_SIZE		/* 32 */
#define NOISE_AUTHTAG_LEN	CHACHA20POLY1305_AUTHTAG_SIZE	/* 16 */
#define NOISE_TIMESTAMP_LEN	12

/* What an AEAD seal of plain_len bytes occupies: the text and its tag. */
#define noise_encrypted_len(plain_len) (NOISE_AUTHTAG_LEN + (plain_len))

/* mac1, mac2 and cookies are 16-byte keyed BLAKE2s outputs. */
#define COOKIE_LEN		16
/* Cookie replies are sealed with XChaCha20-Poly1305 under a random nonce. */
#define COOKIE_NONCE_LEN	XCHACHA20POLY1305_NONCE_SIZE	/* 24 */

/* --- Wire format ------------------------------------------------------ */

/* The type travels in the first byte of a little-endian 32-bit word whose
 * other three bytes must be zero; it is compared as a whole word, so a
 * message with non-zero reserved bytes is of no known type.
 */
enum wg_msg_type {
	WG_MSG_INITIATION = 1,
	WG_MSG_RESPONSE = 2,
	WG_MSG_COOKIE_REPLY = 3,
	WG_MSG_TRANSPORT = 4,
};

struct wg_msg_header {
	__le32 type;				/* enum wg_msg_type */
};

/* The tail of both handshake messages.  mac1 is keyed by the recipient's
 * public key, mac2 by a cookie (all zero when the sender has none).
 */
struct wg_msg_macs {
	u8 mac1[COOKIE_LEN];
	u8 mac2[COOKIE_LEN];
};

/* Handshake initiation, initiator to responder. */
struct wg_msg_initiation {
	struct wg_msg_header hdr;
	__le32 sender;				/* initiator's index */
	u8 ephemeral[NOISE_PUBLIC_KEY_LEN];	/* in the clear */
	u8 sealed_static[noise_encrypted_len(NOISE_PUBLIC_KEY_LEN)];
	u8 sealed_timestamp[noise_encrypted_len(NOISE_TIMESTAMP_LEN)];
	struct wg_msg_macs macs;
};

static_assert(offsetof(struct wg_msg_initiation, sender) == 4);
static_assert(offsetof(struct wg_msg_initiation, ephemeral) == 8);
static_assert(offsetof(struct wg_msg_initiation, sealed_static) == 40);
static_assert(offsetof(struct wg_msg_initiation, sealed_timestamp) == 88);
static_assert(offsetof(struct wg_msg_initiation, macs.mac1) == 116);
static_assert(offsetof(struct wg_msg_initiation, macs.mac2) == 132);
static_assert(sizeof(struct wg_msg_initiation) == 148);

/* Handshake response, responder to initiator. */
struct wg_msg_response {
	struct wg_msg_header hdr;
	__le32 sender;				/* responder's index */
	__le32 receiver;			/* the initiation's sender */
	u8 ephemeral[NOISE_PUBLIC_KEY_LEN];	/* in the clear */
	u8 sealed_empty[noise_encrypted_len(0)];	/* a bare tag */
	struct wg_msg_macs macs;
};

static_assert(offsetof(struct wg_msg_response, sender) == 4);
static_assert(offsetof(struct wg_msg_response, receiver) == 8);
static_assert(offsetof(struct wg_msg_response, ephemeral) == 12);
static_assert(offsetof(struct wg_msg_response, sealed_empty) == 44);
static_assert(offsetof(struct wg_msg_response, macs.mac1) == 60);
static_assert(offsetof(struct wg_msg_response, macs.mac2) == 76);
static_assert(sizeof(struct wg_msg_response) == 92);

/* Cookie reply, from a responder under load to whoever sent a handshake
 * message; the cookie is sealed with the mac1 of that message as
 * associated data.
 */
struct wg_msg_cookie_reply {
	struct wg_msg_header hdr;
	__le32 receiver;			/* the message's sender */
	u8 nonce[COOKIE_NONCE_LEN];
	u8 sealed_cookie[noise_encrypted_len(COOKIE_LEN)];
};

static_assert(offsetof(struct wg_msg_cookie_reply, receiver) == 4);
static_assert(offsetof(struct wg_msg_cookie_reply, nonce) == 8);
static_assert(offsetof(struct wg_msg_cookie_reply, sealed_cookie) == 32);
static_assert(sizeof(struct wg_msg_cookie_reply) == 64);

/* Transport data: this header, then the sealed (padded) inner packet.  The
 * counter is the AEAD nonce; an empty inner packet is a keepalive.
 */
struct wg_msg_transport {
	struct wg_msg_header hdr;
	__le32 receiver;			/* the session's remote index */
	__le64 counter;
	u8 payload[];
};

static_assert(offsetof(struct wg_msg_transport, receiver) == 4);
static_assert(offsetof(struct wg_msg_transport, counter) == 8);
static_assert(offsetof(struct wg_msg_transport, payload) == 16);
static_assert(sizeof(struct wg_msg_transport) == 16);

/* A transport message carrying plain_len bytes of (padded) inner packet. */
#define message_data_len(plain_len) \
	(sizeof(struct wg_msg_transport) + noise_encrypted_len(plain_len))
/* The shortest one, a keepalive: 32 bytes. */
#define MESSAGE_MINIMUM_LENGTH	message_data_len(0)
/* Inner packets are zero-padded to a multiple of this (up to the MTU). */
#define MESSAGE_PADDING_MULTIPLE 16

/* Room an skb needs in front of a UDP payload we send: an outer IPv6
 * header (the larger of the two), UDP, and the driver-layer padding.  A
 * transport message needs its own header on top, rounded to 4 bytes.
 */
#define SKB_HEADER_LEN \
	(NET_SKB_PAD + sizeof(struct ipv6hdr) + sizeof(struct udphdr))
#define DATA_PACKET_HEAD_ROOM \
	ALIGN(SKB_HEADER_LEN + sizeof(struct wg_msg_transport), 4)

/* Handshake messages go out as AF41 (DSCP 34), ECN bits clear. */
#define HANDSHAKE_DSCP		0x88

/* --- The protocol's constants ---------------------------------------- */

/* Durations, in seconds of protocol time (see wg_proto_ns() below):
 * sessions are renewed after REKEY_AFTER_TIME and unusable after
 * REJECT_AFTER_TIME; an unanswered initiation is repeated every
 * REKEY_TIMEOUT (plus up to a third of a second of jitter) for 90 seconds;
 * KEEPALIVE_TIMEOUT is the passive keepalive delay.  The cookie secret
 * changes every COOKIE_SECRET_MAX_AGE; a cookie is trusted for
 * COOKIE_SECRET_LATENCY less, as the reply may have been in flight.
 */
enum wg_proto_durations {
	REKEY_AFTER_TIME = 120,
	REJECT_AFTER_TIME = 180,
	REKEY_TIMEOUT = 5,
	KEEPALIVE_TIMEOUT = 10,
	COOKIE_SECRET_MAX_AGE = 120,
	COOKIE_SECRET_LATENCY = 5,
};

#define REKEY_TIMEOUT_JITTER_MAX_JIFFIES (HZ / 3)
/* Retransmissions of one initiation before the timers give up. */
#define MAX_TIMER_HANDSHAKES	(90 / REKEY_TIMEOUT)

/* The receive-side replay window (counter.c) is a ring of bitmap words; one
 * word of it is always being recycled, so it accepts COUNTER_WINDOW_SIZE
 * counters behind the highest one seen.
 */
#define COUNTER_BITS_TOTAL	8192
#define COUNTER_REDUNDANT_BITS	BITS_PER_LONG
#define COUNTER_WINDOW_SIZE	(COUNTER_BITS_TOTAL - COUNTER_REDUNDANT_BITS)

/* Message counts per session: renew after 2^60, and never let the counter
 * come close enough to 2^64 that the replay window could wrap.
 */
#define REKEY_AFTER_MESSAGES	BIT_ULL(60)
#define REJECT_AFTER_MESSAGES	(U64_MAX - COUNTER_WINDOW_SIZE - 1)

/* This implementation's limits (not part of the protocol). */
enum wg_limits {
	MAX_PEERS_PER_DEVICE = 1 << 20,
	/* handshake initiations accepted per peer and second */
	INITIATIONS_PER_SECOND = 50,
	/* handshake messages waiting for the device's handshake workers */
	MAX_QUEUED_INCOMING_HANDSHAKES = 4096,
	/* packets held per peer while there is no session */
	MAX_STAGED_PACKETS = 128,
	/* packets in the device's crypt queues and in each peer's queues */
	MAX_QUEUED_PACKETS = 1024,
};

/* Protocol time.  Debug builds divide every protocol duration (rekey,
 * reject, rekey timeout, keepalive, key zeroing, cookie secret age) by the
 * module parameter time_divisor so tests can run minutes of protocol time
 * in seconds.  Use these helpers instead of multiplying the constants.
 */
#ifdef WG_DEBUG
extern unsigned int wg_time_divisor;
#define WG_TIME_DIVISOR (wg_time_divisor ?: 1U)
#else
#define WG_TIME_DIVISOR 1U
#endif

/* A protocol duration of secs seconds, in nanoseconds. */
static inline u64 wg_proto_ns(unsigned int secs)
{
	return (u64)secs * NSEC_PER_SEC / WG_TIME_DIVISOR;
}

/* The same in jiffies (at least one). */
static inline unsigned long wg_proto_jiffies(unsigned int secs)
{
	return max_t(unsigned long, 1, (unsigned long)secs * HZ / WG_TIME_DIVISOR);
}

#endif /* _WG_MESSAGES_H */
