// SPDX-License-Identifier: GPL-2.0
/*
 * The wireguard net_device: its life cycle, its transmit entry point and
 * its rtnl link kind.
 *
 * A device's private state is built by an ordered table of stages
 * (wg_stages[] below).  Creation runs the table forwards; a failure, and
 * later the device's destructor, run the "down" halves of the stages
 * already up backwards, so teardown order is by construction the reverse
 * of bring-up order.
 *
 * Transmit is a short pipeline: check the packet, choose its peer by
 * cryptokey routing, cut a GSO packet into wire-sized segments, append
 * them to the peer's staged queue and ask send.c to push that queue out.
 */

#include "device.h"
#include "compat.h"
#include "debug.h"
#include "messages.h"
#include "peer.h"
#include "queueing.h"
#include "ratelimiter.h"
#include "socket.h"
#include "timers.h"

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/dst_metadata.h>
#include <net/icmp.h>
#include <net/ip_tunnels.h>
#include <net/rtnetlink.h>

/* Every registered wireguard device (linked by wg_device.device_list),
 * so a dying namespace and the sleep/VM-fork hooks can find them.
 * Guarded by RTNL: added in newlink, removed in dellink or pre_exit.
 */
static LIST_HEAD(wg_live_devices);

/* ---------------------------------------------------------------------
 * Per-peer actions, applied to every peer of a device by wg_peers_apply()
 * with device_update_lock held (which keeps peer_list stable).
 */

static void wg_peers_apply(struct wg_device *wg,
			   void (*action)(struct wg_peer *peer))
{
	struct wg_peer *peer;

	lockdep_assert_held(&wg->device_update_lock);
	list_for_each_entry(peer, &wg->peer_list, peer_list)
		action(peer);
}

/* Drop the handshake state and every session key of one peer. */
static void peer_forget_keys(struct wg_peer *peer)
{
	wg_noise_handshake_clear(&peer->handshake);
	wg_noise_keypairs_clear(&peer->keypairs);
	/* Let the next packet start a handshake at once. */
	wg_noise_reset_last_sent_handshake(&peer->last_sent_handshake);
}

/* The device came up: flush what waited for it, restart keepalives. */
static void peer_resume(struct wg_peer *peer)
{
	wg_packet_send_staged_packets(peer);
	if (peer->persistent_keepalive_interval)
		wg_packet_send_keepalive(peer);
}

/* The device went down: nothing pending, no timer armed, no key kept. */
static void peer_park(struct wg_peer *peer)
{
	wg_packet_purge_staged_packets(peer);
	wg_timers_stop(peer);
	peer_forget_keys(peer);
}

bool wg_device_under_load(struct wg_device *wg)
{
	unsigned long since;

	if (atomic_read(&wg->handshake_queue_len) <
	    MAX_QUEUED_INCOMING_HANDSHAKES / 8) {
		/* Calm now; stay cautious for a second after a rush. */
		since = READ_ONCE(wg->last_under_load);
		return since && time_before(jiffies, since + HZ);
	}
	/* 0 means "never"; a stamp taken at jiffies 0 becomes 1. */
	WRITE_ONCE(wg->last_under_load, jiffies ? jiffies : 1);
	return true;
}

void wg_device_forget_sessions(void)
{
	struct wg_device *wg;

	rtnl_lock();
	list_for_each_entry(wg, &wg_live_devices, device_list) {
		mutex_lock(&wg->device_update_lock);
		wg_peers_apply(wg, peer_forget_keys);
		mutex_unlock(&wg->device_update_lock);
	}
	rtnl_unlock();
}

/* ---------------------------------------------------------------------
 * Up and down (ndo_open / ndo_stop; RTNL held).
 */

/* A point-to-point tunnel has no link layer: no IPv6 link-local address
 * and no ICMP redirects.  Redirects are sent when the device's setting
 * or the namespace's "all" is on, so both are turned off (the namespace
 * default, used for new devices, is left as it is).
 */
static void wg_tune_inet_config(struct net_device *dev)
{
	struct inet6_dev *in6 = __in6_dev_get(dev);
	struct in_device *in4 = __in_dev_get_rtnl(dev);

	if (in6)
		WRITE_ONCE(in6->cnf.addr_gen_mode, IN6_ADDR_GEN_MODE_NONE);
	if (!in4)
		return;
	IPV4_DEVCONF_ALL(dev_net(dev), SEND_REDIRECTS) = false;
	IN_DEV_CONF_SET(in4, SEND_REDIRECTS, false);
}

