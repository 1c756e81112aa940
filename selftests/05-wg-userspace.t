#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wg/wg against the reference wg (wireguard-tools) on userspace
# WireGuard: a scripted UAPI socket and wireguard-go, in private network
# and mount namespaces.  See selftests/wg/userspace-compare.sh.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
for need in unshare python3 xxd script; do
	command -v $need >/dev/null || { tap_skip "userspace comparison" "$need not installed"; tap_done; exit; }
done
[ -x /usr/bin/wg ] || { tap_skip "userspace comparison" "reference wg (wireguard-tools) not installed"; tap_done; exit; }
[ "$(id -u)" = 0 ] || { tap_skip "userspace comparison" "needs root (namespaces, tun)"; tap_done; exit; }
if ! out=$(make -s -C tools/wg 2>&1); then
	tap_fail "build tools/wg"; echo "$out" | sed 's/^/# /'; tap_done; exit
fi
tap_run "" unshare -n -m --propagation private bash selftests/wg/userspace-compare.sh
tap_done
