#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wg's parsers: unit tests of every accepted and refused form of
# configuration file and `wg set' arguments (built with ASan and UBSan,
# selftests/wg/parse-test.c), then endpoint name-resolution retries
# against the reference wg (selftests/wg/resolve-retry.sh, root only).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if out=$(make -s -C selftests/wg parse-test 2>&1) && out2=$(make -s -C tools/wg 2>&1); then
	# A crash or sanitizer report ends the run early: it counts as a
	# failure even after passing checks.
	tap_run "" build/wg/parse-test
	tap_ok $? "parse-test exits 0 (no sanitizer report)"
else
	tap_fail "build parse-test and tools/wg"; echo "$out $out2" | sed 's/^/# /'
fi
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || [ ! -x /usr/bin/wg ]; then
	tap_skip "resolver retries" "needs root, unshare and the reference wg"
else
	tap_run "" unshare -n -m --propagation private bash selftests/wg/resolve-retry.sh
fi
tap_done
