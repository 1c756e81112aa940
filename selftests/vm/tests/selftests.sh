#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug module's in-module self-tests run at load: one TAP line each,
# read back from the kernel log.  A failing self-test fails the load, so
# the harness reports that too; here we also want every pass line present.
# Only the debug build runs them, so this script asserts that it got one
# (the module has the debug-only time_divisor parameter).
. "$WG_REPO/selftests/vm/lib/tap.sh"

log=$(dmesg)

selftest_passed() { # NAME
	grep -q "wireguard: $1 self-tests: pass$" <<<"$log"
}

# Every primitive passes at the portable level, every level tested passes,
# and the run as a whole says so.
crypto_passed() {
	local p bad
	for p in chacha20 poly1305 chacha20poly1305 blake2s curve25519; do
		grep -q "wireguard: crypto selftest: $p \[generic\]: pass$" <<<"$log" ||
			{ echo "no generic pass line for $p"; return 1; }
	done
	bad=$(grep "wireguard: crypto selftest: .*\]: " <<<"$log" | grep -v ": pass$")
	[ -z "$bad" ] || { echo "$bad"; return 1; }
	grep -q "wireguard: crypto selftest: all passed$" <<<"$log" ||
		{ echo "no 'all passed' line"; return 1; }
}

t_ok "our module is loaded" grep -q "out-of-tree" <<<"$log"
t_ok "it is the debug build (time_divisor parameter)" \
	test -e /sys/module/wireguard/parameters/time_divisor
t_ok "crypto self-tests: every primitive and level passes" crypto_passed
for st in allowedips counter ratelimiter cookie; do
	t_ok "$st self-tests pass" selftest_passed "$st"
done
t_ok "no self-test reported a failure" \
	bash -c '! grep -Eq "self-tests?: FAIL|self-tests failed|selftest: FAILED" <<<"$1"' _ "$log"
grep -E "wireguard: (.*self-test|crypto selftest: all)" <<<"$log" | sed 's/^/# /'
t_done
