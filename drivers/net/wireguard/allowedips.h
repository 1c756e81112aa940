/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cryptokey routing: which peer owns an inner IPv4 or IPv6 address.
 * A path-compressed binary trie per address family, longest-prefix match.
 */
#ifndef _WG_ALLOWEDIPS_H
#define _WG_ALLOWEDIPS_H

#include <linux/mutex.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct wg_peer;
struct sk_buff;

/*
 * One node of the trie.  A node with a non-NULL peer is a prefix someone
 * configured; a node with a NULL peer only joins two subtrees.
 *
 * bits[] holds the prefix in network byte order with host bits cleared
 * (an IPv4 prefix uses the first 4 bytes, the rest stay zero); cidr is
 * its length and bitlen the address length (32 or 128).  The child below
 * this node is chosen by bit number cidr of the address (counted from the
 * most significant bit): bit_at_b of byte bit_at_a, precomputed.
 *
 * Locking: everything is written under the table's writer mutex (the
 * device's device_update_lock).  Readers (lookups, softirq) follow peer
 * and bit[] under RCU and read only immutable fields besides: bits,
 * cidr, bit_at_a, bit_at_b and bitlen never change after insertion.
 * peer_list links the node into peer->allowedips_list (mutex only).
 * A node is taken off that list before it is unlinked from the trie and
 * handed to call_rcu(), so peer_list and rcu are never live at once and
 * share their space: a node is 64 bytes, one cache line.
 */
struct allowedips_node {
	struct wg_peer __rcu *peer;
	struct allowedips_node __rcu *bit[2];
	u8 cidr, bit_at_a, bit_at_b, bitlen;
	u8 bits[16] __aligned(__alignof(u64));
	union {
		struct list_head peer_list;
		struct rcu_head rcu;
	};
};

/*
 * The table of a device.  root4/root6 are RCU pointers read by lookups;
 * they and seq (bumped on every change, for resumable dumps) are written
 * under the mutex every writer passes in.
 */
struct allowedips {
	struct allowedips_node __rcu *root4;
	struct allowedips_node __rcu *root6;
	u64 seq;
};

/*
 * Nodes allocated ahead of the inserts that will use them, so that the
 * inserts cannot fail (a netlink SET allocates everything first, then
 * applies).  An insert takes at most WG_ALLOWEDIPS_NODES_PER_INSERT
 * nodes: its prefix and a node joining it to a sibling.  Nodes left over
 * go back with wg_allowedips_pool_drain().
 *
 * Locking: none of its own; a pool belongs to the one writer that filled
 * it (the netlink request, under device_update_lock).  Pooled nodes are
 * linked by their peer_list and are reachable from no trie.
 */
struct wg_allowedips_pool {
	struct list_head nodes;
	unsigned int count;
};

#define WG_ALLOWEDIPS_NODES_PER_INSERT 2

void wg_allowedips_pool_init(struct wg_allowedips_pool *pool);
/* Add count nodes (process context); -ENOMEM keeps what was added. */
int wg_allowedips_pool_fill(struct wg_allowedips_pool *pool,
			    unsigned long count);
void wg_allowedips_pool_drain(struct wg_allowedips_pool *pool);

void wg_allowedips_init(struct allowedips *table);
/* Empties the table (process context, may sleep). */
void wg_allowedips_free(struct allowedips *table, struct mutex *lock);
/*
 * Insert (or move to peer) a prefix.  With a pool, the nodes come from it
 * and the insert only fails on bad arguments; with pool NULL they are
 * allocated (-ENOMEM).
 */
int wg_allowedips_insert_v4(struct allowedips *table, const struct in_addr *ip,
			    u8 cidr, struct wg_peer *peer,
			    struct wg_allowedips_pool *pool, struct mutex *lock);
int wg_allowedips_insert_v6(struct allowedips *table, const struct in6_addr *ip,
			    u8 cidr, struct wg_peer *peer,
			    struct wg_allowedips_pool *pool, struct mutex *lock);
/* Remove the prefix only if peer owns it: 0, or -ENOENT. */
int wg_allowedips_remove_v4(struct allowedips *table, const struct in_addr *ip,
			    u8 cidr, struct wg_peer *peer, struct mutex *lock);
int wg_allowedips_remove_v6(struct allowedips *table, const struct in6_addr *ip,
			    u8 cidr, struct wg_peer *peer, struct mutex *lock);
void wg_allowedips_remove_by_peer(struct allowedips *table,
				  struct wg_peer *peer, struct mutex *lock);
/*
 * For dumps walking peer->allowedips_list under the mutex: the prefix
 * (ip[] in network byte order) and its length; returns AF_INET or AF_INET6.
 */
int wg_allowedips_read_node(struct allowedips_node *node, u8 ip[16], u8 *cidr);

/*
 * By the destination (transmit) or source (receive) address of the inner
 * IPv4/IPv6 header at skb_network_header(); the peer with a reference
 * held (drop with wg_peer_put()), or NULL.  Callable from softirq.
 */
struct wg_peer *wg_allowedips_lookup_dst(struct allowedips *table,
					 struct sk_buff *skb);
struct wg_peer *wg_allowedips_lookup_src(struct allowedips *table,
					 struct sk_buff *skb);

/* Module load/unload: the node cache. */
int wg_allowedips_slab_init(void);
void wg_allowedips_slab_uninit(void);

#ifdef WG_DEBUG
bool wg_allowedips_selftest(void);
#endif

#endif /* _WG_ALLOWEDIPS_H */