/* Wait for the handshake workers; they may still hold peer references. */
static void wg_drain_handshake_workers(struct wg_device *wg)
{
	flush_workqueue(wg->handshake_receive_wq);
	flush_workqueue(wg->handshake_send_wq);
}

static int wg_open(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);
	int err;

	wg_tune_inet_config(dev);

	mutex_lock(&wg->device_update_lock);
	err = wg_socket_init(wg, wg->incoming_port);
	if (err >= 0)
		wg_peers_apply(wg, peer_resume);
	mutex_unlock(&wg->device_update_lock);

	return err < 0 ? err : 0;
}

/* Order matters: first stop input (no socket), then let the handshake
 * workers finish (what they still dequeue is dropped as the device is no
 * longer running, but one already running may still install a session),
 * and only then clear every peer, so no session survives the stop.
 */
static int wg_stop(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);

	wg_socket_uninit(wg);
	wg_drain_handshake_workers(wg);

	mutex_lock(&wg->device_update_lock);
	wg_peers_apply(wg, peer_park);
	mutex_unlock(&wg->device_update_lock);
	return 0;
}

/* ---------------------------------------------------------------------
 * Transmit (ndo_start_xmit; BH disabled, lockless: LLTX).
 */

/* The packet's stated protocol must be what its IP header says. */
static bool tx_header_ok(struct sk_buff *skb)
{
	return skb->protocol &&
	       wg_examine_packet_protocol(skb) == skb->protocol;
}

static void tx_note_no_route(struct net_device *dev, struct sk_buff *skb)
{
	if (skb->protocol != htons(ETH_P_IP)) {
		net_dbg_ratelimited("%s: No peer has allowed IPs matching %pI6\n",
				    dev->name, &ipv6_hdr(skb)->daddr);
		return;
	}
	net_dbg_ratelimited("%s: No peer has allowed IPs matching %pI4\n",
			    dev->name, &ip_hdr(skb)->daddr);
}

/* Cryptokey routing: the peer whose allowed IPs hold the destination,
 * provided we know where to send to it.  Returns a new reference or NULL.
 */
static struct wg_peer *tx_choose_peer(struct wg_device *wg,
				      struct sk_buff *skb)
{
	struct wg_peer *peer;
	sa_family_t af;

	peer = wg_allowedips_lookup_dst(&wg->peer_allowedips, skb);
	if (unlikely(!peer)) {
		tx_note_no_route(wg->dev, skb);
		return NULL;
	}

	af = READ_ONCE(peer->endpoint.addr.sa_family);
	if (likely(af == AF_INET || af == AF_INET6))
		return peer;

	net_dbg_ratelimited("%s: No valid endpoint has been configured or discovered for peer %llu\n",
			    wg->dev->name, peer->internal_id);
	wg_peer_put(peer);
	return NULL;
}

/* Label one segment for send.c: the route MTU sizes its padding, and the
 * outer DS field carries the inner ECN bits.  The inner route is dropped
 * afterwards; only an ICMP error on this path would have needed it.
 */
static void tx_label(struct sk_buff *seg, u32 mtu)
{
	PACKET_CB(seg)->mtu = mtu;
	PACKET_CB(seg)->ds = ip_tunnel_ecn_encap(0, ip_hdr(seg), seg);
	skb_dst_drop(seg);
}

/* Turn skb into a queue of labelled packets no larger than the MTU.  On
 * success skb belongs to segs; on failure it is still the caller's.
 */
static int tx_cut(struct sk_buff *skb, struct net_device *dev,
		  struct sk_buff_head *segs)
{
	u32 mtu = skb_valid_dst(skb) ? dst_mtu(skb_dst(skb)) : dev->mtu;
	struct sk_buff *pieces = skb, *seg;

	if (skb_is_gso(skb)) {
		pieces = skb_gso_segment(skb, 0);
		if (IS_ERR(pieces))
			return PTR_ERR(pieces);
		if (!pieces)
			return -EINVAL;
		consume_skb(skb);
	}

	while (pieces) {
		seg = pieces;
		pieces = seg->next;
		skb_mark_not_on_list(seg);
		tx_label(seg, mtu);
		__skb_queue_tail(segs, seg);
	}
	return 0;
}

/* Append segs to the peer's staged queue.  The queue is bounded by
 * MAX_STAGED_PACKETS: the oldest packets give way until it is below the
 * bound, then all of segs go in (the segments of one GSO packet are never
 * split up here; once a session exists they leave at once, and without
 * one the next staging trims the queue again).
 */
