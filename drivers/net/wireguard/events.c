// SPDX-License-Identifier: GPL-2.0
/*
 * Generic Netlink family "wireguard-event": authenticated peer events
 * multicast as they happen, handshake round-trip times, drop counters.
 *
 * Every event is caused either by the administrator (peer added or
 * removed, under device_update_lock) or by a packet that was already
 * authenticated (a consumed handshake message, a decrypted data packet in
 * its replay window) or by a timer of the peer.  Nothing unauthenticated
 * reaches these hooks; the per-peer token bucket bounds what an
 * authenticated but misbehaving peer (or a flapping path) can cause.
 *
 * The RTT of a handshake is measured by the initiator: from just before
 * the initiation is handed to the socket to the moment its response is
 * taken up for consumption (so our own Curve25519 work on either message
 * is not counted; the responder's is, it is part of the round trip).  A
 * new initiation replaces the previous one (new ephemeral), and only a
 * response to the newest can be consumed, so the start time stored last
 * is the one that belongs to the response.
 */

#include "events.h"
#include "device.h"
#include "peer.h"
#include "compat.h"

#include <linux/if.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/sock.h>

#define EVENT_COST_NS ((u64)WG_EVENTS_INTERVAL_MS * NSEC_PER_MSEC)
#define EVENT_BUDGET_NS (EVENT_COST_NS * WG_EVENTS_BURST)

static struct genl_family events_family;

enum { MCGRP_PEERS };

