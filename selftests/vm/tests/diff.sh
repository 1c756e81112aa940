#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# diff.sh [debug|release] [only=SCENARIO+...]: the same scripted scenarios
# on Debian's wireguard.ko and on ours, in one boot (Debian's first, then
# ours), comparing everything a user or monitoring can observe apart from
# keys and times:
#   - `ip -s -j link` counters (deltas) of every device in the namespaces
#     (wg devices, veths) and of the router's veths (the underlay);
#   - `wg show all dump` at the end (keys named, handshake time set/unset);
#   - nstat deltas per namespace (Ip, Icmp, IcmpMsg, Udp and their IPv6
#     counterparts);
#   - every IPv4 and ARP frame on the underlay (router side), summarised by
#     source, protocol, fragment, WireGuard message type and length (ARP:
#     op, sender, target), and counted;
#   - whether each probe got an answer.
# A scenario whose counters depend on timing (peer removal under traffic)
# compares its probes and final state only.  Deliberate differences are
# listed in README.md ("Differences from Debian's module") and filtered by
# deliberate() below, which names each.  Run with --no-module.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"

only=
args=()
for a in "$@"; do
	case "$a" in
	only=*) only=${a#only=} ;;
	*) args+=("$a") ;;
	esac
done
impl_args "debian ours" "" -- "${args[@]}"
H="python3 $WG_REPO/selftests/vm/tools/review-helpers.py"
D=/tmp/diff
rm -rf $D
keys_init
n3() { ip netns exec ns3 "$@"; }
NSES="ns1 ns2 ns3 r"

# The topology of lib/net.sh plus ns3 (192.168.3.1) behind the router.
setup() {
	topology_outer
	ip netns add ns3
	ns_quiet ns3
	ip link add veth3 netns ns3 type veth peer name veth3r netns r
	n3 ip addr add 192.168.3.1/24 dev veth3
	n3 ip link set veth3 up
	nr ip addr add 192.168.3.254/24 dev veth3r
	nr ip link set veth3r up
	n3 ip route add default via 192.168.3.254
	# Addresses on the underlay are static: no ARP during a scenario.
	local n
	for n in 1 2 3; do
		nr ip neigh replace 192.168.$n.1 dev veth${n}r \
			lladdr "$(ip netns exec ns$n cat /sys/class/net/veth$n/address)" nud permanent
		ip netns exec ns$n ip neigh replace 192.168.$n.254 dev veth$n \
			lladdr "$(nr cat /sys/class/net/veth${n}r/address)" nud permanent
	done
	# The unsolicited MLD reports of the new links (two, up to 1 s
	# apart) go out now, not into the first scenario's counters.
	sleep 3
}

links() { # FILE: every namespace's links with counters
	local ns
	for ns in $NSES; do
		echo "$ns $(ip -n $ns -s -j link show)"
	done > "$1"
}

