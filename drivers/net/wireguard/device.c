// SPDX-License-Identifier: GPL-2.0
/*
 * The wireguard net_device and its rtnl link kind.
 */

#include "device.h"
#include "peer.h"
#include "queueing.h"
#include "socket.h"
#include "timers.h"
#include "ratelimiter.h"
#include "messages.h"
#include "compat.h"
#include "debug.h"

#include <linux/if_arp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <linux/suspend.h>
#include <net/icmp.h>
#include <net/dst_metadata.h>
#include <net/ip_tunnels.h>
#include <net/addrconf.h>
#include <net/rtnetlink.h>

/* Every live wireguard device, for namespace teardown; under RTNL. */
static LIST_HEAD(device_list);

bool wg_device_under_load(struct wg_device *wg)
{
	unsigned long last;

	if (atomic_read(&wg->handshake_queue_len) >=
	    MAX_QUEUED_INCOMING_HANDSHAKES / 8) {
		WRITE_ONCE(wg->last_under_load, jiffies ?: 1);
		return true;
	}
	/* Stay cautious for a second after the pressure is gone. */
	last = READ_ONCE(wg->last_under_load);
	return last && time_before(jiffies, last + HZ);
}

void wg_device_forget_sessions(void)
{
	struct wg_device *wg;
	struct wg_peer *peer;

	rtnl_lock();
	list_for_each_entry(wg, &device_list, device_list) {
		mutex_lock(&wg->device_update_lock);
		list_for_each_entry(peer, &wg->peer_list, peer_list) {
			wg_noise_handshake_clear(&peer->handshake);
			wg_noise_keypairs_clear(&peer->keypairs);
			wg_noise_reset_last_sent_handshake(&peer->last_sent_handshake);
		}
		mutex_unlock(&wg->device_update_lock);
	}
	rtnl_unlock();
}

static int wg_open(struct net_device *dev)
{
	struct in_device *dev_v4 = __in_dev_get_rtnl(dev);
	struct inet6_dev *dev_v6 = __in6_dev_get(dev);
	struct wg_device *wg = netdev_priv(dev);
	struct wg_peer *peer;
	int ret;

	/*
	 * Redirects make no sense on a point-to-point tunnel.  Whether one
	 * is sent is the device's setting ORed with the namespace's "all",
	 * so clearing ours alone does not stop them: clear both, as the
	 * in-tree driver does (the namespace's default is left alone).
	 */
	if (dev_v4) {
		IN_DEV_CONF_SET(dev_v4, SEND_REDIRECTS, false);
		IPV4_DEVCONF_ALL(dev_net(dev), SEND_REDIRECTS) = false;
	}
	/* No link-local address: there is no link layer. */
	if (dev_v6)
		WRITE_ONCE(dev_v6->cnf.addr_gen_mode, IN6_ADDR_GEN_MODE_NONE);

	mutex_lock(&wg->device_update_lock);
	ret = wg_socket_init(wg, wg->incoming_port);
	if (ret < 0)
		goto out;
	list_for_each_entry(peer, &wg->peer_list, peer_list) {
		wg_packet_send_staged_packets(peer);
		if (peer->persistent_keepalive_interval)
			wg_packet_send_keepalive(peer);
	}
out:
	mutex_unlock(&wg->device_update_lock);
	return ret;
}

static int wg_stop(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);
	struct wg_peer *peer;

	/*
	 * Nothing comes in any more, then the handshake workers finish:
	 * queued messages are dropped (the device is no longer running),
	 * one being processed may still create a session.  Only then are
	 * sessions and handshakes cleared, so none outlives the stop.
	 */
	wg_socket_uninit(wg);
	flush_workqueue(wg->handshake_receive_wq);
	flush_workqueue(wg->handshake_send_wq);

	mutex_lock(&wg->device_update_lock);
	list_for_each_entry(peer, &wg->peer_list, peer_list) {
		wg_packet_purge_staged_packets(peer);
		wg_timers_stop(peer);
		wg_noise_handshake_clear(&peer->handshake);
		wg_noise_keypairs_clear(&peer->keypairs);
		wg_noise_reset_last_sent_handshake(&peer->last_sent_handshake);
	}
	mutex_unlock(&wg->device_update_lock);
	return 0;
}