static const struct genl_multicast_group events_mcgrps[] = {
	[MCGRP_PEERS] = {
		.name = WG_EVENTS_MCGRP_PEERS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static const struct nla_policy events_policy[WGEV_A_MAX + 1] = {
	[WGEV_A_IFINDEX]	= { .type = NLA_U32 },
	[WGEV_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

void wg_events_peer_init(struct wg_peer *peer)
{
	struct wg_peer_events *ev = &peer->events;

	spin_lock_init(&ev->lock);
	ev->tokens = EVENT_BUDGET_NS;
	ev->refilled = ktime_get_ns();
	ev->suppressed_since = 0;
	ev->rtt_last_ns = 0;
	ev->rtt_smoothed_ns = 0;
	ev->rtt_samples = 0;
	atomic64_set(&ev->initiation_sent_ns, 0);
	atomic64_set(&ev->handshakes, 0);
	atomic64_set(&ev->suppressed, 0);
}

static bool has_listeners(struct wg_peer *peer)
{
	return genl_has_listeners(&events_family, dev_net(peer->device->dev),
				  MCGRP_PEERS);
}

/* Take one event's worth from the peer's bucket.  Returns false when the
 * event must be suppressed; otherwise *suppressed is how many were since
 * the last delivered one.
 */
static bool take_token(struct wg_peer *peer, u64 *suppressed)
{
	struct wg_peer_events *ev = &peer->events;
	u64 now = ktime_get_ns();
	bool ok;

	spin_lock_bh(&ev->lock);
	ev->tokens = min_t(u64, ev->tokens + (now - ev->refilled),
			   EVENT_BUDGET_NS);
	ev->refilled = now;
	ok = ev->tokens >= EVENT_COST_NS;
	if (ok) {
		ev->tokens -= EVENT_COST_NS;
		*suppressed = ev->suppressed_since;
		ev->suppressed_since = 0;
	} else {
		++ev->suppressed_since;
	}
	spin_unlock_bh(&ev->lock);
	if (!ok)
		atomic64_inc(&ev->suppressed);
	return ok;
}

static int put_peer_id(struct sk_buff *skb, struct wg_peer *peer)
{
	/* The public key of a peer never changes after creation. */
	if (nla_put_u32(skb, WGEV_A_IFINDEX, peer->device->dev->ifindex) ||
	    nla_put(skb, WGEV_A_PUBLIC_KEY, NOISE_PUBLIC_KEY_LEN,
		    peer->handshake.remote_static))
		return -EMSGSIZE;
	return 0;
}

/* Build and multicast one event to the device's namespace.  rtt_ns and
 * srtt_ns are put when non-zero, endpoint when not NULL.  Atomic
 * allocation: callers may be in softirq context or hold spinning locks.
 */
static void send_event(struct wg_peer *peer, u32 type, u32 role, u64 rtt_ns,
		       u64 srtt_ns, const struct endpoint *endpoint,
		       u64 suppressed)
{
	struct net_device *dev = peer->device->dev;
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &events_family, 0, WGEV_CMD_EVENT);
	if (!hdr)
		goto err;
	/* dev->name may be renamed concurrently (under RTNL, which we cannot
	 * take here): netdev_get_name() would sleep, so the name is only a
	 * hint; the index is authoritative.
	 */
	if (nla_put_u32(skb, WGEV_A_EVENT, type) || put_peer_id(skb, peer) ||
	    nla_put_string(skb, WGEV_A_IFNAME, dev->name) ||
	    nla_put_u64_64bit(skb, WGEV_A_TIMESTAMP_NS, ktime_get_real_ns(),
			      WGEV_A_PAD))
		goto err;
	if (role && nla_put_u32(skb, WGEV_A_ROLE, role))
		goto err;
	if (rtt_ns && (nla_put_u64_64bit(skb, WGEV_A_RTT_NS, rtt_ns,
					 WGEV_A_PAD) ||
		       nla_put_u64_64bit(skb, WGEV_A_SRTT_NS, srtt_ns,
					 WGEV_A_PAD)))
		goto err;
	if (endpoint) {
		size_t len = endpoint->addr.sa_family == AF_INET ?
			     sizeof(endpoint->addr4) : sizeof(endpoint->addr6);

		if (nla_put(skb, WGEV_A_ENDPOINT, len, &endpoint->addr))
			goto err;
	}
	if (suppressed && nla_put_u64_64bit(skb, WGEV_A_SUPPRESSED,
					    suppressed, WGEV_A_PAD))
		goto err;
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&events_family, dev_net(dev), skb, 0,
				MCGRP_PEERS, GFP_ATOMIC);
	return;
err:
	nlmsg_free(skb);
}

/* An event caused by packets or timers: counted against the bucket. */
static void send_limited(struct wg_peer *peer, u32 type, u32 role, u64 rtt_ns,
			 u64 srtt_ns, const struct endpoint *endpoint)
{
	u64 suppressed = 0;

	if (!has_listeners(peer) || !take_token(peer, &suppressed))
		return;
	send_event(peer, type, role, rtt_ns, srtt_ns, endpoint, suppressed);
}

void wg_events_initiation_sent(struct wg_peer *peer)
{
	/* 0 means "none pending"; ktime_get_ns() is never 0 after boot. */
	atomic64_set(&peer->events.initiation_sent_ns, ktime_get_ns() | 1);
}

void wg_events_handshake(struct wg_peer *peer, bool initiator,
			 u64 consumed_ns)
{
	struct wg_peer_events *ev = &peer->events;
	u64 rtt = 0, srtt = 0, sent;

	atomic64_inc(&ev->handshakes);
	if (initiator) {
		sent = atomic64_xchg(&ev->initiation_sent_ns, 0);
		if (sent && consumed_ns > sent)
			rtt = consumed_ns - sent;
	}
	if (rtt) {
		spin_lock_bh(&ev->lock);
		ev->rtt_last_ns = rtt;
		/* EWMA with weight 1/8, as TCP's SRTT; the first sample seeds it. */
		if (!ev->rtt_samples++)
			ev->rtt_smoothed_ns = rtt;
		else
			ev->rtt_smoothed_ns = ev->rtt_smoothed_ns -
					      (ev->rtt_smoothed_ns >> 3) +
					      (rtt >> 3);
		srtt = ev->rtt_smoothed_ns;
		spin_unlock_bh(&ev->lock);
	}
	send_limited(peer, WGEV_EVENT_HANDSHAKE,
		     initiator ? WGEV_ROLE_INITIATOR : WGEV_ROLE_RESPONDER,
		     rtt, srtt, NULL);
}

void wg_events_keys_zeroed(struct wg_peer *peer)
{
	atomic64_set(&peer->events.initiation_sent_ns, 0);
	send_limited(peer, WGEV_EVENT_KEYS_ZEROED, 0, 0, 0, NULL);
}

void wg_events_endpoint(struct wg_peer *peer, const struct endpoint *endpoint)
{
	if (endpoint->addr.sa_family != AF_INET &&
	    endpoint->addr.sa_family != AF_INET6)
		return;
	send_limited(peer, WGEV_EVENT_ENDPOINT, 0, 0, 0, endpoint);
}

/* Configuration changes are not rate limited: only an admin makes them. */
void wg_events_peer_added(struct wg_peer *peer)
{
	if (has_listeners(peer))
		send_event(peer, WGEV_EVENT_PEER_ADDED, 0, 0, 0, NULL, 0);
}

void wg_events_peer_removed(struct wg_peer *peer)
{
	if (has_listeners(peer))
		send_event(peer, WGEV_EVENT_PEER_REMOVED, 0, 0, 0, NULL, 0);
}

/* Requests */

/* The wireguard device a request names, with a reference held. */
static struct wg_device *lookup_device(struct nlattr **attrs,
				       struct sk_buff *skb,
				       struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (!attrs[WGEV_A_IFINDEX] == !attrs[WGEV_A_IFNAME]) {
		NL_SET_ERR_MSG(extack,
			       "exactly one of WGEV_A_IFINDEX and WGEV_A_IFNAME is required");
		return ERR_PTR(-EINVAL);
	}
	if (attrs[WGEV_A_IFINDEX])
		dev = dev_get_by_index(sock_net(skb->sk),
				       nla_get_u32(attrs[WGEV_A_IFINDEX]));
	else
		dev = dev_get_by_name(sock_net(skb->sk),
				      nla_data(attrs[WGEV_A_IFNAME]));
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

/* cb->args[] while dumping peers */
enum { DUMP_DEVICE, DUMP_NEXT_INDEX };

static int wg_ev_get_peers_start(struct netlink_callback *cb)
{
	struct wg_device *wg;

	wg = lookup_device(wg_compat_dump_attrs(cb), cb->skb, cb->extack);
	if (IS_ERR(wg))
		return PTR_ERR(wg);
	cb->args[DUMP_DEVICE] = (long)wg;
	cb->args[DUMP_NEXT_INDEX] = 0;
	return 0;
}

static int put_peer_figures(struct sk_buff *skb, struct wg_peer *peer)
{
	struct wg_peer_events *ev = &peer->events;
	u64 last, smoothed, samples;

	spin_lock_bh(&ev->lock);
	last = ev->rtt_last_ns;
	smoothed = ev->rtt_smoothed_ns;
	samples = ev->rtt_samples;
	spin_unlock_bh(&ev->lock);

	if (put_peer_id(skb, peer) ||
	    nla_put_u64_64bit(skb, WGEV_A_HANDSHAKES,
			      atomic64_read(&ev->handshakes), WGEV_A_PAD) ||
	    nla_put_u64_64bit(skb, WGEV_A_RTT_SAMPLES, samples, WGEV_A_PAD) ||
	    nla_put_u64_64bit(skb, WGEV_A_SUPPRESSED,
			      atomic64_read(&ev->suppressed), WGEV_A_PAD))
		return -EMSGSIZE;
	if (samples && (nla_put_u64_64bit(skb, WGEV_A_RTT_NS, last,
					  WGEV_A_PAD) ||
			nla_put_u64_64bit(skb, WGEV_A_SRTT_NS, smoothed,
					  WGEV_A_PAD)))
		return -EMSGSIZE;
	return 0;
}

/* One message per peer.  The cursor is the position in peer_list; a peer
 * added or removed between two parts of a dump shifts it, which
 * device_update_gen reports (NLM_F_DUMP_INTR) through cb->seq.
 */
static int wg_ev_get_peers_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct wg_device *wg = (struct wg_device *)cb->args[DUMP_DEVICE];
	long index = 0, next = cb->args[DUMP_NEXT_INDEX];
	struct wg_peer *peer;
	void *hdr;

	mutex_lock(&wg->device_update_lock);
	cb->seq = wg->device_update_gen;
	list_for_each_entry(peer, &wg->peer_list, peer_list) {
		if (index++ < next)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &events_family,
				  NLM_F_MULTI, WGEV_CMD_GET_PEERS);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (put_peer_figures(skb, peer)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[DUMP_NEXT_INDEX] = index;
	}
	mutex_unlock(&wg->device_update_lock);
	return skb->len;
}

static int wg_ev_get_peers_done(struct netlink_callback *cb)
{
	struct wg_device *wg = (struct wg_device *)cb->args[DUMP_DEVICE];

	if (wg)
		dev_put(wg->dev);
	return 0;
}

/* A nest of type with counters[1..n-1] as NLA_U64, indexed from 1 (index
 * 0, the UNSPEC value of either enum, is the padding type).
 */
static int put_counters(struct sk_buff *msg, int type,
			const atomic_long_t *counters, int n)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < n; ++i)
		if (nla_put_u64_64bit(msg, i, atomic_long_read(&counters[i]), 0))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int wg_ev_get_device(struct sk_buff *skb, struct genl_info *info)
{
	struct wg_device *wg;
	char ifname[IFNAMSIZ];
	struct sk_buff *msg;
	int ret = -EMSGSIZE;
	void *hdr;

	wg = lookup_device(info->attrs, skb, info->extack);
	if (IS_ERR(wg))
		return PTR_ERR(wg);
	/* Renames happen under RTNL: copy the name there, not torn. */
	rtnl_lock();
	strscpy(ifname, wg->dev->name, sizeof(ifname));
	rtnl_unlock();

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &events_family, 0,
				WGEV_CMD_GET_DEVICE);
	if (!hdr)
		goto err;
	if (nla_put_u32(msg, WGEV_A_IFINDEX, wg->dev->ifindex) ||
	    nla_put_string(msg, WGEV_A_IFNAME, ifname))
		goto err;
	if (put_counters(msg, WGEV_A_DROPS, wg->events.drops,
			 __WGEV_DROP_MAX) ||
	    put_counters(msg, WGEV_A_TRAINS, wg->events.trains,
			 __WGEV_TRAIN_MAX))
		goto err;
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto out;
err:
	nlmsg_free(msg);
out:
	dev_put(wg->dev);
	return ret;
}

