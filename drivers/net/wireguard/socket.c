// SPDX-License-Identifier: GPL-2.0
/*
 * The device's two UDP sockets (IPv4 and IPv6, one port) and the way out
 * to a peer.
 *
 * Sending is two steps.  pick_route() decides where a packet goes: it
 * fills a struct outer_path (a held route and the outer addresses and
 * ports), from the peer's per-CPU dst cache when that still holds a route,
 * else from a routing lookup that honours the sticky source address
 * learned from the peer's last packet.  launch() then hands the skb to the
 * UDP tunnel code of its family.
 *
 * Locking: the peer's endpoint and its dst cache belong to endpoint_lock.
 * Senders plan under the read side and never write the endpoint there; a
 * source address found unusable is forgotten afterwards under the write
 * side (forget_stale_src()), and only if the endpoint did not change
 * meanwhile.  Every endpoint change happens under the write side and
 * empties the dst cache, so a route planned for an old endpoint is never
 * stored for a new one.  The socket pointers are RCU (read side with
 * bottom halves off, as the transmit path runs), replaced under the
 * device's socket_update_lock.
 */

#include "socket.h"
#include "device.h"
#include "peer.h"
#include "queueing.h"
#include "messages.h"
#include "gro.h"

#include <linux/net.h>
#include <linux/if_ether.h>
#include <linux/inetdevice.h>
#include <net/udp_tunnel.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/addrconf.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include <net/dst_cache.h>

/* Random ports tried when the IPv6 half of a port 0 binding is taken. */
#define WG_BIND_ATTEMPTS 100

/* Any non-zero value makes the UDP stack hand packets to encap_rcv. */
#define WG_UDP_ENCAP 1

/* Where one outgoing packet goes; lives on the sender's stack. */
struct outer_path {
	struct dst_entry *dst;	/* held; launch() passes it on */
	union {
		struct flowi4 v4;
		struct flowi6 v6;
	} fl;
	bool src_stale;		/* the endpoint's sticky source did not work */
};

/* ---- route planning ---- */

/* A routing lookup for fl, first with the sticky source already in it.
 * src_if is the interface that source was seen on (0: unknown).  The
 * source is dropped, and the lookup redone without it, when it is no
 * longer one of ours, when no route leaves with it, or when the route
 * leaves by another interface than the one the peer reached us on.
 */
static struct rtable *lookup_v4(struct sock *sk, struct flowi4 *fl,
				int src_if, bool *src_stale)
{
	struct net *net = sock_net(sk);
	bool had_src = fl->saddr != 0;
	struct rtable *rt;

	if (had_src &&
	    !inet_confirm_addr(net, NULL, 0, fl->saddr, RT_SCOPE_HOST))
		goto without_src;

	rt = ip_route_output_flow(net, fl, sk);
	if (!had_src)
		return rt;
	if (!IS_ERR(rt)) {
		if (!src_if || rt->dst.dev->ifindex == src_if)
			return rt;
		ip_rt_put(rt);
	}

without_src:
	*src_stale = true;
	fl->saddr = 0;
	return ip_route_output_flow(net, fl, sk);
}

static int pick_route_v4(struct wg_device *wg, struct sock *sk,
			 const struct endpoint *ep, struct dst_cache *cache,
			 struct outer_path *path)
{
	struct flowi4 *fl = &path->fl.v4;
	struct rtable *rt = NULL;

	fl->daddr = ep->addr4.sin_addr.s_addr;
	fl->saddr = ep->src4.s_addr;
	fl->fl4_dport = ep->addr4.sin_port;
	fl->fl4_sport = htons(READ_ONCE(wg->incoming_port));
	fl->flowi4_mark = READ_ONCE(wg->fwmark);
	fl->flowi4_proto = IPPROTO_UDP;

	if (cache)
		rt = dst_cache_get_ip4(cache, &fl->saddr);
	if (rt) {
		path->dst = &rt->dst;
		return 0;
	}