# obs_begin NAME / obs_end: what the scenario NAME did, into $D/$impl/NAME.
obs_begin() {
	local ns i
	OBS=$D/$WG_IMPL/$1
	mkdir -p "$D/$WG_IMPL"
	: > "$OBS.probes"
	links "$OBS.links0"
	for ns in ns1 ns2 ns3; do
		NSTAT_HISTORY=/tmp/nstat.$ns ip netns exec $ns nstat -n 2> /dev/null
	done
	# Headers only (128 bytes; wiresum reads the frames' wire lengths)
	# and a large buffer: a ping flood under a loaded host overran the
	# default one, and frames missed by the capture differed per run.
	caps=()
	for i in 1 2 3; do
		rm -f /tmp/cap$i.err
		ip netns exec r tcpdump -i veth${i}r --immediate-mode -U -n -s 128 -B 8192 -w "$OBS.veth${i}r.pcap" \
			'ip or arp' 2> /tmp/cap$i.err &
		caps+=($!)
	done
	for i in 1 2 3; do
		wait_for 10 grep -q listening /tmp/cap$i.err
	done
}
obs_end() {
	local ns i d
	# Quiesce first: with every wg device down nothing more is sent (a
	# timer keepalive at the end would land between the counters and the
	# capture); counters and `wg show` stay.  Then counters, then capture.
	sleep 1
	for ns in ns1 ns2 ns3; do
		for d in $(ip -n $ns -o link show type wireguard | awk -F': ' '{ print $2 }'); do
			ip -n $ns link set "$d" down
		done
	done
	sleep 1
	links "$OBS.links1"
	kill -INT "${caps[@]}" 2> /dev/null
	wait "${caps[@]}" 2> /dev/null
	{
		cat "$OBS.probes"
		$H linkdelta "$OBS.links0" "$OBS.links1" | sed 's/^/link /'
		for ns in ns1 ns2 ns3; do
			NSTAT_HISTORY=/tmp/nstat.$ns ip netns exec $ns nstat 2> /dev/null |
				awk -v ns=$ns '$1 ~ /^(Ip|Icmp|IcmpMsg|Udp|Ip6|Icmp6|Udp6)[A-Z]/ && $1 !~ /^(IpExt|Udp6?Lite)/ { print "nstat " ns " " $1 " " $2 }'
		done
		for i in 1 2 3; do
			$H wiresum "$OBS.veth${i}r.pcap" | sed "s/^/wire veth${i}r /"
		done
		for ns in ns1 ns2 ns3; do
			ip netns exec $ns wg show all dump 2> /dev/null | dump_norm | sed "s/^/wg $ns /"
		done
	} > "$OBS"
}
# wg show all dump with keys named and handshake times reduced to set/0.
dump_norm() {
	awk -v p1="$PUB1" -v p2="$PUB2" -v p3="$PUB3" \
	    -v k1="$(cat $K1)" -v k2="$(cat $K2)" -v k3="$(cat $K3)" \
	    -v s1="$(cat $PSK)" -v s2="$(cat $PSK2)" '
		function name(k) {
			if (k == p1) return "pub1"
			if (k == p2) return "pub2"
			if (k == p3) return "pub3"
			if (k == k1) return "priv1"
			if (k == k2) return "priv2"
			if (k == k3) return "priv3"
			if (k == s1) return "psk1"
			if (k == s2) return "psk2"
			return k
		}
		NF == 5 { print $1, name($2), name($3), $4, $5; next }
		{ print $1, name($2), name($3), $4, $5, ($6 == 0 ? 0 : "set"), $7, $8, $9 }'
}
# probe DESC CMD...: whether CMD succeeded
probe() {
	local desc=$1
	shift
	if "$@" > /dev/null 2>&1; then r=answered; else r=unanswered; fi
	echo "probe $desc $r" >> "$OBS.probes"
}
pings() { # NS ADDR COUNT [ARGS]: all COUNT answered
	local ns=$1 addr=$2 c=$3
	shift 3
	ip netns exec "$ns" ping -q -c "$c" -i 0.05 -W 2 "$@" "$addr" | grep -q " $c received"
}
udp_sink() { # NS ADDR PORT COUNT: a receiver of COUNT datagrams on PORT
	# (background, $sink), which closes its port only once all have come,
	# so that no late datagram of a burst meets a closed port
	ip netns exec "$1" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(10)
for i in range(int(sys.argv[3])): s.recv(65536)' "$2" "$3" "$4" &
	sink=$!
	# Python starts slowly under TCG: a datagram sent before the bind
	# would meet a closed port.
	wait_for 10 bash -c "ip netns exec $1 ss -Hlun 'sport = :$3' | grep -q ."
}
udp_burst() { # NS DST PORT SIZE[,SIZE...] COUNT: COUNT datagrams of each size
	# One process for all sizes: python's start under TCG is slow, and a
	# scenario longer than the 10 s keepalive timeout would count passive
	# keepalives by the host's speed.
	ip netns exec "$1" python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for size in sys.argv[3].split(","):
    for i in range(int(sys.argv[4])):
        s.sendto(b"u" * int(size), (sys.argv[1], int(sys.argv[2]))); time.sleep(0.01)' "$2" "$3" "$4" "$5"
}
pair() { # fresh wg0 in ns1 and ns2, peers configured, no session
	ip -n ns1 link del wg0 2> /dev/null
	ip -n ns2 link del wg0 2> /dev/null
	ip -n ns3 link del wg0 2> /dev/null
	wg_devices
	wg_peers 4
}

