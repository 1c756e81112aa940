#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-peers: one device with BENCH_PEERS (8) peers, one TCP stream
# per peer at once, ours against Debian's wireguard.ko in one boot of
# BENCH_KERNEL (6.1), alternated for BENCH_ROUNDS (3) rounds of
# BENCH_SECONDS (10) per direction (selftests/vm/tests/bench-peers.sh).
# Prints every round, then the medians of the aggregate throughput into
# the hub (every spoke sending) and out of it (iperf3 -R), and the ratios
# ours/debian.  Figures only; nothing here asserts timing.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. selftests/bench/lib.sh
rounds=${BENCH_ROUNDS:-3} secs=${BENCH_SECONDS:-10} kernel=${BENCH_KERNEL:-6.1}
peers=${BENCH_PEERS:-8}
[ "$rounds" -ge 3 ] || rounds=3
mkdir -p build/bench
make -s tools > /dev/null || exit 1
selftests/vm/build-module.sh "$kernel" release > /dev/null ||
	echo "# warning: building our release module failed; using the last one built" >&2
out=$(selftests/vm/run --kernel "$kernel" --no-module --timeout $((300 + rounds * (6 * secs + 240))) \
	selftests/vm/tests/bench-peers.sh "$rounds" "$peers" "$secs" 2>&1)
rc=$?
printf '%s\n' "$out" > build/bench/peers-last.txt
printf '%s\n' "$out" | grep -v '^sample ' | sed 's/^/# /'

# vals DIR IMPL: Mbit/s per round, from "sample peers IMPL ROUND DIR BPS RAN".
vals() {
	printf '%s\n' "$out" | awk -v d="$1" -v i="$2" \
		'$1 == "sample" && $2 == "peers" && $3 == i && $5 == d && $6 != "" { printf "%.1f\n", $6 / 1e6 }'
}
echo "round-by-round (Mbit/s, aggregate of $peers streams):"
for d in in out; do
	for i in ours debian; do
		printf '  %-4s %-7s %s\n' "$d" "$i" "$(vals $d $i | tr '\n' ' ')"
	done
done
io=$(vals in ours | median) id=$(vals in debian | median)
oo=$(vals out ours | median) od=$(vals out debian | median)
echo "medians over $rounds rounds ($peers peers on one device, kernel $kernel):"
echo "peers-in-mbit ours $io debian $id ratio $(ratio "$io" "$id") (every spoke sending to the hub)"
echo "peers-out-mbit ours $oo debian $od ratio $(ratio "$oo" "$od") (the hub sending to every spoke)"
exit $rc