	security_sk_classify_flow(sk, flowi4_to_flowi_common(fl));
	rt = lookup_v4(sk, fl, ep->src_if4, &path->src_stale);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	path->dst = &rt->dst;
	if (cache && rt->dst.dev != wg->dev)
		dst_cache_set_ip4(cache, &rt->dst, fl->saddr);
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
/* As lookup_v4(), with the IPv6 stub (IPv6 may be disabled at boot). */
static struct dst_entry *lookup_v6(struct sock *sk, struct flowi6 *fl,
				   bool *src_stale)
{
	bool had_src = !ipv6_addr_any(&fl->saddr);
	struct net *net = sock_net(sk);
	struct dst_entry *dst;

	if (had_src && !ipv6_chk_addr(net, &fl->saddr, NULL, 0))
		goto without_src;

	dst = ipv6_stub->ipv6_dst_lookup_flow(net, sk, fl, NULL);
	if (!had_src || !IS_ERR(dst))
		return dst;

without_src:
	*src_stale = true;
	fl->saddr = in6addr_any;
	return ipv6_stub->ipv6_dst_lookup_flow(net, sk, fl, NULL);
}

static int pick_route_v6(struct wg_device *wg, struct sock *sk,
			 const struct endpoint *ep, struct dst_cache *cache,
			 struct outer_path *path)
{
	struct flowi6 *fl = &path->fl.v6;
	struct dst_entry *dst = NULL;

	fl->daddr = ep->addr6.sin6_addr;
	fl->saddr = ep->src6;
	fl->fl6_dport = ep->addr6.sin6_port;
	fl->fl6_sport = htons(READ_ONCE(wg->incoming_port));
	fl->flowi6_mark = READ_ONCE(wg->fwmark);
	fl->flowi6_oif = ep->addr6.sin6_scope_id;
	fl->flowi6_proto = IPPROTO_UDP;

	if (cache)
		dst = dst_cache_get_ip6(cache, &fl->saddr);
	if (dst) {
		path->dst = dst;
		return 0;
	}

	security_sk_classify_flow(sk, flowi6_to_flowi_common(fl));
	dst = lookup_v6(sk, fl, &path->src_stale);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	path->dst = dst;
	if (cache && dst->dev != wg->dev)
		dst_cache_set_ip6(cache, dst, &fl->saddr);
	return 0;
}
#endif

/* Fill path for a packet to ep through sk: 0 with path->dst held, or a
 * negative error (nothing held).  A route that would lead back into the
 * device itself (the endpoint routed through the tunnel) is refused with
 * -ELOOP and never cached.  Endpoint read lock held when cache is given.
 */
static int pick_route(struct wg_device *wg, struct sock *sk,
		      const struct endpoint *ep, struct dst_cache *cache,
		      struct outer_path *path)
{
	int ret = -EAFNOSUPPORT;

	if (ep->addr.sa_family == AF_INET)
		ret = pick_route_v4(wg, sk, ep, cache, path);
#if IS_ENABLED(CONFIG_IPV6)
	else if (ep->addr.sa_family == AF_INET6)
		ret = pick_route_v6(wg, sk, ep, cache, path);
#endif
	if (ret) {
		net_dbg_ratelimited("%s: no route to peer at %pISpfsc (%d)\n",
				    wg->dev->name, &ep->addr, ret);
		return ret;
	}
	if (unlikely(path->dst->dev == wg->dev)) {
		dst_release(path->dst);
		path->dst = NULL;
		net_dbg_ratelimited("%s: route to %pISpfsc loops into the device\n",
				    wg->dev->name, &ep->addr);
		return -ELOOP;
	}
	return 0;
}

/* ---- launching ---- */

/* A train (train.h) is a UDP GSO skb: the GSO layer wants its checksum
 * partial from the UDP header, which the tunnel code is about to push
 * in front of the data, and the tunnel code counts one packet for it,
 * so the other messages are counted here.
 */
static void prepare_train(struct sk_buff *skb)
{
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb) - sizeof(struct udphdr);
	skb->csum_offset = offsetof(struct udphdr, check);
}

/* The tunnel code counts a train as one packet, sent or dropped: count
 * its other messages the same way.  Whether it was sent shows only in
 * this CPU's tx_packets (the tunnel code returns nothing), which nothing
 * else moves meanwhile: bottom halves are off from before until after.
 */
static void count_train(struct net_device *dev, int family,
			unsigned int others, u64 sent_before)
{
	if (u64_stats_read(&this_cpu_ptr(dev->tstats)->tx_packets) !=
	    sent_before) {
		dev_sw_netstats_tx_add(dev, others, 0);
	} else if (family == AF_INET) {
		DEV_STATS_ADD(dev, tx_dropped, others);
	} else {
		DEV_STATS_ADD(dev, tx_errors, others);
		DEV_STATS_ADD(dev, tx_aborted_errors, others);
	}
}

/* Hand skb to the UDP tunnel code along path, which consumes the route
 * reference.  ds is the outer DS field (DSCP and ECN); the TTL or hop
 * limit is the route's default; IPv4 goes out without DF.  The tunnel
 * code counts tx packets and bytes on skb->dev, count_train() the other
 * messages of a train.
 */
