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
command -v clang >/dev/null || { echo "1..0 # SKIP clang not installed"; exit 0; }
n=0 fail=0
say() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi; }
if ! out=$(make -s -C selftests/wg fuzzers 2>&1); then
	say fail "build the fuzzers (clang -fsanitize=fuzzer: clang and libclang-rt-*-dev)"
	echo "$out" | sed 's/^/# /'; echo "1..$n"; exit 1
fi
say ok "build the fuzzers with clang -fsanitize=fuzzer,address,undefined"
for t in config args; do
	bin=build/wg/fuzz-$t seeds=selftests/wg/fuzz/corpus/$t work=build/wg/fuzz-corpus/$t art=build/wg/fuzz-artifacts
	mkdir -p "$work" "$art"
	log=build/wg/fuzz-$t.log
	if $bin -runs=0 "$seeds" >"$log" 2>&1; then say ok "fuzz-$t: seed corpus ($(ls "$seeds" | wc -l) inputs) runs clean"
	else say fail "fuzz-$t: seed corpus runs clean"; tail -n 30 "$log" | sed 's/^/# /'; fi
	before=$(ls "$art" | grep -c "^$t-" || true)
	$bin -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
		-dict=selftests/wg/fuzz/wg.dict -artifact_prefix="$art/$t-" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	after=$(ls "$art" | grep -c "^$t-" || true)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ $rc -eq 0 ] && [ "$after" = "$before" ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
		say ok "fuzz-$t: ${SECS} s, $runs inputs, $cov, no crash, leak or timeout"
	else
		say fail "fuzz-$t: ${SECS} s without a crash (exit $rc, artifacts in $art)"
		grep -A 30 -m 1 -e 'ERROR:' -e 'runtime error' -e 'deadly signal' "$log" | sed 's/^/# /'
	fi
done
echo "1..$n"
[ $fail -eq 0 ]
