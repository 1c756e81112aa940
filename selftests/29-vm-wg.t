#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wg/wg against Debian's upstream wg in the VM: one sequence of
# commands through both, identical output; 300 random keys give the same
# public keys both ways and through the kernel; bad input refused with
# nothing applied; incremental allowed IPs.  Against Debian's module and
# this tree's (debug build) on 6.1; WG_SLOW_TESTS=1 adds 6.12.
# See selftests/vm/tests/wg-compare.sh.
cd "$(dirname "$0")/.." || exit 1
n=0 fail=0
say() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi; }
if ! out=$(make -s -C tools/wg 2>&1); then
	say fail "build tools/wg"; echo "$out" | sed 's/^/# /'; echo "1..$n"; exit 1
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
		say fail "this tree's module builds for $k (only Debian's module compared)"
		sed 's/^/# /' "$log" | tail -n 20
	fi
	selftests/vm/run --kernel $k --no-module --timeout 1800 selftests/vm/tests/wg-compare.sh $impls >"$log" 2>&1
	rc=$? seen=0 failed=0
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]; then
			n=$((n + 1)) seen=$((seen + 1))
			[ -n "${BASH_REMATCH[1]}" ] && failed=$((failed + 1)) fail=$((fail + 1))
			echo "${BASH_REMATCH[1]}ok $n${BASH_REMATCH[2]} [$k]"
		elif ! [[ $l =~ ^1\.\. ]]; then echo "$l"; fi
	done <"$log"
	if [ "$rc" = 0 ] || [ "$failed" != 0 ]; then
		say ok "selftests/vm/run reported every problem ($seen checks, status $rc) [$k]"
	else
		say fail "selftests/vm/run failed (status $rc) without a failing check [$k]"
	fi
done
echo "1..$n"
[ $fail -eq 0 ]
