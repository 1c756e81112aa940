// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of ipc.c, reading: which links are WireGuard devices
 * (an rtnetlink link dump), and a device's configuration and peers
 * (WG_CMD_GET_DEVICE over Generic Netlink, merging a peer whose allowed
 * IPs continue in the next message).  Writing is ipc-netlink-set.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "ipc-backend.h"
#include "ipc-genl.h"

/* Kernel device list: links whose kind is "wireguard". */
struct link_info {
	const char *name;
	bool is_wg;
};

static int linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct link_info *li = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND && !mnl_attr_validate(attr, MNL_TYPE_STRING) &&
	    !strcmp(mnl_attr_get_str(attr), WG_GENL_NAME))
		li->is_wg = true;
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_info *li = data;

	if (mnl_attr_get_type(attr) == IFLA_IFNAME && !mnl_attr_validate(attr, MNL_TYPE_STRING))
		li->name = mnl_attr_get_str(attr);
	else if (mnl_attr_get_type(attr) == IFLA_LINKINFO)
		mnl_attr_parse_nested(attr, linkinfo_cb, data);
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_info li = { 0 };

	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, &li) < 0)
		return MNL_CB_ERROR;
	if (li.is_wg && li.name && wg_namelist_add(data, li.name) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

int wg_netlink_list(struct wg_namelist *l)
{
	struct mnl_socket *nl;
	char *buf = malloc(WG_GENL_RECV_LEN);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl, buf, WG_GENL_RECV_LEN);
		int r;

		if (len < 0) {
			ret = -errno;
			break;
		}
		r = mnl_cb_run(buf, (size_t)len, seq, portid, link_cb, l);
		/* An interrupted dump (links changed meanwhile) still lists
		 * what it saw; that is good enough for a listing. */
		if (r < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		if (r <= MNL_CB_STOP)
			break;
	}
out:
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	return ret;
}

/* Parsing GET_DEVICE replies. */

static int aip_attr_cb(const struct nlattr *attr, void *data)
{
	struct wg_aip *aip = data;

	switch (mnl_attr_get_type(attr)) {
	case WGALLOWEDIP_A_FAMILY:
		if (!mnl_attr_validate(attr, MNL_TYPE_U16))
			aip->family = mnl_attr_get_u16(attr);
		break;
	case WGALLOWEDIP_A_IPADDR:
		if (mnl_attr_get_payload_len(attr) == 4)
			memcpy(&aip->addr.v4, mnl_attr_get_payload(attr), 4);
		else if (mnl_attr_get_payload_len(attr) == 16)
			memcpy(&aip->addr.v6, mnl_attr_get_payload(attr), 16);
		break;
	case WGALLOWEDIP_A_CIDR_MASK:
		if (!mnl_attr_validate(attr, MNL_TYPE_U8))
			aip->cidr = mnl_attr_get_u8(attr);
		break;
	}
	return MNL_CB_OK;
}

static int aips_cb(const struct nlattr *attr, void *data)
{
	struct wg_peer *peer = data;
	struct wg_aip aip = { 0 }, *slot;

	if (mnl_attr_parse_nested(attr, aip_attr_cb, &aip) < 0)
		return MNL_CB_ERROR;
	if (!((aip.family == AF_INET && aip.cidr <= 32) || (aip.family == AF_INET6 && aip.cidr <= 128)))
		return MNL_CB_ERROR;
	slot = wg_peer_add_aip(peer);
	if (!slot)
		return MNL_CB_ERROR;
	*slot = aip;
	return MNL_CB_OK;
}

/* take_counter: a byte counter the kernel sends as u64; one that does not
 * validate leaves the field as it was (zero), as for every other attribute. */
static void take_counter(const struct nlattr *attr, uint64_t *counter)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U64) == 0)
		*counter = mnl_attr_get_u64(attr);
}