static void launch(struct sock *sk, struct sk_buff *skb,
		   struct outer_path *path, u8 ds)
{
	struct dst_entry *dst = path->dst;
	struct net_device *dev = skb->dev;
	unsigned int others = 0;
	u64 sent_before = 0;

	/* An outer packet larger than the path MTU is fragmented here rather
	 * than refused: the inner packet already fit the device's MTU.
	 */
	skb->ignore_df = 1;
	if (skb_is_gso(skb)) {
		prepare_train(skb);
		others = skb_shinfo(skb)->gso_segs - 1;
		sent_before = u64_stats_read(&this_cpu_ptr(dev->tstats)->tx_packets);
	}
	if (sk->sk_family == AF_INET) {
		struct rtable *rt = container_of(dst, struct rtable, dst);
		struct flowi4 *fl = &path->fl.v4;

		udp_tunnel_xmit_skb(rt, sk, skb, fl->saddr, fl->daddr, ds,
				    ip4_dst_hoplimit(dst), 0, fl->fl4_sport,
				    fl->fl4_dport, false, false);
	}
#if IS_ENABLED(CONFIG_IPV6)
	else
		udp_tunnel6_xmit_skb(dst, sk, skb, dev, &path->fl.v6.saddr,
				     &path->fl.v6.daddr, ds,
				     ip6_dst_hoplimit(dst), 0,
				     path->fl.v6.fl6_sport,
				     path->fl.v6.fl6_dport, false);
#endif
	if (others)
		count_train(dev, sk->sk_family, others, sent_before);
}

/* Send skb (always consumed) to ep from the device's socket of ep's
 * family.  cache is the peer's dst cache (its endpoint read lock held) or
 * NULL for a one-off reply.  *src_stale tells the caller to forget ep's
 * sticky source.
 */
static int xmit(struct wg_device *wg, struct sk_buff *skb,
		const struct endpoint *ep, struct dst_cache *cache, u8 ds,
		bool *src_stale)
{
	struct outer_path path = { };
	struct sock *sk = NULL;
	int ret = -ENONET;

	skb_mark_not_on_list(skb);
	skb->dev = wg->dev;
	skb->mark = READ_ONCE(wg->fwmark);

	rcu_read_lock_bh();
	if (ep->addr.sa_family == AF_INET)
		sk = rcu_dereference_bh(wg->sock4);
	else if (ep->addr.sa_family == AF_INET6)
		sk = rcu_dereference_bh(wg->sock6);
	else
		ret = -EAFNOSUPPORT;
	if (likely(sk))
		ret = pick_route(wg, sk, ep, cache, &path);
	if (likely(!ret))
		launch(sk, skb, &path, ds);
	rcu_read_unlock_bh();

	*src_stale = path.src_stale;
	if (unlikely(ret))
		kfree_skb(skb);
	return ret;
}

/* ---- endpoints ---- */

static bool same_remote(const struct endpoint *a, const struct endpoint *b)
{
	if (a->addr.sa_family != b->addr.sa_family)
		return false;
	if (a->addr.sa_family == AF_INET)
		return a->addr4.sin_port == b->addr4.sin_port &&
		       a->addr4.sin_addr.s_addr == b->addr4.sin_addr.s_addr;
	if (a->addr.sa_family == AF_INET6)
		return a->addr6.sin6_port == b->addr6.sin6_port &&
		       a->addr6.sin6_scope_id == b->addr6.sin6_scope_id &&
		       ipv6_addr_equal(&a->addr6.sin6_addr,
				       &b->addr6.sin6_addr);
	return true;
}

/* Same local source, for endpoints that share a family. */
static bool same_src(const struct endpoint *a, const struct endpoint *b)
{
	if (a->addr.sa_family == AF_INET6)
		return ipv6_addr_equal(&a->src6, &b->src6);
	return a->src4.s_addr == b->src4.s_addr && a->src_if4 == b->src_if4;
}

/* Endpoint write lock held: no sender is using the dst cache. */
static void forget_src_locked(struct wg_peer *peer)
{
	BUILD_BUG_ON(sizeof(peer->endpoint.src6) <
		     sizeof(peer->endpoint.src4) +
		     sizeof(peer->endpoint.src_if4));
	memset(&peer->endpoint.src6, 0, sizeof(peer->endpoint.src6));
	dst_cache_reset_now(&peer->endpoint_cache);
}

/* A sender found seen's source unusable: forget it unless it changed. */
static void forget_stale_src(struct wg_peer *peer,
			     const struct endpoint *seen)
{
	write_lock_bh(&peer->endpoint_lock);
	if (same_remote(&peer->endpoint, seen) &&
	    same_src(&peer->endpoint, seen))
		forget_src_locked(peer);
	write_unlock_bh(&peer->endpoint_lock);
}

