#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libFuzzer (Debian's clang, -fsanitize=fuzzer,address,undefined) on
# tools/wg's configuration-file parser and `wg set' argument parser:
# the seed corpus in selftests/wg/fuzz/corpus/ first, then a timed run of
# each target (WG_FUZZ_SECONDS, default 60).  New inputs collect under
# build/wg/fuzz-corpus/, crashes under build/wg/fuzz-artifacts/.  Longer
# runs: see README.md ("Fuzzing tools/wg").
cd "$(dirname "$0")/.." || exit 1
SECS=${WG_FUZZ_SECONDS:-60}
. selftests/lib/tap.sh
command -v clang >/dev/null || { tap_skip "fuzzers" "clang not installed"; tap_done; exit; }
if ! out=$(make -s -C selftests/wg fuzzers 2>&1); then
	tap_fail "build the fuzzers (clang -fsanitize=fuzzer: clang and libclang-rt-*-dev)"
	echo "$out" | sed 's/^/# /'; tap_done; exit
fi
tap_pass "build the fuzzers with clang -fsanitize=fuzzer,address,undefined"
for t in config args; do
	bin=build/wg/fuzz-$t seeds=selftests/wg/fuzz/corpus/$t work=build/wg/fuzz-corpus/$t art=build/wg/fuzz-artifacts
	mkdir -p "$work" "$art"
	log=build/wg/fuzz-$t.log
	if $bin -runs=0 "$seeds" >"$log" 2>&1; then tap_pass "fuzz-$t: seed corpus ($(ls "$seeds" | wc -l) inputs) runs clean"
	else tap_fail "fuzz-$t: seed corpus runs clean"; tail -n 30 "$log" | sed 's/^/# /'; fi
	before=$(ls "$art" | grep -c "^$t-" || true)
	$bin -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
		-dict=selftests/wg/fuzz/wg.dict -artifact_prefix="$art/$t-" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	after=$(ls "$art" | grep -c "^$t-" || true)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ $rc -eq 0 ] && [ "$after" = "$before" ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
		tap_pass "fuzz-$t: ${SECS} s, $runs inputs, $cov, no crash, leak or timeout"
	else
		tap_fail "fuzz-$t: ${SECS} s without a crash (exit $rc, artifacts in $art)"
		grep -A 30 -m 1 -e 'ERROR:' -e 'runtime error' -e 'deadly signal' "$log" | sed 's/^/# /'
	fi
done
tap_done