static netdev_tx_t wg_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);
	struct sk_buff_head packets;
	struct wg_peer *peer;
	struct sk_buff *next;
	sa_family_t family;
	u32 mtu;

	/* We change the skb (cb, list pointers, data): it must be ours. */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		DEV_STATS_INC(dev, tx_dropped);
		return NETDEV_TX_OK;
	}

	if (unlikely(!skb->protocol ||
		     wg_examine_packet_protocol(skb) != skb->protocol)) {
		net_dbg_ratelimited("%s: Invalid IP packet\n", dev->name);
		goto err;
	}

	peer = wg_allowedips_lookup_dst(&wg->peer_allowedips, skb);
	if (unlikely(!peer)) {
		if (skb->protocol == htons(ETH_P_IP))
			net_dbg_ratelimited("%s: No peer has allowed IPs matching %pI4\n",
					    dev->name, &ip_hdr(skb)->daddr);
		else
			net_dbg_ratelimited("%s: No peer has allowed IPs matching %pI6\n",
					    dev->name, &ipv6_hdr(skb)->daddr);
		goto err_icmp;
	}

	family = READ_ONCE(peer->endpoint.addr.sa_family);
	if (unlikely(family != AF_INET && family != AF_INET6)) {
		net_dbg_ratelimited("%s: No valid endpoint has been configured or discovered for peer %llu\n",
				    dev->name, peer->internal_id);
		goto err_peer;
	}

	mtu = skb_valid_dst(skb) ? dst_mtu(skb_dst(skb)) : dev->mtu;

	__skb_queue_head_init(&packets);
	if (skb_is_gso(skb)) {
		struct sk_buff *segs = skb_gso_segment(skb, 0);

		if (IS_ERR_OR_NULL(segs))
			goto err_peer;
		dev_kfree_skb(skb);
		skb = segs;
	}

	skb_list_walk_safe(skb, skb, next) {
		skb_mark_not_on_list(skb);
		/* Only ICMP errors needed the inner route. */
		skb_dst_drop(skb);
		PACKET_CB(skb)->mtu = mtu;
		PACKET_CB(skb)->ds = ip_tunnel_ecn_encap(0, ip_hdr(skb), skb);
		__skb_queue_tail(&packets, skb);
	}

	/*
	 * Make room among the packets already waiting (oldest first) before
	 * adding: the segments of one GSO packet may be more than
	 * MAX_STAGED_PACKETS, and none of them is dropped here (with a
	 * session they all leave right away; without, restaging trims).
	 */
	spin_lock_bh(&peer->staged_packet_queue.lock);
	while (skb_queue_len(&peer->staged_packet_queue) >= MAX_STAGED_PACKETS) {
		dev_kfree_skb(__skb_dequeue(&peer->staged_packet_queue));
		DEV_STATS_INC(dev, tx_dropped);
	}
	skb_queue_splice_tail(&packets, &peer->staged_packet_queue);
	spin_unlock_bh(&peer->staged_packet_queue.lock);

	wg_packet_send_staged_packets(peer);
	wg_peer_put(peer);
	return NETDEV_TX_OK;

err_peer:
	wg_peer_put(peer);
err_icmp:
	if (skb->protocol == htons(ETH_P_IP))
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	else if (skb->protocol == htons(ETH_P_IPV6))
		icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
