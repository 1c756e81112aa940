#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Generic Netlink interface in the VM, with dynamic debug on so every
# peer created must be destroyed:
#   netlink-wg.sh     upstream wg drives Debian's module and ours, identical
#                     transcripts (6.1 and 6.12)
#   netlink-bad.sh    crafted bad input: errno, extack, nothing half-applied
#                     (6.1 and 6.12)
#   netlink-dev.sh    sockets: random/shared port, atomic rebind, fwmark,
#                     namespaces, permissions (6.1 and 6.12)
#   netlink-scale.sh  100,000 peers / 1,000,000 allowed IPs dumped whole,
#                     dumps racing with changes (6.1)
# WG_VARIANT=release tests the release build instead of the debug one.
cd "$(dirname "$0")/.." || exit 1
variant=${WG_VARIANT:-debug}
. selftests/lib/tap.sh

if ! make -s -C selftests/netlink > /dev/null; then
	tap_fail "raw netlink client (selftests/netlink) builds"
fi
for k in 6.1 6.12; do
	if ! selftests/vm/build-module.sh $k $variant > /dev/null; then
		tap_fail "$variant module builds for $k"
		continue
	fi
	vm() { selftests/vm/run --kernel $k --no-module "$@"; }
	tap_run "$k netlink-wg" vm --timeout 900 \
		selftests/vm/tests/netlink-wg.sh debian ours $variant dyndbg
	tap_run "$k netlink-bad" vm --timeout 900 \
		selftests/vm/tests/netlink-bad.sh debian ours $variant dyndbg
	tap_run "$k netlink-dev" vm --timeout 600 \
		selftests/vm/tests/netlink-dev.sh ours $variant dyndbg
	if [ $k = 6.1 ]; then
		tap_run "$k netlink-scale" vm --timeout 1500 --mem 4G \
			selftests/vm/tests/netlink-scale.sh $variant
	fi
done
tap_done
