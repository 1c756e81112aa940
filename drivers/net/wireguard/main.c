// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry points and parameters.
 */

#include "version.h"
#include "device.h"
#include "netlink.h"
#include "events.h"
#include "noise.h"
#include "peer.h"
#include "allowedips.h"
#include "counter.h"
#include "ratelimiter.h"
#include "cookie.h"
#include "sleep.h"
#include "crypto/cpu.h"
#include "crypto/selftest.h"

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

static char *crypto_disable;
module_param(crypto_disable, charp, 0444);
MODULE_PARM_DESC(crypto_disable,
		 "comma-separated CPU features the crypto must not use (ssse3, avx2, avx512, adx, all)");

#ifdef WG_DEBUG
unsigned int wg_time_divisor = 1;
module_param_named(time_divisor, wg_time_divisor, uint, 0644);
MODULE_PARM_DESC(time_divisor,
		 "debug: divide every protocol duration (rekey, reject, timeouts, key zeroing, cookie secret age) by this");

static int __init run_selftests(void)
{
	if (!wg_crypto_selftest()) {
		pr_err("crypto self-tests failed\n");
		return -ENOTRECOVERABLE;
	}
	if (!wg_allowedips_selftest()) {
		pr_err("allowedips self-tests failed\n");
		return -ENOTRECOVERABLE;
	}
	if (!wg_replay_counter_selftest()) {
		pr_err("replay counter self-tests failed\n");
		return -ENOTRECOVERABLE;
	}
	if (!wg_ratelimiter_selftest()) {
		pr_err("ratelimiter self-tests failed\n");
		return -ENOTRECOVERABLE;
	}
	if (!wg_cookie_selftest()) {
		pr_err("cookie self-tests failed\n");
		return -ENOTRECOVERABLE;
	}
	return 0;
}
#else
static int __init run_selftests(void)
{
	return 0;
}
#endif

static int __init wg_mod_init(void)
{
	int ret;

	wg_crypto_cpu_init(crypto_disable);
	ret = wg_ratelimiter_slab_init();
	if (ret < 0)
		return ret;
	ret = run_selftests();
	if (ret < 0)
		goto err_ratelimiter;

	wg_noise_init();

	ret = wg_allowedips_slab_init();
	if (ret < 0)
		goto err_ratelimiter;
	ret = wg_peer_init();
	if (ret < 0)
		goto err_allowedips;
	ret = wg_device_init();
	if (ret < 0)
		goto err_peer;
	ret = wg_genetlink_init();
	if (ret < 0)
		goto err_device;
	ret = wg_events_init();
	if (ret < 0)
		goto err_netlink;
	ret = wg_sleep_init();
	if (ret < 0)
		goto err_events;

	pr_info("WireGuard " WIREGUARD_VERSION " loaded (out-of-tree)\n");
	return 0;

err_events:
	wg_events_uninit();
err_netlink:
	wg_genetlink_uninit();
err_device:
	wg_device_uninit();
err_peer:
	wg_peer_uninit();
err_allowedips:
	wg_allowedips_slab_uninit();
err_ratelimiter:
	wg_ratelimiter_slab_uninit();
	return ret;
}

static void __exit wg_mod_exit(void)
{
	wg_sleep_uninit();
	wg_events_uninit();
	wg_genetlink_uninit();
	wg_device_uninit();
	/* Peers, keypairs and trie nodes are freed after grace periods. */
	rcu_barrier();
	wg_peer_uninit();
	wg_allowedips_slab_uninit();
	wg_ratelimiter_slab_uninit();
}

module_init(wg_mod_init);
module_exit(wg_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("WireGuard secure network tunnel (out-of-tree)");
MODULE_VERSION(WIREGUARD_VERSION);
MODULE_ALIAS_RTNL_LINK("wireguard");
MODULE_ALIAS_GENL_FAMILY("wireguard");
MODULE_ALIAS_GENL_FAMILY(WG_EVENTS_GENL_NAME);