err:
	DEV_STATS_INC(dev, tx_errors);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops netdev_ops = {
	.ndo_open		= wg_open,
	.ndo_stop		= wg_stop,
	.ndo_start_xmit		= wg_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

/*
 * The last reference to the net_device is gone (RTNL not held): tear
 * everything down in dependency order.
 */
static void wg_destruct(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);

	mutex_lock(&wg->device_update_lock);
	/* No more packets in: sockets first. */
	wg_socket_uninit(wg);
	/* Handshake workers may hold peer references: let them finish. */
	flush_workqueue(wg->handshake_receive_wq);
	flush_workqueue(wg->handshake_send_wq);
	wg_peer_remove_all(wg);
	destroy_workqueue(wg->handshake_receive_wq);
	destroy_workqueue(wg->handshake_send_wq);
	destroy_workqueue(wg->packet_crypt_wq);
	wg_crypt_queue_free(&wg->handshake_queue, true);
	wg_crypt_queue_free(&wg->decrypt_queue, false);
	wg_crypt_queue_free(&wg->encrypt_queue, false);
	/* Peers and keypairs are freed after a grace period. */
	rcu_barrier();
	wg_debug_check_index_empty(wg->registry);
	wg_ratelimiter_uninit();
	wg_allowedips_free(&wg->peer_allowedips, &wg->device_update_lock);
	wg_cookie_checker_uninit(&wg->cookie_checker);
	memzero_explicit(&wg->static_identity, sizeof(wg->static_identity));
	wg_registry_destroy(wg->registry);
	mutex_unlock(&wg->device_update_lock);
	mutex_destroy(&wg->device_update_lock);
	mutex_destroy(&wg->socket_update_lock);
	pr_debug("%s: Interface destroyed\n", dev->name);
}

#define WG_NETDEV_FEATURES (NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_SG | \
			    NETIF_F_GSO | NETIF_F_GSO_SOFTWARE | \
			    NETIF_F_HIGHDMA)

static void wg_setup(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);
	const int overhead = MESSAGE_MINIMUM_LENGTH + sizeof(struct udphdr) +
			     max(sizeof(struct ipv6hdr), sizeof(struct iphdr));

	dev->netdev_ops = &netdev_ops;
	/*
	 * No link-layer header, but packet sockets sending with protocol 0
	 * need parse_protocol to find out it is IPv4 or IPv6.
	 */
	dev->header_ops = &ip_tunnel_header_ops;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = DATA_PACKET_HEAD_ROOM;
	dev->needed_tailroom = noise_encrypted_len(MESSAGE_PADDING_MULTIPLE);
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	wg_compat_set_lltx(dev);
	dev->features |= WG_NETDEV_FEATURES;
	dev->hw_features |= WG_NETDEV_FEATURES;
	dev->hw_enc_features |= WG_NETDEV_FEATURES;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->mtu = ETH_DATA_LEN - overhead;
	dev->min_mtu = 0;
	dev->max_mtu = ETH_MAX_MTU - overhead;
	dev->needs_free_netdev = true;

	memset(wg, 0, sizeof(*wg));
	wg->dev = dev;
}

