#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""gen-config.py PEERS AIPS_PER_PEER [SEED]: a deterministic wg(8) config on
stdout with PEERS peers and PEERS*AIPS_PER_PEER distinct allowed IPs (60 %
IPv4 /32s, 40 % IPv6 /128s), keys random-looking 32-byte base64 from SEED."""
import base64
import random
import sys

peers = int(sys.argv[1])
per = int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)


def key():
    return base64.b64encode(rng.getrandbits(256).to_bytes(32, "little")).decode()


out = ["[Interface]", "PrivateKey = " + key(), "ListenPort = 51820", ""]
n4 = n6 = 0
for p in range(peers):
    aips = []
    for j in range(per):
        if j < per * 6 // 10:
            aips.append("10.%d.%d.%d/32" % (n4 >> 16 & 255, n4 >> 8 & 255, n4 & 255))
            n4 += 1
        else:
            aips.append("fd00:%x:%x::%x/128" % (n6 >> 32 & 0xffff, n6 >> 16 & 0xffff, n6 & 0xffff))
            n6 += 1
    out += ["[Peer]", "PublicKey = " + key(), "AllowedIPs = " + ", ".join(aips)]
    if p % 2 == 0:
        out.append("Endpoint = 192.0.2.%d:%d" % (p % 250 + 1, 1024 + p % 60000))
    out.append("")
sys.stdout.write("\n".join(out))
