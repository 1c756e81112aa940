#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module under the debug kernel (issue 12): Debian's linux-source-6.1
# built with selftests/vm/debug-kernel/debug.config (KASAN, lockdep with
# PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, kmemleak, UBSAN, DEBUG_LIST,
# WQ watchdog, hung-task and lockup detection, failslab), cached in
# /var/cache/wireguard-oot/kernel (a cold build happens here, once), and
# our debug module built against its tree (W=1, no warning).  One boot runs
# the suites (suites.sh): in make check the smoke suite (which left 21's
# 6.1 run) and 30 s of each fuzzer (fuzz-netlink.sh, fuzz-packets.sh;
# WG_KFUZZ_SECONDS); with WG_SLOW_TESTS=1 also the netlink wg transcript
# and bad input, tunnel-basic, trains, rekey, flood, interop with wireguard-go and the
# failslab suite in its long form.  Any report in the kernel log during a
# suite, or a kmemleak scan after it finding an object allocated by the
# module, fails that suite.  `make fuzz-kernel SECONDS=N` and `make soak
# MINUTES=N` run this file for the fuzzers alone or the soak alone.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
k=6.1-debug
start=$SECONDS
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! kdir=$(selftests/vm/debug-kernel/build.sh 2> "$log"); then
	tap_fail "the debug kernel builds"
	tail -n 30 "$log" | sed 's/^/# /'
	tap_done
	exit
fi
sed 's/^/# /' "$log"
krel=$(sed -n 's/^release=//p' "$kdir/info")
tap_pass "the debug kernel is built ($(sed -n 's/^build_seconds=//p' "$kdir/info") s cold, $(sed -n 's/^built=//p' "$kdir/info"))"
echo "# debug kernel ready after $((SECONDS - start)) s"
mkdir -p build/tools
if ! selftests/vm/build-module.sh $k debug > "$log" 2>&1; then
	tap_fail "our debug module builds against the debug kernel's tree"
	tail -n 30 "$log" | sed 's/^/# /'
elif ! make -s -C selftests/netlink > /dev/null; then
	tap_fail "raw netlink client (selftests/netlink) builds"
elif ! out=$(make -s -C tools/wg 2>&1 && make -s -C tools/wg-exporter 2>&1); then
	# The rekey suite's observe part runs wg monitor and wg-exporter.
	tap_fail "build tools/wg and tools/wg-exporter"
	echo "$out" | tail -n 20 | sed 's/^/# /'
elif ! make -s build/tools/wg-hsblast; then
	tap_fail "build wg-hsblast"
else
	warn=$(grep -E 'warning:' "build/modules/$krel/debug/build.log")
	tap_ok "$([ -z "$warn" ] && echo 0 || echo 1)" "the W=1 build against the debug tree has no warning"
	[ -z "$warn" ] || echo "$warn" | head -20 | sed 's/^/# /'
	# make check: the smoke suite (it left 21's 6.1 run) and a short
	# run of each fuzzer.  The suites below take tens of minutes on this
	# kernel under TCG: with WG_SLOW_TESTS=1 (their production-6.1 runs
	# stay in 24-28 meanwhile).  WG_DEBUG_ONLY=fuzz (make fuzz-kernel)
	# runs only the fuzzers, for WG_KFUZZ_SECONDS each; WG_DEBUG_ONLY=soak
	# (make soak) only the soak, for WG_SOAK_MINUTES.
	fz=${WG_KFUZZ_SECONDS:-30}
	fuzz=(-- fuzz-netlink $((fz + 600)) fuzz-netlink.sh seconds="$fz"
		-- fuzz-packets $((fz + 600)) fuzz-packets.sh seconds="$fz")
	case "${WG_DEBUG_ONLY:-}" in
	fuzz)
		suites=("${fuzz[@]:1}") ;;
	soak)
		m=${WG_SOAK_MINUTES:-10}
		suites=(soak $((m * 60 + 900)) soak.sh minutes="$m") ;;
	*)
		suites=(smoke 600 smoke.sh "${fuzz[@]}") ;;
	esac
	if [ "${WG_SLOW_TESTS:-0}" = 1 ] && [ -z "${WG_DEBUG_ONLY:-}" ]; then
		suites+=(-- netlink-wg 1800 netlink-wg.sh ours debug dyndbg
			-- netlink-bad 1800 netlink-bad.sh ours debug dyndbg
			-- tunnel-basic 1800 tunnel-basic.sh ours debug dyndbg
			-- trains 900 trains.sh ours debug
			-- rekey 1200 tunnel-rekey.sh
			-- flood 900 flood.sh ours debug cost=20000 slack=20
			-- interop 900 interop-go.sh ours debug
			-- failslab 3600 failslab.sh long)
	fi
	# The suites' limits added up, and the boot.
	limit=600
	for ((i = 0; i < ${#suites[@]}; i++)); do
		[ "${suites[i]}" = -- ] || [ "$i" = 0 ] || continue
		[ "$i" = 0 ] && j=1 || j=$((i + 2))
		limit=$((limit + suites[j]))
	done
	boot=$SECONDS
	tap_run "$k" selftests/vm/run --kernel $k --no-module --timeout "$limit" \
		selftests/vm/tests/suites.sh "${suites[@]}"
	echo "# time the debug-kernel boot: $((SECONDS - boot)) s"
fi
tap_done