static const struct genl_ops events_ops[] = {
	{
		.cmd = WGEV_CMD_GET_PEERS,
		.start = wg_ev_get_peers_start,
		.dumpit = wg_ev_get_peers_dump,
		.done = wg_ev_get_peers_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = WGEV_CMD_GET_DEVICE,
		.doit = wg_ev_get_device,
		.flags = GENL_UNS_ADMIN_PERM,
	}
};

static struct genl_family events_family __ro_after_init = {
	.ops = events_ops,
	.n_ops = ARRAY_SIZE(events_ops),
	.mcgrps = events_mcgrps,
	.n_mcgrps = ARRAY_SIZE(events_mcgrps),
	.resv_start_op = __WGEV_CMD_MAX,
	.name = WG_EVENTS_GENL_NAME,
	.version = WG_EVENTS_GENL_VERSION,
	.maxattr = WGEV_A_MAX,
	.policy = events_policy,
	.module = THIS_MODULE,
	.netnsok = true,
};

int __init wg_events_init(void)
{
	/* A longer name would lose its NUL in the char[GENL_NAMSIZ]. */
	BUILD_BUG_ON(sizeof(WG_EVENTS_GENL_NAME) > GENL_NAMSIZ);
	return genl_register_family(&events_family);
}

void wg_events_uninit(void)
{
	genl_unregister_family(&events_family);
}
