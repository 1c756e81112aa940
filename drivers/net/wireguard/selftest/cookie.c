// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of mac1/mac2 and cookie replies, included by cookie.c in
 * debug builds: one fake device talking to one fake peer that has the
 * device's own public key, both ends in this process.
 */

#include <linux/inet.h>

struct ck_test {
	struct wg_device *wg;
	struct wg_peer *peer;
	struct sk_buff *skb;
	bool ok;
};

#define ck_fail(t, fmt, ...) do {					\
	pr_err("cookie self-test: " fmt "\n", ##__VA_ARGS__);	\
	(t)->ok = false;						\
} while (0)

static const char *const ck_state_names[] = {
	[MACS_INVALID] = "MACS_INVALID",
	[MAC1_VALID] = "MAC1_VALID",
	[MAC2_VALID_RATELIMITED] = "RATELIMITED",
	[MAC2_VALID] = "MAC2_VALID"
};

static void ck_expect(struct ck_test *t, const char *what, bool check_cookie,
		      enum cookie_mac_state want)
{
	enum cookie_mac_state got = validate(&t->wg->cookie_checker, t->skb,
					     check_cookie, &init_net);

	if (got != want)
		ck_fail(t, "%s: %s, expected %s", what, ck_state_names[got],
			ck_state_names[want]);
}

/*
 * A handshake message of len bytes from src:port, with network and
 * transport headers in front of skb->data as the receive path leaves them.
 */
static struct sk_buff *ck_skb(const char *src, u16 port, size_t len)
{
	struct sk_buff *skb = alloc_skb(256 + len, GFP_KERNEL);
	struct udphdr *udp;
	u8 *msg;

	if (!skb)
		return NULL;
	skb_reserve(skb, 128);
	msg = skb_put(skb, len);
	get_random_bytes(msg, len);
	*(__le32 *)msg = cpu_to_le32(len == sizeof(struct wg_msg_initiation) ?
				     WG_MSG_INITIATION :
				     WG_MSG_RESPONSE);
	udp = skb_push(skb, sizeof(*udp));
	memset(udp, 0, sizeof(*udp));
	udp->source = htons(port);
	skb_reset_transport_header(skb);
	if (strchr(src, ':')) {
		struct ipv6hdr *ip6 = skb_push(skb, sizeof(*ip6));

		memset(ip6, 0, sizeof(*ip6));
		in6_pton(src, -1, ip6->saddr.s6_addr, -1, NULL);
		skb->protocol = htons(ETH_P_IPV6);
		skb_reset_network_header(skb);
		skb_pull(skb, sizeof(*ip6) + sizeof(*udp));
	} else {
		struct iphdr *ip4 = skb_push(skb, sizeof(*ip4));

		memset(ip4, 0, sizeof(*ip4));
		in4_pton(src, -1, (u8 *)&ip4->saddr, -1, NULL);
		skb->protocol = htons(ETH_P_IP);
		skb_reset_network_header(skb);
		skb_pull(skb, sizeof(*ip4) + sizeof(*udp));
	}
	return skb;
}

static bool ck_new_skb(struct ck_test *t, const char *src, u16 port,
		       size_t len)
{
	kfree_skb(t->skb);
	t->skb = ck_skb(src, port, len);
	if (!t->skb)
		ck_fail(t, "out of memory");
	return t->skb;
}

static void ck_add_macs(struct ck_test *t)
{
	wg_cookie_add_mac_to_packet(t->skb->data, t->skb->len, t->peer);
}

static bool ck_mac2_is_zero(struct ck_test *t)
{
	return !memchr_inv(macs_of(t->skb->data, t->skb->len)->mac2, 0,
			   COOKIE_LEN);
}

