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
	pr_err("wireguard: cookie self-test: " fmt "\n", ##__VA_ARGS__);	\
	(t)->ok = false;						\
} while (0)

static const char *const ck_state_names[] = {
	[INVALID_MAC] = "INVALID_MAC",
	[VALID_MAC_BUT_NO_COOKIE] = "VALID_MAC_BUT_NO_COOKIE",
	[VALID_MAC_WITH_COOKIE_BUT_RATELIMITED] = "RATELIMITED",
	[VALID_MAC_WITH_COOKIE] = "VALID_MAC_WITH_COOKIE"
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
	*(__le32 *)msg = cpu_to_le32(len == sizeof(struct message_handshake_initiation) ?
				     MESSAGE_HANDSHAKE_INITIATION :
				     MESSAGE_HANDSHAKE_RESPONSE);
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
	struct message_macs *macs = macs_of(t->skb->data, t->skb->len);
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
	struct message_handshake_cookie reply;

	wg_cookie_message_create(&reply, t->skb, cpu_to_le32(0x12345678),
				 &t->wg->cookie_checker);
	if (reply.header.type != cpu_to_le32(MESSAGE_HANDSHAKE_COOKIE) ||
	    reply.receiver_index != cpu_to_le32(0x12345678))
		ck_fail(t, "cookie reply header");
	if (tamper)
		reply.encrypted_cookie[3] ^= 0x10;
	return consume_for_peer(&reply, t->peer);
}

static void ck_run(struct ck_test *t)
{
	struct cookie_checker *checker = &t->wg->cookie_checker;
	struct noise_static_identity *id = &t->wg->static_identity;
	struct message_handshake_cookie reply;
	u8 old_secret[NOISE_HASH_LEN];
	struct message_macs *macs;
	unsigned int i;
	bool limited;

	if (!ck_new_skb(t, "192.0.2.7", 51820,
			sizeof(struct message_handshake_initiation)))
		return;

	/* mac1 alone. */
	ck_add_macs(t);
	if (!ck_mac2_is_zero(t))
		ck_fail(t, "mac2 set without a cookie");
	ck_expect(t, "mac1", false, VALID_MAC_BUT_NO_COOKIE);
	ck_expect(t, "mac1, no mac2", true, VALID_MAC_BUT_NO_COOKIE);
	macs = macs_of(t->skb->data, t->skb->len);
	macs->mac1[5] ^= 1;
	ck_expect(t, "corrupted mac1", false, INVALID_MAC);
	macs->mac1[5] ^= 1;
	t->skb->data[40] ^= 0x80;
	ck_expect(t, "corrupted message", true, INVALID_MAC);
	t->skb->data[40] ^= 0x80;
	ck_expect(t, "restored message", false, VALID_MAC_BUT_NO_COOKIE);

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
	ck_expect(t, "mac2 without checking", false, VALID_MAC_BUT_NO_COOKIE);
	ck_expect(t, "mac2", true, VALID_MAC_WITH_COOKIE);
	macs = macs_of(t->skb->data, t->skb->len);
	macs->mac2[0] ^= 4;
	ck_expect(t, "corrupted mac2", true, VALID_MAC_BUT_NO_COOKIE);
	macs->mac2[0] ^= 4;

	/* The cookie is bound to the source port and address. */
	udp_hdr(t->skb)->source = htons(51821);
	ck_expect(t, "other source port", true, VALID_MAC_BUT_NO_COOKIE);
	udp_hdr(t->skb)->source = htons(51820);
	ip_hdr(t->skb)->saddr ^= htonl(1);
	ck_expect(t, "other source address", true, VALID_MAC_BUT_NO_COOKIE);
	ip_hdr(t->skb)->saddr ^= htonl(1);

	/* A valid cookie still goes through the rate limiter. */
	limited = false;
	for (i = 0; i < 64 && !limited; ++i)
		limited = validate(checker, t->skb, true, &init_net) ==
			  VALID_MAC_WITH_COOKIE_BUT_RATELIMITED;
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
	    VALID_MAC_WITH_COOKIE_BUT_RATELIMITED)
		ck_fail(t, "cookie of a secret about to expire refused");
	if (memcmp(old_secret, checker->secret, NOISE_HASH_LEN))
		ck_fail(t, "secret renewed early");
	checker->secret_birthdate = cookie_clock() -
		wg_proto_ns(COOKIE_SECRET_MAX_AGE);
	ck_expect(t, "cookie of an expired secret", true,
		  VALID_MAC_BUT_NO_COOKIE);
	if (!memcmp(old_secret, checker->secret, NOISE_HASH_LEN))
		ck_fail(t, "secret not renewed");

	/* IPv6 sources and a response-sized message. */
	if (!ck_new_skb(t, "2001:db8::7", 443,
			sizeof(struct message_handshake_response)))
		return;
	ck_add_macs(t);
	ck_expect(t, "v6 mac1", true, VALID_MAC_BUT_NO_COOKIE);
	if (!ck_reply(t, false))
		ck_fail(t, "v6 reply refused");
	ck_add_macs(t);
	ck_check_reference(t, id->static_public);
	ck_expect(t, "v6 mac2", true, VALID_MAC_WITH_COOKIE);

	/* Without an identity no mac1 is valid. */
	id->has_identity = false;
	wg_cookie_checker_precompute_device_keys(checker);
	ck_expect(t, "no identity", false, INVALID_MAC);
	id->has_identity = true;
	wg_cookie_checker_precompute_device_keys(checker);
	ck_expect(t, "identity back", false, VALID_MAC_BUT_NO_COOKIE);

	/* Too short to carry macs. */
	skb_trim(t->skb, sizeof(struct message_macs) + 3);
	ck_expect(t, "short message", false, INVALID_MAC);
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

	ck_run(&t);

free:
	kfree_skb(t.skb);
	kfree_sensitive(t.peer);
	kfree_sensitive(t.wg);
	wg_ratelimiter_uninit();
out:
	pr_info("wireguard: cookie self-tests: %s\n", t.ok ? "pass" : "FAIL");
	return t.ok;
}