# ---- scenarios ---------------------------------------------------------------
sc_ping() {
	pair
	probe "first ping 1->2" ping_ok ns1 10.0.0.2
	probe "20 pings of 200 1->2" pings ns1 10.0.0.2 20 -s 200
	probe "10 pings of 1000 2->1" pings ns2 10.0.0.1 10 -s 1000
	probe "5 pings of 100 over IPv6 inner" pings ns1 fd00:a::2 5 -s 100
	probe "flood of 200 pings of 56" \
		bash -c 'ip netns exec ns1 ping -q -f -c 200 -W 2 10.0.0.2 | grep -q " 200 received"'
}
sc_udp() {
	pair
	probe "first ping" ping_ok ns1 10.0.0.2
	udp_sink ns2 10.0.0.2 9 70
	udp_burst ns1 10.0.0.2 9 1,100,576,1000,1392,1400,3000 10
	probe "all 70 datagrams arrived" wait $sink
	udp_burst ns1 10.0.0.2 10 50 1	# closed port: one ICMP unreachable
	sleep 0.5
}
sc_hub() {
	pair
	n3 ip link add wg0 type wireguard
	n3 ip addr add 10.0.0.3/24 dev wg0
	n3 wg set wg0 private-key "$K3" listen-port 3 peer "$PUB1" \
		endpoint 192.168.1.1:1 allowed-ips 10.0.0.0/24
	n3 ip link set wg0 up
	n1 wg set wg0 peer "$PUB3" endpoint 192.168.3.1:3 allowed-ips 10.0.0.3/32
	n2 wg set wg0 peer "$PUB1" allowed-ips 10.0.0.0/24
	n1 sysctl -qw net.ipv4.ip_forward=1
	probe "hub reaches spoke 3" ping_ok ns1 10.0.0.3
	probe "spoke 2 -> spoke 3 via the hub, 5 pings" pings ns2 10.0.0.3 5 -i 0.2
	probe "spoke 3 -> spoke 2 via the hub, 5 pings" pings ns3 10.0.0.2 5 -i 0.2
	n1 sysctl -qw net.ipv4.ip_forward=0
}
sc_nested() {
	pair
	n1 ip link add wg1 type wireguard
	n2 ip link add wg1 type wireguard
	n1 wg set wg1 private-key "$K1" listen-port 11 peer "$PUB2" \
		endpoint 10.0.0.2:12 allowed-ips 10.1.0.2/32
	n2 wg set wg1 private-key "$K2" listen-port 12 peer "$PUB1" \
		endpoint 10.0.0.1:11 allowed-ips 10.1.0.1/32
	n1 ip addr add 10.1.0.1/24 dev wg1
	n2 ip addr add 10.1.0.2/24 dev wg1
	n1 ip link set wg1 up
	n2 ip link set wg1 up
	probe "first ping through the nested tunnel within 1 s" \
		ip netns exec ns1 ping -c 1 -W 1 10.1.0.2
	probe "10 pings of 500 through the nested tunnel" pings ns1 10.1.0.2 10 -s 500
	probe "10 pings of 500 back" pings ns2 10.1.0.1 10 -s 500
}
sc_keyorder() {
	ip -n ns1 link del wg0 2> /dev/null
	ip -n ns2 link del wg0 2> /dev/null
	ip -n ns3 link del wg0 2> /dev/null
	n2 ip link add wg0 type wireguard
	n2 ip addr add 10.0.0.2/24 dev wg0
	n2 wg set wg0 private-key "$K2" listen-port 2 peer "$PUB1" allowed-ips 10.0.0.1/32
	n2 ip link set wg0 up
	# ns1: peer (endpoint, persistent keepalive) first, key last
	n1 ip link add wg0 type wireguard
	n1 ip addr add 10.0.0.1/24 dev wg0
	n1 wg set wg0 listen-port 1 peer "$PUB2" endpoint 192.168.2.1:2 \
		persistent-keepalive 25 allowed-ips 10.0.0.2/32
	n1 ip link set wg0 up
	sleep 6
	n1 wg set wg0 private-key "$K1"
	probe "key last: handshake within 1 s" \
		wait_for 1 bash -c '[ "$(ip netns exec ns1 wg show wg0 transfer | cut -f3)" -gt 0 ]'
	probe "key last: ping" ping_ok ns1 10.0.0.2
	# ns3: key first, then the peer
	n3 ip link add wg0 type wireguard
	n3 ip addr add 10.0.0.3/24 dev wg0
	n3 wg set wg0 private-key "$K3" listen-port 3
	n3 ip link set wg0 up
	n2 wg set wg0 peer "$PUB3" allowed-ips 10.0.0.3/32
	n3 wg set wg0 peer "$PUB2" endpoint 192.168.2.1:2 allowed-ips 10.0.0.2/32
	probe "key first: ping" ping_ok ns3 10.0.0.2
}
sc_mtu() {
	pair
	probe "first ping" ping_ok ns1 10.0.0.2
	probe "-M do -s 1392 fits 1420" pings ns1 10.0.0.2 3 -M do -s 1392
	probe "-M do -s 1393 refused" pings ns1 10.0.0.2 1 -M do -s 1393
	probe "-s 3000 fragmented inside" pings ns1 10.0.0.2 3 -s 3000
	probe "IPv6 -M do -s 1372 fits" pings ns1 fd00:a::2 3 -M do -s 1372
	probe "IPv6 -M do -s 1373 refused" pings ns1 fd00:a::2 1 -M do -s 1373
	n1 ip link set wg0 mtu 1500
	n2 ip link set wg0 mtu 1500
	probe "wg0 1500: -M do -s 1472, outer fragmented" pings ns1 10.0.0.2 3 -M do -s 1472
	probe "wg0 1500: 1500-byte UDP" udp_burst ns1 10.0.0.2 10 1472 1
	n1 ip link set wg0 mtu 1280
	n2 ip link set wg0 mtu 1280
	probe "wg0 1280: IPv6 -M do -s 1232 fits" pings ns1 fd00:a::2 3 -M do -s 1232
}
sc_roam() {
	pair
	probe "first ping" ping_ok ns1 10.0.0.2
	n2 ip addr add 192.168.2.3/24 dev veth2
	nr ip neigh replace 192.168.2.3 dev veth2r \
		lladdr "$(n2 cat /sys/class/net/veth2/address)" nud permanent
	n2 ip addr del 192.168.2.1/24 dev veth2
	n2 ip route replace default via 192.168.2.254
	probe "ns2 from its new address" pings ns2 10.0.0.1 3
	probe "ns1 follows" pings ns1 10.0.0.2 3
	n2 ip addr add 192.168.2.1/24 dev veth2
	n2 ip addr del 192.168.2.3/24 dev veth2
	n2 ip route replace default via 192.168.2.254
	probe "back at the old address" pings ns2 10.0.0.1 3
}
sc_remove() {
	pair
	probe "first ping" ping_ok ns1 10.0.0.2
	ip netns exec ns1 ping -q -i 0.02 -c 150 10.0.0.2 > /dev/null 2>&1 &
	local p=$!
	ip netns exec ns2 ping -q -i 0.02 -c 150 10.0.0.1 > /dev/null 2>&1 &
	local q=$!
	sleep 1
	n1 wg set wg0 peer "$PUB2" remove
	sleep 0.5
	probe "no peer: unreachable" pings ns1 10.0.0.2 1
	n1 wg set wg0 peer "$PUB2" preshared-key "$PSK" endpoint 192.168.2.1:2 \
		allowed-ips 10.0.0.2/32,fd00:a::2/128
	wait $p $q
	probe "peer back: ping" ping_ok ns1 10.0.0.2
	probe "peer back: 10 pings" pings ns1 10.0.0.2 10
}
SCENARIOS="ping udp hub nested keyorder mtu roam remove"
# Scenarios whose counters and packets depend on timing: probes and the
# final `wg show` only (transfer counters dropped too).
COARSE=" remove "

