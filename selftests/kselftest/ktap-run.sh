#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ktap-run.sh SUITE [ARGS...]: one netns suite of selftests/vm/tests, run on
# this machine's running kernel against the wireguard module `modprobe
# wireguard` loads (the suites' "debian" implementation is exactly that),
# its result printed as KTAP.  Exit status as kselftest wants it: 0 pass,
# 1 fail, 4 skip (not root, or modprobe would not load this project's
# module: install it first with `make install` or the DKMS package).
# Works from the source tree and from `make install` (INSTALL_PATH).
here=$(cd "$(dirname "$0")" && pwd)
if [ -d "$here/selftests/vm/tests" ]; then
	WG_REPO=$here
else
	WG_REPO=$(cd "$here/../.." && pwd)
fi
export WG_REPO
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
ksft_skip=4
suite=$1
shift

echo "KTAP version 1"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP $suite needs root"
	exit $ksft_skip
fi
ko=$(modinfo -n wireguard 2>/dev/null)
case $ko in
*/updates/*|*/extra/*) ;;
*)	echo "1..0 # SKIP modprobe wireguard finds ${ko:-no module}, not this project's (make install, or the DKMS package)"
	exit $ksft_skip ;;
esac

out=$(mktemp)
trap 'rm -f "$out"' EXIT
{
	# The module the suite is about to use: this project's (out-of-tree taint).
	if modprobe wireguard && grep -q O /sys/module/wireguard/taint; then
		echo "ok - modprobe wireguard loads this project's module ($ko)"
	else
		echo "not ok - modprobe wireguard loads this project's module ($ko)"
	fi
	bash "$WG_REPO/selftests/vm/tests/$suite" "$@" 2>&1 < /dev/null
	echo "# exit status $?"
} > "$out"

# KTAP: the plan first, results numbered in order, everything else as
# diagnostic lines.
n=$(grep -c -E '^(not )?ok\b' "$out")
echo "1..$n"
i=0 failed=0
while IFS= read -r l; do
	if [[ $l =~ ^(not\ )?ok([[:space:]]+[0-9]+)?(.*)$ ]]; then
		i=$((i + 1))
		rest=${BASH_REMATCH[3]}
		[ -n "${BASH_REMATCH[1]}" ] && ! [[ $rest =~ \#[[:space:]]*[Tt][Oo][Dd][Oo] ]] && failed=$((failed + 1))
		echo "${BASH_REMATCH[1]}ok $i$rest"
	elif [[ $l =~ ^1\.\.[0-9]+ ]]; then
		:
	elif [[ $l =~ ^# ]]; then
		echo "$l"
	else
		echo "# $l"
	fi
done < "$out"
grep -q '^# exit status 0$' "$out" || failed=$((failed + 1))
[ "$n" -gt 1 ] || failed=$((failed + 1))
[ "$failed" = 0 ]
