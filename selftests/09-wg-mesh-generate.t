#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wg-mesh generate: the seed's overlay from the inventory in the tree
# (tools/wg-mesh/examples/edgeproxy.inventory), checked by wg-mesh check
# (every pair, no finding), file modes, keys kept and never printed, each
# topology, the networkd format, and inventory errors that name the line
# and write nothing.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
make -s -C tools/wg-mesh >/dev/null 2>&1
tap_ok $? "tools/wg-mesh builds"
[ -x tools/wg-mesh/wg-mesh ] || { tap_done; exit; }
MESH=$PWD/tools/wg-mesh/wg-mesh
INV=tools/wg-mesh/examples/edgeproxy.inventory
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

is() {
	[ "$2" = "$3" ]
	tap_ok $? "$1"
	[ "$2" = "$3" ] || printf '# got:  %s\n# want: %s\n' "$2" "$3"
}

o=$tmp/seed
"$MESH" generate "$INV" -o "$o" >"$tmp/out" 2>&1
is "generate the seed's overlay: exit 0" "$?" 0
is "12 configs written" "$(ls "$o"/*/wg0.conf | wc -l)" 12
is "every config and key file is mode 0600, every directory 0700" \
	"$(find "$o" -type f ! -perm 600 | wc -l) $(find "$o" -type d ! -perm 700 | wc -l)" "0 0"
leak=0
for k in "$o"/keys/*.key; do grep -qF "$(<"$k")" "$tmp/out" && leak=1; done
is "no private key on generate's output" "$leak" 0
"$MESH" check --strict "$o" >"$tmp/check"
is "check --strict on the generated set: exit 0" "$?" 0
grep -q '^12 nodes, 132 ordered pairs: 132 reachable, 0 blocked$' "$tmp/check"
tap_ok $? "check: all 132 ordered pairs reachable"
! grep -q findings: "$tmp/check"
tap_ok $? "check: no finding"
"$MESH" check --pairs "$o" >"$tmp/pairs"
path() { awk -v s="$1" -v d="$2" '$1 == s && $2 == d { print $4 }' "$tmp/pairs"; }
is "the seed's shape: HKG-NRT, HKG-SIN, HKG-SYD direct (the APAC mesh)" \
	"$(path hkg nrt) $(path hkg sin) $(path syd hkg)" "hkg>nrt hkg>sin syd>hkg"
is "APAC backends reach each other through HKG" "$(path nrt sin) $(path syd nrt)" "nrt>hkg>sin syd>hkg>nrt"
is "everything else through the EC2 hub" "$(path hkg gru) $(path nrt lhr) $(path iad ord)" \
	"hkg>ec2>gru nrt>ec2>lhr iad>ec2>ord"
aips() { sed -n "/^# $2 /,/^\$/s/^AllowedIPs = //p" "$o/$1/wg0.conf"; }
is "AllowedIPs widened to prefixes that hold no other node: NRT's EC2 peer, EC2's HKG peer, GRU's EC2 peer" \
	"$(aips nrt ec2) | $(aips ec2 hkg) | $(aips gru ec2)" "10.50.0.0/22 | 10.50.5.0/24 | 10.50.0.0/24, 10.50.4.0/22, 10.50.2.0/23"
is "only the transit nodes (ec2, hkg) get the forwarding hooks" \
	"$(grep -l 'ip_forward=1' "$o"/*/wg0.conf | xargs -n1 dirname | xargs -n1 basename | tr '\n' ' ')" "ec2 hkg "

# Keys are kept: a second run changes no key and writes the same files.
sum() { (cd "$1" && find . -type f | sort | xargs md5sum); }
before=$(sum "$o")
"$MESH" generate "$INV" -o "$o" >"$tmp/out2"
is "a second generate keeps every key and writes the same files" "$(sum "$o")" "$before"
is "it says the keys were kept" "$(grep -c ' kept key' "$tmp/out2")" 12

# Other topologies.
cat >"$tmp/full.inv" <<'EOF2'
[Mesh]
Topology = full-mesh
[Node]
Name = a
Address = 10.9.0.1/24
Endpoint = 192.0.2.1:51820
[Node]
Name = b
Address = 10.9.0.2/24
Endpoint = 192.0.2.2:51820
[Node]
Name = c
Address = 10.9.0.3/24
EOF2
"$MESH" generate "$tmp/full.inv" -o "$tmp/full" >/dev/null &&
	"$MESH" check --strict --pairs "$tmp/full" >"$tmp/pairs"
