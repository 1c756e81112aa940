// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the handshake rate limiter, included by ratelimiter.c in
 * debug builds.  The clock is replaced by rl_fake_now for the duration, so
 * the results do not depend on how fast the machine runs (the VM is slow).
 */

#include <linux/inet.h>
#include <linux/udp.h>

struct rl_test {
	struct sk_buff *skb4, *skb6;
	bool ok;
};

#define rl_fail(t, fmt, ...) do {					\
	pr_err("ratelimiter self-test: " fmt "\n", ##__VA_ARGS__); \
	(t)->ok = false;						\
} while (0)

static void rl_advance(u64 ns)
{
	atomic64_add(ns, &rl_fake_now);
}

static bool rl_try4(struct rl_test *t, const char *src, struct net *net)
{
	in4_pton(src, -1, (u8 *)&ip_hdr(t->skb4)->saddr, -1, NULL);
	return wg_ratelimiter_allow(t->skb4, net);
}

static bool rl_try6(struct rl_test *t, const char *src, struct net *net)
{
	in6_pton(src, -1, ipv6_hdr(t->skb6)->saddr.s6_addr, -1, NULL);
	return wg_ratelimiter_allow(t->skb6, net);
}

static bool rl_try(struct rl_test *t, const char *src, struct net *net)
{
	return strchr(src, ':') ? rl_try6(t, src, net) : rl_try4(t, src, net);
}

/* n packets allowed in a row, then one refused. */
static void rl_expect_burst(struct rl_test *t, const char *src,
			    struct net *net, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; ++i) {
		if (!rl_try(t, src, net)) {
			rl_fail(t, "%s: packet %u of %u refused", src, i + 1, n);
			return;
		}
	}
	if (rl_try(t, src, net))
		rl_fail(t, "%s: packet %u allowed", src, n + 1);
}

static void rl_expect(struct rl_test *t, const char *src, struct net *net,
		      bool allowed)
{
	if (rl_try(t, src, net) != allowed)
		rl_fail(t, "%s: expected %s", src,
			allowed ? "allowed" : "refused");
}

static unsigned int rl_count(void)
{
	struct rl_entry *entry;
	unsigned int i, n = 0;

	spin_lock_bh(&table_lock);
	for (i = 0; i < table_size; ++i)
		hlist_for_each_entry(entry, &table[i], hash)
			++n;
	spin_unlock_bh(&table_lock);
	return n;
}

/*
 * As the receive path leaves a handshake: the IP and UDP headers in the
 * linear area, skb->data at the message after them.  With truncate, the
 * IP header misses its last byte.
 */
static struct sk_buff *rl_alloc_skb(__be16 protocol, unsigned int hdrlen,
				    bool truncate)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);

	if (!skb)
		return NULL;
	skb_reserve(skb, 16);
	skb_reset_network_header(skb);
	skb->protocol = protocol;
	if (truncate) {
		skb_put_zero(skb, hdrlen - 1);
		return skb;
	}
	skb_put_zero(skb, hdrlen + sizeof(struct udphdr) + 32);
	skb_pull(skb, hdrlen + sizeof(struct udphdr));
	return skb;
}

/* Headers missing from the linear area: refused, nothing read. */
static void rl_truncated(struct rl_test *t, __be16 protocol,
			 unsigned int hdrlen)
{
	struct sk_buff *skb = rl_alloc_skb(protocol, hdrlen, true);

	if (!skb) {
		rl_fail(t, "out of memory");
		return;
	}
	if (wg_ratelimiter_allow(skb, &init_net))
		rl_fail(t, "a truncated header (%u bytes) was allowed",
			hdrlen - 1);
	kfree_skb(skb);
}

