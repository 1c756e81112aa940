#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Known-answer vectors for selftest/cookie.c, from Python's BLAKE2s and
the cryptography package's ChaCha20-Poly1305 (XChaCha20 = HChaCha20 subkey
+ ChaCha20-Poly1305 with the nonce's last 8 bytes), independent of the
module's code.  Prints the C arrays pasted into selftest/cookie.c."""
import hashlib
import struct
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305


def rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & 0xffffffff


def hchacha20(key, nonce16):
    s = list(struct.unpack('<4I', b'expand 32-byte k')) + \
        list(struct.unpack('<8I', key)) + list(struct.unpack('<4I', nonce16))

    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 7)
    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return struct.pack('<8I', *(s[0:4] + s[12:16]))


def xchacha20poly1305(key, nonce24, plain, ad):
    sub = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(sub).encrypt(b'\0' * 4 + nonce24[16:], plain, ad)


def mac(key, data):
    return hashlib.blake2s(data, key=key, digest_size=16).digest()


pub = bytes((i * 7 + 3) & 0xff for i in range(32))
secret = bytes((0xa5 ^ (i * 13)) & 0xff for i in range(32))
nonce = bytes((0x30 + i * 5) & 0xff for i in range(24))
msg = bytearray((i * 29 + 11) & 0xff for i in range(148))
msg[0:4] = b'\x01\0\0\0'
src = bytes([198, 51, 100, 9]) + struct.pack('>H', 4242)

mac1_key = hashlib.blake2s(b'mac1----' + pub).digest()
cookie_key = hashlib.blake2s(b'cookie--' + pub).digest()
mac1 = mac(mac1_key, bytes(msg[:-32]))
msg[-32:-16] = mac1
cookie = mac(secret, src)
enc = xchacha20poly1305(cookie_key, nonce, cookie, mac1)
mac2 = mac(cookie, bytes(msg[:-16]))


def arr(name, b):
    out = 'static const u8 %s[%d] = {\n' % (name, len(b))
    for i in range(0, len(b), 8):
        out += '\t' + ', '.join('0x%02x' % x for x in b[i:i + 8]) + ',\n'
    return out + '};\n'


for n, v in (('ck_kat_cookie_key', cookie_key), ('ck_kat_mac1', mac1), ('ck_kat_cookie', cookie),
             ('ck_kat_encrypted', enc), ('ck_kat_mac2', mac2)):
    print(arr(n, v))
