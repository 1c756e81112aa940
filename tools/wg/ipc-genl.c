// SPDX-License-Identifier: GPL-2.0
/*
 * The Generic Netlink socket of ipc-genl.h: resolving the "wireguard"
 * family through the controller, then plain request/answer exchanges.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>

#include "device.h"
#include "ipc-genl.h"

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID && !mnl_attr_validate(attr, MNL_TYPE_U16))
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
}

void wg_genl_close(struct wg_genl *g)
{
	if (g->nl)
		mnl_socket_close(g->nl);
	free(g->buf);
	memset(g, 0, sizeof(*g));
}

int wg_genl_run(struct wg_genl *g, mnl_cb_t cb, void *data)
{
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(g->nl, g->buf, WG_GENL_RECV_LEN);
		int r;

		if (len < 0)
			return -errno;
		r = mnl_cb_run(g->buf, (size_t)len, g->seq, g->portid, cb, data);
		if (r < 0)
			return -(errno ? errno : EINVAL);
		if (r == MNL_CB_STOP)
			return 0;
	}
}

struct nlmsghdr *wg_genl_msg(struct wg_genl *g, char *buf, uint16_t type,
			     uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++g->seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = type == GENL_ID_CTRL ? 1 : WG_GENL_VERSION;
	return nlh;
}

int wg_genl_send(struct wg_genl *g, struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

int wg_genl_open(struct wg_genl *g)
{
	char req[256];
	struct nlmsghdr *nlh;
	int ret;

	memset(g, 0, sizeof(*g));
	g->buf = malloc(WG_GENL_RECV_LEN);
	if (!g->buf)
		return -ENOMEM;
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl || mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		wg_genl_close(g);
		return ret;
	}
	g->portid = mnl_socket_get_portid(g->nl);
	g->seq = (unsigned int)time(NULL);
	nlh = wg_genl_msg(g, req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	ret = wg_genl_send(g, nlh);
	if (!ret)
		ret = wg_genl_run(g, family_cb, &g->family);
	if (!ret && !g->family)
		ret = -EPROTONOSUPPORT;
	if (ret == -ENOENT)
		ret = -EPROTONOSUPPORT;	/* no wireguard family: module not loaded */
	if (ret)
		wg_genl_close(g);
	return ret;
}
