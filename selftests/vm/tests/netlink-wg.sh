#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netlink-wg.sh [IMPL...] [dyndbg]: drive the module with Debian's upstream
# wg (wireguard-tools) through one fixed transcript -- set, show in every
# field form, dump, showconf, setconf, addconf, syncconf, peer removal,
# allowed-ips replacement, 250 peers -- once per implementation (default:
# debian then ours), check that every value reads back as set, and require
# the transcripts of Debian's module and ours to be identical (ports are
# pinned; the one random port is masked).  Then, ours only, the per-prefix
# WGALLOWEDIP_F_REMOVE_ME flag through the raw netlink client.
#
# Run with --no-module: the script loads each implementation itself.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/lifetime.sh"

impl_args "debian ours" "" -- "$@"

WGNL=$WG_REPO/build/netlink/wgnl
D=/tmp/nlwg
mkdir -p $D
cd $D || exit 1
umask 077

# ---------------------------------------------------------------------------
# Fixed material, generated once so every implementation sees the same keys.
# Private keys deliberately include an unclamped one: the kernel stores and
# reports the clamped form.
gen_b64() { head -c 32 /dev/urandom | base64; }
for i in 1 2 3 4 5; do
	wg genkey > priv$i
	wg pubkey < priv$i > pub$i
done
# An unclamped private key: low 3 bits set, top bit set, bit 254 clear.
python3 -c '
import base64, os
k = bytearray(os.urandom(32)); k[0] |= 7; k[31] = (k[31] | 0x80) & 0xbf
print(base64.b64encode(bytes(k)).decode())' > unclamped
wg pubkey < unclamped > unclamped.pub
# What the kernel must report for it: the clamped key.
python3 -c '
import base64, sys
k = bytearray(base64.b64decode(open("unclamped").read()))
k[0] &= 248; k[31] = (k[31] & 127) | 64
print(base64.b64encode(bytes(k)).decode())' > clamped
gen_b64 > psk1
gen_b64 > psk2
printf 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' > zero.pub

