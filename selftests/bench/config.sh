#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-config: `wg setconf` of 10,000 peers and 100,000 allowed IPs
# into Debian's wireguard.ko and ours (release build) in one VM boot,
# alternated over 3 rounds (BENCH_ROUNDS); prints the median time and the
# unreclaimable-slab growth per peer for each, and the ratios ours/debian.
# Lower is better for both; the target is a ratio <= 1.
#   setconf-10k-peers time ours <s> debian <s> ratio <r>
#   setconf-10k-peers slab-bytes-per-peer ours <n> debian <n> ratio <r>
#   setconf-10k-peers remove-all-time ours <s> debian <s> ratio <r>
# (the last: `wg setconf` of an empty configuration afterwards).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. selftests/bench/lib.sh
peers=${BENCH_PEERS:-10000} per=${BENCH_AIPS_PER_PEER:-10} rounds=${BENCH_ROUNDS:-3}
kernel=${BENCH_KERNEL:-6.1}
mkdir -p build/bench
conf=build/bench/config-$peers-$per.conf
[ -s "$conf" ] || python3 selftests/bench/gen-config.py "$peers" "$per" > "$conf" || exit 1
selftests/vm/build-module.sh "$kernel" release > /dev/null ||
	echo "# warning: building our release module failed; using the last one built" >&2
out=$(selftests/vm/run --kernel "$kernel" --no-module --mem 4G --timeout 900 \
	selftests/bench/config-vm.sh "$(realpath "$conf")" "$peers" "$rounds" "$per" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
stat() { # IMPL FIELD
	printf '%s\n' "$out" | awk -v i="$1" -v f="$2" '$1 == "sample" && $2 == i && $NF == "rc=00" { print $f }' | median
}
to=$(stat ours 3) td=$(stat debian 3)
mo=$(stat ours 4) md=$(stat debian 4)
pp() { awk -v m="$1" -v n="$peers" 'BEGIN { if (m == "NA") print "NA"; else printf "%d\n", m / n }'; }
mo=$(pp "$mo") md=$(pp "$md")
label=setconf-$((peers / 1000))k-peers
echo "$label time ours $to debian $td ratio $(ratio "$to" "$td")"
echo "$label slab-bytes-per-peer ours $mo debian $md ratio $(ratio "$mo" "$md")"
ro=$(stat ours 7) rd=$(stat debian 7)
echo "$label remove-all-time ours $ro debian $rd ratio $(ratio "$ro" "$rd")"
exit $rc
