#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wg/wg against the reference wg (wireguard-tools) on userspace
# WireGuard: a scripted UAPI socket and wireguard-go, in private network
# and mount namespaces.  See selftests/wg/userspace-compare.sh.
cd "$(dirname "$0")/.." || exit 1
for need in unshare python3 xxd script; do
	command -v $need >/dev/null || { echo "1..0 # SKIP $need not installed"; exit 0; }
done
[ -x /usr/bin/wg ] || { echo "1..0 # SKIP reference wg (wireguard-tools) not installed"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (namespaces, tun)"; exit 0; }
if ! out=$(make -s -C tools/wg 2>&1); then
	echo "1..1"; echo "not ok 1 - build tools/wg"; echo "$out" | sed 's/^/# /'; exit 1
fi
exec unshare -n -m --propagation private bash selftests/wg/userspace-compare.sh
