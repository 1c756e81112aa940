#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# interop-go.sh [ours|debian] [debug|release]: the kernel module (ns1, wg0)
# against Debian's wireguard-go (userspace, ns2, wggo0; a different name so
# wg does not pick a userspace socket for the kernel device), with a
# preshared key.  Each side is the initiator in turn (only the initiator
# is given an endpoint, so the other side cannot start the handshake),
# over IPv4 and IPv6 outer: ping both ways (IPv4 and IPv6 inner), handshake
# and counters on both sides, iperf3 TCP both ways; a wrong preshared key
# passes nothing.  Run with --no-module (the script loads the module).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"
. "$WG_REPO/selftests/vm/lib/interop.sh"

impl=ours variant=debug
for a in "$@"; do
	case "$a" in
	release|debug) variant=$a ;;
	*) impl=$a ;;
	esac
done
use_impl "$impl" "$variant" || { t_ok "load $impl module" false; t_done; }
T="[$impl/go]"

keys_init
topology_outer
n1 ip link add wg0 type wireguard
n1 ip addr add 10.0.0.1/24 dev wg0
n1 ip addr add fd00:a::1/64 dev wg0 nodad
n1 wg set wg0 private-key "$K1" listen-port 1
n1 ip link set wg0 up
t_ok "$T wireguard-go starts wggo0 in ns2" go_start ns2 wggo0
n2 ip addr add 10.0.0.2/24 dev wggo0
n2 ip addr add fd00:a::2/64 dev wggo0 nodad
n2 wg set wggo0 private-key "$K2" listen-port 2
n2 ip link set wggo0 up
t_is "$T wggo0 is userspace (wg reads its UAPI socket)" \
	"$(n2 wg show wggo0 public-key)" "$PUB2"

n1 iperf3 -s -D -B 10.0.0.1 --logfile /tmp/iperf-ns1.log
n2 iperf3 -s -D -B 10.0.0.2 --logfile /tmp/iperf-ns2.log
sleep 1

# peers INITIATOR FAMILY [PSK-for-go]: fresh peers on both sides; only the
# initiator knows the other's endpoint.
peers() {
	local init=$1 fam=$2 gopsk=${3:-$PSK} e1=192.168.1.1:1 e2=192.168.2.1:2
	[ "$fam" = 6 ] && e1='[fd00:1::1]:1' e2='[fd00:2::1]:2'
	n1 wg set wg0 peer "$PUB2" remove
	n2 wg set wggo0 peer "$PUB1" remove
	n1 wg set wg0 peer "$PUB2" preshared-key "$PSK" allowed-ips 10.0.0.2/32,fd00:a::2/128
	n2 wg set wggo0 peer "$PUB1" preshared-key "$gopsk" allowed-ips 10.0.0.1/32,fd00:a::1/128
	if [ "$init" = kernel ]; then
		n1 wg set wg0 peer "$PUB2" endpoint "$e2"
	else
		n2 wg set wggo0 peer "$PUB1" endpoint "$e1"
	fi
}

for fam in 4 6; do
	for init in kernel go; do
		if [ "$init" = kernel ]; then
			ins=ns1 ia=10.0.0.1 ra=10.0.0.2 ra6=fd00:a::2 rns=ns2
			rdev=wggo0 ipub=$PUB1 rep=192.168.1.1:1 rep6='[fd00:1::1]:1'
		else
			ins=ns2 ia=10.0.0.2 ra=10.0.0.1 ra6=fd00:a::1 rns=ns1
			rdev=wg0 ipub=$PUB2 rep=192.168.2.1:2 rep6='[fd00:2::1]:2'
		fi
		[ "$fam" = 6 ] && rep=$rep6
		C="$T IPv$fam outer, $init initiates:"
		peers "$init" "$fam"
		t_ok "$C ping initiator -> responder" ping_ok "$ins" "$ra"
		t_is "$C responder learned the initiator's endpoint" \
			"$(peer_field_dev "$rns" "$rdev" "$ipub" 3)" "$rep"
		t_ok "$C ping responder -> initiator" ping_ok "$rns" "$ia"
		t_ok "$C ping over IPv6 inner" ping_ok "$ins" "$ra6"
		t_ok "$C latest handshake set on both sides" \
			test "$(peer_field ns1 "$PUB2" 5)" != 0 -a \
			"$(peer_field_dev ns2 wggo0 "$PUB1" 5)" != 0
		t_ok "$C iperf3 TCP kernel -> go" iperf_run ns1 10.0.0.2 -t 3
		t_ok "$C iperf3 TCP go -> kernel" iperf_run ns2 10.0.0.1 -t 3
		t_ok "$C rx and tx counted on both sides" counters_moved
	done
done

# Same keys but the preshared keys differ: no handshake completes.
peers kernel 4 "$PSK2"
t_ok "$T wrong preshared key on the go side: no traffic" ping_fails ns1 10.0.0.2
t_is "$T wrong preshared key: no handshake at the kernel initiator" \
	"$(peer_field ns1 "$PUB2" 5)" 0
peers go 4 "$PSK2"
# The responder accepts the initiation (the preshared key only enters at
# the response) and counts it; no inner packet may come out of wg0.
n1 iptables -w -A INPUT -i wg0 -j ACCEPT
t_ok "$T wrong preshared key, go initiating: no traffic" ping_fails ns2 10.0.0.1
t_is "$T wrong preshared key: no handshake at the kernel responder" \
	"$(peer_field ns1 "$PUB2" 5)" 0
t_is "$T wrong preshared key: wg0 delivered no inner packet" \
	"$(n1 iptables -w -nvxL INPUT | awk '$6 == "wg0" { print $1 }')" 0
peers go 4
t_ok "$T same preshared key again: traffic" ping_ok ns2 10.0.0.1

go_stop
n1 ip link del wg0
topology_cleanup
t_ok "$T module unloads" impl_unload
t_done