static int peer_attr_cb(const struct nlattr *attr, void *data)
{
	struct wg_peer *peer = data;
	uint16_t len = mnl_attr_get_payload_len(attr);
	const void *p = mnl_attr_get_payload(attr);

	switch (mnl_attr_get_type(attr)) {
	case WGPEER_A_PUBLIC_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(peer->public_key, p, WG_KEY_LEN);
			peer->flags |= PEER_HAS_PUBLIC_KEY;
		}
		break;
	case WGPEER_A_PRESHARED_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(peer->preshared_key, p, WG_KEY_LEN);
			if (!wg_key_is_zero(peer->preshared_key))
				peer->flags |= PEER_HAS_PSK;
		}
		break;
	case WGPEER_A_ENDPOINT: {
		sa_family_t fam;

		if (len < sizeof(fam))
			break;
		memcpy(&fam, p, sizeof(fam));
		if (fam == AF_INET && len == sizeof(peer->endpoint.in4))
			memcpy(&peer->endpoint.in4, p, len);
		else if (fam == AF_INET6 && len == sizeof(peer->endpoint.in6))
			memcpy(&peer->endpoint.in6, p, len);
		break;
	}
	case WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL:
		if (!mnl_attr_validate(attr, MNL_TYPE_U16))
			peer->keepalive = mnl_attr_get_u16(attr);
		break;
	case WGPEER_A_LAST_HANDSHAKE_TIME:
		if (len == 2 * sizeof(int64_t)) {
			int64_t ts[2];

			memcpy(ts, p, sizeof(ts));
			peer->handshake_sec = ts[0];
			peer->handshake_nsec = ts[1];
		}
		break;
	case WGPEER_A_RX_BYTES:
		take_counter(attr, &peer->rx_bytes);
		break;
	case WGPEER_A_TX_BYTES:
		take_counter(attr, &peer->tx_bytes);
		break;
	case WGPEER_A_ALLOWEDIPS:
		return mnl_attr_parse_nested(attr, aips_cb, peer);
	}
	return MNL_CB_OK;
}

static int peers_cb(const struct nlattr *attr, void *data)
{
	struct wg_dev *dev = data;
	struct wg_peer tmp = { 0 }, *last = dev->npeers ? &dev->peers[dev->npeers - 1] : NULL, *slot;
	int ret = mnl_attr_parse_nested(attr, peer_attr_cb, &tmp);

	if (ret < 0 || !(tmp.flags & PEER_HAS_PUBLIC_KEY)) {
		free(tmp.aips);
		return MNL_CB_ERROR;
	}
	/* A peer whose allowed IPs did not fit continues in the next
	 * message under the same public key: merge it. */
	if (last && !memcmp(last->public_key, tmp.public_key, WG_KEY_LEN)) {
		for (size_t i = 0; i < tmp.naips; ++i) {
			struct wg_aip *a = wg_peer_add_aip(last);

			if (!a) {
				free(tmp.aips);
				return MNL_CB_ERROR;
			}
			*a = tmp.aips[i];
		}
		free(tmp.aips);
		return MNL_CB_OK;
	}
	slot = wg_dev_add_peer(dev);
	if (!slot) {
		free(tmp.aips);
		return MNL_CB_ERROR;
	}
	*slot = tmp;
	return MNL_CB_OK;
}

static int dev_attr_cb(const struct nlattr *attr, void *data)
{
	struct wg_dev *dev = data;
	uint16_t len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case WGDEVICE_A_IFINDEX:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			dev->ifindex = mnl_attr_get_u32(attr);
		break;
	case WGDEVICE_A_IFNAME:
		if (!mnl_attr_validate(attr, MNL_TYPE_STRING))
			snprintf(dev->name, sizeof(dev->name), "%s", mnl_attr_get_str(attr));
		break;
	case WGDEVICE_A_PRIVATE_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(dev->private_key, mnl_attr_get_payload(attr), WG_KEY_LEN);
			dev->flags |= DEV_HAS_PRIVATE_KEY;
		}
		break;
	case WGDEVICE_A_PUBLIC_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(dev->public_key, mnl_attr_get_payload(attr), WG_KEY_LEN);
			dev->flags |= DEV_HAS_PUBLIC_KEY;
		}
		break;
	case WGDEVICE_A_LISTEN_PORT:
		if (!mnl_attr_validate(attr, MNL_TYPE_U16))
			dev->listen_port = mnl_attr_get_u16(attr);
		break;
	case WGDEVICE_A_FWMARK:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			dev->fwmark = mnl_attr_get_u32(attr);
		break;
	case WGDEVICE_A_PEERS:
		return mnl_attr_parse_nested(attr, peers_cb, dev);
	}
	return MNL_CB_OK;
}

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dev_attr_cb, data);
}

int wg_netlink_get(struct wg_dev **out, const char *name)
{
	for (;;) {
		struct wg_genl g;
		struct wg_dev *dev;
		struct nlmsghdr *nlh;
		char req[128];
		int ret;

		*out = NULL;
		dev = wg_dev_new();
		if (!dev)
			return wg_ipc_fail(-ENOMEM);
		ret = wg_genl_open(&g);
		if (ret) {
			wg_dev_free(dev);
			return wg_ipc_fail(ret);
		}
		nlh = wg_genl_msg(&g, req, g.family, WG_CMD_GET_DEVICE, NLM_F_DUMP);
		mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, name);
		ret = wg_genl_send(&g, nlh);
		if (!ret)
			ret = wg_genl_run(&g, dev_cb, dev);
		wg_genl_close(&g);
		if (ret == -EINTR) {	/* changed during the dump: start over */
			wg_dev_free(dev);
			continue;
		}
		if (ret) {
			wg_dev_free(dev);
			return wg_ipc_fail(ret);
		}
		*out = dev;
		errno = 0;
		return 0;
	}
}