# The big configuration, in exactly the layout `wg showconf` prints, so the
# read-back is a plain comparison.  250 peers, 2-3 allowed IPs each, every
# endpoint form, pre-shared keys and keepalives on some.
python3 - <<'EOF'
import base64, os
def b64(): return base64.b64encode(os.urandom(32)).decode()
priv = open("priv5").read().strip()
peers = []
for i in range(250):
    p = {"PublicKey": b64()}
    if i % 2 == 0:
        p["PresharedKey"] = b64()
    aips = ["10.%d.%d.0/24" % (100 + i // 256, i % 256), "fd00:%x::/64" % (i + 1)]
    if i % 3 == 0:
        aips.append("172.16.%d.%d/32" % (i // 256, i % 256))
    p["AllowedIPs"] = ", ".join(aips)
    if i % 4 == 0:
        p["Endpoint"] = "192.0.2.%d:%d" % (i % 250 + 1, 1000 + i)
    elif i % 4 == 1:
        p["Endpoint"] = "[2001:db8::%x]:%d" % (i, 2000 + i)
    if i % 5 == 0:
        p["PersistentKeepalive"] = str(i % 100 + 1)
    peers.append(p)

def write(name, iface, plist):
    with open(name, "w") as f:
        f.write("[Interface]\n")
        for k, v in iface:
            f.write("%s = %s\n" % (k, v))
        for p in plist:
            f.write("\n[Peer]\n")
            for k in ("PublicKey", "PresharedKey", "AllowedIPs", "Endpoint",
                      "PersistentKeepalive"):
                if k in p:
                    f.write("%s = %s\n" % (k, p[k]))

iface = [("ListenPort", "51822"), ("FwMark", "0x2a"), ("PrivateKey", priv)]
write("big.conf", iface, peers)
# addconf: 10 new peers, and new allowed IPs/endpoints for 5 existing ones
# (addconf replaces the allowed IPs of the peers it names).
add = []
for i in range(5):
    p = dict(peers[i * 7])
    p["AllowedIPs"] = "10.250.%d.0/24" % i
    p["Endpoint"] = "198.51.100.%d:%d" % (i + 1, 3000 + i)
    add.append(p)
for i in range(10):
    add.append({"PublicKey": b64(), "AllowedIPs": "10.251.%d.0/24" % i,
                "Endpoint": "[2001:db8:1::%x]:%d" % (i + 1, 4000 + i)})
write("add.conf", [], add)
# The state addconf must lead to, for the read-back.
merged = []
for p in peers:
    for a in add[:5]:
        if a["PublicKey"] == p["PublicKey"]:
            p = a
    merged.append(p)
merged += add[5:]
write("merged.conf", iface, merged)
# syncconf: every other peer survives, with a different keepalive and
# without a PresharedKey line.
sync, expect = [], []
for p in merged[::2]:
    q = dict(p)
    q["PersistentKeepalive"] = "7"
    expect.append(dict(q))
    q.pop("PresharedKey", None)
    sync.append(q)
write("sync.conf", [("ListenPort", "51823"), ("PrivateKey", priv)], sync)
# What showconf reports after the sync, as Debian's module and wg do it: the
# FwMark the file does not set is cleared (like setconf), while pre-shared
# keys the file does not mention are kept (wg only sends differences).
write("sync.expect", [("ListenPort", "51823"), ("PrivateKey", priv)], expect)
write("empty.conf", [("PrivateKey", priv)], [])
EOF

# ---------------------------------------------------------------------------
# The transcript: every command and its output and status.
run() {
	echo "\$ $*"
	"$@" 2>&1
	echo "[rc=$?]"
}
# runm: the same with the listening port masked (it is random there).
runm() {
	echo "\$ $*"
	"$@" 2>&1 | sed -E -e 's/^(  listening port: )[1-9][0-9]*$/\1RANDOM/' \
		-e 's/^(wg[0-9]+\t[^\t]+\t[^\t]+\t)[1-9][0-9]*\t/\1RANDOM\t/' \
		-e 's/^([^\t]+\t[^\t]+\t)[1-9][0-9]*(\t[^\t]+)$/\1RANDOM\2/' \
		-e 's/^(ListenPort = )[1-9][0-9]*$/\1RANDOM/' \
		-e 's/^(wg[0-9]+\t)[1-9][0-9]*$/\1RANDOM/' \
		-e 's/^[1-9][0-9]*$/RANDOM/'
	echo "[rc=${PIPESTATUS[0]}]"
}
show_all_forms() {
	local dev=$1 f r=${2:-run}
	$r wg show "$dev"
	for f in public-key private-key listen-port fwmark peers preshared-keys \
		endpoints allowed-ips latest-handshakes persistent-keepalive transfer dump; do
		$r wg show "$dev" $f
	done
	$r wg showconf "$dev"
}

transcript() {
	local own
	run ip link add wg0 type wireguard
	run ip link add wg1 type wireguard
	run wg show interfaces
	runm wg show all
	runm wg show all dump
	show_all_forms wg0 runm

	# Device settings.
	run wg set wg0 listen-port 51820 private-key unclamped fwmark 0x1234
	show_all_forms wg0

	# Peers: pre-shared key, IPv4, IPv6, v4-mapped and scoped IPv6
	# endpoints, keepalives, allowed IPs with host bits set.
	run wg set wg0 peer "$(cat pub1)" preshared-key psk1 endpoint 192.0.2.1:1234 \
		persistent-keepalive 25 allowed-ips 10.0.0.0/24,fd00::/64
	run wg set wg0 peer "$(cat pub2)" endpoint '[2001:db8::1]:5678' \
		allowed-ips 10.0.3.77/24,10.0.1.1/32,fd00:1::1/128
	run wg set wg0 peer "$(cat pub3)" endpoint '[::ffff:192.0.2.3]:9' \
		persistent-keepalive 65535 allowed-ips 0.0.0.0/0,::/0
	run wg set wg0 peer "$(cat pub4)" endpoint '[fe80::1%1]:51820' \
		allowed-ips 2001:db8:ffff::77/33,192.168.77.129/25 preshared-key psk2
	run wg set wg0 peer "$(cat zero.pub)" allowed-ips 10.200.0.0/16
	show_all_forms wg0

	# `allowed-ips` replaces a peer's list; a prefix given to another
	# peer moves there.
	run wg set wg0 peer "$(cat pub1)" allowed-ips 10.9.0.0/16,fd09::/32
	run wg show wg0 allowed-ips
	run wg set wg0 peer "$(cat pub2)" allowed-ips 10.9.0.0/16,10.0.3.0/24
	run wg show wg0 allowed-ips
	run wg set wg0 peer "$(cat pub1)" allowed-ips ''
	run wg show wg0 allowed-ips
	# Clearing the pre-shared key and the keepalive.
	run wg set wg0 peer "$(cat pub1)" preshared-key /dev/null persistent-keepalive off
	run wg show wg0 preshared-keys
	run wg show wg0 persistent-keepalive
	# Endpoint changes family.
	run wg set wg0 peer "$(cat pub1)" endpoint '[2001:db8::99]:1'
	run wg set wg0 peer "$(cat pub2)" endpoint 203.0.113.5:65535
	run wg show wg0 endpoints
	# Removal; removing an unknown peer is not an error.
	run wg set wg0 peer "$(cat pub3)" remove
	run wg set wg0 peer "$(cat pub5)" remove
	run wg show wg0 dump
	# A peer with our own public key is refused silently.
	own=$(wg show wg0 public-key)
	run wg set wg0 peer "$own" allowed-ips 10.99.0.0/16
	run wg show wg0 peers
	# Taking a peer's private key removes that peer.
	run wg set wg0 private-key priv2
	run wg show wg0 public-key
	run wg show wg0 dump

	# Listen port: changes, clash with another device (EADDRINUSE, old
	# binding kept), fwmark off, private key removal.
	run ip link set wg1 up
	run wg set wg1 listen-port 51830
	run ip link set wg0 up
	run wg set wg0 listen-port 51821
	run wg show wg0 listen-port
	run wg set wg0 listen-port 51830
	run wg show wg0 listen-port
	run wg set wg0 fwmark 0
	run wg show wg0 fwmark
	run wg set wg0 private-key /dev/null
	run wg show wg0 private-key
	run wg show wg0 public-key
	run wg show wg0 dump
	run wg set wg0 listen-port 0
	runm wg show wg0 listen-port
	run ip link set wg0 down
	run ip link set wg1 down

	# Whole configurations.
	run wg setconf wg0 big.conf
	run wg showconf wg0
	run wg show wg0
	run wg addconf wg0 add.conf
	run wg showconf wg0
	run wg syncconf wg0 sync.conf
	run wg showconf wg0
	run wg show wg0 dump
	run wg setconf wg0 empty.conf
	run wg show wg0 dump
	run ip link del wg1
	run wg show interfaces
	run ip link del wg0
	run wg show all dump
}

# Read-back checks made on each implementation's live state (on top of the
# transcript comparison): they prove the transcript says what it should.
readback_checks() {
	local impl=$1 n
	ip link add wg0 type wireguard
	wg set wg0 listen-port 51820 private-key unclamped fwmark 0x1234
	t_is "[$impl] private key reads back clamped" "$(wg show wg0 private-key)" "$(cat clamped)"
	t_is "[$impl] public key derived from it" "$(wg show wg0 public-key)" "$(cat unclamped.pub)"
	t_is "[$impl] listen port" "$(wg show wg0 listen-port)" 51820
	t_is "[$impl] fwmark" "$(wg show wg0 fwmark)" 0x1234
	wg set wg0 peer "$(cat pub1)" preshared-key psk1 endpoint 192.0.2.1:1234 \
		persistent-keepalive 25 allowed-ips 10.0.0.0/24,fd00::/64
	wg set wg0 peer "$(cat pub4)" endpoint '[2001:db8::4]:4' \
		allowed-ips 2001:db8:ffff::77/33,192.168.77.129/25
	t_is "[$impl] peer dump line (psk, endpoint, allowed ips, keepalive)" \
		"$(wg show wg0 dump | grep "^$(cat pub1)")" \
		"$(printf '%s\t%s\t192.0.2.1:1234\t10.0.0.0/24,fd00::/64\t0\t0\t0\t25' "$(cat pub1)" "$(cat psk1)")"
	t_is "[$impl] host bits are masked off, IPv6 endpoint" \
		"$(wg show wg0 dump | grep "^$(cat pub4)")" \
		"$(printf '%s\t(none)\t[2001:db8::4]:4\t2001:db8:8000::/33,192.168.77.128/25\t0\t0\t0\toff' "$(cat pub4)")"
	wg set wg0 peer "$(cat pub4)" allowed-ips 10.0.0.0/24
	t_is "[$impl] allowed-ips replaces and moves a prefix between peers" \
		"$(wg show wg0 allowed-ips | sort)" \
		"$(printf '%s\tfd00::/64\n%s\t10.0.0.0/24' "$(cat pub1)" "$(cat pub4)" | sort)"
	wg setconf wg0 big.conf
	t_is "[$impl] setconf of 250 peers reads back exactly (showconf)" \
		"$(wg showconf wg0)" "$(cat big.conf)"
	n=$(wg show wg0 dump | wc -l)
	t_is "[$impl] dump has 251 lines" "$n" 251
	wg addconf wg0 add.conf
	t_is "[$impl] addconf adds and updates peers" "$(wg showconf wg0)" "$(cat merged.conf)"
	wg syncconf wg0 sync.conf
	t_is "[$impl] syncconf removes, keeps and updates peers" "$(wg showconf wg0)" "$(cat sync.expect)"
	ip link del wg0
}

# WGALLOWEDIP_F_REMOVE_ME: removing one prefix without replacing the list.
# Debian's 6.1 module predates the flag and rejects the unknown attribute.
remove_me_checks() {
	local impl=$1 out p1 p2
	p1=$(cat pub1) p2=$(cat pub2)
	ip link add wg0 type wireguard
	wg set wg0 peer "$p1" allowed-ips 10.1.0.0/16,10.2.0.0/16,fd01::/48
	wg set wg0 peer "$p2" allowed-ips 10.3.0.0/16
	out=$($WGNL set ifname wg0 peers { peer { pubkey "$p1" aips { \
		aip { family inet ipaddr 10.2.0.0 cidr 16 flags 1 } } } })
	if [ "$impl" = debian ]; then
		t_ok "[$impl] WGALLOWEDIP_A_FLAGS is unknown to Debian's 6.1 module (EINVAL)" \
			grep -q '^ERR EINVAL' <<< "$out"
		ip link del wg0
		return
	fi
	t_is "[$impl] REMOVE_ME of one prefix is accepted" "$out" OK
	t_is "[$impl] only that prefix is gone" "$(wg show wg0 allowed-ips)" \
		"$(printf '%s\t10.1.0.0/16 fd01::/48\n%s\t10.3.0.0/16' "$p1" "$p2")"
	out=$($WGNL set ifname wg0 peers { peer { pubkey "$p1" aips { \
		aip { family inet6 ipaddr fd01:: cidr 48 flags 1 } \
		aip { family inet ipaddr 10.3.0.0 cidr 16 flags 1 } \
		aip { family inet ipaddr 10.77.0.0 cidr 16 flags 1 } } } })
	t_is "[$impl] REMOVE_ME of an IPv6 prefix, another peer's and an absent one" "$out" OK
	t_is "[$impl] another peer's prefix stays with it" "$(wg show wg0 allowed-ips)" \
		"$(printf '%s\t10.1.0.0/16\n%s\t10.3.0.0/16' "$p1" "$p2")"
	out=$($WGNL set ifname wg0 peers { peer { pubkey "$p1" aips { \
		aip { family inet ipaddr 10.5.0.0 cidr 16 } \
		aip { family inet ipaddr 10.1.0.0 cidr 16 flags 1 } } } })
	t_is "[$impl] add and remove in one message" "$(wg show wg0 allowed-ips)" \
		"$(printf '%s\t10.5.0.0/16\n%s\t10.3.0.0/16' "$p1" "$p2")"
	out=$($WGNL set ifname wg0 peers { peer { pubkey "$p1" aips { \
		aip { family inet ipaddr 10.5.0.0 cidr 16 flags 2 } } } })
	t_ok "[$impl] unknown allowed-ip flag bits are refused: $out" \
		grep -q '^ERR EINVAL' <<< "$out"
	ip link del wg0
}

declare -A loaded
for impl in "${impls[@]}"; do
	if ! use_impl "$impl" "$variant"; then
		t_ok "load $impl module" false
		continue
	fi
	loaded[$impl]=1
	dmesg_mark
	transcript > "transcript.$impl" 2>&1
	readback_checks "$impl"
	remove_me_checks "$impl"
	if [ "$WG_DYNDBG" = 1 ]; then
		t_ok "[$impl] every peer created was destroyed ($(lifetime_counts))" lifetime_ok
	fi
	impl_unload
done

if [ -n "${loaded[debian]:-}" ] && [ -n "${loaded[ours]:-}" ]; then
	t_is "transcript: ours sorted line-by-line equals Debian's (same content)" \
		"$(sort transcript.ours)" "$(sort transcript.debian)"
	t_is "transcript: ours identical to Debian's (same content and order)" \
		"$(cat transcript.ours)" "$(cat transcript.debian)"
fi
if [ -n "${loaded[debian]:-}" ]; then
	t_ok "transcript on Debian's module has $(grep -c '^\$ ' transcript.debian) commands" \
		test "$(grep -c '^\$ ' transcript.debian)" -gt 100
	# Save it for the host, so failures can be read in full.
	cp transcript.* /mnt/wgout/ 2>/dev/null
fi
t_done