is "full-mesh: check passes, every pair direct" "$?/$(awk '$3 == "ok" && $4 !~ />.*>/' "$tmp/pairs" | wc -l)" "0/6"
sed -e 's/full-mesh/hub-and-spoke/' -e '/^\[Mesh\]/a Hub = a' "$tmp/full.inv" >"$tmp/hub.inv"
"$MESH" generate "$tmp/hub.inv" -o "$tmp/hub" >/dev/null &&
	"$MESH" check --strict --pairs "$tmp/hub" >"$tmp/pairs"
is "hub-and-spoke: check passes, spokes through the hub" "$?/$(awk '$1 == "b" && $2 == "c" { print $4 }' "$tmp/pairs")" "0/b>a>c"

# IPv6: a hub-and-spoke overlay on fd00::/64, the hub forwarding IPv6.
sed -e 's|10.9.0.\([0-9]\)/24|fd00::\1/64|' "$tmp/hub.inv" >"$tmp/hub6.inv"
"$MESH" generate "$tmp/hub6.inv" -o "$tmp/hub6" >/dev/null &&
	"$MESH" check --strict --pairs "$tmp/hub6" >"$tmp/pairs"
is "IPv6 hub-and-spoke: check passes, spokes through the hub" "$?/$(awk '$1 == "c" && $2 == "b" { print $4 }' "$tmp/pairs")" "0/c>a>b"
is "IPv6: the hub forwards IPv6; b routes a and c through it (prefixes that leave out b itself)" \
	"$(grep -c 'net.ipv6.conf.all.forwarding=1' "$tmp/hub6/a/wg0.conf") $(sed -n 's/^AllowedIPs = //p' "$tmp/hub6/b/wg0.conf")" \
	"1 fd00::/127, fd00::3/128"

# networkd.
"$MESH" generate "$INV" -o "$tmp/nd" --format networkd >/dev/null
is "--format networkd: a .netdev and a .network per node, mode 0600" \
	"$(ls "$tmp"/nd/*/wg0.netdev | wc -l) $(ls "$tmp"/nd/*/wg0.network | wc -l) $(find "$tmp/nd" -type f ! -perm 600 | wc -l)" "12 12 0"
is "networkd: HKG's netdev has its 4 peers, its network forwards" \
	"$(grep -c '^\[WireGuardPeer\]' "$tmp/nd/hkg/wg0.netdev") $(grep -c '^IPForward = yes' "$tmp/nd/hkg/wg0.network")" "4 1"
is "networkd: the same keys as the wg-quick files" \
	"$(grep -h '^PrivateKey' "$tmp/nd/ec2/wg0.netdev" | wc -l)" 1

# Errors name the line and write nothing.
bad() { # DESC LINE SED-EXPRESSION
	sed "$3" "$INV" >"$tmp/bad.inv"
	err=$("$MESH" generate "$tmp/bad.inv" -o "$tmp/bad" 2>&1 >/dev/null)
	rc=$?
	[ $rc -ne 0 ] && grep -q "^$tmp/bad.inv:$2: " <<<"$err" && [ ! -e "$tmp/bad" ]
	tap_ok $? "error names line $2 and nothing is written: $1"
	[ $rc -ne 0 ] && [ ! -e "$tmp/bad" ] || echo "# rc $rc; $(ls "$tmp/bad" 2>&1 | head -1)"
	grep -q "^$tmp/bad.inv:$2: " <<<"$err" || echo "# $err"
}
l() { grep -n -m1 -E "$1" "$INV" | cut -d: -f1; }
bad "unknown key" "$(l '^Topology')" "s/^Topology = regional/Topologie = regional/"
bad "unknown topology" "$(l '^Topology')" "s/^Topology = regional/Topology = ring/"
bad "Address is no address" "$(l '10.50.2.2/24')" "s|10.50.2.2/24|10.50.2.256/24|"
bad "the same Address twice" "$(l '10.50.2.2/24')" "s|10.50.2.2/24|10.50.2.1/24|"
bad "the same Name twice" "$(l 'Name = ord')" "s/Name = ord/Name = iad/"
bad "Hub names no node" "$(l '^Hub = ec2')" "s/^Hub = ec2/Hub = dub/"
bad "Endpoint without a port" "$(l '^Endpoint = 35')" "s/35.241.112.61:51820/35.241.112.61/"
bad "a [Node] without Address" "$(($(l 'Name = lax') - 1))" "/10.50.2.3/d"
bad "peers without any Endpoint (HKG's removed)" "$(($(l 'Name = hkg') - 1))" "/^Endpoint = 35/d"
bad "a line that is not Key = value" "$(l '^Interface')" "s/^Interface = wg0/Interface wg0/"
printf 'Topology = regional\n' >"$tmp/bad.inv"
"$MESH" generate "$tmp/bad.inv" -o "$tmp/bad" 2>&1 | grep -q "bad.inv:1: setting outside a \[Mesh\] or \[Node\] section"
tap_ok $? "error names line 1: a setting before any section"
before=$(sum "$o")
sed "s|10.50.2.2/24|10.50.2.1/24|" "$INV" >"$tmp/bad.inv"
"$MESH" generate "$tmp/bad.inv" -o "$o" >/dev/null 2>&1
is "an inventory error leaves an existing output directory as it was" "$(sum "$o")" "$before"