/* mac1, and the source's cookie, computed independently of cookie.c. */
static void ck_check_reference(struct ck_test *t, const u8 *pubkey)
{
	u8 buf[LABEL_LEN + NOISE_PUBLIC_KEY_LEN], key[NOISE_HASH_LEN];
	u8 mac[COOKIE_LEN], src[18];
	struct wg_msg_macs *macs = macs_of(t->skb->data, t->skb->len);
	size_t srclen;

	memcpy(buf, "mac1----", LABEL_LEN);
	memcpy(buf + LABEL_LEN, pubkey, NOISE_PUBLIC_KEY_LEN);
	wg_blake2s(key, buf, NULL, NOISE_HASH_LEN, sizeof(buf), 0);
	wg_blake2s(mac, t->skb->data, key, COOKIE_LEN,
		   (u8 *)macs->mac1 - t->skb->data, NOISE_HASH_LEN);
	if (memcmp(mac, macs->mac1, COOKIE_LEN))
		ck_fail(t, "mac1 differs from HASH(\"mac1----\" || key) MAC");

	if (t->skb->protocol == htons(ETH_P_IP)) {
		memcpy(src, &ip_hdr(t->skb)->saddr, 4);
		srclen = 4;
	} else {
		memcpy(src, &ipv6_hdr(t->skb)->saddr, 16);
		srclen = 16;
	}
	memcpy(src + srclen, &udp_hdr(t->skb)->source, 2);
	wg_blake2s(mac, src, t->wg->cookie_checker.secret, COOKIE_LEN,
		   srclen + 2, NOISE_HASH_LEN);
	if (!t->peer->latest_cookie.is_valid ||
	    memcmp(mac, t->peer->latest_cookie.cookie, COOKIE_LEN))
		ck_fail(t, "stored cookie is not MAC(secret, ip || port)");
	if (!ck_mac2_is_zero(t)) {
		wg_blake2s(mac, t->skb->data, t->peer->latest_cookie.cookie,
			   COOKIE_LEN, (u8 *)macs->mac2 - t->skb->data,
			   COOKIE_LEN);
		if (memcmp(mac, macs->mac2, COOKIE_LEN))
			ck_fail(t, "mac2 differs from MAC(cookie, message)");
	}
}

/* Answer the message in skb with a cookie reply and feed it to the peer. */
static bool ck_reply(struct ck_test *t, bool tamper)
{
	struct wg_msg_cookie_reply reply;

	wg_cookie_message_create(&reply, t->skb, cpu_to_le32(0x12345678),
				 &t->wg->cookie_checker);
	if (reply.hdr.type != cpu_to_le32(WG_MSG_COOKIE_REPLY) ||
	    reply.receiver != cpu_to_le32(0x12345678))
		ck_fail(t, "cookie reply header");
	if (tamper)
		reply.sealed_cookie[3] ^= 0x10;
	return consume_for_peer(&reply, t->peer);
}

/*
 * Known answers from selftest/cookie-vectors.py (Python's BLAKE2s and
 * ChaCha20-Poly1305, HChaCha20 written there), for this input: public key
 * byte i = 7i + 3, secret byte i = 0xa5 ^ 13i, nonce byte i = 0x30 + 5i,
 * initiation byte i = 29i + 11 after its type (1), from 198.51.100.9:4242.
 */
static const u8 ck_kat_cookie_key[32] = {
	0xb0, 0xd1, 0x39, 0x02, 0x20, 0xfd, 0x43, 0x70,
	0x2a, 0x55, 0xab, 0x00, 0xf3, 0x1a, 0x00, 0x4c,
	0x7d, 0xc6, 0xb0, 0xe2, 0x0e, 0xaf, 0x5a, 0x32,
	0x5e, 0x0c, 0x80, 0x50, 0xad, 0xe5, 0x63, 0x7d,
};

static const u8 ck_kat_mac1[16] = {
	0x31, 0x3b, 0x6d, 0x6f, 0x8c, 0xb0, 0x0e, 0xe8,
	0xb7, 0xc3, 0x14, 0x17, 0x5b, 0xca, 0x05, 0x91,
};

static const u8 ck_kat_cookie[16] = {
	0x79, 0x5d, 0xe0, 0x3f, 0x67, 0xed, 0x69, 0x8c,
	0x73, 0x15, 0x81, 0xcb, 0xca, 0x9b, 0x85, 0xf0,
};

static const u8 ck_kat_encrypted[32] = {
	0xfc, 0x67, 0x5d, 0xc6, 0x2f, 0x6e, 0xbf, 0x65,
	0xe6, 0x3b, 0x4d, 0x9d, 0x5b, 0xe3, 0xcb, 0x6f,
	0x36, 0x56, 0xc3, 0xc3, 0x59, 0x9a, 0x63, 0xc4,
	0x66, 0xd0, 0xc6, 0xb9, 0xf9, 0x8e, 0x9c, 0x0e,
};

