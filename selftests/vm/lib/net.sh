# SPDX-License-Identifier: GPL-2.0
# Namespace topology and helpers for the tunnel suites (sourced).
#
#   ns1 --veth-- r --veth-- ns2      r ("the internet") routes between them
#   ns1: outer 192.168.1.1/24 fd00:1::1/64, wg0 10.0.0.1/24 fd00:a::1/64, port 1
#   ns2: outer 192.168.2.1/24 fd00:2::1/64, wg0 10.0.0.2/24 fd00:a::2/64, port 2
#   r:   192.168.1.254 fd00:1::254 on veth1r, 192.168.2.254 fd00:2::254 on veth2r

n1() { ip netns exec ns1 "$@"; }
n2() { ip netns exec ns2 "$@"; }
nr() { ip netns exec r "$@"; }

# count NS DEV STAT: a statistics counter of DEV in NS.
count() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }
# trains_of NS KEY: a train counter of NS's wg0 (tx, tx_messages, rx,
# rx_messages), from the module (wireguard-event GET_DEVICE).
trains_of() {
	ip netns exec "$1" python3 "$WG_REPO/selftests/vm/tools/wgev-counters.py" wg0 trains |
		awk -v k="$2" '$1 == k { print $2 }'
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	local t=$1 i
	shift
	for i in $(seq $((t * 5))); do
		"$@" > /dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@"
}

ns_quiet() { # NS: no DAD delays, no router solicitations; deleting a
	# primary IPv4 address promotes a secondary instead of flushing them all
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.dad_transmits=0 \
		net.ipv6.conf.default.dad_transmits=0 \
		net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv4.conf.all.promote_secondaries=1 \
		net.ipv4.conf.default.promote_secondaries=1
	ip -n "$1" link set lo up
}

# topology_outer: the three namespaces and their veth links.
topology_outer() {
	local n
	for n in ns1 ns2 r; do
		ip netns add $n
		ns_quiet $n
	done
	nr sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	ip link add veth1 netns ns1 type veth peer name veth1r netns r
	ip link add veth2 netns ns2 type veth peer name veth2r netns r
	n1 ip addr add 192.168.1.1/24 dev veth1
	n1 ip addr add fd00:1::1/64 dev veth1 nodad
	n2 ip addr add 192.168.2.1/24 dev veth2
	n2 ip addr add fd00:2::1/64 dev veth2 nodad
	nr ip addr add 192.168.1.254/24 dev veth1r
	nr ip addr add fd00:1::254/64 dev veth1r nodad
	nr ip addr add 192.168.2.254/24 dev veth2r
	nr ip addr add fd00:2::254/64 dev veth2r nodad
	for n in ns1 ns2; do
		ip -n $n link set veth${n#ns} up
	done
	nr ip link set veth1r up
	nr ip link set veth2r up
	n1 ip route add default via 192.168.1.254
	n1 ip -6 route add default via fd00:1::254
	n2 ip route add default via 192.168.2.254
	n2 ip -6 route add default via fd00:2::254
}

# Keys, generated once per run.
keys_init() {
	local d=/tmp/wgkeys
	mkdir -p $d
	umask 077
	wg genkey > $d/k1
	wg genkey > $d/k2
	wg genkey > $d/k3
	wg genpsk > $d/psk
	wg genpsk > $d/psk2
	K1=$d/k1 K2=$d/k2 K3=$d/k3 PSK=$d/psk PSK2=$d/psk2
	PUB1=$(wg pubkey < $K1) PUB2=$(wg pubkey < $K2) PUB3=$(wg pubkey < $K3)
}

# wg_devices: wg0 in ns1 and ns2 with inner addresses, up, no peers.
wg_devices() {
	n1 ip link add wg0 type wireguard
	n2 ip link add wg0 type wireguard
	n1 ip addr add 10.0.0.1/24 dev wg0
	n1 ip addr add fd00:a::1/64 dev wg0 nodad
	n2 ip addr add 10.0.0.2/24 dev wg0
	n2 ip addr add fd00:a::2/64 dev wg0 nodad
	n1 wg set wg0 private-key $K1 listen-port 1
	n2 wg set wg0 private-key $K2 listen-port 2
	n1 ip link set wg0 up
	n2 ip link set wg0 up
}

# wg_peers [4|6]: (re)create the peers from scratch (fresh sessions and
# counters), endpoints over the IPv4 (default) or IPv6 outer network.
wg_peers() {
	local fam=${1:-4} e1 e2
	if [ "$fam" = 6 ]; then
		e1='[fd00:1::1]:1' e2='[fd00:2::1]:2'
	else
		e1=192.168.1.1:1 e2=192.168.2.1:2
	fi
	n1 wg set wg0 peer "$PUB2" remove
	n2 wg set wg0 peer "$PUB1" remove
	n1 wg set wg0 peer "$PUB2" preshared-key $PSK endpoint "$e2" \
		allowed-ips 10.0.0.2/32,fd00:a::2/128
	n2 wg set wg0 peer "$PUB1" preshared-key $PSK endpoint "$e1" \
		allowed-ips 10.0.0.1/32,fd00:a::1/128
}

# ping_ok NS ADDR [ARGS]: a ping gets through within 20 s (handshake
# retries included).
ping_ok() {
	local ns=$1 addr=$2
	shift 2
	ip netns exec "$ns" ping -q -c 1 -W 1 -w 20 "$@" "$addr"
}
# ping_fails NS ADDR: 4 pings over ~4 s, none answered.  ping exits 1
# exactly when no reply came; a missing ping (127) or an error (2) fails.
ping_fails() {
	ip netns exec "$1" ping -q -c 4 -i 1 -W 1 -w 5 "$2" > /dev/null
	[ $? -eq 1 ]
}

# peer_field NS PUB FIELD: one column of `wg show wg0 dump` for that peer
# (3 endpoint, 4 allowed ips, 5 handshake, 6 rx, 7 tx, 8 keepalive).
peer_field() {
	peer_field_dev "$1" wg0 "$2" "$3"
}
peer_field_dev() { # NS DEV PUB FIELD
	ip netns exec "$1" wg show "$2" dump | awk -v p="$3" -v f="$4" '$1 == p { print $f }'
}

# iperf_run NS SERVER [ARGS]: iperf3 client, prints "<bits/s> <bytes>"
# received (sum_received for TCP, sum for UDP) and fails on an error.
iperf_run() {
	local ns=$1 srv=$2 out
	shift 2
	out=$(ip netns exec "$ns" timeout 60 iperf3 -J -c "$srv" "$@") || { echo "$out" | tail -5; return 1; }
	python3 -c '
import json, sys
j = json.load(sys.stdin)
if "error" in j:
    print(j["error"]); sys.exit(1)
e = j["end"]
s = e.get("sum_received") or e.get("sum")
print("%.0f %d" % (s["bits_per_second"], s["bytes"]))
sys.exit(0 if s["bytes"] > 0 else 1)' <<< "$out"
}

topology_cleanup() {
	local n
	for n in ns1 ns2 r "$@"; do
		ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del $n 2>/dev/null
	done
}
