#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug module's in-module self-tests run at load: one TAP line each,
# read back from the kernel log.  A failing self-test fails the load, so
# the harness reports that too; here we also want every pass line present.
. "$WG_REPO/selftests/vm/tests/tap.sh"

log=$(dmesg)

selftest_passed() { # NAME
	grep -q "wireguard: $1 self-tests: pass$" <<<"$log"
}

t_ok "debug module loaded" grep -q "out-of-tree" <<<"$log"
if grep -q "wireguard: crypto selftest:" <<<"$log"; then
	t_ok "crypto self-tests: every primitive and level passes" \
		bash -c '! grep "wireguard: crypto selftest: .*\]: " <<<"$1" |
			 grep -qv ": pass$"' _ "$log"
else
	t_skip "crypto self-tests: not in this build"
fi
for st in allowedips counter ratelimiter cookie; do
	t_ok "$st self-tests pass" selftest_passed "$st"
done
t_ok "no self-test reported FAIL" bash -c '! grep -q "self-tests: FAIL" <<<"$1"' _ "$log"
grep "wireguard: .*self-test" <<<"$log" | sed 's/^/# /'
t_done
