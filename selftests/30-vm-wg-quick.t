#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wg-quick against Debian's wg-quick in the VM on this tree's module (release
# build, kernel not userspace): for the seed configs and a full-tunnel
# client, the same wg showconf, addresses, routes of every table, rules, MTU,
# nftables/iptables rules and sysctls after up, save and down; refusals of
# bad input with a clear message and nothing left configured.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if make -s -C tools/wg >/dev/null; then
	tap_run "" selftests/vm/run --kernel 6.1 --variant release --timeout 1800 \
		selftests/vm/tests/wg-quick-compare.sh
else
	tap_fail "tools/wg builds"
fi
tap_done
