// SPDX-License-Identifier: GPL-2.0
/*
 * A throwaway module for the harness's own tests (19-debug-kernel.t): it
 * does one thing the debug kernel must report, chosen by the "mode"
 * parameter, so the test can prove that the report fails the VM run.
 *
 *   mode=lockdep   take two mutexes in one order, then in the other: lockdep
 *                  reports a possible circular locking dependency (no real
 *                  deadlock, there is one thread)
 *   mode=leak      allocate objects and drop the only pointers to them:
 *                  kmemleak reports it with this module in its backtrace
 *   mode=none      nothing (the control)
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *mode = "none";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "none, lockdep or leak");

static DEFINE_MUTEX(wgtest_lock_a);
static DEFINE_MUTEX(wgtest_lock_b);

static void wgtest_lock_inversion(void)
{
	mutex_lock(&wgtest_lock_a);
	mutex_lock(&wgtest_lock_b);
	mutex_unlock(&wgtest_lock_b);
	mutex_unlock(&wgtest_lock_a);

	mutex_lock(&wgtest_lock_b);
	mutex_lock(&wgtest_lock_a);
	mutex_unlock(&wgtest_lock_a);
	mutex_unlock(&wgtest_lock_b);
}

/*
 * Eight objects, so that a stale copy of one pointer left in a reused stack
 * cannot hide them all from kmemleak.
 */
static noinline void wgtest_leak(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		char *p = kmalloc(200, GFP_KERNEL);

		/* Written to, so the allocation stays; then the pointer is lost. */
		if (p)
			memset(p, 0x5a, 200);
	}
	pr_info("wgtest_splat: leaked eight 200-byte objects\n");
}

static int __init wgtest_init(void)
{
	if (!strcmp(mode, "lockdep"))
		wgtest_lock_inversion();
	else if (!strcmp(mode, "leak"))
		wgtest_leak();
	else if (strcmp(mode, "none"))
		return -EINVAL;
	return 0;
}

static void __exit wgtest_exit(void)
{
}

module_init(wgtest_init);
module_exit(wgtest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("wireguard-oot harness self-test: provoke debug-kernel reports");
