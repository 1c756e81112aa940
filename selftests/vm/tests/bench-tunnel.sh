#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-tunnel.sh ROUNDS HSDIR [SECONDS [TX_TRAINS [WIRE]]] (inside the
# VM, --no-module; TX_TRAINS Y or N sets our module's parameter; WIRE nic
# makes the last hop like a NIC without segmentation offload in front of
# a receiver with GRO: the router's veth to ns2 without TSO and USO, so
# it cuts GSO packets and hands them to ns2's veth through NAPI, and GRO
# on ns2's veth; the default, veth, leaves veth's offloads alone): our
# release module and Debian's wireguard.ko alternated (ours, debian, ours,
# debian, ...) for ROUNDS rounds in this one boot.  Each run, on the
# lib/net.sh topology (ns1 -- r -- ns2):
#   - iperf3 TCP ns1 -> ns2 over the tunnel for SECONDS (default 10) and,
#     as the anchor, over the plain veth path; meanwhile the messages the
#     tunnel sent and the skbs ns1's veth sent (fewer with trains);
#   - the busy CPU time of the whole VM (both vCPUs, iperf3 included) per
#     gigabyte moved, during that TCP run and during one as long from ns2
#     to ns1 (iperf3 -R);
#   - iperf3 UDP ns1 -> ns2, 1400-byte datagrams, no rate limit, SECONDS:
#     datagrams delivered per second and the loss;
#   - ping RTT over the tunnel and over the plain veth path;
#   - handshakes: the initiations in HSDIR (wg-hsgen.py inits) sent from
#     the router namespace to a fresh wg0 holding HSDIR/responder.conf,
#     64 outstanding at most; responses per second, and per second of busy
#     CPU time with the sender's own CPU time taken out (one core's worth).
# Prints "sample KIND IMPL ROUND VALUE..." lines for selftests/bench/tunnel.sh
# and TAP for the sanity checks (no timing is asserted).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"
. "$WG_REPO/selftests/vm/lib/interop.sh"

rounds=${1:-3} hsdir=$2 secs=${3:-10} tx_trains=$4 wire=${5:-veth}
blast=$(hsblast_path) || { t_ok "build wg-hsblast" false; t_done; }
keys_init
topology_outer
if [ "$wire" = nic ]; then
	nr ethtool -K veth2r tso off tx-udp-segmentation off > /dev/null
	n2 ethtool -K veth2 gro on > /dev/null
fi
sleep 1
n2 iperf3 -s -D -p 5201 --logfile /tmp/iperf.log

# cpu_busy: jiffies (USER_HZ) all CPUs spent not idle.
cpu_busy() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
# rtt NS ADDR: average ping RTT in ms over 50 pings.
rtt() {
	ip netns exec "$1" ping -q -c 50 -i 0.02 -W 1 "$2" |
		awk -F/ '/^rtt|^round-trip/ { print $5 }'
}

# udp_pps NS SERVER: iperf3 UDP, 1400-byte datagrams at no rate limit for
# $secs; prints "<datagrams delivered per second> <loss percent>".
udp_pps() {
	ip netns exec "$1" timeout 60 iperf3 -J -c "$2" -p 5201 -u -b 0 -l 1400 \
		-t "$secs" | python3 -c '
import json, sys
s = json.load(sys.stdin)["end"]["sum"]
got = s["packets"] - s["lost_packets"]
print("%.0f %.2f" % (got / s["seconds"], s["lost_percent"]))'
}

# module_trains: "<trains sent by ns1> <their messages> <trains received by
# ns2> <their messages>", the module's own counters.
module_trains() {
	echo "$(trains_of ns1 tx) $(trains_of ns1 tx_messages)" \
		"$(trains_of ns2 rx) $(trains_of ns2 rx_messages)"
}

