// SPDX-License-Identifier: GPL-2.0
/*
 * Cryptokey routing table: a path-compressed binary trie per address
 * family.
 *
 * Every node carries a prefix (bits, cidr).  The children of a node hold
 * prefixes that extend it, bit[0] those whose bit number cidr is 0 and
 * bit[1] those where it is 1; the bits in between are skipped (path
 * compression), so a node's prefix must be compared in full on the way
 * down.  Nodes without a peer only join two subtrees: the writer keeps
 * the invariant that such a node always has exactly two children, which
 * bounds the trie to fewer than twice as many nodes as prefixes.
 *
 * Readers descend under RCU without locks, remembering the last node with
 * a peer whose prefix matched: that is the longest prefix.  Writers build
 * new nodes completely before publishing them with one pointer store, and
 * free unlinked nodes after a grace period, so a reader always sees
 * either the trie before or after a change.  Every walk is a loop, never
 * a recursion.
 */

#include "allowedips.h"
#include "peer.h"

#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/socket.h>

static struct kmem_cache *node_cache;

/* The number of leading bits a and b (16 bytes each) have in common. */
static unsigned int common_bits(const u8 *a, const u8 *b, unsigned int bitlen)
{
	const __be64 *x = (const __be64 *)a, *y = (const __be64 *)b;
	unsigned int i;
	u64 diff;

	for (i = 0; i * 64 < bitlen; ++i) {
		diff = be64_to_cpu(x[i]) ^ be64_to_cpu(y[i]);
		if (diff)
			return min_t(unsigned int, bitlen,
				     i * 64 + 63 - __fls(diff));
	}
	return bitlen;
}

static inline bool prefix_matches(const struct allowedips_node *node,
				  const u8 *key)
{
	return common_bits(node->bits, key, node->bitlen) >= node->cidr;
}

/* Which child of node the address key continues into. */
static inline unsigned int key_bit(const u8 *key,
				   const struct allowedips_node *node)
{
	return (key[node->bit_at_a] >> node->bit_at_b) & 1;
}

/* Clear every bit from number cidr on. */
static void mask_key(u8 key[16], unsigned int cidr)
{
	unsigned int i;

	for (i = 0; i < 16; ++i) {
		if (i * 8 >= cidr)
			key[i] = 0;
		else if (i * 8 + 8 > cidr)
			key[i] &= (u8)(0xff << (8 - (cidr - i * 8)));
	}
}

void wg_allowedips_pool_init(struct wg_allowedips_pool *pool)
{
	INIT_LIST_HEAD(&pool->nodes);
	pool->count = 0;
}

int wg_allowedips_pool_fill(struct wg_allowedips_pool *pool,
			    unsigned long count)
{
	struct allowedips_node *node;

	while (count--) {
		node = kmem_cache_alloc(node_cache, GFP_KERNEL);
		if (!node)
			return -ENOMEM;
		list_add(&node->peer_list, &pool->nodes);
		++pool->count;
		if (!(pool->count % 1024))
			cond_resched();
	}
	return 0;
}

void wg_allowedips_pool_drain(struct wg_allowedips_pool *pool)
{
	struct allowedips_node *node, *tmp;

	list_for_each_entry_safe(node, tmp, &pool->nodes, peer_list)
		kmem_cache_free(node_cache, node);
	wg_allowedips_pool_init(pool);
}

/* A node from the pool, or a new one without a pool; NULL if none. */
static struct allowedips_node *node_get(struct wg_allowedips_pool *pool)
{
	struct allowedips_node *node;

	if (!pool)
		return kmem_cache_alloc(node_cache, GFP_KERNEL);
	node = list_first_entry_or_null(&pool->nodes, struct allowedips_node,
					peer_list);
	/* The pool was sized for the worst case: empty is a bug. */
	if (WARN_ON_ONCE(!node))
		return NULL;
	list_del(&node->peer_list);
	--pool->count;
	return node;
}

/* Give back a node that was never published. */
static void node_put(struct wg_allowedips_pool *pool,
		     struct allowedips_node *node)
{
	if (!pool) {
		kmem_cache_free(node_cache, node);
		return;
	}
	list_add(&node->peer_list, &pool->nodes);
	++pool->count;
}

