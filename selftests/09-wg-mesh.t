#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wg-mesh (tools/wg-mesh): check's analysis on synthetic config sets, one
# per reason a pair is blocked and per report, with the file:line each
# names; then the seed's twelve configs as written, where it must find
# exactly the pairs the demo's model (selftests/demo/reach.py, which
# 31-vm-demo.t proves by pinging) finds blocked -- 62 of 132, each lost at
# the same node on the same path.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
out=$(make -s -C tools/wg 2>&1 && make -s -C tools/wg-mesh 2>&1)
tap_ok $? "tools/wg-mesh builds"
! grep -qi warning <<<"$out"
tap_ok $? "tools/wg-mesh builds without warnings"
[ -x tools/wg-mesh/wg-mesh ] || { tap_done; exit; }
MESH=$PWD/tools/wg-mesh/wg-mesh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
KEYS=$tmp/keys
. selftests/wg-mesh/cases.sh
keys a b c h x

# is DESC GOT WANT
is() {
	[ "$2" = "$3" ]
	tap_ok $? "$1"
	[ "$2" = "$3" ] || printf '# got:  %s\n# want: %s\n' "$2" "$3"
}

# A working pair: a (10.0.0.1) and b (10.0.0.2), b has an Endpoint.
ab() { # DIR [a's AllowedIPs for b] [b's AllowedIPs for a]
	conf "$1" a <<-EOF
	[Interface]
	PrivateKey = PRIV_a
	Address = 10.0.0.1/24

	[Peer]
	PublicKey = PUB_b
	Endpoint = 192.0.2.2:51820
	AllowedIPs = ${2-10.0.0.2/32}
	PersistentKeepalive = 25
	EOF
	conf "$1" b <<-EOF
	[Interface]
	PrivateKey = PRIV_b
	Address = 10.0.0.2/24
	ListenPort = 51820

	[Peer]
	PublicKey = PUB_a
	AllowedIPs = ${3-10.0.0.1/32}
	PersistentKeepalive = 25
	EOF
}

d=$tmp/ok; ab "$d"
is "two peers: a>b direct" "$(pair_line "$d" a b)" "a b ok a>b - -"
is "two peers: b>a direct" "$(pair_line "$d" b a)" "b a ok b>a - -"
"$MESH" check "$d" >"$tmp/out"
tap_ok $? "two working peers: exit status 0"
grep -q '2 nodes, 2 ordered pairs: 2 reachable, 0 blocked' "$tmp/out"
tap_ok $? "two working peers: the table says 2 reachable, 0 blocked"
! grep -q findings: "$tmp/out"
tap_ok $? "two working peers: no finding"

# no-route: a's AllowedIPs for b do not hold b's address.
d=$tmp/noroute; ab "$d" 10.0.9.0/24
l=$(line_of "$d/a.conf" AllowedIPs)
is "no route at the source: a>b lost at a, a.conf:$l named" \
	"$(pair_line "$d" a b)" "a b blocked a a no-route $d/a.conf:$l"
is "the other way, a does not admit b's address: b>a lost at a" \
	"$(pair_line "$d" b a | cut -d' ' -f3-6)" "blocked b>a a not-admitted"

# not-admitted: b's AllowedIPs for a do not admit a's address.
d=$tmp/admit; ab "$d" 10.0.0.2/32 10.0.7.0/24
l=$(line_of "$d/b.conf" AllowedIPs)
is "receiver does not admit the source: a>b lost at b, b.conf:$l named" \
	"$(pair_line "$d" a b)" "a b blocked a>b b not-admitted $d/b.conf:$l"
