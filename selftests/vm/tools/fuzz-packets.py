#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A packet fuzzer for a WireGuard device's UDP port (stdlib only; mac1 from
# wg-hsgen.py).
#
#   fuzz-packets.py SECONDS SEED DST_IP DST_PORT PUBKEY_B64 [SEED_HEX_FILE]
#       sends for SECONDS, from a UDP socket, a mix of (see CLASSES):
#       random bytes of random lengths; messages of each type (1 initiation
#       148 bytes, 2 response 92, 3 cookie reply 64, 4 transport >= 32)
#       with the right length and random contents, or a wrong length;
#       initiations and responses with a valid mac1 for PUBKEY_B64 (the
#       target's public key), so they reach the handshake code; and, from
#       SEED_HEX_FILE (one captured WireGuard message in hex per line, any
#       type), transport messages of a real session with bit flips,
#       truncation, extension, counter and receiver index changes, random
#       bodies, and exact replays, and handshake messages replayed or
#       flipped.  The packets are a function of SEED and the seed file.
#       Messages that make the target do public-key work (valid mac1,
#       replayed handshakes) are limited to FUZZ_COSTLY_RATE per second
#       (default 300), so the target is not kept under load the whole time.
#       At the end: TAP comments "# fuzz: sent N seconds S pps P errors E"
#       and "# class NAME N" per class.  With FUZZ_RING=FILE, the last 256
#       packets (hex, "class hex" per line) are written there every second
#       and at the end, to reproduce a crash.
#   fuzz-packets.py --pcap-hex PCAP PORT
#       hex of every WireGuard message to UDP port PORT in PCAP (Ethernet,
#       IPv4 or IPv6), one per line: a seed file.
import base64
import collections
import importlib.util
import os
import random
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def hsgen():
    spec = importlib.util.spec_from_file_location(
        "wg_hsgen", os.path.join(HERE, "wg-hsgen.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


HS = hsgen()
SIZES = {1: 148, 2: 92, 3: 64}
MAC1_AT = {1: 116, 2: 60}


def header(t):
    return struct.pack("<I", t)


class Fuzzer:
    def __init__(self, seed, pub_b64, seeds):
        self.r = random.Random(seed)
        self.mkey = HS.blake2s(HS.LABEL_MAC1, base64.b64decode(pub_b64))
        self.transport = [s for s in seeds if s[0] == 4 and len(s) >= 32]
        self.handshake = [s for s in seeds if s[0] in SIZES]

    def rand(self, n):
        return self.r.randbytes(n)

    def length(self):
        # mostly small, sometimes up to a full datagram
        return self.r.choice((self.r.randrange(0, 40), self.r.randrange(0, 200),
                              self.r.randrange(0, 1473)))

    def with_mac1(self, body):
        return body + HS.mac16(self.mkey, body) + self.rand(16)

    # ---- no session knowledge ----
    def c_random(self):
        return self.rand(self.length())

    def c_typed_badlen(self):
        t = self.r.randrange(1, 5)
        n = SIZES.get(t, 32)
        n = self.r.choice((n - 1, n + 1, self.r.randrange(4, n), n + self.r.randrange(1, 300)))
        if t == 4:
            n = self.r.randrange(4, 32)
        return header(t) + self.rand(n - 4)

    def c_bad_header(self):
        t = self.r.randrange(1, 5) | (self.r.randrange(1, 256) << self.r.choice((8, 16, 24)))
        return struct.pack("<I", t & 0xffffffff) + self.rand(SIZES.get(t & 0xff, 32) - 4)

    def c_init_rand(self):
        return header(1) + self.rand(144)

    def c_resp_rand(self):
        return header(2) + self.rand(88)

    def c_cookie_rand(self):
        return header(3) + self.rand(60)

    def c_transport_rand(self):
        return header(4) + self.rand(28 + self.length())

    def c_init_mac1(self):
        return self.with_mac1(header(1) + self.rand(112))

    def c_resp_mac1(self):
        return self.with_mac1(header(2) + self.rand(56))

    def c_mac1_flip(self):
        m = bytearray(self.with_mac1(header(1) + self.rand(112)))
        m[self.r.randrange(4, 132)] ^= 1 << self.r.randrange(8)
        return bytes(m)

    # ---- mutations of captured transport messages ----
    def seed_t(self):
        return bytearray(self.r.choice(self.transport))

    def flip(self, m, lo):
        for _ in range(self.r.randrange(1, 5)):
            m[self.r.randrange(lo, len(m))] ^= 1 << self.r.randrange(8)
        return bytes(m)

    def c_t_flip(self):
        return self.flip(self.seed_t(), 16)

    def c_t_hdrflip(self):
        m = self.seed_t()
        m[self.r.randrange(0, 16)] ^= 1 << self.r.randrange(8)
        return bytes(m)

    def c_t_trunc(self):
        m = self.seed_t()
        return bytes(m[:self.r.randrange(0, len(m))])

    def c_t_extend(self):
        return bytes(self.seed_t()) + self.rand(self.r.randrange(1, 65))

    def c_t_counter(self):
        m = self.seed_t()
        c = struct.unpack_from("<Q", m, 8)[0]
        c = self.r.choice((self.r.getrandbits(64), c + self.r.randrange(1, 4096),
                           max(0, c - self.r.randrange(1, 4096)), 0, 2**64 - 1,
                           2**64 - 2**13 - 1, c + 8192))
        struct.pack_into("<Q", m, 8, c % 2**64)
        return bytes(m)

    def c_t_index(self):
        m = self.seed_t()
        i = struct.unpack_from("<I", m, 4)[0]
        i = self.r.choice((self.r.getrandbits(32), i ^ (1 << self.r.randrange(32)),
                           (i + 1) % 2**32, (i - 1) % 2**32, 0))
        struct.pack_into("<I", m, 4, i)
        return bytes(m)

    def c_t_body(self):
        return bytes(self.seed_t()[:16]) + self.rand(16 + self.length())

    def c_t_replay(self):
        return bytes(self.seed_t())

    # ---- captured handshake messages ----
    def c_hs_replay(self):
        return self.r.choice(self.handshake)

    def c_hs_flip(self):
        return self.flip(bytearray(self.r.choice(self.handshake)), 4)


# name, weight, needs (None, "t" transport seeds, "h" handshake seeds), costly
CLASSES = (
    ("random", 10, None, False),
    ("typed-badlen", 6, None, False),
    ("bad-header", 3, None, False),
    ("init-rand", 7, None, False),
    ("resp-rand", 5, None, False),
    ("cookie-rand", 6, None, False),
    ("transport-rand", 7, None, False),
    ("init-mac1", 4, None, True),
    ("resp-mac1", 3, None, False),
    ("mac1-flip", 2, None, False),
    ("t-flip", 8, "t", False),
    ("t-hdrflip", 4, "t", False),
    ("t-trunc", 6, "t", False),
    ("t-extend", 5, "t", False),
    ("t-counter", 6, "t", False),
    ("t-index", 5, "t", False),
    ("t-body", 5, "t", False),
    ("t-replay", 6, "t", False),
    ("hs-replay", 2, "h", True),
    ("hs-flip", 3, "h", False),
)


def schedule(fz):
    # The weighted classes as a flat list of (name, generator, costly).
    have = {None: True, "t": bool(fz.transport), "h": bool(fz.handshake)}
    out = []
    for name, w, need, costly in CLASSES:
        if have[need]:
            gen = getattr(fz, "c_" + name.replace("-", "_"))
            out += [(name, gen, costly)] * w
    return out


def write_ring(path, ring):
    if not path:
        return
    with open(path + ".new", "w") as f:
        for name, pkt in ring:
            f.write("%s %s\n" % (name, pkt.hex()))
    os.replace(path + ".new", path)


def read_seeds(path):
    if not path:
        return []
    with open(path) as f:
        return [bytes.fromhex(l.strip()) for l in f if l.strip()]


def fuzz(seconds, seed, dst, port, pub, seed_file):
    fz = Fuzzer(seed, pub, read_seeds(seed_file))
    plan = schedule(fz)
    cheap = [p for p in plan if not p[2]]
    rate = float(os.environ.get("FUZZ_COSTLY_RATE", "300"))
    ring_path = os.environ.get("FUZZ_RING")
    ring = collections.deque(maxlen=256)
    counts = collections.Counter()
    s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((dst, port))
    # A send that would wait (a full socket buffer on a loaded host) is
    # given up and counted as an error: the run must end on time.
    s.settimeout(0.2)
    sent = errors = 0
    start = last = time.monotonic()
    end = start + seconds
    tokens = rate
    choice, send = fz.r.choice, s.send
    while True:
        now = time.monotonic()
        if now >= end:
            break
        tokens = min(rate, tokens + (now - last) * rate)
        if now - last >= 1:
            write_ring(ring_path, ring)
        last = now
        for _ in range(64):
            name, gen, costly = choice(plan)
            if costly:
                if tokens < 1:
                    name, gen, costly = choice(cheap)
                else:
                    tokens -= 1
            pkt = gen()
            ring.append((name, pkt))
            try:
                send(pkt)
                counts[name] += 1
                sent += 1
            except OSError:
                errors += 1
    took = time.monotonic() - start
    write_ring(ring_path, ring)
    print("# fuzz: sent %d seconds %.1f pps %.0f errors %d seed %d transport-seeds %d "
          "handshake-seeds %d" % (sent, took, sent / took, errors, seed,
                                  len(fz.transport), len(fz.handshake)))
    for name, *_ in CLASSES:
        if counts[name]:
            print("# class %s %d" % (name, counts[name]))
    return 0


# ---- seed messages from a capture ----
def udp_payloads(data):
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if pkt[12:14] == b"\x08\x00" and len(pkt) > 34 and pkt[23] == 17:
            yield pkt[14 + (pkt[14] & 15) * 4:]
        elif pkt[12:14] == b"\x86\xdd" and len(pkt) > 62 and pkt[20] == 17:
            yield pkt[54:]


def pcap_hex(path, port):
    with open(path, "rb") as f:
        data = f.read()
    for udp in udp_payloads(data):
        m = udp[8:]
        if len(udp) >= 8 and struct.unpack_from("!H", udp, 2)[0] == port and \
                len(m) >= 4 and m[0] in (1, 2, 3, 4) and m[1:4] == b"\0\0\0":
            print(m.hex())
    return 0


def main(a):
    if len(a) == 3 and a[0] == "--pcap-hex":
        return pcap_hex(a[1], int(a[2]))
    if len(a) in (5, 6) and not a[0].startswith("-"):
        return fuzz(float(a[0]), int(a[1]), a[2], int(a[3]), a[4],
                    a[5] if len(a) == 6 else None)
    sys.stderr.write(open(__file__).read().split("import base64")[0])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