static struct allowedips_node *node_alloc(struct wg_allowedips_pool *pool,
					  struct wg_peer *peer, const u8 *key,
					  u8 cidr, u8 bitlen)
{
	struct allowedips_node *node = node_get(pool);

	if (!node)
		return NULL;
	memset(node, 0, sizeof(*node));
	memcpy(node->bits, key, sizeof(node->bits));
	mask_key(node->bits, cidr);
	node->cidr = cidr;
	node->bitlen = bitlen;
	/* A full-length prefix has no children: any bit will do. */
	node->bit_at_a = cidr < bitlen ? cidr / 8 : 0;
	node->bit_at_b = 7 - cidr % 8;
	RCU_INIT_POINTER(node->peer, peer);
	INIT_LIST_HEAD(&node->peer_list);
	return node;
}

static void node_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(node_cache, container_of(rcu, struct allowedips_node,
						 rcu));
}

#define deref_locked(p, lock) rcu_dereference_protected(p, lockdep_is_held(lock))

static int insert_prefix(struct allowedips *table,
			 struct allowedips_node __rcu **root, u8 bitlen,
			 u8 key[16], u8 cidr, struct wg_peer *peer,
			 struct wg_allowedips_pool *pool, struct mutex *lock)
{
	struct allowedips_node __rcu **slot = root;
	struct allowedips_node *node, *newnode, *join, *top;
	unsigned int common = 0;

	lockdep_assert_held(lock);
	if (unlikely(cidr > bitlen || !peer))
		return -EINVAL;
	mask_key(key, cidr);

	while ((node = deref_locked(*slot, lock))) {
		common = min3(common_bits(node->bits, key, bitlen),
			      (unsigned int)node->cidr, (unsigned int)cidr);
		if (common < node->cidr)
			break;
		if (node->cidr == cidr) {
			/* The prefix exists: it now belongs to peer. */
			if (deref_locked(node->peer, lock) != peer) {
				list_move_tail(&node->peer_list,
					       &peer->allowedips_list);
				rcu_assign_pointer(node->peer, peer);
			}
			++table->seq;
			return 0;
		}
		slot = &node->bit[key_bit(key, node)];
	}

	newnode = node_alloc(pool, peer, key, cidr, bitlen);
	if (unlikely(!newnode))
		return -ENOMEM;
	top = newnode;
	if (!node) {
		/* An empty slot. */
	} else if (common == cidr) {
		/* The new prefix contains node: it goes above it. */
		RCU_INIT_POINTER(newnode->bit[key_bit(node->bits, newnode)],
				 node);
	} else {
		/* They part at bit number common: join them there. */
		join = node_alloc(pool, NULL, key, common, bitlen);
		if (unlikely(!join)) {
			node_put(pool, newnode);
			return -ENOMEM;
		}
		RCU_INIT_POINTER(join->bit[key_bit(key, join)], newnode);
		RCU_INIT_POINTER(join->bit[key_bit(node->bits, join)], node);
		top = join;
	}
	list_add_tail(&newnode->peer_list, &peer->allowedips_list);
	rcu_assign_pointer(*slot, top);
	++table->seq;
	return 0;
}

/* The node holding exactly key/cidr, with the slot pointing at it and the
 * slot pointing at its parent (NULL for the root).
 */
static struct allowedips_node *
find_exact(struct allowedips_node __rcu **root, const u8 *key, u8 cidr,
	   struct allowedips_node __rcu ***slotp,
	   struct allowedips_node __rcu ***parent_slotp, struct mutex *lock)
{
	struct allowedips_node __rcu **slot = root, **parent_slot = NULL;
	struct allowedips_node *node;

	while ((node = deref_locked(*slot, lock))) {
		if (node->cidr > cidr || !prefix_matches(node, key))
			return NULL;
		if (node->cidr == cidr)
			break;
		parent_slot = slot;
		slot = &node->bit[key_bit(key, node)];
	}
	*slotp = slot;
	*parent_slotp = parent_slot;
	return node;
}

