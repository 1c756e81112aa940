#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In-module self-tests (crypto, allowedips, replay counter, rate limiter,
# cookies) of the debug build, at module load, on 6.1 and 6.12.  A kernel
# whose run fails without a failing line of its own (the module does not
# build, the VM does not boot) still fails here: never an empty plan.
cd "$(dirname "$0")/.." || exit 1
n=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for k in 6.1 6.12; do
	selftests/vm/run --kernel $k --timeout 600 selftests/vm/tests/selftests.sh > "$out" 2>&1
	rc=$? seen=0 failed=0
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]; then
			n=$((n + 1)) seen=$((seen + 1))
			[ -n "${BASH_REMATCH[1]}" ] && failed=$((failed + 1))
			echo "${BASH_REMATCH[1]}ok $n${BASH_REMATCH[2]} [$k]"
		elif ! [[ $l =~ ^1\.\. ]]; then echo "$l"; fi
	done < "$out"
	n=$((n + 1))
	if [ "$rc" = 0 ] || [ "$failed" != 0 ]; then
		echo "ok $n - selftests/vm/run reported every problem ($seen checks, status $rc) [$k]"
	else
		echo "not ok $n - selftests/vm/run failed (status $rc) without a failing check [$k]"
	fi
done
echo "1..$n"
