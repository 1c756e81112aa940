/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to WireGuard devices: the kernel through Generic Netlink, or a
 * userspace implementation through its UAPI socket
 * /var/run/wireguard/<name>.sock.  All functions return 0 or a negative
 * errno value, and also leave that value in errno.
 */
#ifndef WG_TOOL_IPC_H
#define WG_TOOL_IPC_H

#include "device.h"

#define WG_UAPI_DIR "/var/run/wireguard/"

/* NUL-separated names ending with an empty string; NULL on error. */
char *wg_ipc_list(void);
int wg_ipc_get(struct wg_dev **out, const char *name);
int wg_ipc_set(struct wg_dev *dev);
/*
 * For a request that removes individual allowed IPs: checks, without
 * changing anything, that the implementation understands that.  Returns
 * 0, -EOPNOTSUPP (message printed), or another error.
 */
int wg_ipc_check_aip_removal(struct wg_dev *request);

#endif
