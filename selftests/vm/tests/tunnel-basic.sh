#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tunnel-basic.sh [debian|ours] [debug|release] [dyndbg] [basic]: the tunnel between
# two namespaces through a routing namespace (see lib/net.sh): ping and
# iperf3 TCP/UDP both ways over IPv4 and IPv6 outer, roaming, a device moved
# to another namespace, MTU and fragmentation, routing-loop protection,
# wrong keys, a replayed transport packet, and module unload under traffic.
# basic: only traffic over IPv4 and IPv6 outer, then unload.
# Run with --no-module (the script loads the implementation; default debian).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"
. "$WG_REPO/selftests/vm/lib/wire.sh"

impl_args debian basic -- "$@"
impl=${impls[-1]}
use_impl "$impl" "$variant" || { t_ok "load $impl module" false; t_done; }
dmesg_mark
T="[$impl]"

keys_init
topology_outer
wg_devices
wg_peers 4

# ---- basic traffic, IPv4 outer ----------------------------------------------
t_ok "$T ping ns1 -> ns2 over the tunnel (IPv4 inner, IPv4 outer)" ping_ok ns1 10.0.0.2
t_ok "$T ping ns2 -> ns1 (IPv4 inner)" ping_ok ns2 10.0.0.1
t_ok "$T ping ns1 -> ns2 (IPv6 inner)" ping_ok ns1 fd00:a::2
t_ok "$T ping ns2 -> ns1 (IPv6 inner)" ping_ok ns2 fd00:a::1
t_ok "$T latest handshake is set on both sides" \
	test "$(peer_field ns1 "$PUB2" 5)" != 0 -a "$(peer_field ns2 "$PUB1" 5)" != 0
t_ok "$T rx/tx counters move" \
	test "$(peer_field ns1 "$PUB2" 6)" -gt 0 -a "$(peer_field ns1 "$PUB2" 7)" -gt 0
n1 iperf3 -s -D -B 10.0.0.1 --logfile /tmp/iperf-ns1.log
n1 iperf3 -s -D -B fd00:a::1 -p 5202 --logfile /tmp/iperf6-ns1.log
n2 iperf3 -s -D -B 10.0.0.2 --logfile /tmp/iperf-ns2.log
sleep 1
t_ok "$T iperf3 TCP ns1 -> ns2" iperf_run ns1 10.0.0.2 -t 3
t_ok "$T iperf3 TCP ns2 -> ns1" iperf_run ns2 10.0.0.1 -t 3
t_ok "$T iperf3 UDP ns1 -> ns2" iperf_run ns1 10.0.0.2 -u -b 30M -t 3
t_ok "$T iperf3 UDP ns2 -> ns1" iperf_run ns2 10.0.0.1 -u -b 30M -t 3
t_ok "$T iperf3 TCP ns2 -> ns1 over IPv6 inner" iperf_run ns2 fd00:a::1 -p 5202 -t 3

# ---- IPv6 outer ---------------------------------------------------------------
wg_peers 6
t_ok "$T ping ns1 -> ns2 over IPv6 outer" ping_ok ns1 10.0.0.2
t_ok "$T ping ns2 -> ns1 over IPv6 outer (IPv6 inner)" ping_ok ns2 fd00:a::1
t_is "$T endpoint is the IPv6 outer address" "$(peer_field ns1 "$PUB2" 3)" '[fd00:2::1]:2'
t_ok "$T iperf3 TCP ns1 -> ns2 over IPv6 outer" iperf_run ns1 10.0.0.2 -t 3
t_ok "$T iperf3 UDP ns2 -> ns1 over IPv6 outer" iperf_run ns2 10.0.0.1 -u -b 30M -t 3

if [ "$basic" = 1 ]; then
	t_ok "$T rmmod wireguard" impl_unload
	if [ "$WG_DYNDBG" = 1 ]; then
		t_ok "$T every peer and keypair created was destroyed ($(lifetime_counts))" lifetime_ok
	fi
	topology_cleanup
	t_done
fi

# ---- roaming ----------------------------------------------------------------
wg_peers 4
ping_ok ns1 10.0.0.2 > /dev/null
# ns2 moves to another outer address (v4, then v6); its next packets come
# from there and ns1 follows.
n2 ip addr add 192.168.2.3/24 dev veth2
n2 ip addr del 192.168.2.1/24 dev veth2
n2 ip route replace default via 192.168.2.254
t_ok "$T roaming: ns2 -> ns1 from a new outer address" ping_ok ns2 10.0.0.1
t_is "$T roaming: ns1's endpoint for ns2 follows" "$(peer_field ns1 "$PUB2" 3)" 192.168.2.3:2
t_ok "$T roaming: ns1 -> ns2 reaches the new address" ping_ok ns1 10.0.0.2
n2 wg set wg0 peer "$PUB1" endpoint '[fd00:1::1]:1'
t_ok "$T roaming to IPv6 outer" ping_ok ns2 10.0.0.1
t_is "$T roaming: endpoint now IPv6" "$(peer_field ns1 "$PUB2" 3)" '[fd00:2::1]:2'
n2 ip addr add 192.168.2.1/24 dev veth2
n2 ip addr del 192.168.2.3/24 dev veth2
n2 ip route replace default via 192.168.2.254
t_is "$T roaming: ns2's outer IPv4 address is back" \
	"$(n2 ip -4 -o addr show dev veth2 | awk '{ print $4 }')" 192.168.2.1/24

