#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM harness's verdict on a kernel log, offline (no VM): each debug
# facility's report, as the kernel prints it, fails a run on every kernel
# (lib/harness.sh: WG_KLOG_BAD); an ordinary boot log does not; and kmemleak's
# report fails a debug-kernel run only for objects allocated from a module.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
. selftests/vm/lib/harness.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One line as each debug facility prints it (6.1's wording); each alone must
# count as a problem, and an ordinary boot log must not.
while IFS= read -r line; do
	printf '[   12.345678] %s\n' "$line" > "$tmp/log"
	klog_problems "$tmp/log" > /dev/null
	tap_ok $? "kernel-log pattern catches: $line"
done <<'LINES'
WARNING: possible circular locking dependency detected
WARNING: inconsistent lock state
WARNING: suspicious RCU usage
WARNING: lock held when returning to user space!
BUG: KASAN: slab-use-after-free in wg_packet_tx_worker+0x1c/0x80 [wireguard]
UBSAN: shift-out-of-bounds in drivers/net/wireguard/foo.c:1:2
ODEBUG: free active (active state 0) object type: timer_list hint: 0x0
BUG: sleeping function called from invalid context at mm/slab.h:723
BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 63s!
INFO: task kworker/0:1:27 blocked for more than 122 seconds.
watchdog: BUG: soft lockup - CPU#1 stuck for 67s! [ksoftirqd/1:18]
rcu: INFO: rcu_preempt self-detected stall on CPU
list_del corruption. prev->next should be ffff888004c1e9a8, but was dead000000000100
kmemleak: Kernel memory leak detector disabled
LINES
printf '%s\n' '[    0.000000] Linux version 6.1.192-wgdebug' \
	'[    1.2] wireguard: loading out-of-tree module taints kernel.' \
	'[    1.3] kmemleak: Kernel memory leak detector initialized (mem pool available: 61000)' > "$tmp/log"
klog_problems "$tmp/log" > /dev/null
tap_ok "$([ $? != 0 ] && echo 0 || echo 1)" "an ordinary boot log is not a problem"
# selftests/vm/run runs with pipefail: a report early in a long log (a
# soft lockup repeated for 20 minutes fills megabytes) must still count.
{ echo '[  240.270678] watchdog: BUG: soft lockup - CPU#0 stuck for 44s! [ping:305]'
  for i in $(seq 40000); do echo "[ $i.000000] rcu: 	1-...!: (1 GPs behind) idle=4674/1/0x4000000000000000"; done
} > "$tmp/long"
(set -o pipefail; klog_problems "$tmp/long" > /dev/null)
tap_ok $? "a report at the start of a $(($(wc -c < "$tmp/long") / 1024)) KiB log is caught under pipefail"
cat > "$tmp/leak" <<'REPORT'
unreferenced object 0xffff888006a3c400 (size 512):
  comm "swapper/0", pid 1, jiffies 4294892296 (age 60.1s)
  backtrace:
    [<ffffffff8152a1c4>] __kmalloc+0x44/0x90
    [<ffffffff82c1a2b1>] acpi_os_allocate_zeroed+0x1f/0x24
unreferenced object 0xffff888006a3c800 (size 200):
  comm "insmod", pid 100, jiffies 4294892296 (age 60.1s)
  backtrace:
    [<ffffffff8152a1c4>] kmalloc_trace+0x24/0x90
    [<ffffffffa0002031>] wg_peer_create+0x31/0x300 [wireguard]
REPORT
out=$(kmemleak_module_leaks "$tmp/leak")
tap_ok "$([ $? = 0 ] && [[ $out == *wg_peer_create* ]] && [[ $out != *acpi_os* ]] && echo 0 || echo 1)" \
	"kmemleak filter picks the object allocated in a module, not the kernel's own"
sed -i 's/wg_peer_create+0x31\/0x300 \[wireguard\]/0xffffffffa0002031/' "$tmp/leak"
kmemleak_module_leaks "$tmp/leak" > /dev/null
tap_ok $? "... and one from a module unloaded since (a bare address)"
head -5 "$tmp/leak" > "$tmp/leak1"
kmemleak_module_leaks "$tmp/leak1" > /dev/null
tap_ok "$([ $? != 0 ] && echo 0 || echo 1)" "... and passes a report of kernel-only objects"

tap_done
