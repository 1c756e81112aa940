// SPDX-License-Identifier: GPL-2.0
/*
 * Generic Netlink family "wireguard": the configuration interface.
 */

#include "netlink.h"
#include "device.h"
#include "compat.h"
#include "uapi/linux/wireguard.h"

#include <linux/if.h>
#include <net/genetlink.h>
#include <net/sock.h>

static struct genl_family genl_family;

static const struct nla_policy device_policy[WGDEVICE_A_MAX + 1] = {
	[WGDEVICE_A_IFINDEX]		= { .type = NLA_U32 },
	[WGDEVICE_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[WGDEVICE_A_PRIVATE_KEY]	= NLA_POLICY_EXACT_LEN(WG_KEY_LEN),
	[WGDEVICE_A_PUBLIC_KEY]		= NLA_POLICY_EXACT_LEN(WG_KEY_LEN),
	[WGDEVICE_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, __WGDEVICE_F_ALL),
	[WGDEVICE_A_LISTEN_PORT]	= { .type = NLA_U16 },
	[WGDEVICE_A_FWMARK]		= { .type = NLA_U32 },
	[WGDEVICE_A_PEERS]		= { .type = NLA_NESTED },
};

/*
 * Resolve the device a request names, by index or by name, in the
 * requester's namespace.  Returns it with a reference held.
 */
static struct wg_device *lookup_interface(struct nlattr **attrs,
					  struct sk_buff *skb,
					  struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (!attrs[WGDEVICE_A_IFINDEX] == !attrs[WGDEVICE_A_IFNAME]) {
		NL_SET_ERR_MSG(extack,
			       "exactly one of WGDEVICE_A_IFINDEX and WGDEVICE_A_IFNAME is required");
		return ERR_PTR(-EBADR);
	}
	if (attrs[WGDEVICE_A_IFINDEX])
		dev = dev_get_by_index(sock_net(skb->sk),
				       nla_get_u32(attrs[WGDEVICE_A_IFINDEX]));
	else
		dev = dev_get_by_name(sock_net(skb->sk),
				      nla_data(attrs[WGDEVICE_A_IFNAME]));
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!dev->rtnl_link_ops || !dev->rtnl_link_ops->kind ||
	    strcmp(dev->rtnl_link_ops->kind, "wireguard")) {
		dev_put(dev);
		NL_SET_ERR_MSG(extack, "device is not a wireguard device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

static int wg_get_device_start(struct netlink_callback *cb)
{
	struct wg_device *wg;

	wg = lookup_interface(wg_compat_dump_attrs(cb), cb->skb, cb->extack);
	if (IS_ERR(wg))
		return PTR_ERR(wg);
	cb->args[0] = (long)wg;
	return 0;
}

static int wg_get_device_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct wg_device *wg = (struct wg_device *)cb->args[0];
	void *hdr;
	int ret = -EMSGSIZE;

	if (cb->args[1])
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &genl_family, NLM_F_MULTI, WG_CMD_GET_DEVICE);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);

	mutex_lock(&wg->device_update_lock);
	if (nla_put_u32(skb, WGDEVICE_A_IFINDEX, wg->dev->ifindex) ||
	    nla_put_string(skb, WGDEVICE_A_IFNAME, wg->dev->name) ||
	    nla_put_u16(skb, WGDEVICE_A_LISTEN_PORT, wg->incoming_port) ||
	    nla_put_u32(skb, WGDEVICE_A_FWMARK, wg->fwmark))
		goto out;
	ret = 0;
out:
	mutex_unlock(&wg->device_update_lock);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	cb->args[1] = 1;
	return skb->len;
}

static int wg_get_device_done(struct netlink_callback *cb)
{
	struct wg_device *wg = (struct wg_device *)cb->args[0];

	if (wg)
		dev_put(wg->dev);
	return 0;
}

static int wg_set_device(struct sk_buff *skb, struct genl_info *info)
{
	struct wg_device *wg = lookup_interface(info->attrs, skb, info->extack);

	if (IS_ERR(wg))
		return PTR_ERR(wg);
	dev_put(wg->dev);
	NL_SET_ERR_MSG(info->extack, "configuration is not implemented yet");
	return -EOPNOTSUPP;
}

static const struct genl_ops genl_ops[] = {
	{
		.cmd = WG_CMD_GET_DEVICE,
		.start = wg_get_device_start,
		.dumpit = wg_get_device_dump,
		.done = wg_get_device_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = WG_CMD_SET_DEVICE,
		.doit = wg_set_device,
		.flags = GENL_UNS_ADMIN_PERM,
	}
};

static struct genl_family genl_family __ro_after_init = {
	.ops = genl_ops,
	.n_ops = ARRAY_SIZE(genl_ops),
	.resv_start_op = WG_CMD_SET_DEVICE + 1,
	.name = WG_GENL_NAME,
	.version = WG_GENL_VERSION,
	.maxattr = WGDEVICE_A_MAX,
	.module = THIS_MODULE,
	.policy = device_policy,
	.netnsok = true,
};

int __init wg_genetlink_init(void)
{
	return genl_register_family(&genl_family);
}

void wg_genetlink_uninit(void)
{
	genl_unregister_family(&genl_family);
}