# ---- MTU and fragmentation ----------------------------------------------------
wg_peers 4
ping_ok ns1 10.0.0.2 > /dev/null
t_is "$T default MTU" "$(n1 cat /sys/class/net/wg0/mtu)" 1420
t_ok "$T ping -M do -s 1392 fits the 1420 MTU" ping_ok ns1 10.0.0.2 -M do -s 1392
t_ok "$T ping -M do -s 1400 is refused locally (EMSGSIZE)" \
	bash -c 'out=$(ip netns exec ns1 ping -c 1 -W 1 -M do -s 1400 10.0.0.2 2>&1); echo "$out"; [[ $out == *"too long"* ]] && [[ $out != *"bytes from"* ]]'
t_ok "$T ping -s 3000 without DF: inner fragments through the tunnel" ping_ok ns1 10.0.0.2 -s 3000
n1 ip link set wg0 mtu 1500
n2 ip link set wg0 mtu 1500
t_ok "$T MTU 1500 on wg0: ping -M do -s 1472 (outer IPv4 fragmented)" ping_ok ns1 10.0.0.2 -M do -s 1472
wg_peers 6
t_ok "$T MTU 1500 on wg0: ping -M do -s 1472 (outer IPv6 fragmented)" ping_ok ns1 10.0.0.2 -M do -s 1472
n1 ip link set wg0 mtu 1420
n2 ip link set wg0 mtu 1420
wg_peers 4

# ---- routing loop ---------------------------------------------------------------
# The endpoint is routed through the tunnel itself: the encrypted packet
# would re-enter wg0.  It must be dropped, not loop or hang.
ping_ok ns1 10.0.0.2 > /dev/null
n1 wg set wg0 peer "$PUB2" allowed-ips 10.0.0.2/32,fd00:a::2/128,192.168.2.1/32
n1 ip route add 192.168.2.1/32 dev wg0
errs0=$(n1 cat /sys/class/net/wg0/statistics/tx_errors)
t_ok "$T routing loop: traffic is dropped" \
	bash -c 'ip netns exec ns1 timeout 10 ping -c 3 -i 0.5 -W 1 -w 4 10.0.0.2; [ $? -eq 1 ]'
t_ok "$T routing loop: flood of 200 packets does not hang" \
	bash -c 'ip netns exec ns1 timeout 20 ping -q -f -c 200 -W 1 -w 10 10.0.0.2; [ $? != 124 ]'
errs1=$(n1 cat /sys/class/net/wg0/statistics/tx_errors)
echo "# routing loop: wg0 tx_errors $errs0 -> $errs1"
n1 ip route del 192.168.2.1/32 dev wg0
n1 wg set wg0 peer "$PUB2" allowed-ips 10.0.0.2/32,fd00:a::2/128
t_ok "$T routing loop: traffic flows again once the route is gone" ping_ok ns1 10.0.0.2

# ---- wrong keys -------------------------------------------------------------------
wg_peers 4
n1 wg set wg0 private-key $K3
rx0=$(peer_field ns2 "$PUB1" 6)
t_ok "$T wrong private key: no traffic" ping_fails ns1 10.0.0.2
t_is "$T wrong private key: nothing received from that peer" "$(peer_field ns2 "$PUB1" 6)" "$rx0"
t_is "$T wrong private key: no handshake" "$(peer_field ns2 "$PUB1" 5)" 0
n1 wg set wg0 private-key $K1
wg_peers 4
t_ok "$T right private key again: traffic" ping_ok ns1 10.0.0.2
wg_peers 4
n2 wg set wg0 peer "$PUB1" preshared-key $PSK2
t_ok "$T wrong preshared key: no traffic" ping_fails ns1 10.0.0.2
t_is "$T wrong preshared key: no handshake completes at the initiator" "$(peer_field ns1 "$PUB2" 5)" 0
t_is "$T wrong preshared key: the initiator accepts nothing (rx 0)" "$(peer_field ns1 "$PUB2" 6)" 0
wg_peers 4
t_ok "$T same preshared key again: traffic" ping_ok ns1 10.0.0.2

