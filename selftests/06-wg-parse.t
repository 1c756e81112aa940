#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wg's parsers: unit tests of every accepted and refused form of
# configuration file and `wg set' arguments (built with ASan and UBSan,
# selftests/wg/parse-test.c), then endpoint name-resolution retries
# against the reference wg (selftests/wg/resolve-retry.sh, root only).
cd "$(dirname "$0")/.." || exit 1
n=0 fail=0
emit() { # renumber a sub-suite's TAP into this one
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]; then
			n=$((n + 1)); echo "${BASH_REMATCH[1]}ok $n${BASH_REMATCH[2]}"
			[ -n "${BASH_REMATCH[1]}" ] && fail=$((fail + 1))
		elif ! [[ $l =~ ^1\.\. ]]; then echo "$l"; fi
	done
}
if out=$(make -s -C selftests/wg parse-test 2>&1) && out2=$(make -s -C tools/wg 2>&1); then
	emit < <(build/wg/parse-test 2>&1; echo $? >build/wg/parse-test.rc)
	# A crash or sanitizer report ends the run early: count it.
	rc=$(cat build/wg/parse-test.rc)
	n=$((n + 1)); if [ "$rc" = 0 ]; then echo "ok $n - parse-test exits 0 (no sanitizer report)"
	else echo "not ok $n - parse-test exits 0 (no sanitizer report): $rc"; fail=$((fail + 1)); fi
else
	n=$((n + 1)); echo "not ok $n - build parse-test and tools/wg"; echo "$out $out2" | sed 's/^/# /'
	fail=$((fail + 1))
fi
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || [ ! -x /usr/bin/wg ]; then
	n=$((n + 1)); echo "ok $n # SKIP resolver retries need root, unshare and the reference wg"
else
	emit < <(unshare -n -m --propagation private bash selftests/wg/resolve-retry.sh 2>&1)
fi
echo "1..$n"
[ $fail -eq 0 ]
