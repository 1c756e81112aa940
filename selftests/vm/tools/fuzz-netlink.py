#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# fuzz-netlink.py SECONDS SEED IFNAME...: a Generic Netlink fuzzer for the
# module's families "wireguard" (WG_CMD_GET_DEVICE dump, WG_CMD_SET_DEVICE)
# and "wireguard-event" (WGEV_CMD_GET_PEERS dump, WGEV_CMD_GET_DEVICE).
# fuzz-netlink.py replay FILE: send the messages of a log again, one by one
# (lines "THREAD N NETNS HEX" as written to $FUZZ_NL_LOG or $FUZZ_NL_TAIL).
#
# Messages are generated from an attribute table of each family (type,
# length, nesting) and then mutated: wrong types and lengths, truncated
# attributes, deep or misplaced nests, unknown attribute numbers, duplicate
# attributes, random flags and commands, huge peer and allowed-IP counts,
# random bytes.  Only the devices named on the command line are targeted
# (NETNS/IFNAME names one in the network namespace NETNS), plus "lo" and
# interface indexes that do not exist: before each send the message is
# parsed as the kernel would, and one that could reach any other device or
# any other Generic Netlink family is not sent.
#
# Four threads: two send mutated messages (mostly SET), one runs GET_DEVICE
# dumps of the targets while the sets run (sometimes abandoning a dump
# after its first part by closing the socket), one mixes "wireguard-event"
# requests with dumps.  Each thread draws from its own generator seeded
# from SEED, so a thread's sequence of messages is reproducible.
#
# Every request is followed by an NLMSG_NOOP with NLM_F_ACK, so a request
# the kernel does not answer (no NLM_F_REQUEST, a bad length...) is seen
# as such.  The summary, TAP comments on stdout: executions, exec/s, the
# histogram of answers (OK or the errno name of NLMSG_ERROR / NLMSG_DONE),
# dumps completed and abandoned, replies that do not parse.  Exit status 0
# when every thread ran to the end without a Python exception.
#
# Environment: FUZZ_NL_LOG=FILE logs every message sent (hex);
# FUZZ_NL_TAIL=FILE receives the last messages of each thread at the end.
import collections
import ctypes
import errno
import os
import random
import socket
import struct
import sys
import threading
import time
import traceback

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO = 1, 2, 4, 8
NLM_F_DUMP = 0x300
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE = 1, 2, 3
NLMSG_MIN_TYPE = 0x10
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
NLA_TYPE_MASK = 0x3fff
CLONE_NEWNET = 0x40000000
SO_SNDBUFFORCE, SO_RCVBUFFORCE = 32, 33
AF_INET, AF_INET6 = 2, 10

# ---- the families' attribute tables ----------------------------------------
# Kinds: U8..U64 integers, STR a NUL-terminated string of at most LEN bytes,
# BIN binary of one of the lengths LEN, NEST a nest of the table SUB, ARRAY
# a nest of nests (each of type 0) of the table SUB.
U8, U16, U32, U64, STR, BIN, NEST, ARRAY = range(8)
INT_LEN = {U8: 1, U16: 2, U32: 4, U64: 8}

AIP = {1: (U16,), 2: (BIN, (4, 16)), 3: (U8,), 4: (U32,)}
PEER = {1: (BIN, (32,)), 2: (BIN, (32,)), 3: (U32,), 4: (BIN, (16, 28)),
        5: (U16,), 6: (BIN, (16,)), 7: (U64,), 8: (U64,), 9: (ARRAY, AIP),
        10: (U32,)}
DEVICE = {1: (U32,), 2: (STR, 16), 3: (BIN, (32,)), 4: (BIN, (32,)),
          5: (U32,), 6: (U16,), 7: (U32,), 8: (ARRAY, PEER)}
DROPS = {i: (U64,) for i in range(1, 11)}
TRAINS = {i: (U64,) for i in range(1, 5)}
EVENTS = {1: (U32,), 2: (STR, 16), 3: (U32,), 4: (BIN, (32,)), 5: (U64,),
          6: (U32,), 7: (U64,), 8: (U64,), 9: (BIN, (16, 28)), 10: (U64,),
          11: (U64,), 12: (U64,), 13: (NEST, DROPS), 14: (BIN, (0,)),
          15: (NEST, TRAINS)}

