// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry points.
 */

#include "version.h"
#include "device.h"
#include "netlink.h"

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

static int __init wg_mod_init(void)
{
	int ret;

	ret = wg_device_init();
	if (ret < 0)
		return ret;
	ret = wg_genetlink_init();
	if (ret < 0) {
		wg_device_uninit();
		return ret;
	}
	pr_info("WireGuard " WIREGUARD_VERSION " loaded (out-of-tree)\n");
	return 0;
}

static void __exit wg_mod_exit(void)
{
	wg_genetlink_uninit();
	wg_device_uninit();
}

module_init(wg_mod_init);
module_exit(wg_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("WireGuard secure network tunnel (out-of-tree)");
MODULE_VERSION(WIREGUARD_VERSION);
MODULE_ALIAS_RTNL_LINK("wireguard");
MODULE_ALIAS_GENL_FAMILY("wireguard");