static int wg_newlink(struct net *src_net, struct net_device *dev,
		      struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack)
{
	struct wg_device *wg = netdev_priv(dev);
	int ret = -ENOMEM;

	/*
	 * No reference is taken on the creating namespace: when it goes
	 * away, wg_netns_pre_exit() deletes the device instead.
	 */
	wg->creating_net = src_net;
	mutex_init(&wg->device_update_lock);
	mutex_init(&wg->socket_update_lock);
	INIT_LIST_HEAD(&wg->peer_list);
	wg->device_update_gen = 1;
	wg_noise_static_identity_init(&wg->static_identity);
	wg_allowedips_init(&wg->peer_allowedips);
	atomic_set(&wg->handshake_queue_len, 0);

	wg->registry = wg_registry_create();
	if (!wg->registry)
		goto err;

	wg->handshake_receive_wq = alloc_workqueue("wg-kex-%s",
				WQ_CPU_INTENSIVE | WQ_FREEZABLE, 0, dev->name);
	if (!wg->handshake_receive_wq)
		goto err_free_registry;
	wg->handshake_send_wq = alloc_workqueue("wg-kex-%s",
				WQ_UNBOUND | WQ_FREEZABLE, 0, dev->name);
	if (!wg->handshake_send_wq)
		goto err_destroy_handshake_receive;
	wg->packet_crypt_wq = alloc_workqueue("wg-crypt-%s",
				WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0, dev->name);
	if (!wg->packet_crypt_wq)
		goto err_destroy_handshake_send;

	ret = wg_crypt_queue_init(&wg->encrypt_queue, wg_packet_encrypt_worker,
				  wg, MAX_QUEUED_PACKETS);
	if (ret < 0)
		goto err_destroy_packet_crypt;
	ret = wg_crypt_queue_init(&wg->decrypt_queue, wg_packet_decrypt_worker,
				  wg, MAX_QUEUED_PACKETS);
	if (ret < 0)
		goto err_free_encrypt_queue;
	ret = wg_crypt_queue_init(&wg->handshake_queue,
				  wg_packet_handshake_receive_worker, wg,
				  MAX_QUEUED_INCOMING_HANDSHAKES);
	if (ret < 0)
		goto err_free_decrypt_queue;

	ret = wg_ratelimiter_init();
	if (ret < 0)
		goto err_free_handshake_queue;
	wg_cookie_checker_init(&wg->cookie_checker, wg);

	ret = register_netdevice(dev);
	if (ret < 0)
		goto err_uninit_ratelimiter;

	/* Only now: a failed registration is unwound below, not by it. */
	dev->priv_destructor = wg_destruct;
	list_add(&wg->device_list, &device_list);
	/* Keep the inner route on transmit: its MTU sizes the padding. */
	netif_keep_dst(dev);
	pr_debug("%s: Interface created\n", dev->name);
	return 0;

err_uninit_ratelimiter:
	wg_cookie_checker_uninit(&wg->cookie_checker);
	wg_ratelimiter_uninit();
err_free_handshake_queue:
	wg_crypt_queue_free(&wg->handshake_queue, false);
err_free_decrypt_queue:
	wg_crypt_queue_free(&wg->decrypt_queue, false);
err_free_encrypt_queue:
	wg_crypt_queue_free(&wg->encrypt_queue, false);
err_destroy_packet_crypt:
	destroy_workqueue(wg->packet_crypt_wq);
err_destroy_handshake_send:
	destroy_workqueue(wg->handshake_send_wq);
err_destroy_handshake_receive:
	destroy_workqueue(wg->handshake_receive_wq);
err_free_registry:
	wg_registry_destroy(wg->registry);
err:
	return ret;
}

static void wg_dellink(struct net_device *dev, struct list_head *head)
{
	struct wg_device *wg = netdev_priv(dev);

	list_del(&wg->device_list);
	unregister_netdevice_queue(dev, head);
}

static struct rtnl_link_ops link_ops __read_mostly = {
	.kind		= "wireguard",
	.priv_size	= sizeof(struct wg_device),
	.setup		= wg_setup,
	.newlink	= wg_newlink,
	.dellink	= wg_dellink,
};

/*
 * A namespace is dying: delete every device whose sockets live in it,
 * wherever the device itself has been moved to.
 */
static void __net_exit wg_netns_pre_exit(struct net *net)
{
	struct wg_device *wg, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(wg, tmp, &device_list, device_list) {
		if (wg->creating_net != net)
			continue;
		pr_debug("%s: Creating namespace exiting\n", wg->dev->name);
		WRITE_ONCE(wg->creating_net, NULL);
		wg_socket_uninit(wg);
		list_del(&wg->device_list);
		unregister_netdevice(wg->dev);
	}
	rtnl_unlock();
}

static struct pernet_operations pernet_ops = {
	.pre_exit = wg_netns_pre_exit,
};

int __init wg_device_init(void)
{
	int ret;

	ret = register_pernet_device(&pernet_ops);
	if (ret)
		return ret;
	ret = rtnl_link_register(&link_ops);
	if (ret)
		unregister_pernet_device(&pernet_ops);
	return ret;
}

void wg_device_uninit(void)
{
	rtnl_link_unregister(&link_ops);
	unregister_pernet_device(&pernet_ops);
}