WG_CMD_GET_DEVICE, WG_CMD_SET_DEVICE = 0, 1
WGEV_CMD_EVENT, WGEV_CMD_GET_PEERS, WGEV_CMD_GET_DEVICE = 1, 2, 3
FAMILIES = {"wireguard": DEVICE, "wireguard-event": EVENTS}


class Attr:
    """One attribute: leaf bytes (data) or a list of attributes (kids)."""
    __slots__ = ("type", "data", "kids", "nested", "len")

    def __init__(self, typ, data=b"", kids=None):
        self.type, self.data, self.kids = typ, data, kids
        self.nested = kids is not None
        self.len = None

    def copy(self):
        a = Attr(self.type, self.data,
                 None if self.kids is None else [k.copy() for k in self.kids])
        a.nested, a.len = self.nested, self.len
        return a


def pad4(b):
    return b + bytes(-len(b) % 4)


def enc(attrs):
    """Attributes to bytes; nla_len wraps at 16 bits like the kernel's."""
    out = bytearray()
    for a in attrs:
        body = enc(a.kids) if a.kids is not None else a.data
        typ = a.type | (NLA_F_NESTED if a.nested else 0)
        ln = 4 + len(body) if a.len is None else a.len
        out += struct.pack("=HH", ln & 0xffff, typ & 0xffff) + pad4(body)
    return bytes(out)


def nla_walk(buf):
    """(type, payload) of each attribute nla_parse() would see, and the
    number of bytes left over."""
    out, off = [], 0
    while len(buf) - off >= 4:
        ln, typ = struct.unpack_from("=HH", buf, off)
        if ln < 4 or ln > len(buf) - off:
            break
        out.append((typ & NLA_TYPE_MASK, buf[off + 4:off + ln]))
        off += (ln + 3) & ~3
    return out, max(len(buf) - off, 0)


def nlmsg(typ, flags, seq, payload, length=None):
    ln = 16 + len(payload) if length is None else length
    return struct.pack("=IHHII", ln & 0xffffffff, typ, flags, seq, 0) + payload


def genl(cmd, attrs_bytes, version=1):
    return struct.pack("=BBH", cmd & 0xff, version & 0xff, 0) + attrs_bytes


def nlmsg_walk(buf):
    """Messages as netlink_rcv_skb() takes them from one buffer."""
    out, off = [], 0
    while len(buf) - off >= 16:
        ln, typ, flags, seq, _ = struct.unpack_from("=IHHII", buf, off)
        if ln < 16 or ln > len(buf) - off:
            break
        out.append((typ, flags, seq, buf[off + 16:off + ln]))
        off += min((ln + 3) & ~3, len(buf) - off)
    return out


# ---- network namespaces ----------------------------------------------------
libc = ctypes.CDLL(None, use_errno=True)