"$MESH" check "$d" >"$tmp/out"
grep -q "b.conf:$l: not-admitted: b drops the source: its peer a admits only 10.0.7.0/24" "$tmp/out"
tap_ok $? "not-admitted: the table names the peer and what it admits"
grep -q "(addresses: 10.0.0.1)" "$tmp/out"
tap_ok $? "not-admitted: the table names the source address to add"
# A transit node h between a (10.0.0.1) and c (10.0.0.3); FWD is h's hook.
via_h() { # DIR FWD
	conf "$1" a <<-EOF
	[Interface]
	PrivateKey = PRIV_a
	Address = 10.0.0.1/24

	[Peer]
	PublicKey = PUB_h
	Endpoint = 192.0.2.8:51820
	AllowedIPs = 10.0.0.3/32, 10.0.0.8/32
	PersistentKeepalive = 25
	EOF
	conf "$1" c <<-EOF
	[Interface]
	PrivateKey = PRIV_c
	Address = 10.0.0.3/24

	[Peer]
	PublicKey = PUB_h
	Endpoint = 192.0.2.8:51820
	AllowedIPs = 10.0.0.1/32, 10.0.0.8/32
	PersistentKeepalive = 25
	EOF
	conf "$1" h <<-EOF
	[Interface]
	PrivateKey = PRIV_h
	Address = 10.0.0.8/24
	ListenPort = 51820
	$2

	[Peer]
	PublicKey = PUB_a
	AllowedIPs = 10.0.0.1/32

	[Peer]
	PublicKey = PUB_c
	AllowedIPs = 10.0.0.3/32
	EOF
}
d=$tmp/nofwd; via_h "$d" "PostUp = iptables -A FORWARD -i %i -o %i -j ACCEPT"
l=$(line_of "$d/h.conf" '^\[Interface\]')
is "transit node without the forwarding sysctl (a FORWARD rule alone): a>c lost at h, h.conf:$l" \
	"$(pair_line "$d" a c)" "a c blocked a>h h not-forwarding $d/h.conf:$l"
d=$tmp/fwd; via_h "$d" "PostUp = sysctl -w net.ipv4.ip_forward=1"
is "transit node with PostUp = sysctl -w net.ipv4.ip_forward=1: a>c through h" \
	"$(pair_line "$d" a c)" "a c ok a>h>c - -"
"$MESH" check "$d" | grep -q '^  a  *\.  *h  *d$'
tap_ok $? "the matrix shows a>c through h, a>h direct"

# unknown-key: a's peer for b carries x's key, which no node has.
d=$tmp/unknownkey; ab "$d"; sed -i "s|$(<"$KEYS/b.pub")|$(<"$KEYS/x.pub")|" "$d/a.conf"
l=$(line_of "$d/a.conf" PublicKey)
is "a public key that matches no node: a>b lost at a, a.conf:$l" \
	"$(pair_line "$d" a b)" "a b blocked a a unknown-key $d/a.conf:$l"
"$MESH" check "$d" | grep -q "a.conf:$l: unknown-key: a has a peer whose public key is no node's"
tap_ok $? "unknown-key is also reported as a finding"

# unknown-sender: b has no [Peer] for a (asymmetric peering).
d=$tmp/asym; ab "$d"; sed -i '/^\[Peer\]/,$d' "$d/b.conf"
l=$(line_of "$d/b.conf" '^\[Interface\]')
is "the receiver has no peer for the sender: a>b lost at b, b.conf:$l" \
	"$(pair_line "$d" a b)" "a b blocked a>b b unknown-sender $d/b.conf:$l"
l=$(line_of "$d/a.conf" PublicKey)
"$MESH" check "$d" | grep -q "a.conf:$l: asymmetric-peering: a peers with b, but b ($d/b.conf) has no \[Peer\] for a"
tap_ok $? "asymmetric peering reported at a.conf:$l"

# no-endpoint: neither side has an Endpoint.
d=$tmp/noep; ab "$d"; sed -i '/^Endpoint/d' "$d/a.conf"
l=$(line_of "$d/a.conf" PublicKey)
is "neither side has an Endpoint: a>b lost at a, a.conf:$l" \
	"$(pair_line "$d" a b)" "a b blocked a a no-endpoint $d/a.conf:$l"

