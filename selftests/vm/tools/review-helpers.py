# SPDX-License-Identifier: GPL-2.0
# Helpers for review.sh (regression tests of the driver review, issue 11).
#
#   wgmsgs PCAP [timed]     one line per WireGuard message in an Ethernet
#                           capture: "SRC TYPE RECEIVER_INDEX UDP_PAYLOAD_LEN"
#                           (index as 8 hex digits, 0 for initiations), and
#                           with "timed" the capture time
#   mirred PCAP MARK        the frame carrying MARK: "offset=N len=L
#                           iplen=T src=A dst=B" where N is where the inner
#                           IPv4 header starts in the frame
#   proto0 IFACE SRC DST PORT TEXT
#                           an IPv4/UDP packet sent on a packet socket with
#                           protocol 0
#   gso IFACE SRC DST DPORT SEGS SIZE
#                           one TCP GSO packet of SEGS segments of SIZE
#                           bytes, through a packet socket with a virtio-net
#                           header (the stack segments it in the driver)
#   udpwmem DST PORT N SIZE send N datagrams, wait 1 s, print the socket's
#                           send memory still allocated (bytes)
#   wiresum PCAP            every IPv4 frame summarised (source, protocol,
#                           fragment, WireGuard type, length) and every
#                           ARP frame (op, sender, target), counted
#   linkdelta BEFORE AFTER  files of "NS <ip -s -j link>" lines: every
#                           counter that changed, "NS DEV DIR_FIELD DELTA"
#   ifname IFINDEX COUNT    COUNT Generic Netlink dumps of the wireguard
#                           device IFINDEX: every distinct WGDEVICE_A_IFNAME
#                           seen, one per line
import os
import socket
import struct
import sys
import time


def frames(path, with_time=False, with_len=False):
    data = open(path, "rb").read()
    off = 24
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack_from("<IIII", data, off)
        f = data[off + 16:off + 16 + incl]
        if with_len:
            yield f, orig
        else:
            yield (sec + usec / 1e6, f) if with_time else f
        off += 16 + incl


def cmd_wgmsgs(path, timed=""):
    for t, f in frames(path, True):
        if f[12:14] != b"\x08\x00":
            continue
        ihl = (f[14] & 15) * 4
        if f[14 + 9] != 17:
            continue
        src = socket.inet_ntoa(f[26:30])
        p = f[14 + ihl + 8:]
        if len(p) < 8 or p[0] not in (1, 2, 3, 4) or p[1:4] != b"\0\0\0":
            continue
        idx = 0 if p[0] == 1 else struct.unpack_from("<I", p, 8 if p[0] == 2 else 4)[0]
        print("%s %d %08x %d%s" % (src, p[0], idx, len(p),
                                    " %.3f" % t if timed else ""))


def cmd_wiresum(path):
    """Per frame: src, IP protocol, fragment offset flag, WireGuard message
    type (or -), frame length; counted."""
    count = {}
    for f, flen in frames(path, with_len=True):
        if f[12:14] == b"\x08\x06" and len(f) >= 42:
            key = "arp op=%d %s -> %s len=%d" % (
                f[21], socket.inet_ntoa(f[28:32]), socket.inet_ntoa(f[38:42]),
                flen)
            count[key] = count.get(key, 0) + 1
            continue
        if f[12:14] != b"\x08\x00":
            continue
        ihl = (f[14] & 15) * 4
        src = socket.inet_ntoa(f[26:30])
        frag = struct.unpack_from(">H", f, 20)[0]
        typ = "-"
        if f[23] == 17 and not frag & 0x1fff:
            p = f[14 + ihl + 8:]
            if len(p) >= 4 and p[0] in (1, 2, 3, 4) and p[1:4] == b"\0\0\0":
                typ = str(p[0])
        key = "%s proto=%d frag=%s type=%s len=%d" % (
            src, f[23], "more" if frag & 0x2000 else ("tail" if frag & 0x1fff else "no"),
            typ, flen)
        count[key] = count.get(key, 0) + 1
    for k in sorted(count):
        print("%s x%d" % (k, count[k]))