class Netns:
    """A network namespace (None: the caller's) and its interfaces."""

    def __init__(self, name):
        self.name = name
        self.links = dict(self.run(socket.if_nameindex))
        self.byname = {n: i for i, n in self.links.items()}

    def run(self, fn, *args):
        """fn(*args) inside the namespace, from the calling thread."""
        if self.name is None:
            return fn(*args)
        with open("/run/netns/" + self.name) as ns, \
             open("/proc/thread-self/ns/net") as home:
            if libc.setns(ns.fileno(), CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns " + self.name)
            try:
                return fn(*args)
            finally:
                if libc.setns(home.fileno(), CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns back")


def nl_socket():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    for force, plain in ((SO_SNDBUFFORCE, socket.SO_SNDBUF),
                         (SO_RCVBUFFORCE, socket.SO_RCVBUF)):
        try:
            s.setsockopt(socket.SOL_SOCKET, force, 1 << 20)
        except PermissionError:
            s.setsockopt(socket.SOL_SOCKET, plain, 1 << 20)
    s.settimeout(10)
    s.bind((0, 0))
    return s


def resolve_families(ns):
    """Ids of our families and of every registered one, via nlctrl."""
    s = ns.run(nl_socket)
    ids = {}
    for name in FAMILIES:
        attr = enc([Attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")])
        s.send(nlmsg(GENL_ID_CTRL, NLM_F_REQUEST, 1,
                     genl(CTRL_CMD_GETFAMILY, attr)))
        for typ, _, _, payload in nlmsg_walk(s.recv(65536)):
            if typ == NLMSG_ERROR:
                sys.exit("family %s: %s" % (name, errno_name(
                        -struct.unpack_from("=i", payload)[0])))
            for t, v in nla_walk(payload[4:])[0]:
                if t == CTRL_ATTR_FAMILY_ID:
                    ids[name] = struct.unpack_from("=H", v)[0]
    registered = set()
    s.send(nlmsg(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, 2,
                 genl(CTRL_CMD_GETFAMILY, b"")))
    done = False
    while not done:
        for typ, _, _, payload in nlmsg_walk(s.recv(1 << 20)):
            if typ in (NLMSG_DONE, NLMSG_ERROR):
                done = True
                continue
            for t, v in nla_walk(payload[4:])[0]:
                if t == CTRL_ATTR_FAMILY_ID:
                    registered.add(struct.unpack_from("=H", v)[0])
    s.close()
    return ids, registered


def errno_name(e):
    if e == errno.EOPNOTSUPP:
        return "EOPNOTSUPP"     # not Python's alias ENOTSUP
    return "OK" if e == 0 else errno.errorcode.get(e, "E%d" % e)


# ---- shared state and statistics -------------------------------------------
class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers = collections.Counter()
        self.c = collections.Counter()

    def add(self, **kw):
        with self.lock:
            self.c.update(kw)

    def answer(self, name):
        with self.lock:
            self.answers[name] += 1
            self.c["exec"] += 1


class Target:
    """A device to fuzz: its namespace, name and index."""

    def __init__(self, ns, name):
        self.ns, self.name = ns, name
        self.index = ns.byname[name]


# ---- one fuzzing thread ----------------------------------------------------
class Fuzzer:
    def __init__(self, tid, role, seed, cfg, stats, deadline):
        self.tid, self.role, self.cfg = tid, role, cfg
        self.stats, self.deadline = stats, deadline
        self.r = random.Random("%d/%d" % (seed, tid))
        self.seq = self.r.randrange(1 << 20) * 4
        self.socks = {}
        self.tail = collections.deque(maxlen=32)
        self.n = 0
        self.keys = [self.rnd(32) for _ in range(48)]

    # -- values --
    def rnd(self, n):
        return self.r.getrandbits(8 * n).to_bytes(n, "little") if n else b""

    def key(self):
        r = self.r.random()
        if r < 0.8:
            return self.r.choice(self.keys)
        return bytes(32) if r < 0.85 else self.rnd(32)

    def endpoint(self):
        port = struct.pack(">H", self.r.choice([0, 1, 51820, 65535,
                                                  self.r.randrange(65536)]))
        if self.r.random() < 0.6:
            addr = self.r.choice([b"\xc0\x00\x02" + self.rnd(1),
                                  b"\x7f\x00\x00\x01", bytes(4),
                                  b"\xff\xff\xff\xff"])
            return struct.pack("=H", AF_INET) + port + addr + bytes(8)
        addr = self.r.choice([b"\x20\x01\x0d\xb8" + self.rnd(12),
                              bytes(15) + b"\x01", bytes(16),
                              b"\xfe\x80" + bytes(13) + b"\x01"])
        scope = struct.pack("=I", self.r.choice([0, 0, 1, 0xffffffff]))
        return struct.pack("=H", AF_INET6) + port + bytes(4) + addr + scope

    def u(self, kind, v):
        return struct.pack("=" + "BHIQ"[[U8, U16, U32, U64].index(kind)],
                           v & ((1 << (8 * INT_LEN[kind])) - 1))

    def aip(self, fam=None, i=None):
        fam = fam or self.r.choice([AF_INET, AF_INET6])
        if fam == AF_INET:
            addr = (struct.pack(">I", 0x0a000000 + i) if i is not None
                    else self.rnd(4))
            cidr = 32 if i is not None else self.r.randrange(34)
        else:
            addr = (b"\xfd" + bytes(11) + struct.pack(">I", i)
                    if i is not None else self.rnd(16))
            cidr = 128 if i is not None else self.r.randrange(130)
        kids = [Attr(1, self.u(U16, fam)), Attr(2, addr),
                Attr(3, self.u(U8, cidr))]
        if self.r.random() < 0.1:
            kids.append(Attr(4, self.u(U32, self.r.choice([0, 1, 2]))))
        return Attr(0, kids=kids)

    def aips(self, huge):
        if not huge:
            return [self.aip() for _ in range(self.r.choice([0, 1, 1, 2, 4]))]
        fam = self.r.choice([AF_INET, AF_INET6])
        n = (self.r.randint(1000, 2300) if fam == AF_INET
             else self.r.randint(500, 1600))
        base = self.r.randrange(1 << 16) << 12
        return [self.aip(fam, base + i) for i in range(n)]

    def peer(self, huge_aips=False, lean=False):
        kids = [Attr(1, self.key())]
        if lean:
            return Attr(0, kids=kids)
        r = self.r.random
        if r() < 0.3:
            kids.append(Attr(2, self.key()))
        if r() < 0.4:
            kids.append(Attr(3, self.u(U32, self.r.choice(
                    [0, 1, 2, 4, 6, 3, 7, 8]))))
        if r() < 0.4:
            kids.append(Attr(4, self.endpoint()))
        if r() < 0.2:
            kids.append(Attr(5, self.u(U16, self.r.choice([0, 0, 1, 25, 65535]))))
        if r() < 0.05:
            kids.append(Attr(10, self.u(U32, self.r.choice([0, 1, 2]))))
        if r() < 0.03:
            kids.append(Attr(self.r.choice([6, 7, 8]), self.rnd(
                    16 if kids[-1].type == 6 else 8)))
        a = self.aips(huge_aips)
        if a or r() < 0.1:
            kids.append(Attr(9, kids=a))
        return Attr(0, kids=kids)

    def peers(self):
        r = self.r.random()
        if r < 0.015:
            return [self.peer(huge_aips=True)]
        if r < 0.03:
            lean = self.r.random() < 0.5
            n = self.r.randint(200, 1500 if lean else 800)
            return [self.peer(lean=lean) for _ in range(n)]
        return [self.peer() for _ in range(self.r.choice([0, 1, 1, 2, 3, 5]))]

    # -- device selection --
    def selector(self, t):
        """Attributes naming a device for a socket in t's namespace."""
        r = self.r.random()
        if r < 0.55:
            return [Attr(1, self.u(U32, t.index))]
        if r < 0.8:
            return [Attr(2, t.name.encode() + b"\0")]
        if r < 0.85:
            return [self.r.choice([Attr(1, self.u(U32, t.ns.byname["lo"])),
                                   Attr(2, b"lo\0")])]
        if r < 0.9:
            return [self.r.choice([Attr(1, self.u(U32, self.r.choice(
                    [0, 0xffffffff, self.r.randrange(1 << 32)]))),
                    Attr(2, b"wgfz-none\0")])]
        if r < 0.93:  # another target's index, maybe another netns's
            o = self.r.choice(self.cfg.targets)
            return [Attr(1, self.u(U32, o.index))]
        if r < 0.97:
            return [Attr(1, self.u(U32, t.index)),
                    Attr(2, self.r.choice(self.cfg.targets).name.encode() + b"\0")]
        return []

    def gen_set(self, t):
        attrs = self.selector(t)
        r = self.r.random
        if r() < 0.2:
            attrs.append(Attr(3, self.key() if r() < 0.9 else bytes(32)))
        if r() < 0.15:
            attrs.append(Attr(6, self.u(U16, self.r.choice(
                    [0, 0, 51820, 51821, self.r.randrange(65536)]))))
        if r() < 0.1:
            attrs.append(Attr(7, self.u(U32, self.r.choice([0, 1, 0xffffffff]))))
        if r() < 0.15:
            attrs.append(Attr(5, self.u(U32, self.r.choice([0, 1, 1, 2, 3]))))
        if r() < 0.8:
            attrs.append(Attr(8, kids=self.peers()))
        if r() < 0.02:
            attrs.append(Attr(4, self.rnd(32)))
        return WG_CMD_SET_DEVICE, attrs

    def gen_ev(self, t):
        attrs = self.selector(t)
        if self.r.random() < 0.1:
            k = self.r.choice(list(EVENTS))
            attrs.append(self.leaf(k, EVENTS[k]))
        cmd = self.r.choice([WGEV_CMD_GET_PEERS, WGEV_CMD_GET_DEVICE,
                             WGEV_CMD_GET_DEVICE, WGEV_CMD_EVENT, 0, 4])
        return cmd, attrs

    def leaf(self, k, spec):
        kind = spec[0]
        if kind in INT_LEN:
            return Attr(k, self.rnd(INT_LEN[kind]))
        if kind == STR:
            return Attr(k, b"wgfz9\0")
        if kind == BIN:
            return Attr(k, self.rnd(self.r.choice(spec[1])))
        return Attr(k, kids=[])

    # -- mutations --
    def nodes(self, attrs, out=None):
        out = [] if out is None else out
        for i, a in enumerate(attrs):
            out.append((attrs, i, a))
            if a.kids is not None and len(out) < 1000:
                self.nodes(a.kids, out)
        return out

    def lists(self, attrs):
        return [attrs] + [a.kids for _, _, a in self.nodes(attrs)
                          if a.kids is not None]

    def mutate(self, attrs):
        for _ in range(self.r.choice([1, 1, 1, 2, 3, 5])):
            nodes = self.nodes(attrs)
            m = self.r.choice(MUTATIONS)
            if nodes or m in (Fuzzer.m_unknown,):
                m(self, attrs, nodes)

    def pick(self, nodes):
        # Prefer shallow nodes: the first ones of the pre-order walk.
        if self.r.random() < 0.5:
            return self.r.choice(nodes[:8])
        return self.r.choice(nodes)

    def m_type(self, attrs, nodes):
        lst, i, a = self.pick(nodes)
        if a.kids is not None and self.r.random() < 0.7:
            lst[i] = Attr(a.type, self.rnd(self.r.choice([0, 1, 4, 8, 32])))
            return
        lst[i] = Attr(a.type, self.r.choice(
                [b"", b"\0", self.rnd(2), self.rnd(3), self.rnd(4), self.rnd(8),
                 self.rnd(16), self.rnd(31), self.rnd(33),
                 self.rnd(self.r.randrange(300))]))
        if self.r.random() < 0.2:
            lst[i] = Attr(a.type, kids=[Attr(self.r.randrange(12),
                                             self.rnd(4))])

    def m_len(self, attrs, nodes):
        _, _, a = self.pick(nodes)
        real = 4 + len(enc([a])) - 4
        a.len = self.r.choice([0, 1, 2, 3, 4, 5, real - 1, real + 1, real + 4,
                               real + 100, 0xffff, self.r.randrange(1 << 16)])

    def m_trunc(self, attrs, nodes):
        _, _, a = self.pick(nodes)
        if a.kids is not None:
            a.kids[self.r.randrange(len(a.kids) + 1):] = []
        elif a.data:
            a.data = a.data[:self.r.randrange(len(a.data))]

    def m_deep(self, attrs, nodes):
        lst, i, a = self.pick(nodes)
        for _ in range(self.r.choice([1, 2, 3, 16, 64, 200])):
            a = Attr(self.r.choice([0, 1, 8, 9, a.type]), kids=[a])
        lst[i] = a

    def m_unknown(self, attrs, nodes):
        lst = self.r.choice(self.lists(attrs))
        typ = self.r.choice([0, 11, 14, 15, 16, 100, 0x3fff, self.r.randrange(1 << 14)])
        typ |= self.r.choice([0, 0, NLA_F_NET_BYTEORDER, NLA_F_NESTED])
        lst.insert(self.r.randrange(len(lst) + 1),
                   Attr(typ, self.rnd(self.r.choice([0, 1, 4, 8, 40]))))

    def m_dup(self, attrs, nodes):
        lst, i, a = self.pick(nodes)
        n = self.r.choice([1, 1, 2, 50]) if len(enc([a])) < 256 else 1
        lst[i:i] = [a.copy() for _ in range(n)]

    def m_flag(self, attrs, nodes):
        _, _, a = self.pick(nodes)
        if self.r.random() < 0.5:
            a.nested = not a.nested
        else:
            a.type ^= NLA_F_NET_BYTEORDER

    def m_bytes(self, attrs, nodes):
        _, _, a = self.pick(nodes)
        if a.kids is None and a.data:
            b = bytearray(a.data)
            for _ in range(self.r.randint(1, 3)):
                b[self.r.randrange(len(b))] = self.r.choice(
                        [0, 0xff, 0x80, 0x7f, self.r.randrange(256)])
            a.data = bytes(b)

    def m_move(self, attrs, nodes):
        lst, i, a = self.pick(nodes)
        inside = {id(k) for k in self.lists([a])}
        del lst[i]
        dst = self.r.choice([k for k in self.lists(attrs) if id(k) not in inside])
        dst.insert(self.r.randrange(len(dst) + 1), a)

    def m_del(self, attrs, nodes):
        lst, i, _ = self.pick(nodes)
        del lst[i]

    def m_shuffle(self, attrs, nodes):
        self.r.shuffle(self.r.choice(self.lists(attrs)))

    def m_retype(self, attrs, nodes):
        _, _, a = self.pick(nodes)
        a.type = self.r.randrange(12)

    # -- one message --
    def flags(self, dump):
        base = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        if self.r.random() < 0.85:
            return base
        return self.r.choice([
                base ^ NLM_F_DUMP, NLM_F_REQUEST, NLM_F_ACK, 0, NLM_F_DUMP,
                base | NLM_F_ECHO, base | 0x100, base | 0x800, base | 0x1000,
                NLM_F_REQUEST | NLM_F_ACK | NLM_F_MULTI,
                self.r.randrange(1 << 16)])

    def build(self, t):
        """(bytes, fuzz family) of one fuzzing message to t's namespace."""
        role = self.role
        if role == "ev" or (role == "set" and self.r.random() < 0.08):
            fam, (cmd, attrs) = "wireguard-event", self.gen_ev(t)
            dump = cmd == WGEV_CMD_GET_PEERS
        elif role == "set" and self.r.random() < 0.9:
            fam, (cmd, attrs) = "wireguard", self.gen_set(t)
            dump = False
        else:
            fam, cmd, attrs = "wireguard", WG_CMD_GET_DEVICE, self.selector(t)
            dump = True
        if self.r.random() < 0.6:
            self.mutate(attrs)
        payload = enc(attrs)
        typ = self.cfg.ids[fam]
        r = self.r.random
        if r() < 0.08:
            typ = self.r.choice([self.cfg.ids["wireguard"],
                                 self.cfg.ids["wireguard-event"],
                                 NLMSG_NOOP, NLMSG_DONE, NLMSG_ERROR,
                                 self.r.choice(self.cfg.free_ids)])
        if r() < 0.08:
            cmd = self.r.choice([0, 1, 2, 3, 4, 255, self.r.randrange(256)])
        version = self.r.choice([0, 2, 255]) if r() < 0.03 else 1
        body = genl(cmd, payload, version)
        if r() < 0.03:
            body = self.rnd(self.r.randrange(600))
        if r() < 0.05:
            b = bytearray(body)
            for _ in range(self.r.randint(1, 8)):
                if b:
                    b[self.r.randrange(len(b))] ^= 1 << self.r.randrange(8)
            body = bytes(b)
        if r() < 0.03:
            body = body[:self.r.randrange(len(body) + 1)]
        length = None
        if r() < 0.03:
            length = self.r.choice([0, 15, 16, 19, 20, 16 + len(body) - 1,
                                    16 + len(body) + 1, 16 + len(body) + 100,
                                    16 + len(body) // 2, 0xffffffff])
        self.seq += 4
        return nlmsg(typ, self.flags(dump), self.seq, body, length)

    # -- talking to the kernel --
    def sock(self, ns):
        s = self.socks.get(ns.name)
        if s is None:
            s = self.socks[ns.name] = ns.run(nl_socket)
        return s

    def drop_sock(self, ns):
        s = self.socks.pop(ns.name, None)
        if s is not None:
            s.close()

    def log(self, ns, msg):
        line = "%d %d %s %s" % (self.tid, self.n, ns.name or "-", msg.hex())
        self.tail.append(line)
        if self.cfg.log is not None:
            with self.cfg.log_lock:
                self.cfg.log.write(line + "\n")

    def exchange(self, ns, msg, abandon=False):
        """Send msg and an acked NOOP; read until the NOOP's ack and the end
        of every dump.  Returns the outcome name for msg's sequence number,
        "no-answer", or "abandoned" (the socket was closed mid-dump)."""
        s = self.sock(ns)
        seq = struct.unpack_from("=I", msg, 8)[0]
        self.n += 1
        self.log(ns, msg)
        try:
            s.send(msg)
        except OSError as e:
            self.stats.add(**{"send-" + errno_name(e.errno): 1})
            return None
        s.send(nlmsg(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, seq + 1, b""))
        outcome, data, noop, dumps = None, False, False, set()
        while not noop or dumps:
            try:
                buf = s.recv(1 << 20)
            except socket.timeout:
                self.drop_sock(ns)
                return "timeout"
            for typ, flags, mseq, payload in nlmsg_walk(buf):
                if typ == NLMSG_ERROR or typ == NLMSG_DONE:
                    dumps.discard(mseq)
                    e = (struct.unpack_from("=i", payload)[0]
                         if len(payload) >= 4 else 0)
                    if typ == NLMSG_ERROR and mseq == seq + 1:
                        noop = True
                    elif mseq == seq and outcome is None:
                        outcome = errno_name(abs(e))
                        if typ == NLMSG_DONE:
                            self.stats.add(dumps_completed=int(e >= 0))
                    continue
                if flags & NLM_F_MULTI:
                    dumps.add(mseq)
                if mseq == seq:
                    data = True
                    self.check_reply(typ, payload)
            if abandon and seq in dumps:
                self.drop_sock(ns)
                self.stats.add(dumps_abandoned=1)
                return "abandoned"
        return outcome or ("OK" if data else "no-answer")

    def check_reply(self, typ, payload):
        table = {self.cfg.ids[f]: FAMILIES[f] for f in FAMILIES}.get(typ)
        if table is None or len(payload) < 4:
            self.stats.add(malformed=1)
            return
        if not well_formed(payload[4:], table):
            self.stats.add(malformed=1)
            self.tail.append("malformed reply %s" % payload.hex())

    def safe(self, ns, msg):
        """Nothing in msg can reach a device or family not ours to fuzz."""
        for typ, flags, _, payload in nlmsg_walk(msg):
            if not flags & NLM_F_REQUEST or typ < NLMSG_MIN_TYPE:
                continue
            if typ not in self.cfg.allowed_ids:
                return False
            for t, v in nla_walk(payload[4:])[0]:
                if t == 1 and len(v) >= 4 and \
                   struct.unpack_from("=I", v)[0] in self.cfg.forbidden_idx[ns.name]:
                    return False
                if t == 2 and v.split(b"\0")[0] in self.cfg.forbidden_names[ns.name]:
                    return False
        return True

    def one(self):
        t = self.r.choice(self.cfg.targets)
        if self.role == "dump" or (self.role == "ev" and self.r.random() < 0.5):
            return self.dump(t)
        msg = self.build(t)
        if not self.safe(t.ns, msg):
            self.stats.add(guarded=1)
            return
        out = self.exchange(t.ns, msg)
        if out is not None:
            self.stats.answer(out)

    def dump(self, t):
        """A GET_DEVICE dump of t, read whole or abandoned after a part."""
        self.seq += 4
        sel = self.selector(t) if self.r.random() < 0.2 else [
                Attr(1, self.u(U32, t.index))]
        msg = nlmsg(self.cfg.ids["wireguard"], NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
                    self.seq, genl(WG_CMD_GET_DEVICE, enc(sel)))
        if not self.safe(t.ns, msg):
            self.stats.add(guarded=1)
            return
        out = self.exchange(t.ns, msg, abandon=self.r.random() < 0.25)
        if out is not None and out != "abandoned":
            self.stats.answer(out)
        elif out == "abandoned":
            self.stats.add(exec=1)

    def run(self):
        try:
            while time.monotonic() < self.deadline:
                self.one()
        except Exception:
            self.stats.add(thread_errors=1)
            sys.stderr.write("thread %d (%s) failed after %d messages:\n%s" %
                             (self.tid, self.role, self.n, traceback.format_exc()))
            sys.stderr.write("".join("  last: %s\n" % l for l in self.tail))
        finally:
            for s in self.socks.values():
                s.close()


MUTATIONS = [Fuzzer.m_type, Fuzzer.m_len, Fuzzer.m_trunc, Fuzzer.m_deep,
             Fuzzer.m_unknown, Fuzzer.m_dup, Fuzzer.m_flag, Fuzzer.m_bytes,
             Fuzzer.m_move, Fuzzer.m_del, Fuzzer.m_shuffle, Fuzzer.m_retype]


def well_formed(buf, table):
    """Every attribute and nest of a reply parses exactly."""
    attrs, rest = nla_walk(buf)
    if rest:
        return False
    for t, v in attrs:
        spec = table.get(t)
        if spec is None:
            continue
        if spec[0] == NEST and not well_formed(v, spec[1]):
            return False
        if spec[0] == ARRAY:
            items, rest = nla_walk(v)
            if rest or not all(well_formed(i, spec[1]) for _, i in items):
                return False
    return True


class Config:
    def __init__(self, names, log_path):
        self.netns = {}
        self.targets = []
        for arg in names:
            ns, _, name = arg.rpartition("/")
            ns = ns or None
            if ns not in self.netns:
                self.netns[ns] = Netns(ns)
            self.targets.append(Target(self.netns[ns], name))
        if None not in self.netns:
            self.netns[None] = Netns(None)
        self.ids, self.registered = resolve_families(self.netns[None])
        self.allowed_ids = set(self.ids.values())
        self.forbidden_idx, self.forbidden_names = {}, {}
        for ns in self.netns.values():
            ok = {t.index for t in self.targets if t.ns is ns}
            ok.add(ns.byname["lo"])
            self.forbidden_idx[ns.name] = set(ns.links) - ok
            self.forbidden_names[ns.name] = {
                    ns.links[i].encode() for i in self.forbidden_idx[ns.name]}
        self.free_ids = [i for i in range(0x1000, 0x1100) if i not in self.registered]
        self.allowed_ids.update(self.free_ids)
        self.log = open(log_path, "w") if log_path else None
        self.log_lock = threading.Lock()


def summary(stats, cfg, seed, elapsed):
    c = stats.c
    print("# fuzz-netlink: seed %d, %.1f s, targets %s" %
          (seed, elapsed, " ".join(
                  (t.ns.name + "/" if t.ns.name else "") + t.name for t in cfg.targets)))
    print("# executions: %d" % c["exec"])
    print("# exec/s: %.1f" % (c["exec"] / max(elapsed, 1e-3)))
    for name, n in sorted(stats.answers.items(), key=lambda x: -x[1]):
        print("# answer %s: %d" % (name, n))
    distinct = [a for a in stats.answers if a not in ("no-answer", "timeout")]
    print("# distinct answers: %d (%s)" % (len(distinct), " ".join(sorted(distinct))))
    print("# dumps completed: %d" % c["dumps_completed"])
    print("# dumps abandoned: %d" % c["dumps_abandoned"])
    print("# not sent (guard): %d" % c["guarded"])
    for k in sorted(k for k in c if k.startswith("send-")):
        print("# send failed %s: %d" % (k[5:], c[k]))
    print("# malformed replies: %d" % c["malformed"])
    print("# thread errors: %d" % c["thread_errors"])


def replay(path):
    """Send every logged message again, printing each one's answers."""
    netns = {}
    for line in open(path):
        w = line.split()
        if len(w) != 4:
            continue
        ns = netns.setdefault(w[2], Netns(None if w[2] == "-" else w[2]))
        s = ns.run(nl_socket)
        s.send(bytes.fromhex(w[3]))
        s.send(nlmsg(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 0x7fffffff, b""))
        answers, noop = [], False
        while not noop:
            for typ, _, seq, payload in nlmsg_walk(s.recv(1 << 20)):
                noop = noop or seq == 0x7fffffff
                if typ in (NLMSG_ERROR, NLMSG_DONE) and len(payload) >= 4:
                    e = abs(struct.unpack_from("=i", payload)[0])
                    answers.append("%d:%s" % (seq, errno_name(e)))
        s.close()
        print(w[0], w[1], " ".join(answers))


def main(argv):
    if len(argv) == 3 and argv[1] == "replay":
        replay(argv[2])
        return 0
    if len(argv) < 4:
        sys.exit(__doc__ or "usage: fuzz-netlink.py SECONDS SEED IFNAME...")
    seconds, seed = float(argv[1]), int(argv[2])
    sys.setrecursionlimit(10000)
    cfg = Config(argv[3:], os.environ.get("FUZZ_NL_LOG"))
    stats = Stats()
    start = time.monotonic()
    roles = ["set", "set", "dump", "ev"]
    fuzzers = [Fuzzer(i, role, seed, cfg, stats, start + seconds)
               for i, role in enumerate(roles)]
    threads = [threading.Thread(target=f.run) for f in fuzzers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    summary(stats, cfg, seed, elapsed)
    tail = os.environ.get("FUZZ_NL_TAIL")
    if tail:
        with open(tail, "w") as f:
            for fz in fuzzers:
                f.write("".join(l + "\n" for l in fz.tail))
    if cfg.log is not None:
        cfg.log.close()
    return 1 if stats.c["thread_errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