static void tx_stage(struct wg_peer *peer, struct sk_buff_head *segs)
{
	struct sk_buff_head *staged = &peer->staged_packet_queue;
	struct net_device *dev = peer->device->dev;
	int surplus;

	spin_lock_bh(&staged->lock);
	surplus = (int)skb_queue_len(staged) - (MAX_STAGED_PACKETS - 1);
	for (; surplus > 0; surplus--) {
		kfree_skb(__skb_dequeue(staged));
		DEV_STATS_INC(dev, tx_dropped);
	}
	skb_queue_splice_tail(segs, staged);
	spin_unlock_bh(&staged->lock);
}

/* Give up on skb; tell the sender when nobody could take it. */
static netdev_tx_t tx_reject(struct net_device *dev, struct sk_buff *skb,
			     bool unreachable)
{
	if (unreachable) {
		switch (ntohs(skb->protocol)) {
		case ETH_P_IP:
			icmp_ndo_send(skb, ICMP_DEST_UNREACH,
				      ICMP_HOST_UNREACH, 0);
			break;
		case ETH_P_IPV6:
			icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH,
					ICMPV6_ADDR_UNREACH, 0);
			break;
		}
	}
	DEV_STATS_INC(dev, tx_errors);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static netdev_tx_t wg_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);
	struct sk_buff_head segs;
	struct wg_peer *peer;

	/* Segments are relinked and their cb written: we need our own. */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		DEV_STATS_INC(dev, tx_dropped);
		return NETDEV_TX_OK;
	}

	if (unlikely(!tx_header_ok(skb))) {
		net_dbg_ratelimited("%s: Invalid IP packet\n", dev->name);
		return tx_reject(dev, skb, false);
	}

	peer = tx_choose_peer(wg, skb);
	if (unlikely(!peer))
		return tx_reject(dev, skb, true);

	__skb_queue_head_init(&segs);
	if (unlikely(tx_cut(skb, dev, &segs) < 0)) {
		wg_peer_put(peer);
		return tx_reject(dev, skb, true);
	}

	tx_stage(peer, &segs);
	wg_packet_send_staged_packets(peer);
	wg_peer_put(peer);
	return NETDEV_TX_OK;
}

static const struct net_device_ops wg_netdev_ops = {
	.ndo_start_xmit		= wg_xmit,
	.ndo_open		= wg_open,
	.ndo_stop		= wg_stop,
	.ndo_get_stats64	= dev_get_tstats64,
};

/* ---------------------------------------------------------------------
 * Bring-up and teardown stages.
 *
 * Each "up" returns 0 or a negative errno and leaves nothing behind when
 * it fails; each "down" undoes a completed "up" (NULL: nothing to undo).
 * Downs run with device_update_lock held.
 */

struct wg_stage {
	const char *name;
	int (*up)(struct wg_device *wg);
	void (*down)(struct wg_device *wg);
};

/* Our identity and the routing table: nothing to allocate yet. */
static int stage_keys_up(struct wg_device *wg)
{
	wg_noise_static_identity_init(&wg->static_identity);
	wg_allowedips_init(&wg->peer_allowedips);
	return 0;
}

static void stage_keys_down(struct wg_device *wg)
{
	wg_allowedips_free(&wg->peer_allowedips, &wg->device_update_lock);
	memzero_explicit(&wg->static_identity, sizeof(wg->static_identity));
}

static int stage_registry_up(struct wg_device *wg)
{
	wg->registry = wg_registry_create();
	return wg->registry ? 0 : -ENOMEM;
}

/* Keypairs give their receiver index back from an RCU callback: wait for
 * those first.  Whatever is still registered then has leaked (debug WARN).
 */
static void stage_registry_down(struct wg_device *wg)
{
	rcu_barrier();
	wg_debug_check_index_empty(wg->registry);
	wg_registry_destroy(wg->registry);
	wg->registry = NULL;
}

static int stage_cookies_up(struct wg_device *wg)
{
	int err = wg_ratelimiter_init();

	if (err < 0)
		return err;
	wg_cookie_checker_init(&wg->cookie_checker, wg);
	return 0;
}

static void stage_cookies_down(struct wg_device *wg)
{
	wg_cookie_checker_uninit(&wg->cookie_checker);
	wg_ratelimiter_uninit();
}

/* The rings are set up before, and so freed after, the workqueues whose
 * workers consume them: destroying a workqueue drains it first.
 */