void wg_socket_clear_peer_endpoint_src(struct wg_peer *peer)
{
	write_lock_bh(&peer->endpoint_lock);
	forget_src_locked(peer);
	write_unlock_bh(&peer->endpoint_lock);
}

int wg_socket_endpoint_from_skb(struct endpoint *endpoint,
				const struct sk_buff *skb)
{
	__be16 sport = udp_hdr(skb)->source;

	memset(endpoint, 0, sizeof(*endpoint));
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *ip = ip_hdr(skb);

		endpoint->addr4.sin_family = AF_INET;
		endpoint->addr4.sin_port = sport;
		endpoint->addr4.sin_addr.s_addr = ip->saddr;
		endpoint->src4.s_addr = ip->daddr;
		endpoint->src_if4 = skb->skb_iif;
		return 0;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		endpoint->addr6.sin6_family = AF_INET6;
		endpoint->addr6.sin6_port = sport;
		endpoint->addr6.sin6_addr = ip6->saddr;
		endpoint->addr6.sin6_scope_id =
			ipv6_iface_scope_id(&ip6->saddr, skb->skb_iif);
		endpoint->src6 = ip6->daddr;
		return 0;
	}
	return -EINVAL;
}

bool wg_socket_set_peer_endpoint(struct wg_peer *peer,
				 const struct endpoint *endpoint)
{
	bool moved, unchanged;

	if (endpoint->addr.sa_family != AF_INET &&
	    endpoint->addr.sa_family != AF_INET6)
		return false;

	/* The common case, a packet from where the peer already is. */
	read_lock_bh(&peer->endpoint_lock);
	unchanged = same_remote(&peer->endpoint, endpoint) &&
		    same_src(&peer->endpoint, endpoint);
	read_unlock_bh(&peer->endpoint_lock);
	if (likely(unchanged))
		return false;

	write_lock_bh(&peer->endpoint_lock);
	moved = !same_remote(&peer->endpoint, endpoint);
	peer->endpoint = *endpoint;
	dst_cache_reset_now(&peer->endpoint_cache);
	write_unlock_bh(&peer->endpoint_lock);
	return moved;
}

void wg_socket_set_peer_endpoint_from_skb(struct wg_peer *peer,
					  const struct sk_buff *skb)
{
	struct endpoint seen;

	if (wg_socket_endpoint_from_skb(&seen, skb))
		return;
	if (wg_socket_set_peer_endpoint(peer, &seen))
		wg_events_endpoint(peer, &seen);
}

/* ---- sending ---- */

int wg_socket_send_skb_to_peer(struct wg_peer *peer, struct sk_buff *skb,
			       u8 ds)
{
	unsigned int bytes = skb->len;
	struct endpoint seen;
	bool src_stale;
	int ret;

	read_lock_bh(&peer->endpoint_lock);
	seen = peer->endpoint;
	ret = xmit(peer->device, skb, &seen, &peer->endpoint_cache, ds,
		   &src_stale);
	read_unlock_bh(&peer->endpoint_lock);

	if (unlikely(src_stale))
		forget_stale_src(peer, &seen);
	if (likely(!ret))
		WRITE_ONCE(peer->tx_bytes, peer->tx_bytes + bytes);
	return ret;
}

/* A copy of a handshake-sized message, with room for the outer headers. */
static struct sk_buff *skb_from_buffer(const void *buffer, size_t len)
{
	struct sk_buff *skb = alloc_skb(SKB_HEADER_LEN + len, GFP_ATOMIC);

	if (unlikely(!skb))
		return NULL;
	skb_reserve(skb, SKB_HEADER_LEN);
	/* The tunnel code counts tx bytes from here: the message alone. */
	skb_set_inner_network_header(skb, 0);
	skb_put_data(skb, buffer, len);
	return skb;
}

int wg_socket_send_buffer_to_peer(struct wg_peer *peer, void *buffer,
				  size_t len, u8 ds)
{
	struct sk_buff *skb = skb_from_buffer(buffer, len);

	if (unlikely(!skb))
		return -ENOMEM;
	return wg_socket_send_skb_to_peer(peer, skb, ds);
}

/* Answer in_skb (a cookie reply) where it came from, from the address it
 * reached, without touching any peer's endpoint or cache.
 */
