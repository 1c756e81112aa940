#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz-packets.sh [seconds=N] [seed=N]: packet fuzzing of wg0's UDP port in
# ns1 (see lib/net.sh) from the router namespace with fuzz-packets.py for N
# seconds (default 60; the seed defaults to the time and is printed),
# while ns2 pings ns1 through the tunnel.  The fuzzer's seeds are a real
# session's messages towards ns1 (the initiation and transport messages,
# captured in the router), so mutated copies reach the handshake,
# decryption and replay code.  Checked:
#  - the fuzzer ran to its end and sent packets (count, pkts/s and the
#    per-class counts are printed);
#  - it reached past the first checks: the drop counters of wg0 in ns1
#    ("wireguard-event" WGEV_CMD_GET_DEVICE, printed as deltas) grew for
#    malformed, handshake_mac, handshake_invalid or under_load, no_session,
#    decrypt and replay;
#  - nothing fuzzed came out of wg0: an nft counter of ns1's input from
#    wg0 for everything but the pings' echo requests stays 0; wg0's
#    rx_packets (which counts authenticated handshake messages and
#    keepalives too) grew by the echo requests plus a few keepalives and
#    rekey handshakes at most (a replayed initiation taken would count);
#    ns1's endpoint for ns2 is ns2's, not the fuzzer's address;
#  - the concurrent ping lost at most 10% and the tunnel works both ways
#    afterwards;
#  - the module unloads.
# The last 256 packets sent are kept in /mnt/wgout/fuzz-ring.hex (or /tmp)
# to reproduce a crash.  Run with --no-module (the script loads the module).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"
. "$WG_REPO/selftests/vm/lib/wire.sh"

seconds=60 seed=$(date +%s)
for a in "$@"; do
	case "$a" in
	seconds=*) seconds=${a#seconds=} ;;
	seed=*) seed=${a#seed=} ;;
	*) echo "usage: fuzz-packets.sh [seconds=N] [seed=N]" >&2; exit 2 ;;
	esac
done
use_impl ours debug || { t_ok "load our debug module" false; t_done; }
T="[fuzz]"
fuzz=$WG_REPO/selftests/vm/tools/fuzz-packets.py
ring=/tmp/fuzz-ring.hex
[ -d /mnt/wgout ] && [ -w /mnt/wgout ] && ring=/mnt/wgout/fuzz-ring.hex
echo "# seed $seed, $seconds s"

keys_init
topology_outer
wg_devices
wg_peers 4
wire_helpers

