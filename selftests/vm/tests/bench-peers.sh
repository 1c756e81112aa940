#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-peers.sh ROUNDS PEERS SECONDS (inside the VM, --no-module): one
# device with PEERS peers, one TCP stream per peer at once, our release
# module and Debian's wireguard.ko alternated for ROUNDS rounds in this
# one boot.  Topology: a hub namespace h and PEERS spoke namespaces p1..pN,
# each with a veth into a bridge in namespace r (one Ethernet segment,
# 192.168.0.0/24 outside, 10.1.0.0/24 inside).  The hub's wg0 holds every
# spoke as a peer; each spoke's wg0 holds the hub.  Each run: every spoke
# sends to the hub (iperf3 -c, one server per spoke on the hub) for
# SECONDS, then the hub sends to every spoke (-R).  Prints
#   sample peers IMPL ROUND in|out AGGREGATE_BITS_PER_S STREAMS_THAT_RAN
# for selftests/bench/peers.sh, and TAP for the sanity checks (no timing
# is asserted).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"

rounds=${1:-3} peers=${2:-8} secs=${3:-10}
k=/tmp/peerkeys
mkdir -p $k
umask 077
for i in hub $(seq "$peers"); do
	wg genkey > "$k/$i"
	wg pubkey < "$k/$i" > "$k/$i.pub"
done
hub() { ip netns exec h "$@"; }
spoke() { local i=$1; shift; ip netns exec "p$i" "$@"; }

topology() {
	local i
	ip netns add r
	ip netns add h
	ns_quiet r
	ns_quiet h
	ip -n r link add br0 type bridge
	ip -n r link set br0 up
	ip link add vh netns h type veth peer name vhr netns r
	hub ip addr add 192.168.0.254/24 dev vh
	hub ip link set vh up
	ip -n r link set vhr master br0 up
	for i in $(seq "$peers"); do
		ip netns add "p$i"
		ns_quiet "p$i"
		ip link add "v$i" netns "p$i" type veth peer name "v${i}r" netns r
		spoke "$i" ip addr add "192.168.0.$i/24" dev "v$i"
		spoke "$i" ip link set "v$i" up
		ip -n r link set "v${i}r" master br0 up
	done
}

# tunnels: wg0 on the hub and every spoke, one peer per spoke on the hub.
tunnels() {
	local i
	hub ip link add wg0 type wireguard
	hub wg set wg0 private-key "$k/hub" listen-port 51820
	hub ip addr add 10.1.0.254/24 dev wg0
	hub ip link set wg0 up
	for i in $(seq "$peers"); do
		hub wg set wg0 peer "$(cat "$k/$i.pub")" allowed-ips "10.1.0.$i/32" \
			endpoint "192.168.0.$i:51820"
		spoke "$i" ip link add wg0 type wireguard
		spoke "$i" wg set wg0 private-key "$k/$i" listen-port 51820 \
			peer "$(cat "$k/hub.pub")" allowed-ips 10.1.0.0/24 \
			endpoint 192.168.0.254:51820
		spoke "$i" ip addr add "10.1.0.$i/24" dev wg0
		spoke "$i" ip link set wg0 up
	done
}

untunnel() {
	local i
	hub ip link del wg0
	for i in $(seq "$peers"); do spoke "$i" ip link del wg0; done
}

# streams DIR: every spoke's stream at once (DIR in: spoke -> hub, out:
# hub -> spoke, iperf3 -R); prints "<aggregate bits/s> <streams that ran>".
streams() {
	local dir=$1 i rev=
	[ "$dir" = out ] && rev=-R
	for i in $(seq "$peers"); do
		spoke "$i" timeout $((secs + 30)) iperf3 -J -c 10.1.0.254 -p $((5200 + i)) \
			-t "$secs" $rev > "/tmp/peer$i.json" 2> /dev/null &
	done
	wait
	python3 -c '
import json, sys
total = ran = 0
for i in range(1, int(sys.argv[1]) + 1):
    try:
        e = json.load(open("/tmp/peer%d.json" % i))["end"]
        total += e["sum_received"]["bits_per_second"]
        ran += 1
    except Exception:
        pass
print("%.0f %d" % (total, ran))' "$peers"
}

topology
for i in $(seq "$peers"); do
	hub iperf3 -s -D -p $((5200 + i)) --logfile "/tmp/iperf-hub$i.log"
done
sleep 1
for r in $(seq "$rounds"); do
	for impl in ours debian; do
		if ! use_impl "$impl" release; then
			t_ok "[$impl round $r] module loads" false
			continue
		fi
		tunnels
		up=0
		for i in $(seq "$peers"); do
			spoke "$i" ping -q -c 1 -W 1 -w 20 10.1.0.254 > /dev/null && up=$((up + 1))
		done
		t_is "[$impl round $r] every spoke's tunnel is up" "$up" "$peers"
		for dir in in out; do
			read -r bps ran < <(streams "$dir")
			t_is "[$impl round $r] $dir: every stream ran (${bps:-0} bit/s)" "$ran" "$peers"
			echo "sample peers $impl $r $dir $bps $ran"
		done
		untunnel
		impl_unload
	done
done
for n in r h $(seq -f 'p%g' "$peers"); do
	ip netns pids "$n" 2> /dev/null | xargs -r kill 2> /dev/null
	ip netns del "$n" 2> /dev/null
done
t_done