static const u8 ck_kat_mac2[16] = {
	0x32, 0xb3, 0x56, 0xa9, 0x27, 0x46, 0x47, 0x89,
	0xa2, 0x72, 0xee, 0xf3, 0x05, 0x43, 0xa3, 0x77,
};

static void ck_kat_fill(u8 *buf, size_t len, u8 mul, u8 add, bool xor)
{
	size_t i;

	for (i = 0; i < len; ++i)
		buf[i] = xor ? add ^ (u8)(i * mul) : (u8)(i * mul + add);
}

static void ck_kat_check(struct ck_test *t, const char *what, const u8 *got,
			 const u8 *want, size_t len)
{
	if (memcmp(got, want, len))
		ck_fail(t, "known answer %s: %*phN, expected %*phN", what,
			(int)len, got, (int)len, want);
}

/* mac1, a received cookie reply, mac2 and a created reply, byte for byte. */
static void ck_kat(struct ck_test *t)
{
	struct cookie_checker *checker = &t->wg->cookie_checker;
	struct noise_static_identity *id = &t->wg->static_identity;
	struct cookie *cookie = &t->peer->latest_cookie;
	struct wg_msg_cookie_reply reply;
	struct wg_msg_macs *macs;
	u8 value[COOKIE_LEN];

	ck_kat_fill(id->static_public, NOISE_PUBLIC_KEY_LEN, 7, 3, false);
	wg_cookie_checker_precompute_device_keys(checker);
	memcpy(t->peer->handshake.remote_static, id->static_public,
	       NOISE_PUBLIC_KEY_LEN);
	wg_cookie_checker_precompute_peer_keys(t->peer);
	ck_kat_check(t, "cookie key", checker->cookie_encryption_key,
		     ck_kat_cookie_key, sizeof(ck_kat_cookie_key));
	ck_kat_check(t, "peer cookie key", cookie->cookie_decryption_key,
		     ck_kat_cookie_key, sizeof(ck_kat_cookie_key));
	ck_kat_fill(checker->secret, NOISE_HASH_LEN, 13, 0xa5, true);
	checker->secret_birthdate = cookie_clock();

	if (!ck_new_skb(t, "198.51.100.9", 4242,
			sizeof(struct wg_msg_initiation)))
		return;
	ck_kat_fill(t->skb->data, t->skb->len, 29, 11, false);
	*(__le32 *)t->skb->data = cpu_to_le32(WG_MSG_INITIATION);
	macs = macs_of(t->skb->data, t->skb->len);

	cookie->is_valid = false;
	ck_add_macs(t);
	ck_kat_check(t, "mac1", macs->mac1, ck_kat_mac1, COOKIE_LEN);
	if (!ck_mac2_is_zero(t))
		ck_fail(t, "known answer: mac2 set without a cookie");

	/* A reply made elsewhere decrypts to the expected cookie... */
	memset(&reply, 0, sizeof(reply));
	reply.hdr.type = cpu_to_le32(WG_MSG_COOKIE_REPLY);
	ck_kat_fill(reply.nonce, COOKIE_NONCE_LEN, 5, 0x30, false);
	memcpy(reply.sealed_cookie, ck_kat_encrypted,
	       sizeof(reply.sealed_cookie));
	if (!consume_for_peer(&reply, t->peer))
		ck_fail(t, "known answer: cookie reply refused");
	ck_kat_check(t, "cookie", cookie->cookie, ck_kat_cookie, COOKIE_LEN);

	/* ...which the next message's mac2 uses, and the checker accepts. */
	ck_add_macs(t);
	ck_kat_check(t, "mac1 again", macs->mac1, ck_kat_mac1, COOKIE_LEN);
	ck_kat_check(t, "mac2", macs->mac2, ck_kat_mac2, COOKIE_LEN);
	ck_expect(t, "known answer mac2", true, MAC2_VALID);

	/* Our own reply decrypts, under the expected key, to that cookie. */
	wg_cookie_message_create(&reply, t->skb, 0, checker);
	if (!wg_xchacha20poly1305_decrypt(value, reply.sealed_cookie,
					  sizeof(reply.sealed_cookie),
					  ck_kat_mac1, COOKIE_LEN, reply.nonce,
					  ck_kat_cookie_key))
		ck_fail(t, "known answer: our reply does not decrypt");
	else
		ck_kat_check(t, "our reply", value, ck_kat_cookie, COOKIE_LEN);

	get_random_bytes(checker->secret, NOISE_HASH_LEN);
	cookie->is_valid = false;
}

