/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two ways ipc.c reaches a WireGuard device, behind one set of calls:
 * ipc-uapi.c and ipc-uapi-get.c talk to a userspace implementation over
 * its UAPI socket, ipc-netlink.c and ipc-netlink-set.c to the kernel over
 * Generic Netlink.
 * Every function returns 0 or a negative errno value and leaves that
 * value in errno (wg_ipc_fail).  Only ipc*.c include this header.
 */
#ifndef WG_TOOL_IPC_BACKEND_H
#define WG_TOOL_IPC_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "device.h"

/* NUL-separated names, the whole ended by an empty name. */
struct wg_namelist {
	char *buf;
	size_t len, cap;
};

int wg_namelist_add(struct wg_namelist *l, const char *name);
/* Sets errno from err (either sign) and returns it negative. */
int wg_ipc_fail(int err);

/* Connected stream to the implementation, or NULL with errno set. */
FILE *wg_uapi_open(const char *name);
bool wg_uapi_exists(const char *name);
int wg_uapi_list(struct wg_namelist *l);
int wg_uapi_get(struct wg_dev **out, const char *name);
int wg_uapi_set(const struct wg_dev *dev);

int wg_netlink_list(struct wg_namelist *l);
int wg_netlink_get(struct wg_dev **out, const char *name);
int wg_netlink_set(const struct wg_dev *dev);

#endif
