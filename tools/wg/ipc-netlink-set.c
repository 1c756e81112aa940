// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of ipc.c, writing: a change (struct wg_dev) as
 * WG_CMD_SET_DEVICE requests over Generic Netlink.  A request holds at
 * most SET_MSG_MAX bytes, as the reference tool's do, so a large change
 * goes out as several: the device's own attributes in the first, then as
 * many peers as fit in each, a peer whose allowed IPs do not fit carried
 * on in the next request under its public key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "ipc-backend.h"
#include "ipc-genl.h"

#define SET_MSG_MAX 4096

/* Where the next request carries on: peer index, allowed-IP index. */
struct set_cursor {
	size_t peer, aip;
};

static bool put_aip(struct nlmsghdr *nlh, const struct wg_aip *a)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, SET_MSG_MAX, 0);

	if (!nest)
		return false;
	if (!mnl_attr_put_u16_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_FAMILY, a->family) ||
	    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_IPADDR, a->family == AF_INET ? 4 : 16, &a->addr) ||
	    !mnl_attr_put_u8_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_CIDR_MASK, a->cidr) ||
	    ((a->flags & AIP_REMOVE) &&
	     !mnl_attr_put_u32_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_FLAGS, WGALLOWEDIP_F_REMOVE_ME))) {
		mnl_attr_nest_cancel(nlh, nest);
		return false;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

/* The fixed part of a peer (everything but allowed IPs). */
static bool put_peer_head(struct nlmsghdr *nlh, const struct wg_peer *p, bool first_part)
{
	uint32_t flags = 0;

	if (!mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, p->public_key))
		return false;
	if (p->flags & PEER_REMOVE)
		flags |= WGPEER_F_REMOVE_ME;
	if (p->flags & PEER_UPDATE_ONLY)
		flags |= WGPEER_F_UPDATE_ONLY;
	if (first_part) {
		if (p->flags & PEER_REPLACE_AIPS)
			flags |= WGPEER_F_REPLACE_ALLOWEDIPS;
		if ((p->flags & PEER_HAS_PSK) &&
		    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_PRESHARED_KEY, WG_KEY_LEN, p->preshared_key))
			return false;
		if (p->endpoint.sa.sa_family == AF_INET &&
		    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_ENDPOINT, sizeof(p->endpoint.in4), &p->endpoint.in4))
			return false;
		if (p->endpoint.sa.sa_family == AF_INET6 &&
		    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_ENDPOINT, sizeof(p->endpoint.in6), &p->endpoint.in6))
			return false;
		if ((p->flags & PEER_HAS_KEEPALIVE) &&
		    !mnl_attr_put_u16_check(nlh, SET_MSG_MAX, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, p->keepalive))
			return false;
	}
	if (flags && !mnl_attr_put_u32_check(nlh, SET_MSG_MAX, WGPEER_A_FLAGS, flags))
		return false;
	return true;
}

/* The device's own attributes (first request only). */
static void put_dev_head(struct nlmsghdr *nlh, const struct wg_dev *dev)
{
	uint32_t flags = 0;

	if (dev->flags & DEV_HAS_PRIVATE_KEY)
		mnl_attr_put(nlh, WGDEVICE_A_PRIVATE_KEY, WG_KEY_LEN, dev->private_key);
	if (dev->flags & DEV_HAS_LISTEN_PORT)
		mnl_attr_put_u16(nlh, WGDEVICE_A_LISTEN_PORT, dev->listen_port);
	if (dev->flags & DEV_HAS_FWMARK)
		mnl_attr_put_u32(nlh, WGDEVICE_A_FWMARK, dev->fwmark);
	if (dev->flags & DEV_REPLACE_PEERS)
		flags |= WGDEVICE_F_REPLACE_PEERS;
	if (flags)
		mnl_attr_put_u32(nlh, WGDEVICE_A_FLAGS, flags);
}

/* As many of p's allowed IPs from *aip on as fit; returns how many. */
static size_t put_aips(struct nlmsghdr *nlh, const struct wg_peer *p, size_t *aip)
{
	struct nlattr *an = mnl_attr_nest_start_check(nlh, SET_MSG_MAX, WGPEER_A_ALLOWEDIPS);
	size_t n = 0;

	if (!an)
		return 0;
	while (*aip < p->naips && put_aip(nlh, &p->aips[*aip])) {
		++*aip;
		++n;
	}
	if (n)
		mnl_attr_nest_end(nlh, an);
	else
		mnl_attr_nest_cancel(nlh, an);
	return n;
}

/*
 * As much of peer p (from allowed IP *aip on) as fits.  Returns true when
 * the peer is complete, false when the request is full; *added tells
 * whether any of it went into this request.  A peer that starts here but
 * gets none of its allowed IPs in waits for the next request, unless it is
 * alone in this one.
 */
static bool put_peer(struct nlmsghdr *nlh, const struct wg_peer *p, size_t *aip,
		     bool others, bool *added)
{
	struct nlattr *pn = mnl_attr_nest_start_check(nlh, SET_MSG_MAX, 0);
	size_t n;

	*added = false;
	if (!pn)
		return false;
	if (!put_peer_head(nlh, p, *aip == 0)) {
		mnl_attr_nest_cancel(nlh, pn);
		return false;
	}
	if (*aip < p->naips) {
		n = put_aips(nlh, p, aip);
		if (*aip < p->naips) {
			if (!n && *aip == 0 && others) {
				mnl_attr_nest_cancel(nlh, pn);
				return false;
			}
			mnl_attr_nest_end(nlh, pn);
			*added = true;
			return false;
		}
	}
	mnl_attr_nest_end(nlh, pn);
	*added = true;
	return true;
}

/* The peers, from the cursor on, that fit; returns how many went in. */
static size_t put_peers(struct nlmsghdr *nlh, const struct wg_dev *dev, struct set_cursor *c)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	size_t count = 0;

	while (c->peer < dev->npeers) {
		bool added, done = put_peer(nlh, &dev->peers[c->peer], &c->aip, count > 0, &added);

		if (added)
			++count;
		if (!done)
			break;
		++c->peer;
		c->aip = 0;
	}
	if (count)
		mnl_attr_nest_end(nlh, nest);
	else
		mnl_attr_nest_cancel(nlh, nest);
	return count;
}

int wg_netlink_set(const struct wg_dev *dev)
{
	struct set_cursor c = { 0, 0 };
	struct wg_genl g;
	bool first = true;
	char *buf;
	int ret = wg_genl_open(&g);

	if (ret)
		return wg_ipc_fail(ret);
	buf = calloc(1, SET_MSG_MAX);
	if (!buf) {
		wg_genl_close(&g);
		return wg_ipc_fail(-ENOMEM);
	}
	do {
		struct nlmsghdr *nlh = wg_genl_msg(&g, buf, g.family, WG_CMD_SET_DEVICE, NLM_F_ACK);

		mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, dev->name);
		if (first)
			put_dev_head(nlh, dev);
		if (c.peer < dev->npeers && !put_peers(nlh, dev, &c) && !first) {
			ret = -EMSGSIZE;	/* cannot make progress */
			break;
		}
		ret = wg_genl_send(&g, nlh);
		if (!ret)
			ret = wg_genl_run(&g, NULL, NULL);
		first = false;
	} while (!ret && c.peer < dev->npeers);
	free(buf);
	wg_genl_close(&g);
	return wg_ipc_fail(ret);
}
