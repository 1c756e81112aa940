#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# WireGuard handshake messages for the flood test and the handshake benchmark,
# written from the protocol description (Noise_IKpsk2, BLAKE2s, ChaCha20-
# Poly1305, X25519).
#
#   wg-hsgen.py flood PUB N OUT
#       N initiations (148 bytes each, concatenated) with random contents but
#       a valid mac1 for the responder's public key PUB (base64); sender
#       index = record number + 1.
#   wg-hsgen.py inits DIR PEERS N
#       a responder key and PEERS initiator keys; DIR/responder.conf (wg
#       setconf format, every peer with the preshared key), DIR/inits.bin
#       (N valid initiations, peer = record % PEERS, increasing TAI64N per
#       peer, sender index = record + 1) and DIR/state.bin (per record the
#       initiator's ephemeral private key and chaining key/hash, to check
#       responses).
#   wg-hsgen.py check-responses DIR FILE
#       FILE holds 92-byte responses; each is checked against the state of
#       the initiation it answers (receiver index); prints "valid V of T".
#   wg-hsgen.py check-cookies PUB FLOODFILE PCAP SRC
#       cookie replies (type 3, 64 bytes) from SRC in PCAP (Ethernet, IPv4/
#       UDP) decrypt with the cookie key of PUB and the mac1 of the flood
#       initiation they answer (an even sample of at most 200 is decrypted);
#       prints "cookies C checked K valid V".
import base64
import hashlib
import hmac
import os
import struct
import sys

CONSTRUCTION = b"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"
IDENTIFIER = b"WireGuard v1 zx2c4 Jason@zx2c4.com"
LABEL_MAC1 = b"mac1----"
LABEL_COOKIE = b"cookie--"


def blake2s(*parts):
    return hashlib.blake2s(b"".join(parts)).digest()


def mac16(key, data):
    return hashlib.blake2s(data, key=key, digest_size=16).digest()


def hmac_b2s(key, data):
    return hmac.new(key, data, hashlib.blake2s).digest()


def kdf(chain, data, n):
    t0 = hmac_b2s(chain, data)
    out, prev = [], b""
    for i in range(1, n + 1):
        prev = hmac_b2s(t0, prev + bytes([i]))
        out.append(prev)
    return out


def crypto():
    from cryptography.hazmat.primitives.asymmetric import x25519
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives import serialization
    raw = serialization.Encoding.Raw
    return x25519, ChaCha20Poly1305, raw, serialization


def aead(key, counter, plain, ad):
    _, cp, _, _ = crypto()
    return cp(key).encrypt(b"\0" * 4 + struct.pack("<Q", counter), plain, ad)


def aead_open(key, counter, ct, ad):
    _, cp, _, _ = crypto()
    return cp(key).decrypt(b"\0" * 4 + struct.pack("<Q", counter), ct, ad)


def pub_bytes(priv):
    _, _, raw, ser = crypto()
    return priv.public_key().public_bytes(raw, ser.PublicFormat.Raw)


def priv_bytes(priv):
    _, _, raw, ser = crypto()
    return priv.private_bytes(raw, ser.PrivateFormat.Raw, ser.NoEncryption())


def b64(b):
    return base64.b64encode(b).decode()


def cmd_flood(pub_b64, n, out):
    spub = base64.b64decode(pub_b64)
    mkey = blake2s(LABEL_MAC1, spub)
    with open(out, "wb") as f:
        for i in range(n):
            body = b"\x01\0\0\0" + struct.pack("<I", i + 1) + os.urandom(108)
            f.write(body + mac16(mkey, body) + b"\0" * 16)