/* Take the prefix of node away from its peer and prune the trie. */
static void remove_node(struct allowedips_node *node,
			struct allowedips_node __rcu **slot,
			struct allowedips_node __rcu **parent_slot,
			struct mutex *lock)
{
	struct allowedips_node *child0, *child1, *child, *parent;

	RCU_INIT_POINTER(node->peer, NULL);
	list_del_init(&node->peer_list);

	child0 = deref_locked(node->bit[0], lock);
	child1 = deref_locked(node->bit[1], lock);
	if (child0 && child1)
		return;	/* still joins two subtrees */

	child = child0 ?: child1;
	rcu_assign_pointer(*slot, child);
	call_rcu(&node->rcu, node_free_rcu);
	if (child || !parent_slot)
		return;

	/* A leaf went away; if its parent only joined it to a sibling, the
	 * sibling takes the parent's place.
	 */
	parent = deref_locked(*parent_slot, lock);
	if (deref_locked(parent->peer, lock))
		return;
	child = deref_locked(parent->bit[0], lock) ?:
		deref_locked(parent->bit[1], lock);
	rcu_assign_pointer(*parent_slot, child);
	call_rcu(&parent->rcu, node_free_rcu);
}

static int remove_prefix(struct allowedips *table,
			 struct allowedips_node __rcu **root, u8 key[16],
			 u8 cidr, u8 bitlen, struct wg_peer *peer,
			 struct mutex *lock)
{
	struct allowedips_node __rcu **slot, **parent_slot;
	struct allowedips_node *node;

	lockdep_assert_held(lock);
	if (unlikely(cidr > bitlen))
		return -EINVAL;
	mask_key(key, cidr);
	node = find_exact(root, key, cidr, &slot, &parent_slot, lock);
	if (!node || !peer || deref_locked(node->peer, lock) != peer)
		return -ENOENT;
	remove_node(node, slot, parent_slot, lock);
	++table->seq;
	return 0;
}

void wg_allowedips_init(struct allowedips *table)
{
	RCU_INIT_POINTER(table->root4, NULL);
	RCU_INIT_POINTER(table->root6, NULL);
	table->seq = 1;
}

/* Free a whole detached trie, no reader left: flatten it by rotations. */
static void destroy_trie(struct allowedips_node *node)
{
	struct allowedips_node *child;

	while (node) {
		child = rcu_dereference_protected(node->bit[0], true);
		if (child) {
			RCU_INIT_POINTER(node->bit[0],
					 rcu_dereference_protected(child->bit[1],
								   true));
			RCU_INIT_POINTER(child->bit[1], node);
			node = child;
		} else {
			child = rcu_dereference_protected(node->bit[1], true);
			list_del(&node->peer_list);
			kmem_cache_free(node_cache, node);
			node = child;
		}
	}
}

void wg_allowedips_free(struct allowedips *table, struct mutex *lock)
{
	struct allowedips_node *root4 = deref_locked(table->root4, lock);
	struct allowedips_node *root6 = deref_locked(table->root6, lock);

	lockdep_assert_held(lock);
	++table->seq;
	if (!root4 && !root6)
		return;
	RCU_INIT_POINTER(table->root4, NULL);
	RCU_INIT_POINTER(table->root6, NULL);
	synchronize_rcu();
	destroy_trie(root4);
	destroy_trie(root6);
}

int wg_allowedips_insert_v4(struct allowedips *table, const struct in_addr *ip,
			    u8 cidr, struct wg_peer *peer,
			    struct wg_allowedips_pool *pool, struct mutex *lock)
{
	u8 key[16] __aligned(__alignof(u64)) = { 0 };

	memcpy(key, ip, 4);
	return insert_prefix(table, &table->root4, 32, key, cidr, peer, pool,
			     lock);
}

int wg_allowedips_insert_v6(struct allowedips *table, const struct in6_addr *ip,
			    u8 cidr, struct wg_peer *peer,
			    struct wg_allowedips_pool *pool, struct mutex *lock)
{
	u8 key[16] __aligned(__alignof(u64));

	memcpy(key, ip, 16);
	return insert_prefix(table, &table->root6, 128, key, cidr, peer, pool,
			     lock);
}

