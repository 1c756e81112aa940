// SPDX-License-Identifier: GPL-2.0
/*
 * Generic Netlink family "wireguard": the configuration interface.
 *
 * SET requests are validated in full before anything is changed, so a bad
 * attribute anywhere (even in the last allowed IP of the last peer) leaves
 * the device as it was.  GET dumps are resumable: the cursor (peer, and
 * node of its allowed IPs) lives in the netlink callback between messages
 * and device_update_gen flags dumps that raced with a change.
 */

#include "netlink.h"
#include "device.h"
#include "peer.h"
#include "socket.h"
#include "queueing.h"
#include "messages.h"
#include "compat.h"
#include "uapi/linux/wireguard.h"

#include <linux/capability.h>
#include <linux/if.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

static struct genl_family genl_family;

static const struct nla_policy device_policy[WGDEVICE_A_MAX + 1] = {
	[WGDEVICE_A_IFINDEX]		= { .type = NLA_U32 },
	[WGDEVICE_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	/* Key and sockaddr lengths are checked by validate_request(). */
	[WGDEVICE_A_PRIVATE_KEY]	= { .type = NLA_BINARY },
	[WGDEVICE_A_PUBLIC_KEY]		= NLA_POLICY_EXACT_LEN(WG_KEY_LEN),
	[WGDEVICE_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, __WGDEVICE_F_ALL),
	[WGDEVICE_A_LISTEN_PORT]	= { .type = NLA_U16 },
	[WGDEVICE_A_FWMARK]		= { .type = NLA_U32 },
	[WGDEVICE_A_PEERS]		= { .type = NLA_NESTED },
};

static const struct nla_policy peer_policy[WGPEER_A_MAX + 1] = {
	[WGPEER_A_PUBLIC_KEY]			= { .type = NLA_BINARY },
	[WGPEER_A_PRESHARED_KEY]		= { .type = NLA_BINARY },
	[WGPEER_A_FLAGS]			= NLA_POLICY_MASK(NLA_U32, __WGPEER_F_ALL),
	[WGPEER_A_ENDPOINT]			= { .type = NLA_BINARY },
	[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]	= { .type = NLA_U16 },
	[WGPEER_A_LAST_HANDSHAKE_TIME]		=
		NLA_POLICY_EXACT_LEN(sizeof(struct __kernel_timespec)),
	[WGPEER_A_RX_BYTES]			= { .type = NLA_U64 },
	[WGPEER_A_TX_BYTES]			= { .type = NLA_U64 },
	[WGPEER_A_ALLOWEDIPS]			= { .type = NLA_NESTED },
	[WGPEER_A_PROTOCOL_VERSION]		= { .type = NLA_U32 },
};

static const struct nla_policy allowedip_policy[WGALLOWEDIP_A_MAX + 1] = {
	[WGALLOWEDIP_A_FAMILY]		= { .type = NLA_U16 },
	[WGALLOWEDIP_A_IPADDR]		= { .type = NLA_BINARY },
	[WGALLOWEDIP_A_CIDR_MASK]	= { .type = NLA_U8 },
	[WGALLOWEDIP_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, __WGALLOWEDIP_F_ALL),
};

/* Resolve the device a request names, by index or by name, in the
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

/* GET */

/* cb->args[] use while dumping */
enum {
	DUMP_DEVICE,		/* struct wg_device *, device reference held */
	DUMP_NEXT_PEER,		/* struct wg_peer * to resume at, referenced */
	DUMP_NEXT_ALLOWEDIP,	/* allowedips_node * in it, or NULL */
	DUMP_ALLOWEDIPS_SEQ,	/* peer_allowedips.seq the node belongs to */
	DUMP_STARTED,		/* device attributes sent */
	DUMP_FINISHED
};

static int get_allowedip(struct sk_buff *skb, const u8 *ip, u8 cidr,
			 int family)
{
	struct nlattr *nest = nla_nest_start(skb, 0);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, WGALLOWEDIP_A_CIDR_MASK, cidr) ||
	    nla_put_u16(skb, WGALLOWEDIP_A_FAMILY, family) ||
	    nla_put(skb, WGALLOWEDIP_A_IPADDR, family == AF_INET6 ?
		    sizeof(struct in6_addr) : sizeof(struct in_addr), ip)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The public key, and on a peer's first message its preshared key: both
 * read under one hold of the handshake lock.
 */
static int put_peer_keys(struct sk_buff *skb, struct wg_peer *peer,
			 bool with_psk)
{
	struct noise_handshake *hs = &peer->handshake;
	int ret;

	down_read(&hs->lock);
	ret = nla_put(skb, WGPEER_A_PUBLIC_KEY, NOISE_PUBLIC_KEY_LEN,
		      hs->remote_static);
	if (!ret && with_psk)
		ret = nla_put(skb, WGPEER_A_PRESHARED_KEY,
			      NOISE_SYMMETRIC_KEY_LEN, hs->preshared_key);
	up_read(&hs->lock);
	return ret;
}

/* Handshake time, keepalive interval, counters and protocol version. */
static int put_peer_state(struct sk_buff *skb, struct wg_peer *peer)
{
	const struct timespec64 *when = &peer->walltime_last_handshake;
	struct __kernel_timespec hs_time = {
		.tv_sec = when->tv_sec,
		.tv_nsec = when->tv_nsec,
	};
	u16 keepalive = peer->persistent_keepalive_interval;

	if (nla_put(skb, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(hs_time),
		    &hs_time))
		return -EMSGSIZE;
	if (nla_put_u16(skb, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
			keepalive))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, WGPEER_A_TX_BYTES,
			      READ_ONCE(peer->tx_bytes), WGPEER_A_UNSPEC))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, WGPEER_A_RX_BYTES,
			      READ_ONCE(peer->rx_bytes), WGPEER_A_UNSPEC))
		return -EMSGSIZE;
	return nla_put_u32(skb, WGPEER_A_PROTOCOL_VERSION, 1);
}

