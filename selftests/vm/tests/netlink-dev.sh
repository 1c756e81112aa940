#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netlink-dev.sh [IMPL...] [release|debug] [dyndbg]: the device and its
# sockets as configured through netlink (default implementation: ours).
#  - listen port 0 picks one port, bound for IPv4 and IPv6 alike
#  - changing the port rebinds; a port in use (for either family) fails
#    with EADDRINUSE and the old binding stays
#  - fwmark is applied to outgoing packets (policy routing by mark)
#  - after `ip link set netns` the sockets stay in the creating namespace
#  - port and fwmark need CAP_NET_ADMIN where the sockets live; peers only
#    where the device is
#  - a dying namespace cleans up the devices whose sockets live there
# Run with --no-module: the script loads the implementation itself.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/lifetime.sh"

impl_args ours "" -- "$@"

D=/tmp/nldev
mkdir -p $D
cd $D || exit 1
umask 077
wg genkey > priv1
wg genkey > priv2
wg genkey | wg pubkey > peer1

# udp_socks [NS] PORT: "v4 v6" counts of UDP sockets bound to PORT.
udp_socks() {
	local ns=() out
	if [ $# = 2 ]; then ns=(ip netns exec "$1"); shift; fi
	out=$("${ns[@]}" ss -Hauln "sport = :$1")
	echo "$(grep -c '0\.0\.0\.0:' <<< "$out") $(grep -c '\[::\]:' <<< "$out")"
}
tx_packets() { cat "/sys/class/net/$1/statistics/tx_packets"; }
# wait_tx DEV BEFORE: poll (up to 20 s) until DEV has sent a packet more.
wait_tx() {
	local i
	for i in $(seq 100); do
		[ "$(tx_packets "$1")" -gt "$2" ] && return 0
		sleep 0.2
	done
	return 1
}

ports_and_rebind() {
	local impl=$1 p out
	ip link add wg0 type wireguard
	ip link add wg1 type wireguard
	ip link set wg0 up
	p=$(wg show wg0 listen-port)
	t_ok "[$impl] port 0 picks a port when the device comes up ($p)" test "$p" -gt 0
	t_is "[$impl] that port is bound for IPv4 and IPv6" "$(udp_socks "$p")" "1 1"
	wg set wg1 listen-port 51830
	ip link set wg1 up
	t_is "[$impl] a set port is bound for both families" "$(udp_socks 51830)" "1 1"
	out=$(wg set wg0 listen-port 51830 2>&1)
	t_ok "[$impl] rebinding to a port in use fails with EADDRINUSE ($out)" \
		grep -q 'Address already in use' <<< "$out"
	t_is "[$impl] ... and the old binding stays" \
		"$(wg show wg0 listen-port) $(udp_socks "$p")" "$p 1 1"
	# A port taken for IPv6 only: the IPv4 socket that could bind is not kept.
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind(("::", 51832)); print("bound", flush=True); time.sleep(60)' > v6hold &
	local holder=$! i
	for i in $(seq 50); do grep -q bound v6hold && break; sleep 0.1; done
	out=$(wg set wg0 listen-port 51832 2>&1)
	t_ok "[$impl] a port in use for IPv6 only also fails ($out)" \
		grep -q 'Address already in use' <<< "$out"
	t_is "[$impl] ... nothing left bound on it for IPv4, old binding stays" \
		"$(udp_socks 51832) $(wg show wg0 listen-port) $(udp_socks "$p")" "0 1 $p 1 1"
	kill $holder
	wait $holder 2>/dev/null
	t_ok "[$impl] rebinding to a free port works" wg set wg0 listen-port 51831
	t_is "[$impl] new port bound for both families, old one released" \
		"$(wg show wg0 listen-port) $(udp_socks 51831) $(udp_socks "$p")" "51831 1 1 0 0"
	ip link set wg0 down
	t_is "[$impl] a device going down releases its sockets" "$(udp_socks 51831)" "0 0"
	t_is "[$impl] ... and keeps its port" "$(wg show wg0 listen-port)" 51831
	ip link del wg0
	ip link del wg1
	t_is "[$impl] deleting the devices releases their sockets" "$(udp_socks 51830)" "0 0"
}

# The handshake initiation to 192.0.2.1 is routed by mark: table 100 (mark
# 0x1234) sends it out of dummy1, the main table out of dummy2.
fwmark_checks() {
	local impl=$1 b1 b2
	ip link add dummy1 type dummy
	ip link add dummy2 type dummy
	ip addr add 198.51.100.1/24 dev dummy1
	ip addr add 203.0.113.1/24 dev dummy2
	ip link set dummy1 up
	ip link set dummy2 up
	ip route add 192.0.2.0/24 dev dummy1 table 100
	ip route add 192.0.2.0/24 dev dummy2
	ip rule add fwmark 0x1234 table 100
	for dev in wg0 wg1; do
		ip link add $dev type wireguard
		wg set $dev private-key priv1 peer "$(cat peer1)" \
			endpoint 192.0.2.1:51820 allowed-ips 10.99.0.0/16
		ip link set $dev up
	done
	wg set wg0 fwmark 0x1234
	b1=$(tx_packets dummy1) b2=$(tx_packets dummy2)
	ip route add 10.99.1.0/24 dev wg0
	ping -c 1 -W 1 10.99.1.1 > /dev/null 2>&1
	t_ok "[$impl] fwmark 0x1234: the initiation leaves by the marked route" wait_tx dummy1 "$b1"
	b1=$(tx_packets dummy1)
	ip route add 10.99.2.0/24 dev wg1
	ping -c 1 -W 1 10.99.2.1 > /dev/null 2>&1
	t_ok "[$impl] no fwmark: the initiation leaves by the main table" wait_tx dummy2 "$b2"
	ip link del wg0
	ip link del wg1
	ip rule del fwmark 0x1234 table 100
	ip link del dummy1
	ip link del dummy2
}

netns_checks() {
	local impl=$1 holder out
	ip netns add nsA
	ip netns add nsB
	# Created here, moved to nsA: the sockets stay here.
	ip link add wg2 type wireguard
	wg set wg2 listen-port 51840 private-key priv1
	ip link set wg2 netns nsA
	ip -n nsA link set wg2 up
	t_is "[$impl] moved device: its sockets are in the creating namespace" \
		"$(udp_socks 51840) $(udp_socks nsA 51840)" "1 1 0 0"
	t_is "[$impl] moved device: configurable where it now is" \
		"$(ip netns exec nsA wg show wg2 listen-port)" 51840
	t_ok "[$impl] moved device: gone from the creating namespace" \
		bash -c '! ip link show wg2 2>/dev/null'
	ip netns exec nsA wg set wg2 listen-port 51841
	t_is "[$impl] moved device: a port change rebinds in the creating namespace" \
		"$(udp_socks 51841) $(udp_socks nsA 51841)" "1 1 0 0"
	ip -n nsA link del wg2
	t_is "[$impl] deleted in nsA: its sockets here are released" "$(udp_socks 51841)" "0 0"

	# Created in nsB, with a peer, and moved here: deleting nsB cleans up.
	ip -n nsB link add wg3 type wireguard
	ip netns exec nsB wg set wg3 listen-port 51850 private-key priv1 \
		peer "$(cat peer1)" allowed-ips 10.98.0.0/16
	ip -n nsB link set wg3 netns 1
	ip link set wg3 up
	t_is "[$impl] device from nsB: sockets in nsB, none here" \
		"$(udp_socks nsB 51850) $(udp_socks 51850)" "1 1 0 0"
	ip netns del nsB
	if [ "$impl" = ours ]; then
		# Ours deletes the device whose sockets' namespace is gone.
		t_ok "[$impl] deleting nsB deletes the device it created" \
			bash -c 'for i in $(seq 50); do ip link show wg3 >/dev/null 2>&1 || exit 0; sleep 0.2; done; exit 1'
	else
		t_ok "[$impl] deleting nsB leaves its device socketless" \
			bash -c '! wg show wg3 >/dev/null 2>&1 || [ "$(ip -br link show wg3 | grep -c LOWER_UP)" = 0 ]'
		ip link del wg3 2>/dev/null
	fi
	# A device created and living in nsA dies with it.
	ip -n nsA link add wg4 type wireguard
	ip netns exec nsA wg set wg4 listen-port 51860 peer "$(cat peer1)"
	ip -n nsA link set wg4 up
	t_is "[$impl] device in nsA bound there" "$(udp_socks nsA 51860)" "1 1"
	ip netns del nsA
	t_ok "[$impl] deleting nsA with a live device succeeds" true

	# A namespace owned by an unprivileged user namespace: root there may
	# configure peers of a device moved in, but not its sockets (they live
	# here).
	unshare --user --map-root-user --net sleep 120 &
	holder=$!
	sleep 0.5
	ip link add wg5 type wireguard
	wg set wg5 listen-port 51870 fwmark 7
	ip link set wg5 netns $holder
	out=$(nsenter -t $holder -U -n --preserve-credentials wg set wg5 listen-port 51871 2>&1)
	t_ok "[$impl] port change from a child user namespace: EPERM ($out)" \
		grep -q 'Operation not permitted' <<< "$out"
	out=$(nsenter -t $holder -U -n --preserve-credentials wg set wg5 fwmark 8 2>&1)
	t_ok "[$impl] fwmark change from a child user namespace: EPERM ($out)" \
		grep -q 'Operation not permitted' <<< "$out"
	out=$(nsenter -t $holder -U -n --preserve-credentials wg set wg5 \
		peer "$(cat peer1)" allowed-ips 10.97.0.0/16 2>&1)
	t_is "[$impl] peer change from a child user namespace works" "$out" ""
	t_is "[$impl] ... and port and fwmark are unchanged" \
		"$(nsenter -t $holder -U -n --preserve-credentials wg show wg5 dump | head -1 | cut -f3,4)" \
		"$(printf '51870\t0x7')"
	kill $holder
	wait $holder 2>/dev/null
	# The namespace goes when its last process does (asynchronously).
	for i in $(seq 50); do udp_socks 51870 | grep -q '^0 0$' && break; sleep 0.2; done
	t_is "[$impl] the user-owned namespace gone, the device and its sockets are too" \
		"$(udp_socks 51870)" "0 0"
}

for impl in "${impls[@]}"; do
	if ! use_impl "$impl" "$variant"; then
		t_ok "load $impl module" false
		continue
	fi
	dmesg_mark
	ports_and_rebind "$impl"
	fwmark_checks "$impl"
	netns_checks "$impl"
	if [ "$WG_DYNDBG" = 1 ]; then
		t_ok "[$impl] every peer created was destroyed ($(lifetime_counts))" lifetime_ok
	fi
	impl_unload
done
t_done