int wg_socket_send_buffer_as_reply_to_skb(struct wg_device *wg,
					  struct sk_buff *in_skb, void *buffer,
					  size_t len)
{
	struct endpoint dest;
	struct sk_buff *skb;
	bool src_stale;
	int ret;

	if (unlikely(!in_skb))
		return -EINVAL;
	ret = wg_socket_endpoint_from_skb(&dest, in_skb);
	if (unlikely(ret))
		return ret;
	skb = skb_from_buffer(buffer, len);
	if (unlikely(!skb))
		return -ENOMEM;
	return xmit(wg, skb, &dest, NULL, 0, &src_stale);
}

/* ---- the sockets ---- */

static void close_sock(struct sock *sk)
{
	if (!sk)
		return;
	sk_clear_memalloc(sk);
	udp_tunnel_sock_release(sk->sk_socket);
}

/* A kernel UDP socket of family bound to port (host order, 0: any) in
 * net, delivering to wg_receive().  The transmit path sends from atomic
 * context and must not be throttled by socket memory accounting.
 */
static int open_sock(struct wg_device *wg, struct net *net, int family,
		     u16 port, struct sock **skp)
{
	struct udp_tunnel_sock_cfg tunnel = {
		.sk_user_data = wg,
		.encap_type = WG_UDP_ENCAP,
		.encap_rcv = wg_receive,
		.gro_receive = wg_gro_receive,
		.gro_complete = wg_gro_complete,
	};
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(port),
	};
	struct socket *sock;
	int ret;

	if (family == AF_INET6) {
		cfg.ipv6_v6only = true;
		cfg.use_udp6_tx_checksums = true;
		cfg.use_udp6_rx_checksums = true;
	} else {
		cfg.use_udp_checksums = true;
	}
	ret = udp_sock_create(net, &cfg, &sock);
	if (ret)
		return ret;
	sock->sk->sk_allocation = GFP_ATOMIC;
	sock->sk->sk_sndbuf = INT_MAX;
	sk_set_memalloc(sock->sk);
	setup_udp_tunnel_sock(net, sock, &tunnel);
	*skp = sock->sk;
	return 0;
}

/* Both sockets on one port: IPv4 first (which picks the port when asked
 * for 0), then IPv6 on the same number.  IPv6 turned off in the kernel
 * (-EAFNOSUPPORT) leaves an IPv4-only device.  On any other failure
 * nothing stays bound.
 */
static int open_pair(struct wg_device *wg, struct net *net, u16 port,
		     struct sock **sk4, struct sock **sk6)
{
	int ret;

	*sk4 = NULL;
	*sk6 = NULL;
	ret = open_sock(wg, net, AF_INET, port, sk4);
	if (ret)
		return ret;
	port = ntohs(inet_sk(*sk4)->inet_sport);

	ret = open_sock(wg, net, AF_INET6, port, sk6);
	if (ret == -EAFNOSUPPORT)
		return 0;
	if (ret) {
		close_sock(*sk4);
		*sk4 = NULL;
	}
	return ret;
}

/* Publish sk4/sk6 (either may be NULL) in place of the current sockets,
 * then close the old ones once no sender or receiver can still see them.
 * A new IPv4 socket's port becomes the device's port.
 */
static void swap_socks(struct wg_device *wg, struct sock *sk4,
		       struct sock *sk6)
{
	struct sock *old4, *old6;

	mutex_lock(&wg->socket_update_lock);
	old4 = rcu_replace_pointer(wg->sock4, sk4,
				   lockdep_is_held(&wg->socket_update_lock));
	old6 = rcu_replace_pointer(wg->sock6, sk6,
				   lockdep_is_held(&wg->socket_update_lock));
	if (sk4)
		WRITE_ONCE(wg->incoming_port,
			   ntohs(inet_sk(sk4)->inet_sport));
	mutex_unlock(&wg->socket_update_lock);

	synchronize_net();
	close_sock(old4);
	close_sock(old6);
}

int wg_socket_init(struct wg_device *wg, u16 port)
{
	struct sock *sk4, *sk6;
	unsigned int attempt = 0;
	struct net *net, *home;
	int ret;

	/* A dying namespace has no references left to take: -ENONET. */
	home = READ_ONCE(wg->creating_net);
	net = home ? maybe_get_net(home) : NULL;
	if (unlikely(!net))
		return -ENONET;

	do {
		ret = open_pair(wg, net, port, &sk4, &sk6);
	} while (ret == -EADDRINUSE && !port && ++attempt < WG_BIND_ATTEMPTS);

	if (ret)
		pr_err("%s: cannot bind the sockets to port %u (%d)\n",
		       wg->dev->name, port, ret);
	else
		swap_socks(wg, sk4, sk6);
	put_net(net);
	return ret;
}

void wg_socket_uninit(struct wg_device *wg)
{
	swap_socks(wg, NULL, NULL);
}
