# SPDX-License-Identifier: GPL-2.0
# Looking at WireGuard messages on the wire (sourced, after lib/net.sh).
#
#   wire_helpers                      write the python helpers to /tmp
#   wire_capture_start DEV FILE FILTER  tcpdump in the router namespace
#   wire_capture_stop
#   wire_types PCAP                   the message type of every WireGuard
#                                     message captured, one per line
#   wire_transport_hex PCAP           hex of every captured transport data
#                                     message longer than a keepalive

wire_helpers() {
	cat > /tmp/udp-recv.py <<'EOF'
# udp-recv.py LOG: append every datagram to 10.0.0.2:9999 to LOG.
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.2", 9999))
with open(sys.argv[1], "a") as f:
    while True:
        d = s.recv(2000)
        f.write(d.decode(errors="replace") + "\n")
        f.flush()
EOF
	cat > /tmp/udp-send.py <<'EOF'
# udp-send.py SRC DST PORT HEX [flip]: send the bytes from SRC, an address
# of this netns, or IP:PORT of another host (IP_TRANSPARENT: a packet that
# arrives late from its real sender, so the receiver does not roam).
import socket, sys
b = bytearray(bytes.fromhex(sys.argv[4]))
if len(sys.argv) > 5:
    b[-1] ^= 1
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
src, _, sport = sys.argv[1].partition(":")
if sport:
    s.setsockopt(socket.SOL_IP, 19, 1)  # IP_TRANSPARENT
s.bind((src, int(sport or 0)))
s.sendto(bytes(b), (sys.argv[2], int(sys.argv[3])))
EOF
	cat > /tmp/pcap-wg.py <<'EOF'
# pcap-wg.py types|transport PCAP: WireGuard messages in an Ethernet pcap
# (IPv4 or IPv6 outer, UDP).  types: the type byte of each; transport: hex
# of each transport data message longer than a keepalive.
import struct, sys
mode, data = sys.argv[1], open(sys.argv[2], "rb").read()
off = 24
while off + 16 <= len(data):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if pkt[12:14] == b"\x08\x00":
        ihl = (pkt[14] & 15) * 4
        if len(pkt) < 14 + ihl + 8 or pkt[14 + 9] != 17:
            continue
        udp = pkt[14 + ihl:]
    elif pkt[12:14] == b"\x86\xdd":
        if len(pkt) < 14 + 40 + 8 or pkt[14 + 6] != 17:
            continue
        udp = pkt[14 + 40:]
    else:
        continue
    payload = udp[8:]
    if len(payload) < 4 or payload[0] not in (1, 2, 3, 4) or payload[1:4] != b"\0\0\0":
        continue
    if mode == "types":
        print(payload[0])
    elif payload[0] == 4 and len(payload) > 32:
        print(payload.hex())
EOF
}

wire_capture_start() { # DEV FILE FILTER
	rm -f /tmp/tcpdump.err
	ip netns exec r tcpdump -i "$1" --immediate-mode -U -n -w "$2" "$3" 2> /tmp/tcpdump.err &
	_wire_tcpdump=$!
	wait_for 10 grep -q listening /tmp/tcpdump.err
	sleep 0.3
}

wire_capture_stop() {
	sleep 0.5
	kill -INT "$_wire_tcpdump" 2> /dev/null
	wait "$_wire_tcpdump" 2> /dev/null
}

wire_types() { python3 /tmp/pcap-wg.py types "$1"; }
wire_transport_hex() { python3 /tmp/pcap-wg.py transport "$1"; }