# Findings: duplicate address, duplicate and overlapping AllowedIPs.
d=$tmp/dup; ab "$d"; sed -i 's|^Address = 10.0.0.2/24|Address = 10.0.0.1/24|' "$d/b.conf"
"$MESH" check "$d" | grep -q "b.conf:3: duplicate-address: b's Address 10.0.0.1 is also a's ($d/a.conf:3)"
tap_ok $? "duplicate address reported at b.conf:3"
d=$tmp/aips; ab "$d"
conf "$d" c <<-EOF
	[Interface]
	PrivateKey = PRIV_c
	Address = 10.0.0.3/24

	[Peer]
	PublicKey = PUB_a
	Endpoint = 192.0.2.1:51820
	AllowedIPs = 10.0.0.0/24
	PersistentKeepalive = 25

	[Peer]
	PublicKey = PUB_b
	Endpoint = 192.0.2.2:51820
	AllowedIPs = 10.0.0.2/32, 10.0.0.0/24
	PersistentKeepalive = 25
	EOF
"$MESH" check --expect none "$d" >"$tmp/out"
grep -q "c.conf:14: overlapping-allowedips: 10.0.0.2/32 overlaps 10.0.0.0/24 on line 8 (a): the longest prefix wins" "$tmp/out"
tap_ok $? "overlapping AllowedIPs of two peers reported at c.conf:14"
grep -q "c.conf:14: duplicate-allowedips: 10.0.0.0/24 is given again; it was 10.0.0.0/24 on line 8 (a)" "$tmp/out"
tap_ok $? "duplicate AllowedIPs reported at c.conf:14"

# missing-keepalive: nobody has an Endpoint for a; a sends no keepalives.
d=$tmp/ka; ab "$d"; sed -i '/^PersistentKeepalive/d' "$d/a.conf"
l=$(line_of "$d/a.conf" PublicKey)
"$MESH" check "$d" | grep -q "a.conf:$l: missing-keepalive: no node has an Endpoint for a"
tap_ok $? "missing PersistentKeepalive reported at a.conf:$l (a's peer b)"
"$MESH" check "$tmp/ok" | grep -q missing-keepalive
tap_ok $((!$?)) "no missing-keepalive report when a keeps its mapping open"

# mtu-mismatch, key-file-mode.
d=$tmp/mtu; ab "$d"; sed -i 's|^Address = 10.0.0.2/24|&\nMTU = 1380|' "$d/b.conf"
"$MESH" check "$d" | grep -q "a.conf:1: mtu-mismatch: a's MTU is automatic, its peer b's is 1380 ($d/b.conf:4)"
tap_ok $? "MTU mismatch reported (a.conf:1, b.conf:4)"
d=$tmp/mode; ab "$d"; chmod 644 "$d/b.conf"
"$MESH" check "$d" | grep -q "b.conf:2: key-file-mode: the file holds a private key and is readable by others (mode 0644)"
tap_ok $? "a private key readable by others reported at b.conf:2"

# Exit status and --expect, --strict.
"$MESH" check "$tmp/noroute" >/dev/null
is "exit status 1 when a pair that must connect (all, by default) cannot" "$?" 1
"$MESH" check --expect none "$tmp/noroute" >/dev/null
is "exit status 0 with --expect none" "$?" 0
"$MESH" check --expect 'a-h,c>h' "$tmp/nofwd" >/dev/null
is "exit status 0 when only the pairs named (a-h, c>h) must connect and do" "$?" 0
"$MESH" check --expect 'a>c' "$tmp/nofwd" >/dev/null
is "exit status 1 when a pair named (a>c) cannot" "$?" 1
"$MESH" check --expect 'a-zz' "$tmp/nofwd" >/dev/null 2>&1
is "exit status 2 for an unknown node in --expect" "$?" 2
"$MESH" check --strict "$tmp/mode" >/dev/null
is "exit status 1 with --strict when there is a finding" "$?" 1
printf '[Interface]\nPrivateKey = PRIV_a\nAddress = 10.0.0.1\nBogus = 1\n' >"$tmp/bad.conf"
err=$("$MESH" check "$tmp/bad.conf" 2>&1 >/dev/null)
is "exit status 2 for a config error" "$?" 2
grep -q "bad.conf:2: configuration error" <<<"$err"
tap_ok $? "a config error names file:line (tools/wg's parser: a bad key is refused on line 2)"