def cmd_linkdelta(before, after):
    import json
    def load(p):
        r = {}
        for line in open(p):
            line = line.strip()
            if not line:
                continue
            ns, js = line.split(" ", 1)
            for l in json.loads(js):
                for d in ("rx", "tx"):
                    for k, v in l.get("stats64", {}).get(d, {}).items():
                        r["%s %s %s_%s" % (ns, l["ifname"], d, k)] = \
                            (l["ifindex"], v)
        return r
    a, b = load(before), load(after)
    for k in sorted(b):
        # A device deleted and created again under the same name (a new
        # ifindex) counts from zero, as one created in the scenario does.
        idx, v = b[k]
        old_idx, old_v = a.get(k, (idx, 0))
        d = v - (old_v if old_idx == idx else 0)
        if d:
            print("%s %d" % (k, d))


def cmd_mirred(path, mark):
    for f in frames(path):
        at = f.find(mark.encode())
        if at < 0:
            continue
        for off in range(0, at):
            if f[off] == 0x45 and off + 20 <= len(f):
                tot = struct.unpack_from(">H", f, off + 2)[0]
                print("offset=%d len=%d iplen=%d src=%s dst=%s" % (
                    off, len(f), tot, socket.inet_ntoa(f[off + 12:off + 16]),
                    socket.inet_ntoa(f[off + 16:off + 20])))
                return
    print("not-found")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64,
                    proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def cmd_proto0(iface, src, dst, port, text):
    data = text.encode()
    udp = struct.pack("!HHHH", 4321, int(port), 8 + len(data), 0) + data
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.sendto(ipv4(src, dst, 17, udp), (iface, 0))


def cmd_gso(iface, src, dst, dport, segs, size):
    segs, size = int(segs), int(size)
    tcp = struct.pack("!HHIIBBHHH", 4321, int(dport), 1, 0, 5 << 4, 0x18,
                      65535, 0, 0)
    pkt = ipv4(src, dst, 6, tcp + b"g" * (segs * size))
    # virtio_net_hdr: NEEDS_CSUM, GSO_TCPV4, hdr_len, gso_size,
    # csum_start (the TCP header), csum_offset (its checksum field)
    vnet = struct.pack("<BBHHHH", 1, 1, 40, size, 20, 16)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.setsockopt(263, 15, 1)  # SOL_PACKET, PACKET_VNET_HDR
    s.sendto(vnet + pkt, (iface, 0x0800))


def cmd_udpwmem(dst, port, n, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    for _ in range(int(n)):
        try:
            s.sendto(b"w" * int(size), (dst, int(port)))
        except BlockingIOError:
            pass
    time.sleep(1)
    lport = s.getsockname()[1]
    for line in open("/proc/net/udp").read().splitlines()[1:]:
        f = line.split()
        if int(f[1].split(":")[1], 16) == lport:
            print(int(f[4].split(":")[0], 16))
            return
    print("socket-not-found")


def nlattrs(b):
    off = 0
    while off + 4 <= len(b):
        ln, typ = struct.unpack_from("<HH", b, off)
        if ln < 4:
            break
        yield typ & 0x3fff, b[off + 4:off + ln]
        off += (ln + 3) & ~3


def nlmsgs(b):
    off = 0
    while off + 16 <= len(b):
        ln, typ, flags, seq, pid = struct.unpack_from("<IHHII", b, off)
        yield typ, b[off + 16:off + ln]
        off += (ln + 3) & ~3


def nl_request(s, typ, flags, cmd, attrs):
    body = struct.pack("<BBH", cmd, 1, 0) + attrs
    s.send(struct.pack("<IHHII", 16 + len(body), typ, flags, 1, 0) + body)


def cmd_ifname(ifindex, count):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)  # GENERIC
    name = b"wireguard\0"
    nl_request(s, 0x10, 1, 3, struct.pack("<HH", 4 + len(name), 2) + name +
               b"\0" * ((4 - len(name) % 4) % 4))
    fam = None
    for typ, p in nlmsgs(s.recv(65536)):
        for t, v in nlattrs(p[4:]):
            if t == 1:
                fam = struct.unpack("<H", v[:2])[0]
    seen = set()
    for _ in range(int(count)):
        nl_request(s, fam, 1 | 0x300, 0,
                   struct.pack("<HHI", 8, 1, int(ifindex)))
        done = False
        while not done:
            for typ, p in nlmsgs(s.recv(1 << 20)):
                if typ in (2, 3):
                    done = True
                    break
                for t, v in nlattrs(p[4:]):
                    if t == 2:
                        seen.add(v.split(b"\0")[0].decode(errors="replace"))
    for n in sorted(seen):
        print(n)


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1]](*sys.argv[2:])
