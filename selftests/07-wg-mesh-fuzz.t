#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libFuzzer (Debian's clang, -fsanitize=fuzzer,address,undefined) on
# wg-mesh's inventory parser, with the topology's routing and the config
# writers on every inventory it accepts (selftests/wg-mesh/fuzz/): the seed
# corpus first, then a timed run (WG_FUZZ_SECONDS, default 30 here).  New
# inputs collect under build/wg-mesh/fuzz-corpus/, crashes under
# build/wg-mesh/fuzz-artifacts/.
cd "$(dirname "$0")/.." || exit 1
SECS=${WG_FUZZ_SECONDS:-30}
. selftests/lib/tap.sh
command -v clang >/dev/null || { tap_skip "inventory fuzzer" "clang not installed"; tap_done; exit; }
if ! out=$(make -s -C selftests/wg-mesh fuzzers 2>&1); then
	tap_fail "build the inventory fuzzer (clang -fsanitize=fuzzer)"
	echo "$out" | sed 's/^/# /'; tap_done; exit
fi
tap_pass "build the inventory fuzzer with clang -fsanitize=fuzzer,address,undefined"
bin=build/wg-mesh/fuzz-inventory seeds=selftests/wg-mesh/fuzz/corpus
work=build/wg-mesh/fuzz-corpus art=build/wg-mesh/fuzz-artifacts log=build/wg-mesh/fuzz-inventory.log
mkdir -p "$work" "$art"
if $bin -runs=0 "$seeds" >"$log" 2>&1; then tap_pass "seed corpus ($(ls "$seeds" | wc -l) inventories) runs clean"
else tap_fail "seed corpus runs clean"; tail -n 30 "$log" | sed 's/^/# /'; fi
before=$(ls "$art" | grep -c '^inventory-' || true)
$bin -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
	-dict=selftests/wg-mesh/fuzz/inventory.dict -artifact_prefix="$art/inventory-" "$work" "$seeds" >"$log" 2>&1
rc=$?
after=$(ls "$art" | grep -c '^inventory-' || true)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
if [ $rc -eq 0 ] && [ "$after" = "$before" ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
	tap_pass "fuzz-inventory: ${SECS} s, $runs inputs, $cov, no crash, leak or timeout"
else
	tap_fail "fuzz-inventory: ${SECS} s without a crash (exit $rc, artifacts in $art)"
	grep -A 30 -m 1 -e 'ERROR:' -e 'runtime error' -e 'deadly signal' "$log" | sed 's/^/# /'
fi
tap_done
