#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every ordered pair pings at once, from one process.

pingall.py COUNT TIMEOUT < "SRC DST DSTADDR" lines

For each line, opens a raw ICMP socket inside network namespace SRC
(/run/netns/SRC, entered with setns) and sends COUNT echo requests to DSTADDR,
0.2 s apart; then waits up to TIMEOUT seconds after the last one.  Prints
"SRC DST ok|blocked SENT RECEIVED" per pair ("ok" if any reply came back).
A send that fails (no route) counts as not sent.  One process instead of one
ping per pair: in a loaded emulated VM, process start-up is what costs.
"""
import ctypes
import os
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def setns(name):
    fd = os.open("/run/netns/" + name if name else "/proc/1/ns/net", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + name)
    finally:
        os.close(fd)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo(ident, seq):
    payload = b"edgeproxy-demo-%04x" % seq
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(hdr + payload), ident, seq) + payload


def main():
    count, timeout = int(sys.argv[1]), float(sys.argv[2])
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    pairs = []
    for i, line in enumerate(sys.stdin):
        src, dst, addr = line.split()[:3]
        setns(src)
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.setblocking(False)
        pairs.append({"src": src, "dst": dst, "addr": addr, "sock": s,
                      "id": (os.getpid() + i) & 0xFFFF, "sent": 0, "got": set()})
    libc.setns(own, CLONE_NEWNET)
    bysock = {p["sock"].fileno(): p for p in pairs}

    def drain(wait):
        r, _, _ = select.select(list(bysock), [], [], wait)
        for fd in r:
            p = bysock[fd]
            try:
                pkt = p["sock"].recv(2048)
            except BlockingIOError:
                continue
            ihl = (pkt[0] & 0x0F) * 4
            src_ip = socket.inet_ntoa(pkt[12:16])
            typ, _, _, ident, seq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
            if typ == 0 and ident == p["id"] and src_ip == p["addr"]:
                p["got"].add(seq)

    for seq in range(count):
        for p in pairs:
            try:
                p["sock"].sendto(echo(p["id"], seq), (p["addr"], 0))
                p["sent"] += 1
            except OSError:
                pass
        end = time.monotonic() + 0.2
        while time.monotonic() < end:
            drain(max(0, end - time.monotonic()))
    end = time.monotonic() + timeout
    while time.monotonic() < end and any(p["sent"] > len(p["got"]) for p in pairs):
        drain(max(0, end - time.monotonic()))
    for p in pairs:
        print("%s %s %s %d %d" % (p["src"], p["dst"], "ok" if p["got"] else "blocked",
                                  p["sent"], len(p["got"])))


if __name__ == "__main__":
    main()