static int stage_rings_up(struct wg_device *wg)
{
	int err;

	err = wg_crypt_queue_init(&wg->encrypt_queue, wg_packet_encrypt_worker,
				  wg, MAX_QUEUED_PACKETS);
	if (err < 0)
		return err;
	err = wg_crypt_queue_init(&wg->decrypt_queue, wg_packet_decrypt_worker,
				  wg, MAX_QUEUED_PACKETS);
	if (err < 0)
		goto undo_encrypt;
	err = wg_crypt_queue_init(&wg->handshake_queue,
				  wg_packet_handshake_receive_worker, wg,
				  MAX_QUEUED_INCOMING_HANDSHAKES);
	if (err < 0)
		goto undo_decrypt;
	return 0;

undo_decrypt:
	wg_crypt_queue_free(&wg->decrypt_queue, false);
undo_encrypt:
	wg_crypt_queue_free(&wg->encrypt_queue, false);
	return err;
}

/* Handshake messages may still wait unprocessed: those are dropped. */
static void stage_rings_down(struct wg_device *wg)
{
	wg_crypt_queue_free(&wg->handshake_queue, true);
	wg_crypt_queue_free(&wg->decrypt_queue, false);
	wg_crypt_queue_free(&wg->encrypt_queue, false);
}

static void stage_workers_down(struct wg_device *wg)
{
	struct workqueue_struct **wq[] = {
		&wg->packet_crypt_wq,
		&wg->handshake_send_wq,
		&wg->handshake_receive_wq,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wq); i++) {
		if (*wq[i])
			destroy_workqueue(*wq[i]);
		*wq[i] = NULL;
	}
}

/* Incoming handshakes are CPU-bound and per-CPU; outgoing ones go to any
 * CPU; both stop for suspend.  Crypto may be needed to reclaim memory.
 */
static int stage_workers_up(struct wg_device *wg)
{
	const char *name = wg->dev->name;

	wg->handshake_receive_wq =
		alloc_workqueue("wg-kex-%s", WQ_CPU_INTENSIVE | WQ_FREEZABLE,
				0, name);
	wg->handshake_send_wq =
		alloc_workqueue("wg-kex-%s", WQ_UNBOUND | WQ_FREEZABLE,
				0, name);
	wg->packet_crypt_wq =
		alloc_workqueue("wg-crypt-%s",
				WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0, name);

	if (wg->handshake_receive_wq && wg->handshake_send_wq &&
	    wg->packet_crypt_wq)
		return 0;
	stage_workers_down(wg);
	return -ENOMEM;
}

static int stage_peers_up(struct wg_device *wg)
{
	INIT_LIST_HEAD(&wg->peer_list);
	wg->num_peers = 0;
	wg->device_update_gen = 1;
	return 0;
}

/* Last in, first out: no packet may arrive any more (sockets closed), no
 * handshake worker may still use a peer, then every peer goes.
 */
static void stage_peers_down(struct wg_device *wg)
{
	wg_socket_uninit(wg);
	wg_drain_handshake_workers(wg);
	wg_peer_remove_all(wg);
}

static const struct wg_stage wg_stages[] = {
	{ "keys",	stage_keys_up,		stage_keys_down },
	{ "registry",	stage_registry_up,	stage_registry_down },
	{ "cookies",	stage_cookies_up,	stage_cookies_down },
	{ "rings",	stage_rings_up,		stage_rings_down },
	{ "workers",	stage_workers_up,	stage_workers_down },
	{ "peers",	stage_peers_up,		stage_peers_down },
};

/* Undo the first count stages, newest first. */
static void wg_stages_unwind(struct wg_device *wg, size_t count)
{
	mutex_lock(&wg->device_update_lock);
	while (count--) {
		if (wg_stages[count].down)
			wg_stages[count].down(wg);
	}
	mutex_unlock(&wg->device_update_lock);
}

