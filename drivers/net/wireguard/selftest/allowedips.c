// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the AllowedIPs trie, included by allowedips.c in debug
 * builds: hand-written cases, then long random sequences of inserts,
 * removals and lookups checked against a flat list searched naively,
 * with the trie's shape and the peers' prefix lists verified as we go.
 */

#include <linux/inet.h>
#include <linux/random.h>

enum {
	AIP_PEERS = 24,
	AIP_REF_MAX = 4096,
	AIP_RANDOM_OPS = 5000,
	AIP_LOOKUPS_PER_OP = 4
};

struct aip_ref {
	u8 bits[16] __aligned(__alignof(u64));
	u8 cidr;
	struct wg_peer *peer;
};

/* One table, lock and set of peers, as in a device. */
struct aip_shared {
	struct allowedips table;
	struct mutex lock;
	struct wg_peer *peers[AIP_PEERS];
};

/* The view of one address family, with its own reference list. */
struct aip_test {
	struct allowedips *table;
	/* The other family's view: remove_by_peer empties both. */
	struct aip_test *other;
	struct mutex *lock;
	struct wg_peer **peers;
	struct wg_allowedips_pool *pool;	/* for inserts, or NULL */
	struct aip_ref ref[AIP_REF_MAX];
	unsigned int nref;
	u8 bitlen;
	u64 rng;
	bool ok;
};

#define aip_fail(t, fmt, ...) do {					\
	pr_err("allowedips self-test: " fmt "\n", ##__VA_ARGS__); \
	(t)->ok = false;						\
} while (0)

