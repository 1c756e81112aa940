#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# wgev-counters.py IFNAME drops|trains: a device's counters from the
# project's "wireguard-event" Generic Netlink family (WGEV_CMD_GET_DEVICE,
# include/uapi/linux/wireguard_events.h), one "name count" line each:
#   drops   received packets dropped, by reason (enum wgev_drop);
#   trains  tx, tx_messages, rx, rx_messages (enum wgev_train).
# Standard library only, so it runs in the VM as is.
import os
import socket
import struct
import sys

NAMES = {
    "drops": (13, ("unspec", "malformed", "handshake_queue_full", "handshake_mac",
                   "under_load", "handshake_invalid", "no_session", "decrypt",
                   "replay", "allowed_ips", "rx_queue_full")),
    "trains": (15, ("unspec", "tx", "tx_messages", "rx", "rx_messages")),
}
NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
WGEV_CMD_GET_DEVICE, WGEV_A_IFNAME = 3, 2
NLM_F_REQUEST, NLMSG_ERROR = 1, 2


def nla(t, data):
    a = struct.pack("=HH", 4 + len(data), t) + data
    return a + b"\0" * (-len(a) % 4)


def nla_parse(data):
    out, off = {}, 0
    while off + 4 <= len(data):
        ln, t = struct.unpack_from("=HH", data, off)
        if ln < 4:
            break
        out[t & 0x3fff] = data[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


def genl_request(s, family, cmd, attrs):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    s.send(struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST, 1, 0) + body)
    msg = s.recv(65536)
    ln, typ = struct.unpack_from("=IH", msg)
    if typ == NLMSG_ERROR:
        err = struct.unpack_from("=i", msg, 16)[0]
        raise OSError(-err, "netlink: %s" % os.strerror(-err))
    return nla_parse(msg[20:ln])


def main(a):
    if len(a) != 2 or a[1] not in NAMES:
        sys.stderr.write("usage: wgev-counters.py IFNAME drops|trains\n")
        return 2
    attr, names = NAMES[a[1]]
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    r = genl_request(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                     nla(CTRL_ATTR_FAMILY_NAME, b"wireguard-event\0"))
    family = struct.unpack("=H", r[CTRL_ATTR_FAMILY_ID][:2])[0]
    r = genl_request(s, family, WGEV_CMD_GET_DEVICE,
                     nla(WGEV_A_IFNAME, a[0].encode() + b"\0"))
    if attr not in r:
        sys.stderr.write("wgev-counters.py: the reply has no %s\n" % a[1])
        return 1
    for t, v in sorted(nla_parse(r[attr]).items()):
        if 0 < t < len(names) and len(v) == 8:
            print(names[t], struct.unpack("=Q", v)[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