tunnel_run() { # IMPL ROUND
	local impl=$1 r=$2 out
	wg_devices
	wg_peers 4
	if ! ping_ok ns1 10.0.0.2 > /dev/null; then
		t_ok "[$impl round $r] tunnel up" false
		return
	fi
	s0=$(count ns1 veth1 tx_packets) m0=$(count ns1 wg0 tx_packets)
	[ "$impl" = ours ] && mt0=$(module_trains)
	c0=$(cpu_busy)
	out=$(iperf_run ns1 10.0.0.2 -p 5201 -t "$secs")
	c1=$(cpu_busy)
	t_ok "[$impl round $r] iperf3 TCP through the tunnel ($out)" test -n "$out"
	echo "sample tcp $impl $r ${out%% *}"
	echo "sample cpu $impl $r fwd $((c1 - c0)) ${out##* }"
	echo "sample trains $impl $r $(($(count ns1 wg0 tx_packets) - m0))" \
		"$(($(count ns1 veth1 tx_packets) - s0)) $secs"
	if [ "$impl" = ours ]; then
		read -r a0 b0 c0 d0 <<< "$mt0"
		read -r a b c d < <(module_trains)
		echo "sample mtrains $impl $r $((a - a0)) $((b - b0)) $((c - c0)) $((d - d0)) $secs"
	fi
	# The other direction (ns2 sends), for the CPU cost only.
	c0=$(cpu_busy)
	out=$(iperf_run ns1 10.0.0.2 -p 5201 -t "$secs" -R)
	c1=$(cpu_busy)
	t_ok "[$impl round $r] iperf3 TCP through the tunnel, reverse ($out)" test -n "$out"
	echo "sample cpu $impl $r rev $((c1 - c0)) ${out##* }"
	out=$(udp_pps ns1 10.0.0.2)
	t_ok "[$impl round $r] iperf3 UDP through the tunnel ($out)" test -n "$out"
	echo "sample udp $impl $r $out"
	echo "sample rtt $impl $r $(rtt ns1 10.0.0.2)"
	n1 ip link del wg0
	n2 ip link del wg0
}

hs_run() { # IMPL ROUND
	local impl=$1 r=$2 b0 b1 res cpu TIMEFORMAT='%U %S'
	n1 ip link add wg0 type wireguard
	n1 wg setconf wg0 "$hsdir/responder.conf"
	n1 wg set wg0 listen-port 1
	n1 ip link set wg0 up
	rm -f /tmp/responses.bin
	b0=$(cpu_busy)
	{ time nr "$blast" bench "$hsdir/inits.bin" 192.168.1.254 192.168.1.1 1 64 \
		/tmp/responses.bin > /tmp/hs.out; } 2> /tmp/hs.time
	b1=$(cpu_busy)
	res=$(cat /tmp/hs.out) cpu=$(tail -n 1 /tmp/hs.time)
	echo "# [$impl round $r] $res; sender cpu user/sys $cpu s; busy $((b1 - b0)) jiffies"
	# sent N responses R cookies C lost L seconds S rate X
	set -- $res
	echo "sample hs $impl $r $4 ${10} $6 $8 $((b1 - b0)) $cpu"
	n1 ip link del wg0
	tail -c $((92 * 20)) /tmp/responses.bin > /tmp/resp-sample.bin 2> /dev/null
	res=$(python3 "$WG_REPO/selftests/vm/tools/wg-hsgen.py" check-responses \
		"$hsdir" /tmp/resp-sample.bin)
	t_ok "[$impl round $r] handshake responses decrypt as the initiator expects ($res)" \
		test "$(echo "$res" | awk '{ print ($2 == $4 && $4 > 0) }')" = 1
}

for r in $(seq "$rounds"); do
	out=$(iperf_run ns1 192.168.2.1 -p 5201 -t "$secs")
	echo "sample tcp plain $r ${out%% *}"
	echo "sample rtt plain $r $(rtt ns1 192.168.2.1)"
	for impl in ours debian; do
		if ! use_impl "$impl" release; then
			t_ok "[$impl round $r] module loads" false
			continue
		fi
		if [ "$impl" = ours ] && [ -n "$tx_trains" ]; then
			echo "$tx_trains" > /sys/module/wireguard/parameters/tx_trains
		fi
		tunnel_run "$impl" "$r"
		hs_run "$impl" "$r"
		impl_unload
	done
done
topology_cleanup
t_done