# ---- replay -------------------------------------------------------------------------
# One inner UDP datagram ns1 -> ns2, captured on the way in the router
# namespace; the captured transport packet is sent again (and a tampered
# copy): neither is delivered, counted as received, or moves the endpoint.
wire_helpers
wg_peers 4
ping_ok ns1 10.0.0.2 > /dev/null
: > /tmp/recv.log
# (ip netns exec, not the n2/nr functions: $! must be the process itself)
ip netns exec ns2 python3 /tmp/udp-recv.py /tmp/recv.log &
recv_pid=$!
wire_capture_start veth2r /tmp/replay.pcap 'udp and dst port 2'
n1 python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"replay-probe", ("10.0.0.2", 9999))'
wait_for 10 grep -q replay-probe /tmp/recv.log
sleep 0.5
wire_capture_stop
pkt=$(wire_transport_hex /tmp/replay.pcap | tail -n 1)
t_ok "$T replay: the transport packet was captured" test -n "$pkt"
rx0=$(peer_field ns2 "$PUB1" 6)
ep0=$(peer_field ns2 "$PUB1" 3)
errs0=$(n2 cat /sys/class/net/wg0/statistics/rx_errors)
drop0=$(n2 cat /sys/class/net/wg0/statistics/rx_dropped)
nr python3 /tmp/udp-send.py 192.168.2.254 192.168.2.1 2 "$pkt"
nr python3 /tmp/udp-send.py 192.168.2.254 192.168.2.1 2 "$pkt"
nr python3 /tmp/udp-send.py 192.168.2.254 192.168.2.1 2 "$pkt" flip
sleep 2
t_is "$T replay: the datagram was delivered exactly once" "$(grep -c replay-probe /tmp/recv.log)" 1
t_is "$T replay: peer rx bytes unchanged" "$(peer_field ns2 "$PUB1" 6)" "$rx0"
t_is "$T replay: endpoint not moved to the replayer" "$(peer_field ns2 "$PUB1" 3)" "$ep0"
echo "# replay: wg0 rx_errors $errs0 -> $(n2 cat /sys/class/net/wg0/statistics/rx_errors)," \
	"rx_dropped $drop0 -> $(n2 cat /sys/class/net/wg0/statistics/rx_dropped)"
t_ok "$T replay: the tunnel still works" ping_ok ns1 10.0.0.2
kill $recv_pid 2> /dev/null

# ---- a device moved to another namespace ---------------------------------------------
# Created in nsc (so its UDP socket lives there), moved to nsm: traffic from
# nsm leaves through nsc's network; deleting nsc deletes the device.
ip netns add nsc
ip netns add nsm
ns_quiet nsc
ns_quiet nsm
ip link add veth3 netns nsc type veth peer name veth3r netns r
ip -n nsc addr add 192.168.3.1/24 dev veth3
ip -n nsc link set veth3 up
nr ip addr add 192.168.3.254/24 dev veth3r
nr ip link set veth3r up
ip -n nsc route add default via 192.168.3.254
ip -n nsc link add wgm type wireguard
ip netns exec nsc wg set wgm private-key $K3 listen-port 3 \
	peer "$PUB2" endpoint 192.168.2.1:4 allowed-ips 10.0.1.2/32
ip -n nsc link set wgm netns nsm
n2 ip link add wgm2 type wireguard
n2 wg set wgm2 private-key $K2 listen-port 4 peer "$PUB3" allowed-ips 10.0.1.1/32
ip -n nsm addr add 10.0.1.1/24 dev wgm
ip -n nsm link set wgm up
n2 ip addr add 10.0.1.2/24 dev wgm2
n2 ip link set wgm2 up
t_ok "$T moved device: ping from the new namespace" ping_ok nsm 10.0.1.2
t_is "$T moved device: the peer sees the creating namespace's address" \
	"$(peer_field_dev ns2 wgm2 "$PUB3" 3)" 192.168.3.1:3
t_ok "$T moved device: ping back from ns2" ping_ok ns2 10.0.1.1
t_ok "$T moved device: its UDP socket stays in the creating namespace" \
	bash -c 'ip netns exec nsc ss -Hnlu "sport = :3" | grep -q . &&
		! ip netns exec nsm ss -Hnlu | grep -q .'
t_ok "$T moved device: wg in the new namespace configures it" \
	ip netns exec nsm wg set wgm listen-port 5
t_ok "$T moved device: the new port is bound in the creating namespace" \
	bash -c 'ip netns exec nsc ss -Hnlu "sport = :5" | grep -q .'
t_ok "$T moved device: still passes traffic" ping_ok nsm 10.0.1.2
ip netns del nsc
t_ok "$T deleting the creating namespace deletes the moved device" \
	wait_for 10 bash -c '! ip -n nsm link show wgm 2>/dev/null'
n2 ip link del wgm2

# ---- module unload under traffic --------------------------------------------------
wg_peers 4
t_ok "$T before unload: tunnel up" ping_ok ns1 10.0.0.2
ip netns exec ns1 timeout 30 iperf3 -c 10.0.0.2 -t 20 > /tmp/iperf-unload.log 2>&1 &
iperf_pid=$!
ip netns exec ns2 ping -q -f -w 20 10.0.0.1 > /dev/null 2>&1 &
flood_pid=$!
sleep 4
t_ok "$T rmmod wireguard while iperf3 and a ping flood run" impl_unload
t_ok "$T module is gone" bash -c '! test -d /sys/module/wireguard'
kill $iperf_pid $flood_pid 2> /dev/null
wait $iperf_pid $flood_pid 2> /dev/null
t_ok "$T the wg devices went with it" bash -c '! ip -n ns2 link show wg0 2>/dev/null'
if [ "$WG_DYNDBG" = 1 ]; then
	t_ok "$T every peer and keypair created was destroyed ($(lifetime_counts))" lifetime_ok
fi
topology_cleanup nsm nsc
t_done