# ns1's input from wg0: the pings' echo requests, the seed datagrams, and
# anything else.
n1 nft -f - <<'EOF'
table inet fz {
	chain pre {
		type filter hook prerouting priority -300;
		iifname "wg0" ip saddr 10.0.0.2 icmp type echo-request counter accept comment "legit"
		iifname "wg0" udp dport 9 counter comment "seed"
		iifname "wg0" counter comment "other"
	}
}
EOF
# inner COMMENT: packets counted by that rule.
inner() {
	n1 nft list chain inet fz pre | awk -v c="comment \"$1\"" \
		'index($0, c) { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
not_legit() { echo $(( $(inner seed) + $(inner other) )); }

# ---- seeds: ns2 initiates, then sends a few datagrams of several sizes ----
send_seeds() {
	n2 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for n in (1, 40, 100, 300, 700, 1300):
    s.sendto(b"fuzz-seed-" + b"x" * n, ("10.0.0.1", 9))'
}
wire_capture_start veth1r /tmp/fz-seed.pcap 'udp and dst host 192.168.1.1 and dst port 1'
t_ok "$T session up (ns2 initiates)" ping_ok ns2 10.0.0.1
send_seeds
wire_capture_stop
python3 "$fuzz" --pcap-hex /tmp/fz-seed.pcap 1 > /tmp/fz-seeds.hex
ntr=$(grep -c '^04' /tmp/fz-seeds.hex) nin=$(grep -c '^01' /tmp/fz-seeds.hex)
t_ok "$T captured seeds: $nin initiation(s), $ntr transport messages" \
	test "$nin" -ge 1 -a "$ntr" -ge 4
t_is "$T the seed datagrams arrived in ns1" "$(inner seed)" 6

# drops FILE: ns1's wg0 drop counters, "reason count" lines.
drops() { n1 python3 "$WG_REPO/selftests/vm/tools/wgev-counters.py" wg0 drops > "$1"; }
t_ok "$T drop counters readable (wireguard-event GET_DEVICE)" drops /tmp/fz-drops0
rx_packets() { n1 cat /sys/class/net/wg0/statistics/rx_packets; }
legit0=$(inner legit) other0=$(not_legit) rx0=$(rx_packets)

# ---- the fuzz, with a ping through the tunnel all along ----
n2 ping -q -i 0.2 -w $((seconds + 5)) 10.0.0.1 > /tmp/fz-ping.out 2>&1 &
ping_pid=$!
sleep 2
nr env FUZZ_RING="$ring" timeout $((seconds + 120)) \
	python3 "$fuzz" "$seconds" "$seed" 192.168.1.1 1 "$PUB1" /tmp/fz-seeds.hex \
	> /tmp/fz.out 2>&1
rc=$?
wait "$ping_pid"
sleep 1
grep '^# ' /tmp/fz.out
grep -v '^# ' /tmp/fz.out | tail -n 20 | sed 's/^/# fuzzer: /'
t_is "$T the fuzzer ran to its end" "$rc" 0
read -r sent pps < <(awk '$2 == "fuzz:" { print $4, $8 }' /tmp/fz.out)
t_ok "$T the fuzzer sent ${sent:-0} packets (${pps:-0} pkts/s)" test "${sent:-0}" -gt 0

# ---- which paths the fuzz reached ----
drops /tmp/fz-drops1
declare -A d0 d1 dd
while read -r k v; do d0[$k]=$v; done < /tmp/fz-drops0
while read -r k v; do d1[$k]=$v; done < /tmp/fz-drops1
for k in "${!d1[@]}"; do
	dd[$k]=$(( ${d1[$k]} - ${d0[$k]:-0} ))
done
while read -r k _; do
	echo "# drop $k +${dd[$k]} (${d0[$k]:-?} -> ${d1[$k]})"
done < /tmp/fz-drops1
for k in malformed handshake_mac no_session decrypt replay; do
	t_ok "$T fuzz reached drop reason $k (+${dd[$k]:-0})" test "${dd[$k]:-0}" -gt 0
done
hs=$(( ${dd[handshake_invalid]:-0} + ${dd[under_load]:-0} ))
t_ok "$T fuzz got past mac1: handshake_invalid + under_load +$hs" test "$hs" -gt 0

# ---- nothing fuzzed got through ----
legit=$(( $(inner legit) - legit0 )) rx=$(( $(rx_packets) - rx0 ))
echo "# inner: echo requests +$legit, wg0 rx_packets +$rx"
t_is "$T no fuzzed packet came out of wg0 (inner input besides the pings)" \
	"$(( $(not_legit) - other0 ))" 0
slack=$(( 6 + 2 * seconds / 120 ))
t_ok "$T wg0 rx_packets +$rx: the echo requests +$legit and at most $slack more" \
	test "$rx" -le $(( legit + slack ))
t_is "$T ns1's endpoint for ns2 did not move" "$(peer_field ns1 "$PUB2" 3)" 192.168.2.1:2

# ---- the tunnel kept working ----
read -r ptx prx < <(awk '/packets transmitted/ { print $1, $4 }' /tmp/fz-ping.out)
echo "# concurrent ping: ${prx:-?} of ${ptx:-?} answered"
t_ok "$T the concurrent ping lost at most 10% (${prx:-0} of ${ptx:-0})" \
	test "${ptx:-0}" -gt 0 -a $(( ${prx:-0} * 10 )) -ge $(( ${ptx:-0} * 9 ))
t_ok "$T the tunnel works after the fuzz (ns2 -> ns1)" ping_ok ns2 10.0.0.1
t_ok "$T the tunnel works after the fuzz (ns1 -> ns2)" ping_ok ns1 10.0.0.2

topology_cleanup
t_ok "$T module unloads" impl_unload
t_done