# --json: valid, and says what --pairs says.
"$MESH" check --json "$tmp/admit" >"$tmp/json"
python3 - "$tmp/json" <<-'PY'
	import json, sys
	j = json.load(open(sys.argv[1]))
	p = {(x["from"], x["to"]): x for x in j["pairs"]}
	ab = p["a", "b"]
	assert ab["status"] == "blocked" and ab["reason"] == "not-admitted" and ab["at"] == "b", ab
	assert ab["leg"] == "request" and ab["line"] == 8 and ab["address"] == "10.0.0.1", ab
	assert j["summary"] == {"nodes": 2, "pairs": 2, "reachable": 0, "blocked": 2,
	                        "expected_blocked": 2, "findings": 0}, j["summary"]
	PY
tap_ok $? "--json: pairs with reason, node, line and address; the summary counts"

# The seed's configs as written: the same 62 blocked pairs as reach.py.
nodes="ec2 hkg gru iad ord lax lhr fra cdg nrt sin syd"
if selftests/wg-mesh/seed.sh "$tmp/seed" >/dev/null &&
	python3 selftests/demo/reach.py "$tmp/seed/keys" "$tmp/seed/netns" "$tmp/reach.pairs" $nodes >/dev/null; then
	"$MESH" check --pairs "$tmp/seed/netns" >"$tmp/mesh.pairs"
	is "seed as written: exit status 1 (pairs that must connect cannot)" "$?" 1
	is "seed as written: 62 of 132 pairs blocked" \
		"$(grep -c ' blocked ' "$tmp/mesh.pairs")/$(wc -l <"$tmp/mesh.pairs")" "62/132"
	diff <(cut -d' ' -f1-5 "$tmp/reach.pairs" | sort) <(cut -d' ' -f1-5 "$tmp/mesh.pairs" | sort) >"$tmp/diff"
	tap_ok $? "seed as written: every pair's verdict, path and dropping node agree with reach.py"
	sed 's/^/# /' "$tmp/diff" | head -n 20
	"$MESH" check "$tmp/seed/netns" >"$tmp/out"
	l=$(line_of "$tmp/seed/netns/gru/wireguard/wg0.conf" AllowedIPs)
	grep -q "gru/wireguard/wg0.conf:$l: not-admitted: gru drops the source: its peer ec2 admits only 10.50.0.0/24, 10.50.1.0/24, 10.50.2.0/24, 10.50.3.0/24" "$tmp/out"
	tap_ok $? "seed as written: GRU's hub AllowedIPs (line $l) named as what drops HKG/APAC sources"
	grep -A1 "nrt/wireguard/wg0.conf:[0-9]*: no-route: nrt has no route" "$tmp/out" | grep -q "nrt>sin nrt>syd"
	tap_ok $? "seed as written: NRT has no route to SIN and SYD"
else
	tap_fail "the seed's configs are written (selftests/wg-mesh/seed.sh) and reach.py runs"
fi

# Installed by make install-tools, with its man page and completion.
make -s install-tools DESTDIR="$tmp/inst" >/dev/null 2>&1
is "make install-tools installs wg-mesh, wg-mesh(8) and its bash completion" \
	"$(cd "$tmp/inst" && ls usr/bin/wg-mesh usr/share/man/man8/wg-mesh.8 usr/share/bash-completion/completions/wg-mesh 2>&1 | tr '\n' ' ')" \
	"usr/bin/wg-mesh usr/share/bash-completion/completions/wg-mesh usr/share/man/man8/wg-mesh.8 "
if command -v man >/dev/null; then
	w=$(MANWIDTH=80 man --warnings -l Documentation/wg-mesh.8 2>&1 >/dev/null)
	is "wg-mesh(8) renders without warnings" "$w" ""
else
	tap_skip "wg-mesh(8) renders without warnings" "man not installed"
fi
comp() {
	bash -c '. tools/wg-mesh/completion/wg-mesh.bash-completion; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _wg_mesh; echo "${COMPREPLY[*]}"' _ "$@"
}
is "completion: commands" "$(comp wg-mesh '')" "check generate rotate plan help"
is "completion: rotate's NODE from the inventory" \
	"$(comp wg-mesh rotate -o out tools/wg-mesh/examples/edgeproxy.inventory s)" "sin syd"
is "completion: generate --format" "$(comp wg-mesh generate x --format '')" "wg-quick networkd"
tap_done