/* The endpoint, copied under its lock and put after; none when unset. */
static int put_peer_endpoint(struct sk_buff *skb, struct wg_peer *peer)
{
	struct endpoint copy;
	size_t len = 0;

	read_lock_bh(&peer->endpoint_lock);
	copy = peer->endpoint;
	read_unlock_bh(&peer->endpoint_lock);
	if (copy.addr.sa_family == AF_INET)
		len = sizeof(copy.addr4);
	else if (copy.addr.sa_family == AF_INET6)
		len = sizeof(copy.addr6);
	return len ? nla_put(skb, WGPEER_A_ENDPOINT, len, &copy.addr) : 0;
}

/* The allowed IPs from node on, in one nest.  0: all of them; 1: the
 * message filled, and the cursor says where the next one goes on;
 * -EMSGSIZE: not even the nest fitted.
 */
static int put_allowedips_from(struct sk_buff *skb, struct wg_peer *peer,
			       struct allowedips_node *node,
			       struct netlink_callback *cb)
{
	struct nlattr *nest = nla_nest_start(skb, WGPEER_A_ALLOWEDIPS);
	u8 ip[16] __aligned(__alignof(u64));
	int family, full = 0;
	u8 cidr;

	if (!nest)
		return -EMSGSIZE;
	list_for_each_entry_from(node, &peer->allowedips_list, peer_list) {
		family = wg_allowedips_read_node(node, ip, &cidr);
		if (get_allowedip(skb, ip, cidr, family)) {
			cb->args[DUMP_NEXT_ALLOWEDIP] = (long)node;
			cb->args[DUMP_ALLOWEDIPS_SEQ] =
				peer->device->peer_allowedips.seq;
			full = 1;
			break;
		}
	}
	nla_nest_end(skb, nest);
	return full;
}

/* Put peer, or the rest of it from the allowed IP cursor.  0 when it is
 * complete; -EMSGSIZE when the message is full (the cursor then says
 * where to go on, or is unchanged when nothing of the peer fitted).
 */
static int get_peer(struct wg_peer *peer, struct sk_buff *skb,
		    struct netlink_callback *cb)
{
	struct allowedips_node *node = (void *)cb->args[DUMP_NEXT_ALLOWEDIP];
	struct nlattr *peer_nest;
	int ret;

	/* A cursor into a list changed since is dropped (the generation
	 * check flags the dump as interrupted).
	 */
	if (node && cb->args[DUMP_ALLOWEDIPS_SEQ] !=
		    peer->device->peer_allowedips.seq)
		node = NULL;
	peer_nest = nla_nest_start(skb, 0);
	if (!peer_nest)
		return -EMSGSIZE;
	if (put_peer_keys(skb, peer, !node))
		goto cancel;
	if (!node) {
		if (put_peer_state(skb, peer) || put_peer_endpoint(skb, peer))
			goto cancel;
		node = list_first_entry_or_null(&peer->allowedips_list,
						struct allowedips_node,
						peer_list);
	}
	ret = node ? put_allowedips_from(skb, peer, node, cb) : 0;
	if (ret < 0)
		goto cancel;
	nla_nest_end(skb, peer_nest);
	if (ret)
		return -EMSGSIZE;
	cb->args[DUMP_NEXT_ALLOWEDIP] = 0;
	return 0;
cancel:
	nla_nest_cancel(skb, peer_nest);
	return -EMSGSIZE;
}

/* ifname: the device's name, copied under RTNL (renames hold it). */
static int get_device_attrs(struct wg_device *wg, struct sk_buff *skb,
			    const char *ifname)
{
	int ret = -EMSGSIZE;

	if (nla_put_u16(skb, WGDEVICE_A_LISTEN_PORT,
			READ_ONCE(wg->incoming_port)) ||
	    nla_put_u32(skb, WGDEVICE_A_FWMARK, READ_ONCE(wg->fwmark)) ||
	    nla_put_u32(skb, WGDEVICE_A_IFINDEX, wg->dev->ifindex) ||
	    nla_put_string(skb, WGDEVICE_A_IFNAME, ifname))
		return ret;

	down_read(&wg->static_identity.lock);
	if (wg->static_identity.has_identity &&
	    (nla_put(skb, WGDEVICE_A_PRIVATE_KEY, NOISE_PUBLIC_KEY_LEN,
		     wg->static_identity.static_private) ||
	     nla_put(skb, WGDEVICE_A_PUBLIC_KEY, NOISE_PUBLIC_KEY_LEN,
		     wg->static_identity.static_public)))
		goto out;
	ret = 0;
out:
	up_read(&wg->static_identity.lock);
	return ret;
}