bool wg_ratelimiter_selftest(void)
{
	struct net *net = &init_net, *other_net;
	unsigned int saved_max, base, i, n;
	struct rl_test t = { .ok = true };
	char src[32];

	if (wg_ratelimiter_init()) {
		rl_fail(&t, "init failed");
		goto out;
	}
	/* Only compared, never dereferenced: any other address will do. */
	other_net = (struct net *)&t;

	t.skb4 = rl_alloc_skb(htons(ETH_P_IP), sizeof(struct iphdr), false);
	t.skb6 = rl_alloc_skb(htons(ETH_P_IPV6), sizeof(struct ipv6hdr), false);
	if (!t.skb4 || !t.skb6) {
		rl_fail(&t, "out of memory");
		goto free;
	}
	/* The collector runs when the test says, not on the real clock. */
	cancel_delayed_work_sync(&gc_work);
	atomic64_set(&rl_fake_now, 1000 * NSEC_PER_SEC);

	/* Start empty: drop what a previous user left. */
	rl_advance(10 * NSEC_PER_SEC);
	rl_collect(false);
	base = rl_count();
	if (base)
		rl_fail(&t, "%u stale entries", base);

	/* A burst, then refusal; other sources are independent. */
	rl_expect_burst(&t, "192.0.2.1", net, RL_BURST);
	rl_expect_burst(&t, "192.0.2.2", net, RL_BURST);
	rl_expect(&t, "192.0.2.1", net, false);
	/* The same address in another namespace has its own bucket. */
	rl_expect_burst(&t, "192.0.2.1", other_net, RL_BURST);

	/* Refill: one packet's worth of time gives one packet. */
	rl_advance(RL_COST - 1);
	rl_expect(&t, "192.0.2.1", net, false);
	rl_advance(1);
	rl_expect(&t, "192.0.2.1", net, true);
	rl_expect(&t, "192.0.2.1", net, false);
	rl_advance(3 * RL_COST);
	rl_expect_burst(&t, "192.0.2.1", net, 3);
	/*
	 * A flood four times faster than the rate gets exactly the rate
	 * through: refused packets cost nothing, and credit is not lost.
	 */
	for (i = 0; i < 2 * RL_BURST && rl_try4(&t, "192.0.2.2", net); ++i)
		;
	for (i = 0, n = 0; i < 40; ++i) {
		rl_advance(RL_COST / 4);
		n += rl_try4(&t, "192.0.2.2", net);
	}
	if (n != 10)
		rl_fail(&t, "flood: %u of 40 allowed, expected 10", n);
	/* In absolute terms: 20 a second, one packet every millisecond. */
	for (i = 0, n = 0; i < 1000; ++i) {
		rl_advance(NSEC_PER_MSEC);
		n += rl_try4(&t, "192.0.2.2", net);
	}
	if (n != 20)
		rl_fail(&t, "1000 packets in a second: %u allowed, expected 20",
			n);
	/* A clock stepping back gives no credit, nor does it take any. */
	atomic64_sub(NSEC_PER_SEC, &rl_fake_now);
	rl_expect(&t, "192.0.2.2", net, false);
	rl_advance(NSEC_PER_SEC);
	rl_expect(&t, "192.0.2.2", net, false);
	rl_advance(RL_COST);
	rl_expect(&t, "192.0.2.2", net, true);
	rl_expect(&t, "192.0.2.2", net, false);

	/* IPv6: one bucket per /64. */
	rl_expect_burst(&t, "2001:db8:1:2::1", net, RL_BURST);
	rl_expect(&t, "2001:db8:1:2:ffff:ffff:ffff:ffff", net, false);
	rl_expect(&t, "2001:db8:1:2:8000::42", net, false);
	rl_expect_burst(&t, "2001:db8:1:3::1", net, RL_BURST);
	rl_expect_burst(&t, "2001:db8:1:2::1", other_net, RL_BURST);
	/* An IPv4 source and an IPv6 /64 never share a bucket. */
	rl_expect_burst(&t, "::", net, RL_BURST);
	rl_expect_burst(&t, "0.0.0.0", net, RL_BURST);

	/* Idle buckets are collected, busy ones kept. */
	if (rl_count() != 8)
		rl_fail(&t, "%u entries, expected 8", rl_count());
	rl_advance(RL_IDLE / 2);
	rl_expect(&t, "192.0.2.1", net, true);
	rl_advance(RL_IDLE / 2 + 1);
	rl_collect(false);
	if (rl_count() != 1)
		rl_fail(&t, "%u entries after collection, expected 1",
			rl_count());
	/* A collected bucket comes back full. */
	rl_expect_burst(&t, "192.0.2.2", net, RL_BURST);

	/* The cap on entries: new sources refused, known ones served. */
	saved_max = max_entries;
	max_entries = rl_count() + 3;
	for (i = 0; i < 4; ++i) {
		snprintf(src, sizeof(src), "198.51.100.%u", i);
		rl_expect(&t, src, net, i < 3);
	}
	rl_expect(&t, "192.0.2.2", net, false);
	rl_advance(RL_COST);
	rl_expect(&t, "192.0.2.2", net, true);
	rl_expect(&t, "198.51.100.0", net, true);
	max_entries = saved_max;

	rl_truncated(&t, htons(ETH_P_IP), sizeof(struct iphdr));
	rl_truncated(&t, htons(ETH_P_IPV6), sizeof(struct ipv6hdr));

	/* Not IP: refused. */
	t.skb4->protocol = htons(ETH_P_ARP);
	if (wg_ratelimiter_allow(t.skb4, net))
		rl_fail(&t, "a non-IP packet was allowed");

	rl_advance(10 * NSEC_PER_SEC);
	rl_collect(false);
	if (rl_count())
		rl_fail(&t, "%u entries left", rl_count());
free:
	atomic64_set(&rl_fake_now, 0);
	queue_delayed_work(system_power_efficient_wq, &gc_work,
			   RL_GC_INTERVAL);
	kfree_skb(t.skb4);
	kfree_skb(t.skb6);
	wg_ratelimiter_uninit();
out:
	pr_info("ratelimiter self-tests: %s\n",
		t.ok ? "pass" : "FAIL");
	return t.ok;
}
