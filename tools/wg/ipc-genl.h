/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Generic Netlink socket bound to the "wireguard" family (libmnl):
 * open (resolving the family id), build a request, send it, and receive
 * its whole answer.  Shared by ipc-netlink.c (GET_DEVICE) and
 * ipc-netlink-set.c (SET_DEVICE).
 */
#ifndef WG_TOOL_IPC_GENL_H
#define WG_TOOL_IPC_GENL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Receive buffer size: large enough for any one message the kernel sends. */
#define WG_GENL_RECV_LEN 65536

struct wg_genl {
	struct mnl_socket *nl;
	uint16_t family;
	unsigned int portid, seq;
	char *buf;
};

/* 0, or -EPROTONOSUPPORT when no wireguard family is registered. */
int wg_genl_open(struct wg_genl *g);
void wg_genl_close(struct wg_genl *g);
/* A request header (and genl header) for cmd in buf, sequence numbered. */
struct nlmsghdr *wg_genl_msg(struct wg_genl *g, char *buf, uint16_t type,
			     uint8_t cmd, uint16_t flags);
int wg_genl_send(struct wg_genl *g, struct nlmsghdr *nlh);
/* Receives until the answer to the last request is complete. */
int wg_genl_run(struct wg_genl *g, mnl_cb_t cb, void *data);

#endif