static int wg_get_device_start(struct netlink_callback *cb)
{
	struct wg_device *wg;

	wg = lookup_interface(wg_compat_dump_attrs(cb), cb->skb, cb->extack);
	if (IS_ERR(wg))
		return PTR_ERR(wg);
	cb->args[DUMP_DEVICE] = (long)wg;
	return 0;
}

static void set_cursor(struct netlink_callback *cb, struct wg_peer *peer)
{
	struct wg_peer *old = (struct wg_peer *)cb->args[DUMP_NEXT_PEER];

	if (old == peer)
		return;
	if (peer)
		wg_peer_get(peer);
	cb->args[DUMP_NEXT_PEER] = (long)peer;
	wg_peer_put(old);
}

static int wg_get_device_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct wg_device *wg = (struct wg_device *)cb->args[DUMP_DEVICE];
	struct wg_peer *peer = (struct wg_peer *)cb->args[DUMP_NEXT_PEER];
	struct nlattr *peers_nest;
	char ifname[IFNAMSIZ];
	bool complete = true;
	int ret = -EMSGSIZE;
	void *hdr;

	if (cb->args[DUMP_FINISHED])
		return 0;

	/* A rename rewrites dev->name under RTNL: copy it there, before
	 * device_update_lock (which nests inside RTNL), not to send a torn
	 * name.
	 */
	if (!cb->args[DUMP_STARTED]) {
		rtnl_lock();
		strscpy(ifname, wg->dev->name, sizeof(ifname));
		rtnl_unlock();
	}

	mutex_lock(&wg->device_update_lock);
	cb->seq = wg->device_update_gen;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &genl_family, NLM_F_MULTI, WG_CMD_GET_DEVICE);
	if (!hdr)
		goto out;
	genl_dump_check_consistent(cb, hdr);

	if (!cb->args[DUMP_STARTED] && get_device_attrs(wg, skb, ifname))
		goto out_cancel;

	/* The cursor peer was removed meanwhile: the dump is marked stale. */
	if (peer && READ_ONCE(peer->is_dead))
		goto finish;
	if (!peer && list_empty(&wg->peer_list))
		goto finish;

	peers_nest = nla_nest_start(skb, WGDEVICE_A_PEERS);
	if (!peers_nest)
		goto out_cancel;
	if (!peer)
		peer = list_first_entry(&wg->peer_list, struct wg_peer,
					peer_list);
	list_for_each_entry_from(peer, &wg->peer_list, peer_list) {
		if (get_peer(peer, skb, cb)) {
			complete = false;
			break;
		}
	}
	nla_nest_end(skb, peers_nest);
	if (!complete) {
		set_cursor(cb, peer);
		goto end;
	}

finish:
	set_cursor(cb, NULL);
	cb->args[DUMP_FINISHED] = 1;
end:
	cb->args[DUMP_STARTED] = 1;
	genlmsg_end(skb, hdr);
	mutex_unlock(&wg->device_update_lock);
	return skb->len;

out_cancel:
	genlmsg_cancel(skb, hdr);
out:
	mutex_unlock(&wg->device_update_lock);
	return ret;
}

static int wg_get_device_done(struct netlink_callback *cb)
{
	struct wg_device *wg = (struct wg_device *)cb->args[DUMP_DEVICE];

	set_cursor(cb, NULL);
	if (wg)
		dev_put(wg->dev);
	return 0;
}

/* SET: validation */

/* What a policy failure inside a nest was about, for the extack. */
static const char *const peer_attr_msg[WGPEER_A_MAX + 1] = {
	[WGPEER_A_FLAGS] = "invalid WGPEER_A_FLAGS (u32 of known flags)",
	[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL] =
		"invalid WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL (u16)",
	[WGPEER_A_LAST_HANDSHAKE_TIME] =
		"invalid WGPEER_A_LAST_HANDSHAKE_TIME (struct __kernel_timespec)",
	[WGPEER_A_RX_BYTES] = "invalid WGPEER_A_RX_BYTES (u64)",
	[WGPEER_A_TX_BYTES] = "invalid WGPEER_A_TX_BYTES (u64)",
	[WGPEER_A_ALLOWEDIPS] = "invalid WGPEER_A_ALLOWEDIPS (nest)",
	[WGPEER_A_PROTOCOL_VERSION] = "invalid WGPEER_A_PROTOCOL_VERSION (u32)",
};

static const char *const allowedip_attr_msg[WGALLOWEDIP_A_MAX + 1] = {
	[WGALLOWEDIP_A_FAMILY] = "invalid WGALLOWEDIP_A_FAMILY (u16)",
	[WGALLOWEDIP_A_CIDR_MASK] = "invalid WGALLOWEDIP_A_CIDR_MASK (u8)",
	[WGALLOWEDIP_A_FLAGS] = "invalid WGALLOWEDIP_A_FLAGS (u32 of known flags)",
};

/* NL_SET_ERR_MSG_ATTR() with a message chosen at run time; msg must be
 * static (a literal or from a static table).
 */
static void set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