static void ck_run(struct ck_test *t)
{
	struct cookie_checker *checker = &t->wg->cookie_checker;
	struct noise_static_identity *id = &t->wg->static_identity;
	struct wg_msg_cookie_reply reply;
	u8 old_secret[NOISE_HASH_LEN];
	struct wg_msg_macs *macs;
	unsigned int i;
	bool limited;

	if (!ck_new_skb(t, "192.0.2.7", 51820,
			sizeof(struct wg_msg_initiation)))
		return;

	/* mac1 alone. */
	ck_add_macs(t);
	if (!ck_mac2_is_zero(t))
		ck_fail(t, "mac2 set without a cookie");
	ck_expect(t, "mac1", false, MAC1_VALID);
	ck_expect(t, "mac1, no mac2", true, MAC1_VALID);
	macs = macs_of(t->skb->data, t->skb->len);
	macs->mac1[5] ^= 1;
	ck_expect(t, "corrupted mac1", false, MACS_INVALID);
	macs->mac1[5] ^= 1;
	t->skb->data[40] ^= 0x80;
	ck_expect(t, "corrupted message", true, MACS_INVALID);
	t->skb->data[40] ^= 0x80;
	ck_expect(t, "restored message", false, MAC1_VALID);

	/* A reply to something we did not send is refused. */
	t->peer->latest_cookie.have_sent_mac1 = false;
	if (ck_reply(t, false))
		ck_fail(t, "reply accepted without a mac1 sent");
	ck_add_macs(t);
	if (ck_reply(t, true))
		ck_fail(t, "tampered reply accepted");
	if (t->peer->latest_cookie.is_valid)
		ck_fail(t, "cookie stored from a tampered reply");

	/* The reply answers the mac1 we sent: the cookie is stored... */
	if (!ck_reply(t, false))
		ck_fail(t, "reply refused");
	if (ck_reply(t, false))
		ck_fail(t, "second reply to the same message accepted");
	/* ...and the next message carries mac2. */
	ck_add_macs(t);
	if (ck_mac2_is_zero(t))
		ck_fail(t, "no mac2 with a fresh cookie");
	ck_check_reference(t, id->static_public);
	ck_expect(t, "mac2 without checking", false, MAC1_VALID);
	ck_expect(t, "mac2", true, MAC2_VALID);
	macs = macs_of(t->skb->data, t->skb->len);
	macs->mac2[0] ^= 4;
	ck_expect(t, "corrupted mac2", true, MAC1_VALID);
	macs->mac2[0] ^= 4;

	/* The cookie is bound to the source port and address. */
	udp_hdr(t->skb)->source = htons(51821);
	ck_expect(t, "other source port", true, MAC1_VALID);
	udp_hdr(t->skb)->source = htons(51820);
	ip_hdr(t->skb)->saddr ^= htonl(1);
	ck_expect(t, "other source address", true, MAC1_VALID);
	ip_hdr(t->skb)->saddr ^= htonl(1);

	/* A valid cookie still goes through the rate limiter. */
	limited = false;
	for (i = 0; i < 64 && !limited; ++i)
		limited = validate(checker, t->skb, true, &init_net) ==
			  MAC2_VALID_RATELIMITED;
	if (!limited)
		ck_fail(t, "64 handshakes in a row never rate limited");

	/* A reply whose AD is an older mac1 is refused. */
	wg_cookie_message_create(&reply, t->skb, 0, checker);
	t->skb->data[20] ^= 1;		/* a new message, a new mac1 */
	ck_add_macs(t);
	if (consume_for_peer(&reply, t->peer))
		ck_fail(t, "reply to an older message accepted");

	/* Cookies are used until MAX_AGE - LATENCY seconds old. */
	t->peer->latest_cookie.birthdate = cookie_clock() -
		wg_proto_ns(COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY - 1);
	ck_add_macs(t);
	if (ck_mac2_is_zero(t))
		ck_fail(t, "cookie unused before its time");
	t->peer->latest_cookie.birthdate = cookie_clock() -
		wg_proto_ns(COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY);
	ck_add_macs(t);
	if (!ck_mac2_is_zero(t))
		ck_fail(t, "expired cookie still used");

	/* The secret is renewed after MAX_AGE: old cookies stop working. */
	t->peer->latest_cookie.birthdate = cookie_clock();
	ck_add_macs(t);
	memcpy(old_secret, checker->secret, NOISE_HASH_LEN);
	checker->secret_birthdate = cookie_clock() -
		wg_proto_ns(COOKIE_SECRET_MAX_AGE - 1);
	/* Rate limited by now, or refilled meanwhile: either way valid. */
	if (validate(checker, t->skb, true, &init_net) <
	    MAC2_VALID_RATELIMITED)
		ck_fail(t, "cookie of a secret about to expire refused");
	if (memcmp(old_secret, checker->secret, NOISE_HASH_LEN))
		ck_fail(t, "secret renewed early");
	checker->secret_birthdate = cookie_clock() -
		wg_proto_ns(COOKIE_SECRET_MAX_AGE);
	ck_expect(t, "cookie of an expired secret", true,
		  MAC1_VALID);
	if (!memcmp(old_secret, checker->secret, NOISE_HASH_LEN))
		ck_fail(t, "secret not renewed");

	/* IPv6 sources and a response-sized message. */
	if (!ck_new_skb(t, "2001:db8::7", 443,
			sizeof(struct wg_msg_response)))
		return;
	ck_add_macs(t);
	ck_expect(t, "v6 mac1", true, MAC1_VALID);
	if (!ck_reply(t, false))
		ck_fail(t, "v6 reply refused");
	ck_add_macs(t);
	ck_check_reference(t, id->static_public);
	ck_expect(t, "v6 mac2", true, MAC2_VALID);

	/* Without an identity no mac1 is valid. */
	id->has_identity = false;
	wg_cookie_checker_precompute_device_keys(checker);
	ck_expect(t, "no identity", false, MACS_INVALID);
	id->has_identity = true;
	wg_cookie_checker_precompute_device_keys(checker);
	ck_expect(t, "identity back", false, MAC1_VALID);

	/* Too short to carry macs. */
	skb_trim(t->skb, sizeof(struct wg_msg_macs) + 3);
	ck_expect(t, "short message", false, MACS_INVALID);
	memzero_explicit(old_secret, sizeof(old_secret));
}