static int wg_stages_run(struct wg_device *wg)
{
	size_t done;
	int err;

	for (done = 0; done < ARRAY_SIZE(wg_stages); done++) {
		err = wg_stages[done].up(wg);
		if (err < 0) {
			netdev_dbg(wg->dev, "stage %s failed: %d\n",
				   wg_stages[done].name, err);
			wg_stages_unwind(wg, done);
			return err;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The rtnl link kind.
 */

/* Last reference to the registered device gone (RTNL not held). */
static void wg_destruct(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);

	wg_stages_unwind(wg, ARRAY_SIZE(wg_stages));
	mutex_destroy(&wg->socket_update_lock);
	mutex_destroy(&wg->device_update_lock);
	netdev_dbg(dev, "Interface destroyed\n");
}

/* What encapsulation adds in front: outer IP (the larger), UDP, header. */
#define WG_ENCAP_OVERHEAD \
	(max(sizeof(struct iphdr), sizeof(struct ipv6hdr)) + \
	 sizeof(struct udphdr) + MESSAGE_MINIMUM_LENGTH)

#define WG_OFFLOADS (NETIF_F_SG | NETIF_F_HIGHDMA | NETIF_F_HW_CSUM | \
		     NETIF_F_RXCSUM | NETIF_F_GSO | NETIF_F_GSO_SOFTWARE)

static void wg_setup(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);

	/* An L3 tunnel: no addresses, no ARP, no qdisc of its own. */
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	/* parse_protocol tells IPv4 from IPv6 for AF_PACKET senders. */
	dev->header_ops = &ip_tunnel_header_ops;
	dev->netdev_ops = &wg_netdev_ops;

	/* Room for the outer headers and for padding plus the tag. */
	dev->needed_headroom = DATA_PACKET_HEAD_ROOM;
	dev->needed_tailroom = noise_encrypted_len(MESSAGE_PADDING_MULTIPLE);
	dev->min_mtu = 0;
	dev->mtu = ETH_DATA_LEN - WG_ENCAP_OVERHEAD;
	dev->max_mtu = ETH_MAX_MTU - WG_ENCAP_OVERHEAD;

	dev->hw_features |= WG_OFFLOADS;
	dev->hw_enc_features |= WG_OFFLOADS;
	dev->features |= WG_OFFLOADS;
	wg_compat_set_lltx(dev);
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;

	/* The private area comes zeroed from alloc_netdev. */
	wg->dev = dev;
}

static int wg_newlink(struct net *src_net, struct net_device *dev,
		      struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack)
{
	struct wg_device *wg = netdev_priv(dev);
	int err;

	mutex_init(&wg->device_update_lock);
	mutex_init(&wg->socket_update_lock);
	atomic_set(&wg->handshake_queue_len, 0);
	/* Not referenced: wg_netns_pre_exit() deletes us before it dies. */
	wg->creating_net = src_net;

	err = wg_stages_run(wg);
	if (err < 0)
		return err;

	err = register_netdevice(dev);
	if (err < 0) {
		wg_stages_unwind(wg, ARRAY_SIZE(wg_stages));
		return err;
	}

	/* Registered: from now on the destructor does the unwinding (set
	 * only now so that a failed registration cannot run it too).
	 */
	dev->priv_destructor = wg_destruct;
	list_add(&wg->device_list, &wg_live_devices);
	/* The inner route's MTU sizes the padding: keep it on transmit. */
	netif_keep_dst(dev);
	netdev_dbg(dev, "Interface created\n");
	return 0;
}

static void wg_dellink(struct net_device *dev, struct list_head *head)
{
	struct wg_device *wg = netdev_priv(dev);

	list_del(&wg->device_list);
	unregister_netdevice_queue(dev, head);
}

static struct rtnl_link_ops wg_link_ops __read_mostly = {
	.kind		= "wireguard",
	.priv_size	= sizeof(struct wg_device),
	.setup		= wg_setup,
	.newlink	= wg_newlink,
	.dellink	= wg_dellink,
};

/* ---------------------------------------------------------------------
 * Namespaces: a device's sockets live in the namespace it was created in,
 * wherever the device has been moved since.  When that namespace dies,
 * the device goes with it.
 */

static void __net_exit wg_netns_pre_exit(struct net *net)
{
	struct wg_device *wg, *tmp;
	LIST_HEAD(doomed);

	rtnl_lock();
	list_for_each_entry_safe(wg, tmp, &wg_live_devices, device_list) {
		if (wg->creating_net != net)
			continue;
		netdev_dbg(wg->dev, "Creating namespace exiting\n");
		WRITE_ONCE(wg->creating_net, NULL);
		wg_socket_uninit(wg);
		list_del(&wg->device_list);
		unregister_netdevice_queue(wg->dev, &doomed);
	}
	unregister_netdevice_many(&doomed);
	rtnl_unlock();
}

static struct pernet_operations wg_pernet_ops = {
	.pre_exit = wg_netns_pre_exit,
};

int __init wg_device_init(void)
{
	int err = register_pernet_device(&wg_pernet_ops);

	if (err)
		return err;
	err = rtnl_link_register(&wg_link_ops);
	if (!err)
		return 0;
	unregister_pernet_device(&wg_pernet_ops);
	return err;
}

void wg_device_uninit(void)
{
	rtnl_link_unregister(&wg_link_ops);
	unregister_pernet_device(&wg_pernet_ops);
}