# run_round DIR SCENARIO...: every scenario on each module, observations
# into DIR/<module>/<scenario>.
run_round() {
	local D=$1 impl sc	# obs_begin writes under $D
	shift
	for impl in "${impls[@]}"; do
		use_impl "$impl" "$variant" || { t_ok "load $impl" false; continue; }
		setup
		for sc in "$@"; do
			obs_begin $sc
			sc_$sc
			obs_end
		done
		topology_cleanup ns3
		t_ok "[$impl] module unloads (round ${D##*/})" impl_unload
	done
}

# deliberate SCENARIO: filter for differences README.md lists as deliberate.
deliberate() {
	cat
}
coarse() {
	grep -E '^(probe|wg )' | awk '$1 == "wg" && NF == 11 { $9 = $10 = "-" } { print }'
}
# observed SC FILE: the observations of SC in FILE reduced to what is
# compared (COARSE scenarios: probes and final state only).
observed() {
	if [[ $COARSE == *" $1 "* ]]; then
		coarse < "$2" | deliberate
	else
		deliberate < "$2"
	fi
}
scs=()
for sc in $SCENARIOS; do
	[ -z "$only" ] || [[ "+$only+" == *"+$sc+"* ]] || continue
	scs+=("$sc")
done
run_round $D/1 "${scs[@]}"
# A scenario whose observations differ runs once more on both modules,
# in a fresh topology: a difference in behaviour repeats, one made by
# the host's timing (a TCG vCPU stalled mid-burst) rarely does.  The
# second round is what counts; the first round's difference is shown.
again=()
for sc in "${scs[@]}"; do
	if [ ! -f $D/1/debian/$sc ] || [ ! -f $D/1/ours/$sc ]; then
		t_ok "[$sc] observed on both modules" false
		continue
	fi
	if ! diff <(observed $sc $D/1/debian/$sc) <(observed $sc $D/1/ours/$sc) \
		> /tmp/diff.first; then
		echo "# [$sc] differs in the first round; run again:"
		head -n 80 /tmp/diff.first | sed 's/^/#   /'
		again+=("$sc")
	fi
done
[ ${#again[@]} -eq 0 ] || run_round $D/2 "${again[@]}"
for sc in "${scs[@]}"; do
	dir=$D/1
	[[ " ${again[*]} " == *" $sc "* ]] && dir=$D/2
	[ -f $dir/debian/$sc ] && [ -f $dir/ours/$sc ] || continue
	grep '^probe' "$dir/ours/$sc" | sed "s/^/# [$sc] ours: /"
	what="every observable identical"
	[[ $COARSE == *" $sc "* ]] && what="probes and final state identical"
	t_is "[$sc] $what (Debian's vs ours$([ $dir = $D/2 ] && echo ", second round"))" \
		"$(observed $sc $dir/ours/$sc)" "$(observed $sc $dir/debian/$sc)"
done
t_done