# rotate: a new key for HKG; only the files that name HKG change.
cp -a "$o" "$tmp/old"
"$MESH" rotate "$INV" hkg -o "$o" >"$tmp/rot" 2>&1
is "rotate hkg: exit 0" "$?" 0
changed=$(cd "$o" && for f in */wg0.conf keys/*.key; do cmp -s "$f" "$tmp/old/$f" || echo "$f"; done | tr '\n' ' ')
is "rotate hkg: HKG's key and the configs of HKG and its peers change, nothing else" "$changed" \
	"ec2/wg0.conf hkg/wg0.conf nrt/wg0.conf sin/wg0.conf syd/wg0.conf keys/hkg.key "
is "rotate prints the new public key (the one the key file gives)" \
	"$(sed -n "s/^# hkg's new public key: //p" "$tmp/rot")" "$(tools/wg/wg pubkey <"$o/keys/hkg.key")"
is "rotate prints a wg syncconf for HKG and each host that names it" \
	"$(grep -c ': wg syncconf wg0 <(wg-quick strip wg0)$' "$tmp/rot") $(cut -d: -f1 "$tmp/rot" | grep -v '^#' | tr '\n' ' ')" \
	"5 hkg ec2 nrt sin syd "
! grep -qF "$(<"$o/keys/hkg.key")" "$tmp/rot"
tap_ok $? "rotate prints no private key"
"$MESH" check --strict "$o" >/dev/null
is "check --strict passes after the rotation" "$?" 0
"$MESH" rotate "$INV" hkg -o "$tmp/nokeys" >/dev/null 2>&1
is "rotate without the other nodes' keys fails and writes nothing" "$?/$(ls "$tmp/nokeys" 2>/dev/null | wc -l)" "1/0"

# plan: what the rotation changes, host by host.
"$MESH" plan "$tmp/old" "$o" >"$tmp/plan"
is "plan: exit 0" "$?" 0
sec() { sed -n "/^## $1 /,/^## /p" "$tmp/plan" | grep -v '^## '; }
is "plan: hosts that do not name HKG have no change" "$(sec cdg) / $(sec gru)" "no change / no change"
is "plan: HKG gets its new private key through wg syncconf" "$(sec hkg)" \
	"wg syncconf wg0 <(wg-quick strip wg0)  # a new private key (not shown)"
new=$(tools/wg/wg pubkey <"$o/keys/hkg.key") old=$(tools/wg/wg pubkey <"$tmp/old/keys/hkg.key")
is "plan: NRT adds HKG's new key (taking over its AllowedIPs) before removing the old one" "$(sec nrt)" \
	"wg set wg0 peer $new endpoint 35.241.112.61:51820 allowed-ips 10.50.5.0/24,10.50.4.2/31 persistent-keepalive 25
wg set wg0 peer $old remove"
! grep -qF "$(<"$o/keys/hkg.key")" "$tmp/plan"
tap_ok $? "plan prints no private key"
sed 's|10.50.4.3/24|10.50.4.9/24|' "$INV" >"$tmp/moved.inv"
cp -a "$o" "$tmp/moved" && "$MESH" generate "$tmp/moved.inv" -o "$tmp/moved" >/dev/null
"$MESH" plan "$o" "$tmp/moved" >"$tmp/plan"
is "plan: SYD's new address means new routes at HKG (SIN's prefix widens too)" "$(sec hkg | grep '^ip route')" \
	"ip route add 10.50.4.2/31 dev wg0
ip route add 10.50.4.8/29 dev wg0
ip route del 10.50.4.2/32 dev wg0
ip route del 10.50.4.3/32 dev wg0"
sec syd | grep -q '^# Address, MTU or hooks change: only wg-quick down wg0 && wg-quick up wg0 applies them$'
tap_ok $? "plan: SYD's own Address change is flagged as needing wg-quick down/up"
tap_done