int wg_allowedips_remove_v4(struct allowedips *table, const struct in_addr *ip,
			    u8 cidr, struct wg_peer *peer, struct mutex *lock)
{
	u8 key[16] __aligned(__alignof(u64)) = { 0 };

	memcpy(key, ip, 4);
	return remove_prefix(table, &table->root4, key, cidr, 32, peer, lock);
}

int wg_allowedips_remove_v6(struct allowedips *table, const struct in6_addr *ip,
			    u8 cidr, struct wg_peer *peer, struct mutex *lock)
{
	u8 key[16] __aligned(__alignof(u64));

	memcpy(key, ip, 16);
	return remove_prefix(table, &table->root6, key, cidr, 128, peer, lock);
}

void wg_allowedips_remove_by_peer(struct allowedips *table,
				  struct wg_peer *peer, struct mutex *lock)
{
	struct allowedips_node __rcu **slot, **parent_slot;
	struct allowedips_node *node, *tmp, *found;

	lockdep_assert_held(lock);
	list_for_each_entry_safe(node, tmp, &peer->allowedips_list, peer_list) {
		/* Removing node frees at most node and a peerless parent,
		 * never another node of this list, so tmp stays valid.
		 */
		found = find_exact(node->bitlen == 32 ? &table->root4 :
							&table->root6,
				   node->bits, node->cidr, &slot, &parent_slot,
				   lock);
		if (WARN_ON(found != node))
			continue;
		remove_node(node, slot, parent_slot, lock);
	}
	++table->seq;
}

int wg_allowedips_read_node(struct allowedips_node *node, u8 ip[16], u8 *cidr)
{
	memcpy(ip, node->bits, 16);
	*cidr = node->cidr;
	return node->bitlen == 32 ? AF_INET : AF_INET6;
}

/* The longest-prefix owner of key; caller holds rcu_read_lock_bh(). */
static struct wg_peer *lookup_rcu(struct allowedips_node __rcu *const *root,
				  const u8 *key)
{
	struct allowedips_node *node = rcu_dereference_bh(*root);
	struct wg_peer *found = NULL, *peer;

	while (node && prefix_matches(node, key)) {
		peer = rcu_dereference_bh(node->peer);
		if (peer)
			found = peer;
		node = rcu_dereference_bh(node->bit[key_bit(key, node)]);
	}
	return found;
}

static struct wg_peer *lookup_skb(struct allowedips *table,
				  struct sk_buff *skb, bool source)
{
	u8 key[16] __aligned(__alignof(u64)) = { 0 };
	struct allowedips_node __rcu *const *root;
	const u8 *nh = skb_network_header(skb);
	struct wg_peer *peer;

	/* The header must lie in the linear area, wherever skb->data is. */
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *ip4 = ip_hdr(skb);

		if (unlikely(nh < skb->head ||
			     nh + sizeof(*ip4) > skb_tail_pointer(skb)))
			return NULL;
		memcpy(key, source ? &ip4->saddr : &ip4->daddr, 4);
		root = &table->root4;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if (unlikely(nh < skb->head ||
			     nh + sizeof(*ip6) > skb_tail_pointer(skb)))
			return NULL;
		memcpy(key, source ? &ip6->saddr : &ip6->daddr, 16);
		root = &table->root6;
	} else {
		return NULL;
	}

	rcu_read_lock_bh();
	peer = lookup_rcu(root, key);
	if (peer)
		peer = wg_peer_get_maybe_zero(peer);
	rcu_read_unlock_bh();
	return peer;
}

struct wg_peer *wg_allowedips_lookup_dst(struct allowedips *table,
					 struct sk_buff *skb)
{
	return lookup_skb(table, skb, false);
}

struct wg_peer *wg_allowedips_lookup_src(struct allowedips *table,
					 struct sk_buff *skb)
{
	return lookup_skb(table, skb, true);
}

int wg_allowedips_slab_init(void)
{
	node_cache = KMEM_CACHE(allowedips_node, 0);
	return node_cache ? 0 : -ENOMEM;
}

void wg_allowedips_slab_uninit(void)
{
	rcu_barrier();	/* node_free_rcu() callbacks still queued */
	kmem_cache_destroy(node_cache);
}

#ifdef WG_DEBUG
#include "selftest/allowedips.c"
#endif