def cmd_inits(d, npeers, n):
    x25519 = crypto()[0]
    os.makedirs(d, exist_ok=True)
    rpriv = x25519.X25519PrivateKey.generate()
    rpub = pub_bytes(rpriv)
    psk = os.urandom(32)
    peers = [x25519.X25519PrivateKey.generate() for _ in range(npeers)]
    with open(os.path.join(d, "responder.conf"), "w") as f:
        f.write("[Interface]\nPrivateKey = %s\n" % b64(priv_bytes(rpriv)))
        for p in peers:
            f.write("\n[Peer]\nPublicKey = %s\nPresharedKey = %s\n" %
                    (b64(pub_bytes(p)), b64(psk)))
    with open(os.path.join(d, "keys"), "w") as f:
        f.write("%s %s\n" % (b64(rpub), b64(psk)))
    c0 = blake2s(CONSTRUCTION)
    h0 = blake2s(blake2s(c0, IDENTIFIER), rpub)
    mkey = blake2s(LABEL_MAC1, rpub)
    ss = [p.exchange(x25519.X25519PublicKey.from_public_bytes(rpub)) for p in peers]
    spubs = [pub_bytes(p) for p in peers]
    base = 0x400000000000000a + 1700000000
    with open(os.path.join(d, "inits.bin"), "wb") as fi, \
            open(os.path.join(d, "state.bin"), "wb") as fs:
        for i in range(n):
            p = i % npeers
            e = x25519.X25519PrivateKey.generate()
            epub = pub_bytes(e)
            msg = b"\x01\0\0\0" + struct.pack("<I", i + 1) + epub
            c = kdf(c0, epub, 1)[0]
            h = blake2s(h0, epub)
            c, k = kdf(c, e.exchange(x25519.X25519PublicKey.from_public_bytes(rpub)), 2)
            st = aead(k, 0, spubs[p], h)
            h = blake2s(h, st)
            c, k = kdf(c, ss[p], 2)
            ts = struct.pack(">QI", base + i // npeers, 0)
            et = aead(k, 0, ts, h)
            h = blake2s(h, et)
            msg += st + et
            msg += mac16(mkey, msg)
            fi.write(msg + b"\0" * 16)
            fs.write(priv_bytes(e) + c + h + struct.pack("<I", p))
    with open(os.path.join(d, "peers"), "w") as f:
        for p in peers:
            f.write(b64(priv_bytes(p)) + "\n")


def cmd_check_responses(d, path):
    x25519 = crypto()[0]
    _, psk = [base64.b64decode(x) for x in open(os.path.join(d, "keys")).read().split()]
    state = open(os.path.join(d, "state.bin"), "rb").read()
    peers = [x25519.X25519PrivateKey.from_private_bytes(base64.b64decode(l))
             for l in open(os.path.join(d, "peers")).read().split()]
    data = open(path, "rb").read()
    total = valid = 0
    for off in range(0, len(data) - 91, 92):
        m = data[off:off + 92]
        total += 1
        if m[0] != 2 or m[1:4] != b"\0\0\0":
            continue
        idx = struct.unpack_from("<I", m, 8)[0] - 1
        s = state[idx * 100:(idx + 1) * 100]
        if len(s) != 100:
            continue
        e = x25519.X25519PrivateKey.from_private_bytes(s[:32])
        c, h = s[32:64], s[64:96]
        p = peers[struct.unpack_from("<I", s, 96)[0]]
        repub = m[12:44]
        rk = x25519.X25519PublicKey.from_public_bytes(repub)
        c = kdf(c, repub, 1)[0]
        h = blake2s(h, repub)
        c = kdf(c, e.exchange(rk), 1)[0]
        c = kdf(c, p.exchange(rk), 1)[0]
        c, t, k = kdf(c, psk, 3)
        h = blake2s(h, t)
        try:
            aead_open(k, 0, m[44:60], h)
        except Exception:
            continue
        valid += 1
    print("valid %d of %d" % (valid, total))


def hchacha20(key, nonce16):
    def rotl(v, n):
        return ((v << n) & 0xffffffff) | (v >> (32 - n))

    def qr(s, a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 7)
    s = list(struct.unpack("<4I", b"expand 32-byte k")) + \
        list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))
    for _ in range(10):
        qr(s, 0, 4, 8, 12); qr(s, 1, 5, 9, 13); qr(s, 2, 6, 10, 14); qr(s, 3, 7, 11, 15)
        qr(s, 0, 5, 10, 15); qr(s, 1, 6, 11, 12); qr(s, 2, 7, 8, 13); qr(s, 3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def cmd_check_cookies(pub_b64, flood, pcap, src, limit=200):
    key = blake2s(LABEL_COOKIE, base64.b64decode(pub_b64))
    inits = open(flood, "rb").read()
    data = open(pcap, "rb").read()
    srcb = bytes(int(x) for x in src.split("."))
    off, replies = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 34 or pkt[12:14] != b"\x08\x00" or pkt[23] != 17:
            continue
        ihl = (pkt[14] & 15) * 4
        if pkt[26:30] != srcb:
            continue
        m = pkt[14 + ihl + 8:]
        if len(m) == 64 and m[0] == 3:
            replies.append(m)
    # Decrypting is slow in Python under emulation: check an even sample.
    step = max(1, len(replies) // limit)
    sample = replies[::step][:limit]
    _, cp, _, _ = crypto()
    valid = 0
    for m in sample:
        idx = struct.unpack_from("<I", m, 4)[0] - 1
        rec = inits[idx * 148:(idx + 1) * 148]
        if len(rec) != 148:
            continue
        nonce = m[8:32]
        sub = hchacha20(key, nonce[:16])
        try:
            cookie = cp(sub).decrypt(b"\0" * 4 + nonce[16:], m[32:64], rec[116:132])
        except Exception:
            continue
        valid += len(cookie) == 16
    print("cookies %d checked %d valid %d" % (len(replies), len(sample), valid))


def main(a):
    if len(a) == 4 and a[0] == "flood":
        cmd_flood(a[1], int(a[2]), a[3])
    elif len(a) == 4 and a[0] == "inits":
        cmd_inits(a[1], int(a[2]), int(a[3]))
    elif len(a) == 3 and a[0] == "check-responses":
        cmd_check_responses(a[1], a[2])
    elif len(a) == 5 and a[0] == "check-cookies":
        cmd_check_cookies(a[1], a[2], a[3], a[4])
    else:
        sys.stderr.write(open(__file__).read().split("import base64")[0])
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
