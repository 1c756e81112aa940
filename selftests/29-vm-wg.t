#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wg/wg against Debian's upstream wg in the VM: one sequence of
# commands through both, identical output; 300 random keys give the same
# public keys both ways and through the kernel; bad input refused with
# nothing applied; incremental allowed IPs.  Against Debian's module and
# this tree's (debug build) on 6.1; WG_SLOW_TESTS=1 adds 6.12.
# See selftests/vm/tests/wg-compare.sh.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if ! out=$(make -s -C tools/wg 2>&1); then
	tap_fail "build tools/wg"; echo "$out" | sed 's/^/# /'; tap_done; exit
fi
kernels=6.1
[ -n "${WG_SLOW_TESTS:-}" ] && kernels="6.1 6.12"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for k in $kernels; do
	impls=debian
	if selftests/vm/build-module.sh $k debug >"$log" 2>&1; then
		impls="debian ours"
	else
		tap_fail "this tree's module builds for $k (only Debian's module compared)"
		sed 's/^/# /' "$log" | tail -n 20
	fi
	tap_run "$k" selftests/vm/run --kernel $k --no-module --timeout 1800 \
		selftests/vm/tests/wg-compare.sh $impls
done
tap_done
