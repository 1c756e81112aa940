// SPDX-License-Identifier: GPL-2.0
/*
 * The "wireguard-event" client of events.h, on libmnl.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>

#include "events.h"

#define WGEV_RECV_LEN 65536

struct family_info {
	uint16_t id;
	uint32_t group;
};

static int mcgrp_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, attr) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 !mnl_attr_validate(a, MNL_TYPE_U32))
			id = mnl_attr_get_u32(a);
	}
	if (name && !strcmp(name, WG_EVENTS_MCGRP_PEERS))
		((struct family_info *)data)->group = id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *g;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (!mnl_attr_validate(attr, MNL_TYPE_U16))
			fi->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(g, attr)
			mcgrp_cb(g, fi);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
}

static struct nlmsghdr *put_msg(struct wgev_sock *s, char *buf, uint16_t type,
				uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++s->seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = type == GENL_ID_CTRL ? 1 : WG_EVENTS_GENL_VERSION;
	return nlh;
}

static int run(struct wgev_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(s->nl, s->buf, WGEV_RECV_LEN);
		int r;

		if (len < 0)
			return -errno;
		r = mnl_cb_run(s->buf, (size_t)len, s->seq, s->portid, cb, data);
		if (r < 0)
			return -(errno ? errno : EINVAL);
		if (r == MNL_CB_STOP)
			return 0;
	}
}

void wgev_close(struct wgev_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

int wgev_open(struct wgev_sock *s)
{
	struct family_info fi = { 0 };
	struct nlmsghdr *nlh;
	char req[256];
	int ret;

	memset(s, 0, sizeof(*s));
	s->buf = malloc(WGEV_RECV_LEN);
	if (!s->buf)
		return -ENOMEM;
	s->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!s->nl || mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		wgev_close(s);
		return ret;
	}
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = (unsigned int)time(NULL);
	nlh = put_msg(s, req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_EVENTS_GENL_NAME);
	ret = run(s, nlh, family_cb, &fi);
	if (ret == -ENOENT || (!ret && !fi.id))
		ret = -EPROTONOSUPPORT;
	if (ret) {
		wgev_close(s);
		return ret;
	}
	s->family = fi.id;
	s->group = fi.group;
	return 0;
}

int wgev_join(struct wgev_sock *s)
{
	int group = (int)s->group;

	if (!s->group)
		return -EPROTONOSUPPORT;
	if (mnl_socket_setsockopt(s->nl, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
		return -errno;
	return 0;
}

/* A nest of NLA_U64 counters indexed from 1 into out[1..n-1]. */
struct counters {
	uint64_t *out;
	unsigned int n;
};

static int counters_cb(const struct nlattr *attr, void *data)
{
	const struct counters *c = data;
	unsigned int t = mnl_attr_get_type(attr);

	if (t > 0 && t < c->n && !mnl_attr_validate(attr, MNL_TYPE_U64))
		c->out[t] = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static void parse_counters(const struct nlattr *nest, uint64_t *out, unsigned int n)
{
	struct counters c = { .out = out, .n = n };

	mnl_attr_parse_nested(nest, counters_cb, &c);
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct wgev_msg *m = data;
	size_t len = mnl_attr_get_payload_len(attr);
	const void *p = mnl_attr_get_payload(attr);

	switch (mnl_attr_get_type(attr)) {
	case WGEV_A_IFINDEX:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			m->ifindex = mnl_attr_get_u32(attr);
		break;
	case WGEV_A_IFNAME:
		if (!mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) && len <= IFNAMSIZ)
			memcpy(m->ifname, p, len);
		break;
	case WGEV_A_EVENT:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			m->event = mnl_attr_get_u32(attr);
		break;
	case WGEV_A_PUBLIC_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(m->public_key, p, WG_KEY_LEN);
			m->has_key = true;
		}
		break;
	case WGEV_A_TIMESTAMP_NS:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			m->timestamp_ns = mnl_attr_get_u64(attr);
		break;
	case WGEV_A_ROLE:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			m->role = mnl_attr_get_u32(attr);
		break;
	case WGEV_A_RTT_NS:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			m->rtt_ns = mnl_attr_get_u64(attr);
		break;
	case WGEV_A_SRTT_NS:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			m->srtt_ns = mnl_attr_get_u64(attr);
		break;
	case WGEV_A_ENDPOINT:
		if (len == sizeof(struct sockaddr_in) || len == sizeof(struct sockaddr_in6)) {
			memcpy(&m->endpoint, p, len);
			m->has_endpoint = true;
		}
		break;
	case WGEV_A_SUPPRESSED:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			m->suppressed = mnl_attr_get_u64(attr);
		break;
	case WGEV_A_HANDSHAKES:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			m->handshakes = mnl_attr_get_u64(attr);
		break;
	case WGEV_A_RTT_SAMPLES:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			m->rtt_samples = mnl_attr_get_u64(attr);
		break;
	case WGEV_A_DROPS:
		parse_counters(attr, m->drops, __WGEV_DROP_MAX);
		break;
	case WGEV_A_TRAINS:
		parse_counters(attr, m->trains, __WGEV_TRAIN_MAX);
		break;
	}
	return MNL_CB_OK;
}

