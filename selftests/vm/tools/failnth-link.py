#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# failnth-link.py add|del IFNAME [N]: RTM_NEWLINK (kind wireguard) or
# RTM_DELLINK for IFNAME over a raw rtnetlink socket, with the N-th
# fault-injection site this thread reaches from the send on made to fail
# (/proc/thread-self/fail-nth; the debug kernel's failslab).  Prints the
# answer ("OK", "ERR <errno>", or "LOST ENOBUFS" when the socket reports
# that the answer itself could not be allocated: the request may have
# been applied or not) and, with N, "FAIL_NTH fired" or "FAIL_NTH
# not-reached".  Exit status 0 for OK, 1 otherwise.
# A raw socket, not ip(8): the fault must land in the request, not in the
# exec of a program.
import errno
import os
import socket
import struct
import sys

RTM_NEWLINK, RTM_DELLINK = 16, 17
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND = 3, 18, 1
NLMSG_ERROR = 2


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def main():
    op, name = sys.argv[1], sys.argv[2]
    nth = sys.argv[3] if len(sys.argv) > 3 else None
    body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
    body += attr(IFLA_IFNAME, name.encode() + b"\0")
    if op == "add":
        t, flags = RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
        body += attr(IFLA_LINKINFO, attr(IFLA_INFO_KIND, b"wireguard\0"))
    else:
        t, flags = RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK
    msg = struct.pack("=IHHII", 16 + len(body), t, flags, 1, 0) + body
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.bind((0, 0))
    fd = None
    if nth:
        fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
        os.write(fd, nth.encode())
    ans = b""
    try:
        s.send(msg)
        ans = s.recv(65536)
        err = -struct.unpack("=i", ans[16:20])[0] if struct.unpack("=H", ans[4:6])[0] == NLMSG_ERROR else 0
    except OSError as e:
        err = e.errno
    if fd is not None:
        left = int(os.pread(fd, 32, 0) or b"0")
        os.pwrite(fd, b"0", 0)
    if err == errno.ENOBUFS and not ans:
        print("LOST ENOBUFS")
    else:
        print("OK" if err == 0 else "ERR %s" % errno.errorcode.get(err, err))
    if fd is not None:
        print("FAIL_NTH %s" % ("not-reached" if left else "fired"))
    sys.exit(0 if err == 0 else 1)


main()
