#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Developer check of the module core: two namespaces over veth, a tunnel,
# ping both ways, wg show fields, teardown; every Peer/Keypair freed.
. "$WG_REPO/selftests/vm/lib/tap.sh"

n1="ip netns exec ns1" n2="ip netns exec ns2"
ip netns add ns1; ip netns add ns2
ip -n ns1 link add veth1 type veth peer name veth2 netns ns2
ip -n ns1 addr add 10.0.0.1/24 dev veth1
ip -n ns2 addr add 10.0.0.2/24 dev veth2
ip -n ns1 addr add fd00::1/64 dev veth1 nodad
ip -n ns2 addr add fd00::2/64 dev veth2 nodad
ip -n ns1 link set veth1 up; ip -n ns2 link set veth2 up
ip -n ns1 link set lo up; ip -n ns2 link set lo up

k1=$(wg genkey); k2=$(wg genkey)
p1=$(echo "$k1" | wg pubkey); p2=$(echo "$k2" | wg pubkey)
psk=$(wg genpsk)

t_ok "create wg1" ip -n ns1 link add wg1 type wireguard
t_ok "create wg2" ip -n ns2 link add wg2 type wireguard
t_ok "configure wg1" $n1 wg set wg1 private-key <(echo "$k1") listen-port 51820 \
	peer "$p2" preshared-key <(echo "$psk") allowed-ips 192.168.0.2/32,fd01::2/128 endpoint 10.0.0.2:51821
t_ok "configure wg2" $n2 wg set wg2 private-key <(echo "$k2") listen-port 51821 \
	peer "$p1" preshared-key <(echo "$psk") allowed-ips 192.168.0.1/32,fd01::1/128 endpoint [fd00::1]:51820
ip -n ns1 addr add 192.168.0.1/24 dev wg1; ip -n ns1 addr add fd01::1/64 dev wg1
ip -n ns2 addr add 192.168.0.2/24 dev wg2; ip -n ns2 addr add fd01::2/64 dev wg2
ip -n ns1 link set wg1 up; ip -n ns2 link set wg2 up

t_is "public key derived" "$($n1 wg show wg1 public-key)" "$p1"
t_is "listen port" "$($n1 wg show wg1 listen-port)" "51820"
t_ok "ping v4 1->2" $n1 ping -c 2 -W 5 192.168.0.2
t_ok "ping v4 2->1" $n2 ping -c 2 -W 2 192.168.0.1
t_ok "ping v6 1->2" $n1 ping -c 2 -W 2 fd01::2
t_ok "ping v6 2->1" $n2 ping -c 2 -W 2 fd01::1
t_ok "large ping (fragmented inner)" $n1 ping -c 2 -W 2 -s 3000 192.168.0.2
t_ok "latest handshake set" bash -c "[ \$($n1 wg show wg1 latest-handshakes | awk '{print \$2}') -gt 0 ]"
t_ok "transfer counted" bash -c "$n1 wg show wg1 transfer | awk '{exit !(\$2 > 0 && \$3 > 0)}'"
t_is "endpoint roamed on wg2 to v4 source" "$($n2 wg show wg2 endpoints | awk '{print $2}')" "10.0.0.1:51820"
if command -v iperf3 >/dev/null; then
	$n2 iperf3 -s -D -1 >/dev/null 2>&1; sleep 1
	t_ok "iperf3 tcp 3s" bash -c "$n1 iperf3 -c 192.168.0.2 -t 3 -J > /tmp/iperf.json"
	echo "# $(python3 -c 'import json;d=json.load(open("/tmp/iperf.json"));print("%.1f Mbit/s" % (d["end"]["sum_received"]["bits_per_second"]/1e6))' 2>/dev/null)"
fi
$n1 wg show wg1 | sed 's/^/# /'
t_ok "no peer -> unreachable" bash -c "! $n1 ping -c 1 -W 1 192.168.0.77"
t_ok "dump" $n1 wg showconf wg1
t_ok "remove peer" $n1 wg set wg1 peer "$p2" remove
t_ok "del wg1" ip -n ns1 link del wg1
t_ok "del ns2 deletes wg2" ip netns del ns2
ip netns del ns1
sleep 1
created=$(dmesg | grep -c 'Peer [0-9]* created')
destroyed=$(dmesg | grep -c 'Peer [0-9]* destroyed')
t_is "peers created == destroyed ($created)" "$destroyed" "$created"
created=$(dmesg | grep -c 'Keypair [0-9]* created')
destroyed=$(dmesg | grep -c 'Keypair [0-9]* destroyed')
t_is "keypairs created == destroyed ($created)" "$destroyed" "$created"
t_ok "rmmod" rmmod wireguard
t_done