static int decode(const struct nlmsghdr *nlh, struct wgev_msg *m)
{
	const struct genlmsghdr *gh = mnl_nlmsg_get_payload(nlh);

	memset(m, 0, sizeof(*m));
	m->cmd = gh->cmd;
	return mnl_attr_parse(nlh, sizeof(*gh), attr_cb, m);
}

struct cb_ctx {
	wgev_cb cb;
	void *data;
	uint16_t family;
	struct wgev_msg *out;
};

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cb_ctx *ctx = data;
	struct wgev_msg m;

	if (nlh->nlmsg_type != ctx->family)
		return MNL_CB_OK;
	if (decode(nlh, &m) < 0)
		return MNL_CB_OK;
	if (ctx->out)
		*ctx->out = m;
	if (ctx->cb)
		ctx->cb(&m, ctx->data);
	return MNL_CB_OK;
}

int wgev_recv(struct wgev_sock *s, wgev_cb cb, void *data)
{
	struct cb_ctx ctx = { .cb = cb, .data = data, .family = s->family };
	ssize_t len = mnl_socket_recvfrom(s->nl, s->buf, WGEV_RECV_LEN);

	if (len < 0)
		return -errno;
	/* Multicast messages have sequence and port id 0. */
	if (mnl_cb_run(s->buf, (size_t)len, 0, 0, msg_cb, &ctx) < 0)
		return -(errno ? errno : EINVAL);
	return 0;
}

static struct nlmsghdr *put_request(struct wgev_sock *s, char *buf, uint8_t cmd,
				    uint16_t flags, const char *ifname)
{
	struct nlmsghdr *nlh = put_msg(s, buf, s->family, cmd, flags);

	mnl_attr_put_strz(nlh, WGEV_A_IFNAME, ifname);
	return nlh;
}

int wgev_get_peers(struct wgev_sock *s, const char *ifname, wgev_cb cb, void *data)
{
	struct cb_ctx ctx = { .cb = cb, .data = data, .family = s->family };
	char req[MNL_SOCKET_BUFFER_SIZE];

	if (strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	return run(s, put_request(s, req, WGEV_CMD_GET_PEERS, NLM_F_DUMP | NLM_F_ACK, ifname),
		   msg_cb, &ctx);
}

int wgev_get_device(struct wgev_sock *s, const char *ifname, struct wgev_msg *m)
{
	struct cb_ctx ctx = { .family = s->family, .out = m };
	char req[MNL_SOCKET_BUFFER_SIZE];

	if (strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	return run(s, put_request(s, req, WGEV_CMD_GET_DEVICE, NLM_F_ACK, ifname), msg_cb, &ctx);
}

const char *wgev_event_name(uint32_t event)
{
	static const char *const names[] = {
		[WGEV_EVENT_HANDSHAKE] = "handshake",
		[WGEV_EVENT_KEYS_ZEROED] = "keys-zeroed",
		[WGEV_EVENT_ENDPOINT] = "endpoint",
		[WGEV_EVENT_PEER_ADDED] = "peer-added",
		[WGEV_EVENT_PEER_REMOVED] = "peer-removed",
	};

	if (event < sizeof(names) / sizeof(names[0]) && names[event])
		return names[event];
	return "unknown";
}

const char *wgev_role_name(uint32_t role)
{
	return role == WGEV_ROLE_INITIATOR ? "initiator" :
	       role == WGEV_ROLE_RESPONDER ? "responder" : "unknown";
}

const char *wgev_drop_name(unsigned int reason)
{
	static const char *const names[] = {
		[WGEV_DROP_MALFORMED] = "malformed",
		[WGEV_DROP_HANDSHAKE_QUEUE_FULL] = "handshake_queue_full",
		[WGEV_DROP_HANDSHAKE_MAC] = "handshake_mac",
		[WGEV_DROP_UNDER_LOAD] = "under_load",
		[WGEV_DROP_HANDSHAKE_INVALID] = "handshake_invalid",
		[WGEV_DROP_NO_SESSION] = "no_session",
		[WGEV_DROP_DECRYPT] = "decrypt",
		[WGEV_DROP_REPLAY] = "replay",
		[WGEV_DROP_ALLOWED_IPS] = "allowed_ips",
		[WGEV_DROP_RX_QUEUE_FULL] = "rx_queue_full",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "unknown";
}