static u64 aip_rand(struct aip_test *t)
{
	/* xorshift64*: reproducible from the seed. */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int aip_below(struct aip_test *t, unsigned int n)
{
	return (u32)(aip_rand(t) >> 32) % n;
}

static struct allowedips_node __rcu **aip_root(struct aip_test *t)
{
	return t->bitlen == 32 ? &t->table->root4 : &t->table->root6;
}

static struct wg_peer *aip_lookup(struct aip_test *t, const u8 *key)
{
	struct wg_peer *peer;

	rcu_read_lock_bh();
	peer = lookup_rcu(aip_root(t), key);
	rcu_read_unlock_bh();
	return peer;
}

static int aip_insert(struct aip_test *t, const u8 *ip, u8 cidr,
		      struct wg_peer *peer)
{
	int ret;

	mutex_lock(t->lock);
	if (t->bitlen == 32)
		ret = wg_allowedips_insert_v4(t->table,
					      (const struct in_addr *)ip, cidr,
					      peer, t->pool, t->lock);
	else
		ret = wg_allowedips_insert_v6(t->table,
					      (const struct in6_addr *)ip,
					      cidr, peer, t->pool, t->lock);
	mutex_unlock(t->lock);
	return ret;
}

static int aip_remove(struct aip_test *t, const u8 *ip, u8 cidr,
		      struct wg_peer *peer)
{
	int ret;

	mutex_lock(t->lock);
	if (t->bitlen == 32)
		ret = wg_allowedips_remove_v4(t->table,
					      (const struct in_addr *)ip, cidr,
					      peer, t->lock);
	else
		ret = wg_allowedips_remove_v6(t->table,
					      (const struct in6_addr *)ip,
					      cidr, peer, t->lock);
	mutex_unlock(t->lock);
	return ret;
}

static void aip_remove_by_peer(struct aip_test *t, struct wg_peer *peer)
{
	mutex_lock(t->lock);
	wg_allowedips_remove_by_peer(t->table, peer, t->lock);
	mutex_unlock(t->lock);
}

/* --- the naive reference: a flat list, searched linearly --- */

static int ref_find(struct aip_test *t, const u8 *bits, u8 cidr)
{
	unsigned int i;

	for (i = 0; i < t->nref; ++i)
		if (t->ref[i].cidr == cidr && !memcmp(t->ref[i].bits, bits, 16))
			return i;
	return -1;
}

static struct wg_peer *ref_lookup(struct aip_test *t, const u8 *key)
{
	struct wg_peer *best = NULL;
	int best_cidr = -1;
	unsigned int i, b;

	for (i = 0; i < t->nref; ++i) {
		const struct aip_ref *r = &t->ref[i];

		if (r->cidr <= best_cidr)
			continue;
		for (b = 0; b < r->cidr; ++b)
			if ((r->bits[b / 8] ^ key[b / 8]) & (0x80 >> (b % 8)))
				break;
		if (b == r->cidr) {
			best = r->peer;
			best_cidr = r->cidr;
		}
	}
	return best;
}

static void ref_insert(struct aip_test *t, const u8 *ip, u8 cidr,
		       struct wg_peer *peer)
{
	u8 bits[16] __aligned(__alignof(u64));
	int i;

	memcpy(bits, ip, 16);
	mask_key(bits, cidr);
	i = ref_find(t, bits, cidr);
	if (i < 0) {
		i = t->nref++;
		memcpy(t->ref[i].bits, bits, 16);
		t->ref[i].cidr = cidr;
	}
	t->ref[i].peer = peer;
}

static void ref_remove_at(struct aip_test *t, unsigned int i)
{
	t->ref[i] = t->ref[--t->nref];
}

static void ref_remove_peer(struct aip_test *t, struct wg_peer *peer)
{
	unsigned int i;

	for (i = 0; i < t->nref;) {
		if (t->ref[i].peer == peer)
			ref_remove_at(t, i);
		else
			++i;
	}
}

/* --- consistency of the trie and of the peers' lists --- */

static void aip_check_lists(struct aip_test *t)
{
	struct allowedips_node *node;
	unsigned int p, count, total = 0, i;
	u8 ip[16], cidr;
	int family, r;

	for (p = 0; p < AIP_PEERS; ++p) {
		count = 0;
		mutex_lock(t->lock);
		list_for_each_entry(node, &t->peers[p]->allowedips_list,
				    peer_list) {
			family = wg_allowedips_read_node(node, ip, &cidr);
			if (family != (t->bitlen == 32 ? AF_INET : AF_INET6))
				continue;
			++count;
			r = ref_find(t, ip, cidr);
			if (r < 0 || t->ref[r].peer != t->peers[p] ||
			    rcu_access_pointer(node->peer) != t->peers[p])
				aip_fail(t, "peer %u lists /%u it does not own",
					 p, cidr);
		}
		mutex_unlock(t->lock);
		for (i = 0, r = 0; i < t->nref; ++i)
			r += t->ref[i].peer == t->peers[p];
		if (r != count)
			aip_fail(t, "peer %u lists %u prefixes, owns %d", p,
				 count, r);
		total += count;
	}
	if (total != t->nref)
		aip_fail(t, "lists hold %u prefixes, reference %u", total,
			 t->nref);
}

static void aip_check_shape(struct aip_test *t)
{
	struct allowedips_node **stack, *node, *child;
	unsigned int depth = 0, with_peer = 0, b;
	u8 masked[16];

	stack = kmalloc_array(2 * 129, sizeof(*stack), GFP_KERNEL);
	if (!stack) {
		aip_fail(t, "out of memory");
		return;
	}
	mutex_lock(t->lock);
	node = deref_locked(*aip_root(t), t->lock);
	if (node)
		stack[depth++] = node;
	while (depth) {
		node = stack[--depth];
		memcpy(masked, node->bits, 16);
		mask_key(masked, node->cidr);
		if (node->bitlen != t->bitlen || node->cidr > t->bitlen ||
		    memcmp(masked, node->bits, 16))
			aip_fail(t, "malformed node /%u", node->cidr);
		if (rcu_access_pointer(node->peer))
			++with_peer;
		else if (!rcu_access_pointer(node->bit[0]) ||
			 !rcu_access_pointer(node->bit[1]))
			aip_fail(t, "peerless node /%u without two children",
				 node->cidr);
		for (b = 0; b < 2; ++b) {
			child = deref_locked(node->bit[b], t->lock);
			if (!child)
				continue;
			if (child->cidr <= node->cidr ||
			    !prefix_matches(node, child->bits) ||
			    key_bit(child->bits, node) != b)
				aip_fail(t, "child /%u misplaced under /%u",
					 child->cidr, node->cidr);
			if (depth >= 2 * 129) {
				aip_fail(t, "trie too deep");
				break;
			}
			stack[depth++] = child;
		}
	}
	mutex_unlock(t->lock);
	kfree(stack);
	if (with_peer != t->nref)
		aip_fail(t, "trie holds %u prefixes, reference %u", with_peer,
			 t->nref);
}

/* --- random sequences --- */

static void aip_random_key(struct aip_test *t, const u8 bases[8][16], u8 *key)
{
	unsigned int keep = aip_below(t, t->bitlen + 1), b;
	u64 r = 0;

	memcpy(key, bases[aip_below(t, 8)], 16);
	for (b = keep; b < t->bitlen; ++b) {
		if (b % 64 == keep % 64 || b % 64 == 0)
			r = aip_rand(t);
		if (r & 1)
			key[b / 8] ^= 0x80 >> (b % 8);
		r >>= 1;
	}
}

static u8 aip_random_cidr(struct aip_test *t)
{
	/* Mostly long prefixes, like real configurations, some short. */
	if (aip_below(t, 4))
		return t->bitlen - aip_below(t, t->bitlen / 4 + 1);
	return aip_below(t, t->bitlen + 1);
}

static void aip_random(struct aip_test *t)
{
	u8 bases[8][16], key[16] __aligned(__alignof(u64));
	unsigned int op, i, j, n;
	struct wg_peer *peer, *want, *got;
	int ret, expect, r;
	u8 cidr;

	for (i = 0; i < 8; ++i) {
		memset(bases[i], 0, 16);
		for (j = 0; j < t->bitlen / 8; ++j)
			bases[i][j] = aip_rand(t);
	}

	for (op = 0; op < AIP_RANDOM_OPS && t->ok; ++op) {
		n = aip_below(t, 100);
		if (n < 55) {
			if (t->nref == AIP_REF_MAX)
				continue;
			aip_random_key(t, bases, key);
			cidr = aip_random_cidr(t);
			peer = t->peers[aip_below(t, AIP_PEERS)];
			ret = aip_insert(t, key, cidr, peer);
			if (ret)
				aip_fail(t, "insert /%u: %d", cidr, ret);
			else
				ref_insert(t, key, cidr, peer);
		} else if (n < 80 && t->nref) {
			/* An existing prefix, by its owner or someone else. */
			i = aip_below(t, t->nref);
			memcpy(key, t->ref[i].bits, 16);
			/* host bits must not matter */
			if (t->ref[i].cidr < t->bitlen && aip_below(t, 2))
				key[t->bitlen / 8 - 1] |= 1;
			cidr = t->ref[i].cidr;
			peer = aip_below(t, 5) ? t->ref[i].peer :
						 t->peers[aip_below(t, AIP_PEERS)];
			expect = peer == t->ref[i].peer ? 0 : -ENOENT;
			ret = aip_remove(t, key, cidr, peer);
			if (ret != expect)
				aip_fail(t, "remove /%u: %d, expected %d", cidr,
					 ret, expect);
			if (!ret)
				ref_remove_at(t, i);
		} else if (n < 90) {
			/* Probably absent. */
			aip_random_key(t, bases, key);
			cidr = aip_random_cidr(t);
			peer = t->peers[aip_below(t, AIP_PEERS)];
			{
				u8 bits[16] __aligned(__alignof(u64));

				memcpy(bits, key, 16);
				mask_key(bits, cidr);
				r = ref_find(t, bits, cidr);
			}
			expect = r >= 0 && t->ref[r].peer == peer ? 0 : -ENOENT;
			ret = aip_remove(t, key, cidr, peer);
			if (ret != expect)
				aip_fail(t, "remove absent /%u: %d, expected %d",
					 cidr, ret, expect);
			if (!ret)
				ref_remove_at(t, r);
		} else if (n < 91) {
			/* Takes the peer's prefixes of both families. */
			peer = t->peers[aip_below(t, AIP_PEERS)];
			aip_remove_by_peer(t, peer);
			ref_remove_peer(t, peer);
			ref_remove_peer(t->other, peer);
			if (!list_empty(&peer->allowedips_list))
				aip_fail(t, "remove_by_peer left prefixes");
		}

		for (i = 0; i < AIP_LOOKUPS_PER_OP; ++i) {
			if (i == 0 && t->nref) {
				/* Right at an existing prefix's edges. */
				r = aip_below(t, t->nref);
				memcpy(key, t->ref[r].bits, 16);
				if (aip_below(t, 2) && t->ref[r].cidr)
					key[(t->ref[r].cidr - 1) / 8] ^=
						0x80 >> ((t->ref[r].cidr - 1) % 8);
			} else {
				aip_random_key(t, bases, key);
			}
			want = ref_lookup(t, key);
			got = aip_lookup(t, key);
			if (want != got)
				aip_fail(t, "lookup %*phN: got peer %p, expected %p",
					 t->bitlen / 8, key, got, want);
		}
		if (op % 512 == 511) {
			aip_check_shape(t);
			aip_check_lists(t);
		}
	}
	aip_check_shape(t);
	aip_check_lists(t);
}

/* --- hand-written cases --- */

/*
 * Inserts from a pool filled for the worst case (as a netlink SET does):
 * none fails, none takes more than WG_ALLOWEDIPS_NODES_PER_INSERT nodes,
 * and the trie is the one the reference list describes.
 */
static void aip_pooled(struct aip_test *t, unsigned int n)
{
	u8 bases[8][16], key[16] __aligned(__alignof(u64));
	struct wg_allowedips_pool pool;
	unsigned int i, j, before;
	struct wg_peer *peer;
	u8 cidr;

	for (i = 0; i < 8; ++i) {
		memset(bases[i], 0, 16);
		for (j = 0; j < t->bitlen / 8; ++j)
			bases[i][j] = aip_rand(t);
	}
	wg_allowedips_pool_init(&pool);
	if (wg_allowedips_pool_fill(&pool,
				    n * WG_ALLOWEDIPS_NODES_PER_INSERT)) {
		aip_fail(t, "pool of %u nodes", n * 2);
		goto out;
	}
	t->pool = &pool;
	for (i = 0; i < n && t->nref < AIP_REF_MAX && t->ok; ++i) {
		aip_random_key(t, bases, key);
		cidr = aip_random_cidr(t);
		peer = t->peers[aip_below(t, AIP_PEERS)];
		before = pool.count;
		if (aip_insert(t, key, cidr, peer))
			aip_fail(t, "pooled insert /%u failed", cidr);
		else
			ref_insert(t, key, cidr, peer);
		if (before - pool.count > WG_ALLOWEDIPS_NODES_PER_INSERT)
			aip_fail(t, "an insert took %u nodes",
				 before - pool.count);
	}
	t->pool = NULL;
	aip_check_shape(t);
	aip_check_lists(t);
out:
	wg_allowedips_pool_drain(&pool);
}

static void aip_parse(struct aip_test *t, const char *s, u8 *ip)
{
	memset(ip, 0, 16);
	if (t->bitlen == 32 ? !in4_pton(s, -1, ip, -1, NULL) :
			      !in6_pton(s, -1, ip, -1, NULL))
		aip_fail(t, "bad test address %s", s);
}

static void aip_expect_insert(struct aip_test *t, const char *s, u8 cidr,
			      int p)
{
	u8 ip[16] __aligned(__alignof(u64));

	aip_parse(t, s, ip);
	if (aip_insert(t, ip, cidr, t->peers[p]))
		aip_fail(t, "insert %s/%u failed", s, cidr);
	else
		ref_insert(t, ip, cidr, t->peers[p]);
}

static void aip_expect_remove(struct aip_test *t, const char *s, u8 cidr,
			      int p, int expect)
{
	u8 ip[16] __aligned(__alignof(u64)), bits[16];
	int ret, r;

	aip_parse(t, s, ip);
	ret = aip_remove(t, ip, cidr, t->peers[p]);
	if (ret != expect)
		aip_fail(t, "remove %s/%u by %d: %d, expected %d", s, cidr, p,
			 ret, expect);
	memcpy(bits, ip, 16);
	mask_key(bits, cidr);
	r = ref_find(t, bits, cidr);
	if (!ret && r >= 0)
		ref_remove_at(t, r);
}

static void aip_forget(struct aip_test *t, const char *s, u8 cidr)
{
	u8 ip[16] __aligned(__alignof(u64));
	int r;

	aip_parse(t, s, ip);
	mask_key(ip, cidr);
	r = ref_find(t, ip, cidr);
	if (r < 0)
		aip_fail(t, "%s/%u not in the reference", s, cidr);
	else
		ref_remove_at(t, r);
}

/* p < 0: no peer expected. */
static void aip_expect_lookup(struct aip_test *t, const char *s, int p)
{
	u8 ip[16] __aligned(__alignof(u64));
	struct wg_peer *want = p < 0 ? NULL : t->peers[p];
	struct wg_peer *got;

	aip_parse(t, s, ip);
	got = aip_lookup(t, ip);
	if (got != want)
		aip_fail(t, "lookup %s: got %p, expected peer %d (%p)", s, got,
			 p, want);
	if (ref_lookup(t, ip) != want)
		aip_fail(t, "reference disagrees on %s", s);
}

static void aip_expect_list(struct aip_test *t, int p, unsigned int n)
{
	struct list_head *pos;
	unsigned int count = 0;

	mutex_lock(t->lock);
	list_for_each(pos, &t->peers[p]->allowedips_list)
		++count;
	mutex_unlock(t->lock);
	if (count != n)
		aip_fail(t, "peer %d lists %u prefixes, expected %u", p, count,
			 n);
}

static void aip_hand_v4(struct aip_test *t)
{
	struct allowedips_node *node;
	u8 ip[16] __aligned(__alignof(u64)), cidr;

	aip_expect_lookup(t, "10.1.2.3", -1);
	aip_expect_insert(t, "0.0.0.0", 0, 0);
	aip_expect_lookup(t, "10.1.2.3", 0);
	aip_expect_lookup(t, "255.255.255.255", 0);
	aip_expect_insert(t, "10.0.0.0", 8, 1);
	aip_expect_insert(t, "10.1.2.3", 32, 2);
	aip_expect_insert(t, "10.1.0.0", 16, 3);
	aip_expect_lookup(t, "10.1.2.3", 2);
	aip_expect_lookup(t, "10.1.2.4", 3);
	aip_expect_lookup(t, "10.2.2.3", 1);
	aip_expect_lookup(t, "11.1.2.3", 0);
	aip_expect_lookup(t, "0.0.0.0", 0);
	/* Sibling /32s diverging in the last bit, then their /31. */
	aip_expect_insert(t, "192.168.7.6", 32, 4);
	aip_expect_insert(t, "192.168.7.7", 32, 5);
	aip_expect_lookup(t, "192.168.7.6", 4);
	aip_expect_lookup(t, "192.168.7.7", 5);
	aip_expect_lookup(t, "192.168.7.5", 0);
	aip_expect_insert(t, "192.168.7.6", 31, 6);
	aip_expect_lookup(t, "192.168.7.6", 4);
	aip_expect_remove(t, "192.168.7.6", 32, 4, 0);
	aip_expect_lookup(t, "192.168.7.6", 6);
	aip_expect_lookup(t, "192.168.7.7", 5);
	/* Removal only by the owner, and only the exact prefix. */
	aip_expect_remove(t, "10.0.0.0", 8, 2, -ENOENT);
	aip_expect_remove(t, "10.0.0.0", 9, 1, -ENOENT);
	aip_expect_remove(t, "10.0.0.0", 7, 1, -ENOENT);
	aip_expect_remove(t, "10.0.0.0", 33, 1, -EINVAL);
	aip_expect_remove(t, "10.9.9.9", 8, 1, 0);	/* host bits ignored */
	aip_expect_lookup(t, "10.2.2.3", 0);
	aip_expect_lookup(t, "10.1.2.4", 3);
	aip_expect_remove(t, "10.0.0.0", 8, 1, -ENOENT);
	/* Host bits masked on insertion, and read back masked. */
	aip_expect_insert(t, "172.16.99.77", 20, 7);
	mutex_lock(t->lock);
	node = list_first_entry(&t->peers[7]->allowedips_list,
				struct allowedips_node, peer_list);
	if (wg_allowedips_read_node(node, ip, &cidr) != AF_INET || cidr != 20 ||
	    memcmp(ip, "\xac\x10\x60\x00", 4))
		aip_fail(t, "172.16.99.77/20 read back as %pI4/%u", ip, cidr);
	mutex_unlock(t->lock);
	aip_expect_lookup(t, "172.16.96.1", 7);
	aip_expect_lookup(t, "172.16.112.1", 0);
	/* Moving a prefix between peers moves its list entry. */
	aip_expect_insert(t, "172.16.96.0", 20, 8);
	aip_expect_list(t, 7, 0);
	aip_expect_list(t, 8, 1);
	aip_expect_lookup(t, "172.16.99.77", 8);
	if (aip_insert(t, ip, 33, t->peers[0]) != -EINVAL)
		aip_fail(t, "insert /33 accepted");
	/* remove_by_peer takes every prefix of one peer, only those. */
	aip_expect_insert(t, "10.1.128.0", 17, 3);
	aip_expect_insert(t, "1.2.3.4", 32, 3);
	aip_expect_list(t, 3, 3);
	aip_remove_by_peer(t, t->peers[3]);
	aip_forget(t, "10.1.0.0", 16);
	aip_forget(t, "10.1.128.0", 17);
	aip_forget(t, "1.2.3.4", 32);
	aip_expect_list(t, 3, 0);
	aip_expect_lookup(t, "10.1.2.4", 0);
	aip_expect_lookup(t, "10.1.2.3", 2);
	aip_expect_lookup(t, "1.2.3.4", 0);
	aip_expect_remove(t, "0.0.0.0", 0, 0, 0);
	aip_expect_lookup(t, "1.2.3.4", -1);
	aip_expect_lookup(t, "10.1.2.3", 2);
	aip_check_shape(t);
	aip_check_lists(t);
}

static void aip_hand_v6(struct aip_test *t)
{
	aip_expect_lookup(t, "2001:db8::1", -1);
	aip_expect_insert(t, "::", 0, 0);
	aip_expect_insert(t, "2001:db8::", 32, 1);
	aip_expect_insert(t, "2001:db8:1234::", 48, 2);
	aip_expect_insert(t, "2001:db8:1234:5678::1", 128, 3);
	aip_expect_insert(t, "2001:db8:1234:5678::", 64, 4);
	aip_expect_lookup(t, "2001:db8:1234:5678::1", 3);
	aip_expect_lookup(t, "2001:db8:1234:5678::2", 4);
	aip_expect_lookup(t, "2001:db8:1234:5679::1", 2);
	aip_expect_lookup(t, "2001:db8:1235::1", 1);
	aip_expect_lookup(t, "2001:db9::1", 0);
	aip_expect_lookup(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	/* Prefixes differing only in the second 64-bit half. */
	aip_expect_insert(t, "2001:db8:1234:5678:8000::", 65, 5);
	aip_expect_insert(t, "2001:db8:1234:5678:ffff:ffff:ffff:fffe", 127, 6);
	aip_expect_insert(t, "2001:db8:1234:5678:ffff:ffff:ffff:ffff", 128, 7);
	aip_expect_lookup(t, "2001:db8:1234:5678:ffff:ffff:ffff:ffff", 7);
	aip_expect_lookup(t, "2001:db8:1234:5678:ffff:ffff:ffff:fffe", 6);
	aip_expect_lookup(t, "2001:db8:1234:5678:ffff:ffff:ffff:fffd", 5);
	aip_expect_lookup(t, "2001:db8:1234:5678:7fff::", 4);
	aip_expect_insert(t, "2001:db8:1234:5678:ffff:ffff:ffff:ffff", 128, 3);
	aip_expect_lookup(t, "2001:db8:1234:5678:ffff:ffff:ffff:ffff", 3);
	aip_expect_list(t, 7, 0);
	aip_expect_list(t, 3, 2);
	aip_expect_remove(t, "2001:db8:1234:5678::", 64, 4, 0);
	aip_expect_lookup(t, "2001:db8:1234:5678::2", 2);
	aip_expect_remove(t, "2001:db8::", 32, 4, -ENOENT);
	aip_expect_remove(t, "2001:db8::", 129, 1, -EINVAL);
	aip_remove_by_peer(t, t->peers[3]);
	aip_forget(t, "2001:db8:1234:5678::1", 128);
	aip_forget(t, "2001:db8:1234:5678:ffff:ffff:ffff:ffff", 128);
	aip_expect_lookup(t, "2001:db8:1234:5678::1", 2);
	aip_expect_lookup(t, "2001:db8:1234:5678:ffff:ffff:ffff:ffff", 6);
	aip_check_shape(t);
	aip_check_lists(t);
}

/* The skb entry points, with references, on both families at once. */
static void aip_skb(struct aip_test *t4, struct aip_test *t6)
{
	struct sk_buff *skb;
	struct iphdr *ip4;
	struct ipv6hdr *ip6;
	struct wg_peer *peer;

	skb = alloc_skb(128, GFP_KERNEL);
	if (!skb) {
		aip_fail(t4, "out of memory");
		return;
	}
	skb_reset_network_header(skb);
	ip4 = skb_put_zero(skb, sizeof(*ip4));
	skb->protocol = htons(ETH_P_IP);
	in4_pton("10.1.2.3", -1, (u8 *)&ip4->saddr, -1, NULL);
	in4_pton("192.168.7.7", -1, (u8 *)&ip4->daddr, -1, NULL);
	peer = wg_allowedips_lookup_src(t4->table, skb);
	if (peer != t4->peers[2])
		aip_fail(t4, "lookup_src v4");
	if (peer)
		wg_peer_put(peer);
	peer = wg_allowedips_lookup_dst(t4->table, skb);
	if (peer != t4->peers[5])
		aip_fail(t4, "lookup_dst v4");
	if (peer)
		wg_peer_put(peer);
	/* Neither IPv4 nor IPv6: no lookup. */
	skb->protocol = htons(ETH_P_ARP);
	if (wg_allowedips_lookup_src(t4->table, skb))
		aip_fail(t4, "non-IP packet matched");
	if (kref_read(&t4->peers[2]->refcount) != 1)
		aip_fail(t4, "lookup leaked a reference");

	skb_trim(skb, 0);
	skb_reset_network_header(skb);
	ip6 = skb_put_zero(skb, sizeof(*ip6));
	skb->protocol = htons(ETH_P_IPV6);
	in6_pton("2001:db8:1234:5678::1", -1, ip6->saddr.s6_addr, -1, NULL);
	in6_pton("2001:db9::", -1, ip6->daddr.s6_addr, -1, NULL);
	peer = wg_allowedips_lookup_src(t6->table, skb);
	if (peer != t6->peers[2])
		aip_fail(t6, "lookup_src v6");
	if (peer)
		wg_peer_put(peer);
	peer = wg_allowedips_lookup_dst(t6->table, skb);
	if (peer != t6->peers[0])
		aip_fail(t6, "lookup_dst v6");
	if (peer)
		wg_peer_put(peer);
	/* A truncated header is no match. */
	skb_trim(skb, sizeof(*ip6) - 1);
	if (wg_allowedips_lookup_src(t6->table, skb))
		aip_fail(t6, "truncated v6 header matched");
	kfree_skb(skb);
}

static void aip_teardown(struct aip_test *t)
{
	struct allowedips_node *node;
	unsigned int p;
	u8 key[16] = { 0 };

	mutex_lock(t->lock);
	wg_allowedips_free(t->table, t->lock);
	mutex_unlock(t->lock);
	/* free empties the tables of both families: check only once. */
	for (p = 0; p < AIP_PEERS; ++p) {
		if (!t->peers[p])
			continue;
		list_for_each_entry(node, &t->peers[p]->allowedips_list,
				    peer_list)
			aip_fail(t, "peer %u still lists a prefix", p);
	}
	if (aip_lookup(t, key))
		aip_fail(t, "lookup after free");
}

bool wg_allowedips_selftest(void)
{
	struct aip_test *t4 = NULL, *t6 = NULL;
	bool own_cache = !node_cache, ok = false;
	struct aip_shared *sh;
	unsigned int p;

	/* May run before or after the module's wg_allowedips_slab_init(). */
	if (own_cache && wg_allowedips_slab_init())
		goto done;
	sh = kzalloc(sizeof(*sh), GFP_KERNEL);
	if (!sh)
		goto out;
	wg_allowedips_init(&sh->table);
	mutex_init(&sh->lock);
	for (p = 0; p < AIP_PEERS; ++p) {
		sh->peers[p] = kzalloc(sizeof(*sh->peers[p]), GFP_KERNEL);
		if (!sh->peers[p])
			goto out;
		kref_init(&sh->peers[p]->refcount);
		INIT_LIST_HEAD(&sh->peers[p]->allowedips_list);
	}
	t4 = kvzalloc(sizeof(*t4), GFP_KERNEL);
	t6 = kvzalloc(sizeof(*t6), GFP_KERNEL);
	if (!t4 || !t6)
		goto out;
	t4->table = t6->table = &sh->table;
	t4->lock = t6->lock = &sh->lock;
	t4->peers = t6->peers = sh->peers;
	t4->other = t6;
	t6->other = t4;
	t4->bitlen = 32;
	t6->bitlen = 128;
	t4->ok = t6->ok = true;
	t4->rng = 0x9e3779b97f4a7c15ULL;
	t6->rng = 0xd1b54a32d192ed03ULL;

	/* Both families in one table: each view checks its own. */
	aip_hand_v4(t4);
	aip_hand_v6(t6);
	aip_check_lists(t4);
	aip_check_shape(t4);
	aip_skb(t4, t6);
	aip_teardown(t4);
	aip_teardown(t6);
	t4->nref = t6->nref = 0;

	aip_random(t4);
	aip_random(t6);
	aip_check_shape(t4);
	aip_check_lists(t4);
	aip_teardown(t4);
	aip_teardown(t6);
	t4->nref = t6->nref = 0;

	aip_pooled(t4, 1000);
	aip_pooled(t6, 1000);
	aip_teardown(t4);
	aip_teardown(t6);
	ok = t4->ok && t6->ok;

out:
	if (sh) {
		for (p = 0; p < AIP_PEERS; ++p)
			kfree(sh->peers[p]);
	}
	kfree(sh);
	kvfree(t4);
	kvfree(t6);
	if (own_cache) {
		wg_allowedips_slab_uninit();
		node_cache = NULL;
	}
done:
	pr_info("allowedips self-tests: %s\n", ok ? "pass" : "FAIL");
	return ok;
}