bool wg_cookie_selftest(void)
{
	struct ck_test t = { .ok = true };

	if (wg_ratelimiter_init()) {
		t.ok = false;
		goto out;
	}
	t.wg = kzalloc(sizeof(*t.wg), GFP_KERNEL);
	t.peer = kzalloc(sizeof(*t.peer), GFP_KERNEL);
	if (!t.wg || !t.peer) {
		t.ok = false;
		goto free;
	}
	init_rwsem(&t.wg->static_identity.lock);
	get_random_bytes(t.wg->static_identity.static_public,
			 NOISE_PUBLIC_KEY_LEN);
	t.wg->static_identity.has_identity = true;
	wg_cookie_checker_init(&t.wg->cookie_checker, t.wg);
	wg_cookie_checker_precompute_device_keys(&t.wg->cookie_checker);

	t.peer->device = t.wg;
	memcpy(t.peer->handshake.remote_static,
	       t.wg->static_identity.static_public, NOISE_PUBLIC_KEY_LEN);
	wg_cookie_init(&t.peer->latest_cookie);
	wg_cookie_checker_precompute_peer_keys(t.peer);

	ck_kat(&t);
	if (t.ok)
		ck_run(&t);

	/* Teardown wipes the secret and the keys. */
	wg_cookie_checker_uninit(&t.wg->cookie_checker);
	if (memchr_inv(t.wg->cookie_checker.secret, 0, NOISE_HASH_LEN) ||
	    memchr_inv(t.wg->cookie_checker.cookie_encryption_key, 0,
		       NOISE_SYMMETRIC_KEY_LEN) ||
	    memchr_inv(t.wg->cookie_checker.message_mac1_key, 0,
		       NOISE_SYMMETRIC_KEY_LEN))
		ck_fail(&t, "uninit left secrets behind");

free:
	kfree_skb(t.skb);
	kfree_sensitive(t.peer);
	kfree_sensitive(t.wg);
	wg_ratelimiter_uninit();
out:
	pr_info("cookie self-tests: %s\n", t.ok ? "pass" : "FAIL");
	return t.ok;
}