/* Parse a nest strictly; on failure answer -EINVAL with a message naming
 * the offending attribute (the generic policy message does not).
 */
static int parse_nest(struct nlattr **attrs, int maxtype, struct nlattr *nest,
		      const struct nla_policy *policy,
		      const char *const *msgs, const char *what,
		      struct netlink_ext_ack *extack)
{
	const struct nlattr *bad;
	int ret, type;

	if (extack)
		extack->bad_attr = NULL;
	ret = nla_parse_nested(attrs, maxtype, nest, policy, extack);
	if (ret >= 0)
		return 0;
	if (!extack)
		return -EINVAL;
	bad = extack->bad_attr;
	type = bad ? nla_type(bad) : -1;
	if (type > 0 && type <= maxtype && msgs[type])
		set_err(extack, bad, msgs[type]);
	else if (bad && (type <= 0 || type > maxtype))
		set_err(extack, bad, what);
	else if (!bad)
		set_err(extack, nest, what);
	return -EINVAL;
}

static int validate_allowedip(struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *attrs[WGALLOWEDIP_A_MAX + 1], *addr, *mask;
	unsigned int addr_len, max_cidr;
	u16 family;
	int ret;

	ret = parse_nest(attrs, WGALLOWEDIP_A_MAX, attr, allowedip_policy,
			 allowedip_attr_msg,
			 "unknown or malformed attribute in an allowed IP (WGALLOWEDIP_A_*)",
			 extack);
	if (ret < 0)
		return ret;
	addr = attrs[WGALLOWEDIP_A_IPADDR];
	mask = attrs[WGALLOWEDIP_A_CIDR_MASK];
	if (!attrs[WGALLOWEDIP_A_FAMILY]) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "allowed IP without WGALLOWEDIP_A_FAMILY");
		return -EINVAL;
	}
	if (!addr) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "allowed IP without WGALLOWEDIP_A_IPADDR");
		return -EINVAL;
	}
	if (!mask) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "allowed IP without WGALLOWEDIP_A_CIDR_MASK");
		return -EINVAL;
	}
	family = nla_get_u16(attrs[WGALLOWEDIP_A_FAMILY]);
	if (family == AF_INET) {
		addr_len = sizeof(struct in_addr);
		max_cidr = 32;
	} else if (family == AF_INET6) {
		addr_len = sizeof(struct in6_addr);
		max_cidr = 128;
	} else {
		NL_SET_ERR_MSG_ATTR(extack, attrs[WGALLOWEDIP_A_FAMILY],
				    "WGALLOWEDIP_A_FAMILY must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	if (nla_len(addr) != addr_len) {
		set_err(extack, addr, family == AF_INET ?
			"WGALLOWEDIP_A_IPADDR of an AF_INET allowed IP must be 4 bytes" :
			"WGALLOWEDIP_A_IPADDR of an AF_INET6 allowed IP must be 16 bytes");
		return -EINVAL;
	}
	if (nla_get_u8(mask) > max_cidr) {
		set_err(extack, mask, family == AF_INET ?
			"WGALLOWEDIP_A_CIDR_MASK of an AF_INET allowed IP must be at most 32" :
			"WGALLOWEDIP_A_CIDR_MASK of an AF_INET6 allowed IP must be at most 128");
		return -EINVAL;
	}
	return 0;
}

static int validate_key(const struct nlattr *attr, const char *msg,
			struct netlink_ext_ack *extack)
{
	if (!attr || nla_len(attr) == WG_KEY_LEN)
		return 0;
	set_err(extack, attr, msg);
	return -EINVAL;
}

