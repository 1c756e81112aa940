// SPDX-License-Identifier: GPL-2.0
/*
 * The wireguard net_device and its rtnl link kind.
 */

#include "device.h"
#include "compat.h"

#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

/* Every live wireguard device, for namespace teardown; under RTNL. */
static LIST_HEAD(device_list);

static int wg_open(struct net_device *dev)
{
	return 0;
}

static int wg_stop(struct net_device *dev)
{
	return 0;
}

static netdev_tx_t wg_xmit(struct sk_buff *skb, struct net_device *dev)
{
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops netdev_ops = {
	.ndo_open		= wg_open,
	.ndo_stop		= wg_stop,
	.ndo_start_xmit		= wg_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void wg_destruct(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);

	mutex_destroy(&wg->device_update_lock);
	pr_debug("%s: Interface destroyed\n", dev->name);
}

static void wg_setup(struct net_device *dev)
{
	struct wg_device *wg = netdev_priv(dev);

	dev->netdev_ops = &netdev_ops;
	dev->header_ops = NULL;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = 0;
	dev->needed_tailroom = 0;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	wg_compat_set_lltx(dev);
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->mtu = 1420;
	dev->min_mtu = 0;
	dev->max_mtu = 65535 - 80;
	dev->needs_free_netdev = true;
	dev->priv_destructor = wg_destruct;

	memset(wg, 0, sizeof(*wg));
	wg->dev = dev;
	mutex_init(&wg->device_update_lock);
}

static int wg_newlink(struct net *src_net, struct net_device *dev,
		      struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack)
{
	struct wg_device *wg = netdev_priv(dev);
	int ret;

	/*
	 * No reference is taken on the creating namespace: when it goes
	 * away, wg_netns_pre_exit() deletes the device instead.
	 */
	wg->creating_net = src_net;

	ret = register_netdevice(dev);
	if (ret < 0)
		return ret;
	list_add(&wg->device_list, &device_list);
	pr_debug("%s: Interface created\n", dev->name);
	return 0;
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
		wg->creating_net = NULL;
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
