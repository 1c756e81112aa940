/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cryptokey routing, the interface of allowedips.c: each configured prefix
 * (an IPv4 or IPv6 network and its length) belongs to one peer, and a
 * packet's inner address picks the peer of the longest matching prefix.
 *
 * Who may call what:
 *
 *   writers      insert, remove, remove_by_peer, free, read_node: process
 *                context, holding the mutex they pass in (for a device,
 *                its device_update_lock); free sleeps
 *   readers      lookup_dst, lookup_src: any context up to softirq, no
 *                lock; they enter RCU themselves
 *   node pools   the single writer that owns the pool
 *
 * allowedips.c explains the trie itself (path compression, the two-child
 * rule for joining nodes, how readers stay safe while writers change it).
 */
#ifndef _WG_ALLOWEDIPS_H
#define _WG_ALLOWEDIPS_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct sk_buff;
struct wg_peer;

/* A trie node.  The key part, written once before the node is published
 * and then constant (readers use it without the mutex):
 *  - bits: the prefix, network byte order, bits past cidr cleared; an IPv4
 *    prefix fills bytes 0..3 and leaves the rest zero.  8-byte aligned: it
 *    is compared 64 bits at a time.
 *  - cidr: the prefix length; bitlen: 32 or 128, the family's width.
 *  - bit_at_a, bit_at_b: where the branching bit lives (bit number cidr
 *    from the top, i.e. byte bit_at_a, shift bit_at_b), precomputed for the
 *    lookup loop.
 * The links, RCU pointers stored under the mutex:
 *  - peer: the owner, or NULL for a node that only joins two subtrees;
 *  - bit[0], bit[1]: the subtrees whose branching bit is 0 and 1.
 * The bookkeeping, never seen by readers:
 *  - peer_list: on the owner's allowedips_list (or a pool's list), mutex;
 *  - rcu: for freeing once unlinked.  A node leaves peer_list before it is
 *    handed to call_rcu(), so both share their storage, which keeps a
 *    node at 64 bytes on 64-bit, one cache line.
 */
struct allowedips_node {
	u8 bits[16] __aligned(__alignof(u64));
	struct wg_peer __rcu *peer;
	struct allowedips_node __rcu *bit[2];
	u8 cidr;
	u8 bitlen;
	u8 bit_at_a;
	u8 bit_at_b;
	union {
		struct list_head peer_list;
		struct rcu_head rcu;
	};
};

/* One table: a trie per family.  root4 and root6 are RCU pointers set
 * under the writers' mutex.  seq changes on every write (under the same
 * mutex) so that a dump resumed across netlink messages can tell that
 * the node it stopped at may be gone.
 */
struct allowedips {
	struct allowedips_node __rcu *root6;
	struct allowedips_node __rcu *root4;
	u64 seq;
};

void wg_allowedips_init(struct allowedips *table);
void wg_allowedips_free(struct allowedips *table, struct mutex *lock);

/* Node pools make a batch of inserts infallible: a configuration request
 * fills a pool for its worst case first (WG_ALLOWEDIPS_NODES_PER_INSERT
 * per insert: the prefix's node plus, at most, one joining node), then
 * applies its changes, then drains what is left.  Pooled nodes wait on
 * pool->nodes through their peer_list and are in no trie.  A pool has no
 * lock: it is private to the writer that filled it.
 */
#define WG_ALLOWEDIPS_NODES_PER_INSERT 2

struct wg_allowedips_pool {
	struct list_head nodes;
	unsigned int count;
};

void wg_allowedips_pool_init(struct wg_allowedips_pool *pool);
/* May sleep.  On -ENOMEM the nodes added so far stay in the pool. */
int wg_allowedips_pool_fill(struct wg_allowedips_pool *pool,
			    unsigned long count);
void wg_allowedips_pool_drain(struct wg_allowedips_pool *pool);

/* Writers.  Inserting a prefix that exists hands it to peer.  Nodes come
 * from pool if one is given (then only bad arguments fail: -EINVAL),
 * otherwise from the allocator (-ENOMEM possible).  Removing a prefix
 * succeeds only if peer is its owner, else -ENOENT.  remove_by_peer drops
 * every prefix of peer.
 */
int wg_allowedips_insert_v4(struct allowedips *table,
			    const struct in_addr *ip, u8 cidr,
			    struct wg_peer *peer,
			    struct wg_allowedips_pool *pool,
			    struct mutex *lock);	/* held by the caller */
int wg_allowedips_insert_v6(struct allowedips *table,
			    const struct in6_addr *ip, u8 cidr,
			    struct wg_peer *peer,
			    struct wg_allowedips_pool *pool,
			    struct mutex *lock);	/* held by the caller */
int wg_allowedips_remove_v4(struct allowedips *table,
			    const struct in_addr *ip, u8 cidr,
			    struct wg_peer *peer, struct mutex *lock);
int wg_allowedips_remove_v6(struct allowedips *table,
			    const struct in6_addr *ip, u8 cidr,
			    struct wg_peer *peer, struct mutex *lock);
void wg_allowedips_remove_by_peer(struct allowedips *table,
				  struct wg_peer *peer, struct mutex *lock);

/* Dumps walk peer->allowedips_list with the mutex held and read each node
 * here: its prefix into ip (16 bytes, network order) and length into
 * *cidr.  Returns the family, AF_INET or AF_INET6.
 */
int wg_allowedips_read_node(struct allowedips_node *node, u8 ip[16],
			    u8 *cidr);

/* Readers.  The inner header at skb_network_header() gives the address:
 * its destination for a packet we are about to send (lookup_dst), its
 * source for one we received (lookup_src).  The result carries a new
 * reference, to be dropped with wg_peer_put(); NULL when no prefix
 * matches, the header is not IPv4/IPv6 or not in the linear area.
 */
struct wg_peer *wg_allowedips_lookup_dst(struct allowedips *table,
					 struct sk_buff *skb);
struct wg_peer *wg_allowedips_lookup_src(struct allowedips *table,
					 struct sk_buff *skb);

/* Module load and unload: the node slab cache. */
int wg_allowedips_slab_init(void);
void wg_allowedips_slab_uninit(void);

#ifdef WG_DEBUG
bool wg_allowedips_selftest(void);
#endif

#endif /* _WG_ALLOWEDIPS_H */
