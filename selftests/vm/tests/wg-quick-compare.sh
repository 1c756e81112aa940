#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In the VM: our wg-quick against Debian's wg-quick on one kernel module (no
# userspace fallback), the cases of selftests/wg-quick/compare.sh: the seed's
# hub, HKG POP and backend configs, a full-tunnel client (0.0.0.0/0, ::/0,
# MTU, SaveConfig, DNS) over nftables and over iptables, Table variants,
# save, and refusals.  The module is the one the harness loaded (this tree's;
# with --no-module, Debian's is loaded here).  Both wg-quicks call the
# project's tools/wg/wg (WG=... to change); state is read back with Debian's
# wg.  Extra arguments are passed on (a case-name pattern).
if [ ! -d /sys/module/wireguard ]; then
	modprobe wireguard || { echo "1..0 # SKIP no wireguard module"; exit 0; }
fi
if grep -q O /sys/module/wireguard/taint 2>/dev/null; then
	echo "# wireguard module: this tree's, $(cat /sys/module/wireguard/version 2>/dev/null)"
else
	echo "# wireguard module: Debian's, $(modinfo -F filename wireguard 2>/dev/null)"
fi
export WG=${WG:-$WG_REPO/tools/wg/wg}
echo "# wg used by both wg-quicks: $WG"
export WG_QUICK_USERSPACE_IMPLEMENTATION=/bin/false
# Emulated CPUs on a shared host: the hub's up (41 processes) can take minutes.
export WQT_TIMEOUT=${WQT_TIMEOUT:-600} WQT_JOBS=${WQT_JOBS:-2}
exec bash "$WG_REPO/selftests/wg-quick/compare.sh" "$@"
