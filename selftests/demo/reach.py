#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Which node-to-node pings the WireGuard configs, as written, allow.

reach.py KEYDIR CONFDIR PAIRS_OUT NODE...

Reads CONFDIR/<node>/wireguard/wg0.conf and KEYDIR/<node>-public.key for each
node and follows a ping from every node's overlay address to every other's,
the way the kernel would: a route into wg0 exists for AllowedIPs (wg-quick
adds them) and the Address's subnet; the peer is the longest AllowedIPs
match; the receiver accepts the packet only if its own longest match for the
source address is the peer it came from (cryptokey routing); a node that is
not the destination forwards only with net.ipv4.ip_forward=1 set by PostUp.
The echo reply makes the same trip back.

Prints a matrix and the reasons for blocked paths; writes one line per
ordered pair to PAIRS_OUT:
    SRC DST ok|blocked PATH DROPNODE KIND
where DROPNODE/KIND name the node dropping the packet (or "-") and KIND is
src-not-allowed (counted in that node's wg0 rx_frame_errors), no-route,
no-peer, not-forwarding or unknown-sender.
"""
import ipaddress
import sys


def parse_conf(path):
    iface, peers, cur = {"address": [], "forward": False}, [], None
    for raw in open(path):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.lower() == "[interface]":
            cur = iface
            continue
        if line.lower() == "[peer]":
            cur = {"allowed": []}
            peers.append(cur)
            continue
        key, _, val = line.partition("=")
        key, val = key.strip().lower(), val.strip()
        items = [v.strip() for v in val.split(",") if v.strip()]
        if cur is iface and key == "address":
            iface["address"] += [ipaddress.ip_interface(a) for a in items]
        elif cur is iface and key == "postup" and "ip_forward=1" in val:
            iface["forward"] = True
        elif cur is not iface and key == "publickey":
            cur["key"] = val
        elif cur is not iface and key == "allowedips":
            cur["allowed"] += [ipaddress.ip_network(a, strict=False) for a in items]
    return iface, peers


class Node:
    def __init__(self, name, keydir, confdir):
        self.name = name
        self.key = open("%s/%s-public.key" % (keydir, name)).read().strip()
        self.iface, self.peers = parse_conf("%s/%s/wireguard/wg0.conf" % (confdir, name))
        self.ip = self.iface["address"][0].ip

    def lookup(self, addr):
        """The peer whose AllowedIPs hold addr most specifically, or None."""
        best, blen = None, -1
        for p in self.peers:
            for net in p["allowed"]:
                if addr in net and net.prefixlen > blen:
                    best, blen = p, net.prefixlen
        return best

    def peer_by_key(self, key):
        return next((p for p in self.peers if p.get("key") == key), None)

    def owns(self, addr):
        return any(a.ip == addr for a in self.iface["address"])

    def on_link(self, addr):
        return any(addr in a.network for a in self.iface["address"])


def trip(nodes, bykey, src, dst_ip):
    """Follows one packet from src to dst_ip: (delivered, hops, dropnode, kind, why)."""
    cur, hops = src, [src.name]
    for _ in range(len(nodes)):
        if cur.owns(dst_ip):
            return True, hops, None, None, None
        if cur is not src and not cur.iface["forward"]:
            return False, hops, cur, "not-forwarding", "%s does not forward" % cur.name.upper()
        peer = cur.lookup(dst_ip)
        if peer is None:
            if cur.on_link(dst_ip):
                return False, hops, cur, "no-peer", "%s has no peer for %s" % (cur.name.upper(), dst_ip)
            return False, hops, cur, "no-route", "no route at %s (no AllowedIPs or subnet holds the address); to" % cur.name.upper()
        nxt = bykey.get(peer.get("key"))
        if nxt is None:
            return False, hops, cur, "no-peer", "%s's peer for %s is no node here" % (cur.name.upper(), dst_ip)
        back = nxt.peer_by_key(cur.key)
        if back is None:
            return False, hops + [nxt.name], nxt, "unknown-sender", \
                "%s has no peer %s" % (nxt.name.upper(), cur.name.upper())
        if nxt.lookup(src.ip) is not back:
            admitted = ", ".join(str(n) for n in back["allowed"]) or "nothing"
            return False, hops + [nxt.name], nxt, "src-not-allowed", \
                "dropped at %s: its peer %s admits only %s; sources" % (
                    nxt.name.upper(), cur.name.upper(), admitted)
        hops.append(nxt.name)
        cur = nxt
    return False, hops, cur, "loop", "routing loop"


def main():
    keydir, confdir, out = sys.argv[1:4]
    nodes = [Node(n, keydir, confdir) for n in sys.argv[4:]]
    bykey = {n.key: n for n in nodes}
    cells, reasons, lines = {}, {}, []
    for a in nodes:
        for b in nodes:
            if a is b:
                continue
            ok, hops, drop, kind, why = trip(nodes, bykey, a, b.ip)
            leg = "request"
            if ok:
                ok, rhops, drop, kind, why = trip(nodes, bykey, b, a.ip)
                leg = "reply"
                if ok:
                    via = hops[1:-1]
                    cells[a.name, b.name] = "d" if not via else via[0][0]
                    lines.append("%s %s ok %s - -" % (a.name, b.name, ">".join(hops)))
                    continue
                hops = rhops
            mark = "x" if leg == "request" else "~"
            cells[a.name, b.name] = "-" if kind == "no-route" and drop is (a if leg == "request" else b) \
                else mark + drop.name.upper()
            lines.append("%s %s blocked %s %s %s" % (a.name, b.name, ">".join(hops), drop.name, kind))
            who = b if kind == "no-route" else a
            if leg == "reply":
                who = a if kind == "no-route" else b
            reasons.setdefault((leg, why), []).append(who.name.upper())
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")

    w = 5
    print("  from \\ to " + "".join(n.name.upper().center(w) for n in nodes))
    for a in nodes:
        row = "".join((cells.get((a.name, b.name), "") if a is not b else ".").center(w) for b in nodes)
        print("  %-9s %s" % (a.name.upper() + " " + str(a.ip).split(".", 2)[2], row))
    print("  d: direct peer; e/h: via EC2/HKG; -: no route at the source, nothing sent;")
    print("  xNODE: request dropped at NODE; ~NODE: reply dropped at NODE")
    nok = sum(1 for l in lines if " ok " in l)
    print("  %d of %d ordered pairs can ping; blocked:" % (nok, len(lines)))
    for (leg, why), who in sorted(reasons.items(), key=lambda r: r[0]):
        print("    %s%s %s" % ("" if leg == "request" else "reply ", why, " ".join(who)))


if __name__ == "__main__":
    main()
