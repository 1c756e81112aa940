// SPDX-License-Identifier: GPL-2.0
/*
 * Session keys must not outlive the memory image they are in:
 *
 *  - after a VM snapshot is restored or cloned (vmgenid tells the RNG,
 *    which calls the vmfork notifiers), every copy would go on sending
 *    with the same keys and nonces: keystream reuse;
 *  - on hibernation the keys would be written to disk with the image, and
 *    on suspend they stay in RAM while the machine is out of our hands.
 *
 * So every session and handshake of every device is forgotten then; the
 * next packet starts a new handshake (with fresh randomness: vmgenid
 * reseeds the RNG before the notifiers run).  The notifier APIs are the
 * same on 6.1 and 6.12.  Systems that suspend whenever idle (autosleep)
 * would never keep a session, so there suspend does not count.
 */

#include "sleep.h"
#include "device.h"

#include <linux/moduleparam.h>
#include <linux/notifier.h>
#include <linux/random.h>
#include <linux/suspend.h>

static int vm_fork_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	wg_device_forget_sessions();
	return NOTIFY_DONE;
}

static int pm_notify(struct notifier_block *nb, unsigned long action,
		     void *data)
{
	if (action == PM_HIBERNATION_PREPARE ||
	    (action == PM_SUSPEND_PREPARE && !IS_ENABLED(CONFIG_PM_AUTOSLEEP)))
		wg_device_forget_sessions();
	return NOTIFY_DONE;
}

static struct notifier_block vm_fork_nb = { .notifier_call = vm_fork_notify };
static struct notifier_block pm_nb = { .notifier_call = pm_notify };

#ifdef WG_DEBUG
/* Writing debug_vm_fork runs the vmfork handler, as vmgenid would. */
static int debug_vm_fork_set(const char *val, const struct kernel_param *kp)
{
	return vm_fork_notify(&vm_fork_nb, 0, NULL) == NOTIFY_DONE ? 0 : -EIO;
}

static const struct kernel_param_ops debug_vm_fork_ops = {
	.set = debug_vm_fork_set,
};
module_param_cb(debug_vm_fork, &debug_vm_fork_ops, NULL, 0200);
MODULE_PARM_DESC(debug_vm_fork,
		 "debug: write anything to act as on a VM fork notification");
#endif

int wg_sleep_init(void)
{
	int ret = register_pm_notifier(&pm_nb);

	if (ret)
		return ret;
	ret = register_random_vmfork_notifier(&vm_fork_nb);
	if (ret)
		unregister_pm_notifier(&pm_nb);
	return ret;
}

void wg_sleep_uninit(void)
{
	unregister_random_vmfork_notifier(&vm_fork_nb);
	unregister_pm_notifier(&pm_nb);
}