static int validate_endpoint(struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	const struct sockaddr *addr = nla_data(attr);
	size_t len = nla_len(attr);

	if (len >= sizeof(addr->sa_family) &&
	    ((len == sizeof(struct sockaddr_in) &&
	      addr->sa_family == AF_INET) ||
	     (len == sizeof(struct sockaddr_in6) &&
	      addr->sa_family == AF_INET6)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "WGPEER_A_ENDPOINT must be a sockaddr_in (AF_INET) or sockaddr_in6 (AF_INET6) of its exact size");
	return -EINVAL;
}

static int validate_peer(struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct nlattr *attrs[WGPEER_A_MAX + 1], *ip;
	int ret, rem;

	ret = parse_nest(attrs, WGPEER_A_MAX, attr, peer_policy, peer_attr_msg,
			 "unknown or malformed attribute in a peer (WGPEER_A_*)",
			 extack);
	if (ret < 0)
		return ret;
	if (!attrs[WGPEER_A_PUBLIC_KEY]) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "peer without WGPEER_A_PUBLIC_KEY");
		return -EINVAL;
	}
	ret = validate_key(attrs[WGPEER_A_PUBLIC_KEY],
			   "WGPEER_A_PUBLIC_KEY must be 32 bytes", extack);
	if (ret < 0)
		return ret;
	ret = validate_key(attrs[WGPEER_A_PRESHARED_KEY],
			   "WGPEER_A_PRESHARED_KEY must be 32 bytes", extack);
	if (ret < 0)
		return ret;
	if (attrs[WGPEER_A_PROTOCOL_VERSION] &&
	    nla_get_u32(attrs[WGPEER_A_PROTOCOL_VERSION]) != 1) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[WGPEER_A_PROTOCOL_VERSION],
				    "WGPEER_A_PROTOCOL_VERSION must be 1");
		return -EPFNOSUPPORT;
	}
	if (attrs[WGPEER_A_ENDPOINT]) {
		ret = validate_endpoint(attrs[WGPEER_A_ENDPOINT], extack);
		if (ret < 0)
			return ret;
	}
	if (attrs[WGPEER_A_ALLOWEDIPS]) {
		nla_for_each_nested(ip, attrs[WGPEER_A_ALLOWEDIPS], rem) {
			ret = validate_allowedip(ip, extack);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int validate_request(struct genl_info *info)
{
	struct nlattr *attr;
	int ret, rem;

	ret = validate_key(info->attrs[WGDEVICE_A_PRIVATE_KEY],
			   "WGDEVICE_A_PRIVATE_KEY must be 32 bytes",
			   info->extack);
	if (ret < 0)
		return ret;
	if (!info->attrs[WGDEVICE_A_PEERS])
		return 0;
	nla_for_each_nested(attr, info->attrs[WGDEVICE_A_PEERS], rem) {
		ret = validate_peer(attr, info->extack);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* SET in two phases, both under RTNL and device_update_lock, after the
 * request was validated.  Phase 1 (prepare_set()) allocates everything
 * applying may need and changes nothing; then the listen port is rebound
 * (it may fail, for a port in use: the old sockets then stay); phase 2
 * (apply_set()) cannot fail.  So a request fails whole or applies whole.
 * (Peer events and keepalives sent while applying are best effort.)
 */

/* What phase 1 allocated for phase 2: unpublished peers for every peer
 * the request may create and trie nodes for every allowed IP it may
 * insert.  Both are upper bounds: what phase 2 does not take is freed
 * after it.  Belongs to the request; device_update_lock is held from
 * filling to freeing, so what the bounds were computed from (the peers
 * of the device) stays as it was.
 */
struct set_prep {
	struct list_head peers;		/* of wg_peer, by peer_list */
	struct wg_allowedips_pool nodes;
};

/* Tallies of the request's peers, for the bounds. */
struct set_counts {
	unsigned long creatable;	/* may be created (no REMOVE/UPDATE_ONLY) */
	unsigned long absent;		/* ... of them, not a peer now */
	unsigned long removals;		/* WGPEER_F_REMOVE_ME */
	unsigned long inserts;		/* allowed IPs without REMOVE_ME */
};

static void count_peer(struct wg_device *wg, struct nlattr *peer_attr,
		       bool replace, struct set_counts *c)
{
	struct nlattr *attrs[WGPEER_A_MAX + 1], *ip_attrs[WGALLOWEDIP_A_MAX + 1];
	struct nlattr *ip;
	struct wg_peer *peer = NULL;
	u32 flags = 0;
	int rem;

	if (nla_parse_nested(attrs, WGPEER_A_MAX, peer_attr, peer_policy,
			     NULL) < 0)
		return;	/* validated: cannot happen */
	if (attrs[WGPEER_A_FLAGS])
		flags = nla_get_u32(attrs[WGPEER_A_FLAGS]);
	if (flags & WGPEER_F_REMOVE_ME) {
		++c->removals;
		return;
	}
	if (!(flags & WGPEER_F_UPDATE_ONLY)) {
		++c->creatable;
		if (!replace) {
			const u8 *key = nla_data(attrs[WGPEER_A_PUBLIC_KEY]);

			peer = wg_registry_peer_by_key(wg->registry, key);
		}
		if (!peer)
			++c->absent;
		wg_peer_put(peer);
	}
	if (!attrs[WGPEER_A_ALLOWEDIPS])
		return;
	nla_for_each_nested(ip, attrs[WGPEER_A_ALLOWEDIPS], rem) {
		if (nla_parse_nested(ip_attrs, WGALLOWEDIP_A_MAX, ip,
				     allowedip_policy, NULL) < 0)
			continue;
		if (!ip_attrs[WGALLOWEDIP_A_FLAGS] ||
		    !(nla_get_u32(ip_attrs[WGALLOWEDIP_A_FLAGS]) &
		      WGALLOWEDIP_F_REMOVE_ME))
			++c->inserts;
	}
}

static void free_prep(struct set_prep *prep)
{
	struct wg_peer *peer, *tmp;

	list_for_each_entry_safe(peer, tmp, &prep->peers, peer_list)
		wg_peer_free_unpublished(peer);
	INIT_LIST_HEAD(&prep->peers);
	wg_allowedips_pool_drain(&prep->nodes);
}

/* Phase 1.  On failure what was allocated stays in prep (free_prep()). */
static int prepare_set(struct wg_device *wg, struct genl_info *info,
		       u32 flags, struct set_prep *prep)
{
	bool replace = flags & WGDEVICE_F_REPLACE_PEERS;
	struct set_counts c = {};
	unsigned long npeers;
	struct nlattr *attr;
	struct wg_peer *peer;
	int rem;

	INIT_LIST_HEAD(&prep->peers);
	wg_allowedips_pool_init(&prep->nodes);
	if (!info->attrs[WGDEVICE_A_PEERS])
		return 0;
	nla_for_each_nested(attr, info->attrs[WGDEVICE_A_PEERS], rem)
		count_peer(wg, attr, replace, &c);

	/* A peer is created where its key is no peer at that point: absent
	 * now, or removed earlier in the request by WGPEER_F_REMOVE_ME.  (A
	 * peer removed for having the new private key's public key is not
	 * created again: that key is ours.)
	 */
	npeers = min(c.creatable, c.absent + c.removals);
	if ((replace ? 0 : wg->num_peers) + npeers > MAX_PEERS_PER_DEVICE) {
		NL_SET_ERR_MSG(info->extack,
			       "the request would exceed the peers a device may have; nothing was changed");
		return -ENOSPC;
	}
	while (npeers--) {
		peer = wg_peer_alloc();
		if (!peer)
			goto nomem;
		list_add_tail(&peer->peer_list, &prep->peers);
	}
	if (wg_allowedips_pool_fill(&prep->nodes, c.inserts *
				    WG_ALLOWEDIPS_NODES_PER_INSERT))
		goto nomem;
	return 0;

nomem:
	NL_SET_ERR_MSG(info->extack,
		       "out of memory for the new peers and allowed IPs; nothing was changed");
	return -ENOMEM;
}

/* Phase 2 from here on: nothing fails. */

static void set_allowedip(struct wg_peer *peer, struct nlattr *attr,
			  struct wg_allowedips_pool *pool)
{
	struct wg_device *wg = peer->device;
	struct nlattr *attrs[WGALLOWEDIP_A_MAX + 1];
	struct mutex *lock = &wg->device_update_lock;
	u32 flags = 0;
	u16 family;
	u8 cidr;
	int ret;

	if (nla_parse_nested(attrs, WGALLOWEDIP_A_MAX, attr, allowedip_policy,
			     NULL) < 0)
		return;	/* validated: cannot happen */
	family = nla_get_u16(attrs[WGALLOWEDIP_A_FAMILY]);
	cidr = nla_get_u8(attrs[WGALLOWEDIP_A_CIDR_MASK]);
	if (attrs[WGALLOWEDIP_A_FLAGS])
		flags = nla_get_u32(attrs[WGALLOWEDIP_A_FLAGS]);

	if (family == AF_INET) {
		const struct in_addr *ip = nla_data(attrs[WGALLOWEDIP_A_IPADDR]);

		if (flags & WGALLOWEDIP_F_REMOVE_ME)
			ret = wg_allowedips_remove_v4(&wg->peer_allowedips, ip,
						      cidr, peer, lock);
		else
			ret = wg_allowedips_insert_v4(&wg->peer_allowedips, ip,
						      cidr, peer, pool, lock);
	} else {
		const struct in6_addr *ip = nla_data(attrs[WGALLOWEDIP_A_IPADDR]);

		if (flags & WGALLOWEDIP_F_REMOVE_ME)
			ret = wg_allowedips_remove_v6(&wg->peer_allowedips, ip,
						      cidr, peer, lock);
		else
			ret = wg_allowedips_insert_v6(&wg->peer_allowedips, ip,
						      cidr, peer, pool, lock);
	}
	/* Removing what the peer does not have is not an error; an insert
	 * with validated arguments and a full pool does not fail.
	 */
	WARN_ON_ONCE(ret && ret != -ENOENT);
}

/* The peer a request's peer attribute is about, with a reference: the
 * existing one, or a new one published from prep; NULL when there is
 * nothing to do (removal or update of an unknown peer, our own key).
 */
static struct wg_peer *get_set_peer(struct wg_device *wg, struct nlattr **attrs,
				    u32 flags, struct set_prep *prep)
{
	const u8 *public_key = nla_data(attrs[WGPEER_A_PUBLIC_KEY]);
	const u8 *preshared_key = NULL;
	struct wg_peer *peer;
	bool self;

	peer = wg_registry_peer_by_key(wg->registry, public_key);
	if (peer || (flags & (WGPEER_F_REMOVE_ME | WGPEER_F_UPDATE_ONLY)))
		return peer;
	/* Our own public key is silently not a peer. */
	down_read(&wg->static_identity.lock);
	self = wg->static_identity.has_identity &&
	       !memcmp(public_key, wg->static_identity.static_public,
		       NOISE_PUBLIC_KEY_LEN);
	up_read(&wg->static_identity.lock);
	if (self)
		return NULL;

	peer = list_first_entry_or_null(&prep->peers, struct wg_peer,
					peer_list);
	/* prepare_set() allocated for the worst case: none left is a bug. */
	if (WARN_ON_ONCE(!peer))
		return NULL;
	list_del_init(&peer->peer_list);
	if (attrs[WGPEER_A_PRESHARED_KEY])
		preshared_key = nla_data(attrs[WGPEER_A_PRESHARED_KEY]);
	wg_peer_publish(wg, peer, public_key, preshared_key);
	wg_events_peer_added(peer);
	return wg_peer_get(peer);
}

static void set_peer(struct wg_device *wg, struct nlattr *peer_attr,
		     struct set_prep *prep)
{
	struct nlattr *attrs[WGPEER_A_MAX + 1], *attr;
	struct wg_peer *peer;
	u32 flags = 0;
	int rem;

	if (nla_parse_nested(attrs, WGPEER_A_MAX, peer_attr, peer_policy,
			     NULL) < 0)
		return;	/* validated: cannot happen */
	if (attrs[WGPEER_A_FLAGS])
		flags = nla_get_u32(attrs[WGPEER_A_FLAGS]);
	peer = get_set_peer(wg, attrs, flags, prep);
	if (!peer)
		return;

	if (flags & WGPEER_F_REMOVE_ME) {
		wg_peer_remove(peer);
		goto out;
	}

	attr = attrs[WGPEER_A_PRESHARED_KEY];
	if (attr)
		wg_noise_handshake_set_preshared_key(&peer->handshake,
						     nla_data(attr));

	if (attrs[WGPEER_A_ENDPOINT]) {
		const struct sockaddr *addr = nla_data(attrs[WGPEER_A_ENDPOINT]);
		struct endpoint endpoint = {};

		/* Length and family were checked by validate_endpoint(). */
		if (addr->sa_family == AF_INET)
			memcpy(&endpoint.addr4, addr, sizeof(endpoint.addr4));
		else
			memcpy(&endpoint.addr6, addr, sizeof(endpoint.addr6));
		wg_socket_set_peer_endpoint(peer, &endpoint);
	}

	if (flags & WGPEER_F_REPLACE_ALLOWEDIPS)
		wg_allowedips_remove_by_peer(&wg->peer_allowedips, peer,
					     &wg->device_update_lock);

	if (attrs[WGPEER_A_ALLOWEDIPS]) {
		nla_for_each_nested(attr, attrs[WGPEER_A_ALLOWEDIPS], rem)
			set_allowedip(peer, attr, &prep->nodes);
	}

	attr = attrs[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL];
	if (attr) {
		u16 interval = nla_get_u16(attr);
		bool send_now = !peer->persistent_keepalive_interval &&
				interval && netif_running(wg->dev);

		WRITE_ONCE(peer->persistent_keepalive_interval, interval);
		if (send_now)
			wg_packet_send_keepalive(peer);
	}

	if (netif_running(wg->dev))
		wg_packet_send_staged_packets(peer);
out:
	wg_peer_put(peer);
}

/* Key material in the request is not left behind in the skb. */
static void wipe_request_keys(struct genl_info *info)
{
	struct nlattr *attrs[WGPEER_A_MAX + 1], *peer_attr;
	int rem;

	if (info->attrs[WGDEVICE_A_PRIVATE_KEY])
		memzero_explicit(nla_data(info->attrs[WGDEVICE_A_PRIVATE_KEY]),
				 nla_len(info->attrs[WGDEVICE_A_PRIVATE_KEY]));
	if (!info->attrs[WGDEVICE_A_PEERS])
		return;
	nla_for_each_nested(peer_attr, info->attrs[WGDEVICE_A_PEERS], rem) {
		if (nla_parse_nested(attrs, WGPEER_A_MAX, peer_attr,
				     peer_policy, NULL) < 0)
			continue;
		if (attrs[WGPEER_A_PRESHARED_KEY])
			memzero_explicit(nla_data(attrs[WGPEER_A_PRESHARED_KEY]),
					 nla_len(attrs[WGPEER_A_PRESHARED_KEY]));
	}
}

/* The sockets live in the namespace the device was created in: binding a
 * port or marking their packets needs CAP_NET_ADMIN there too, not only
 * in the namespace the device has been moved to.  RTNL held.
 */
static int check_socket_perm(struct wg_device *wg, struct genl_info *info)
{
	struct net *net = wg->creating_net;

	if (!info->attrs[WGDEVICE_A_LISTEN_PORT] &&
	    !info->attrs[WGDEVICE_A_FWMARK])
		return 0;
	if (net && ns_capable(net->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "changing the listen port or fwmark needs CAP_NET_ADMIN in the namespace of the sockets");
	return -EPERM;
}

static void set_private_key(struct wg_device *wg, const u8 *private_key)
{
	u8 public_key[NOISE_PUBLIC_KEY_LEN], clamped[NOISE_PUBLIC_KEY_LEN];
	static const u8 zero[NOISE_PUBLIC_KEY_LEN];
	struct wg_peer *peer;

	memcpy(clamped, private_key, NOISE_PUBLIC_KEY_LEN);
	wg_curve25519_clamp_secret(clamped);
	if (wg->static_identity.has_identity &&
	    !wg_memneq(clamped, wg->static_identity.static_private,
		       NOISE_PUBLIC_KEY_LEN))
		goto out;	/* unchanged: keep the sessions */

	/* A peer with our new public key would be ourselves: drop it. */
	if (wg_memneq(private_key, zero, NOISE_PUBLIC_KEY_LEN) &&
	    wg_curve25519_generate_public(public_key, private_key)) {
		peer = wg_registry_peer_by_key(wg->registry, public_key);
		if (peer) {
			wg_peer_put(peer);
			wg_peer_remove(peer);
		}
	}

	down_write(&wg->static_identity.lock);
	wg_noise_set_static_identity_private_key(&wg->static_identity,
						 private_key);
	list_for_each_entry(peer, &wg->peer_list, peer_list)
		wg_noise_precompute_static_static(peer);
	wg_cookie_checker_precompute_device_keys(&wg->cookie_checker);
	up_write(&wg->static_identity.lock);

	/* Sessions of the old key are over.  Packets may have been staged
	 * while there was no key at all: with a key they can go, and a peer
	 * with a persistent keepalive gets its first handshake now rather
	 * than at the next packet.
	 */
	list_for_each_entry(peer, &wg->peer_list, peer_list) {
		wg_noise_expire_current_peer_keypairs(peer);
		if (!netif_running(wg->dev))
			continue;
		if (peer->persistent_keepalive_interval)
			wg_packet_send_keepalive(peer);
		else
			wg_packet_send_staged_packets(peer);
	}
out:
	memzero_explicit(clamped, sizeof(clamped));
}

static int set_port(struct wg_device *wg, u16 port)
{
	struct wg_peer *peer;
	int ret;

	if (wg->incoming_port == port)
		return 0;
	if (!netif_running(wg->dev)) {
		WRITE_ONCE(wg->incoming_port, port);
		return 0;
	}
	/* Binds the new sockets first: on failure the old ones stay. */
	ret = wg_socket_init(wg, port);
	if (ret < 0)
		return ret;
	list_for_each_entry(peer, &wg->peer_list, peer_list)
		wg_socket_clear_peer_endpoint_src(peer);
	return 0;
}

/* Phase 2 of a SET: cannot fail. */
static void apply_set(struct wg_device *wg, struct genl_info *info, u32 flags,
		      struct set_prep *prep)
{
	struct nlattr *attr;
	struct wg_peer *peer;
	int rem;

	++wg->device_update_gen;

	if (info->attrs[WGDEVICE_A_FWMARK]) {
		WRITE_ONCE(wg->fwmark,
			   nla_get_u32(info->attrs[WGDEVICE_A_FWMARK]));
		list_for_each_entry(peer, &wg->peer_list, peer_list)
			wg_socket_clear_peer_endpoint_src(peer);
	}

	if (flags & WGDEVICE_F_REPLACE_PEERS)
		wg_peer_remove_all(wg);

	if (info->attrs[WGDEVICE_A_PRIVATE_KEY])
		set_private_key(wg, nla_data(info->attrs[WGDEVICE_A_PRIVATE_KEY]));

	if (info->attrs[WGDEVICE_A_PEERS]) {
		nla_for_each_nested(attr, info->attrs[WGDEVICE_A_PEERS], rem)
			set_peer(wg, attr, prep);
	}
}

static int wg_set_device(struct sk_buff *skb, struct genl_info *info)
{
	struct wg_device *wg = lookup_interface(info->attrs, skb, info->extack);
	struct set_prep prep;
	u32 flags = 0;
	int ret;

	if (IS_ERR(wg)) {
		wipe_request_keys(info);
		return PTR_ERR(wg);
	}

	ret = validate_request(info);
	if (ret < 0)
		goto out_put;

	rtnl_lock();
	mutex_lock(&wg->device_update_lock);

	if (info->attrs[WGDEVICE_A_FLAGS])
		flags = nla_get_u32(info->attrs[WGDEVICE_A_FLAGS]);

	ret = check_socket_perm(wg, info);
	if (ret < 0)
		goto out;

	ret = prepare_set(wg, info, flags, &prep);
	if (ret < 0)
		goto out_free;

	/* The one step that may fail for want of a free port: after every
	 * allocation, before anything else changes.
	 */
	if (info->attrs[WGDEVICE_A_LISTEN_PORT]) {
		ret = set_port(wg, nla_get_u16(info->attrs[WGDEVICE_A_LISTEN_PORT]));
		if (ret < 0) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[WGDEVICE_A_LISTEN_PORT],
					    "cannot bind the listen port");
			goto out_free;
		}
	}

	apply_set(wg, info, flags, &prep);
	ret = 0;
out_free:
	free_prep(&prep);
out:
	mutex_unlock(&wg->device_update_lock);
	rtnl_unlock();
out_put:
	dev_put(wg->dev);
	wipe_request_keys(info);
	return ret;
}

/* Both commands need CAP_NET_ADMIN in the device's user namespace. */
static const struct genl_ops genl_ops[] = {
	{
		.cmd = WG_CMD_GET_DEVICE,
		.flags = GENL_UNS_ADMIN_PERM,
		.start = wg_get_device_start,
		.dumpit = wg_get_device_dump,
		.done = wg_get_device_done,
	},
	{
		.cmd = WG_CMD_SET_DEVICE,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = wg_set_device,
	},
};

/* The uapi: name "wireguard", version 1, one policy for both commands. */
static struct genl_family genl_family __ro_after_init = {
	.name = WG_GENL_NAME,
	.version = WG_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.policy = device_policy,
	.maxattr = WGDEVICE_A_MAX,
	.ops = genl_ops,
	.n_ops = ARRAY_SIZE(genl_ops),
	.resv_start_op = WG_CMD_SET_DEVICE + 1,
};

int __init wg_genetlink_init(void)
{
	return genl_register_family(&genl_family);
}

void wg_genetlink_uninit(void)
{
	genl_unregister_family(&genl_family);
}
