#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wg-compare.sh [IMPL...] [debug|release]: the same sequence of wg commands
# through Debian's upstream wg (/usr/bin/wg, wireguard-tools) and through
# this tree's tools/wg/wg, each in its own network namespace with the same
# interface names, against one kernel module (IMPL: debian, the default,
# and/or ours).  Every command's output and exit status must be identical
# apart from random listening ports (masked).  Then 300 random private keys
# give the same public key through both tools' `pubkey' and through the
# kernel (set private-key, show public-key) with both tools.  Then what
# only ours does: bad input refused with nothing applied, incremental
# allowed IPs (+prefix,-prefix; WGALLOWEDIP_F_REMOVE_ME) or a clear error
# where the module does not support them.
#
# This test compares the tools, so it loads Debian's module (use_impl
# debian); run it with --no-module.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"

impl_args debian "" -- "$@"

UP=/usr/bin/wg
NL=$'\n'
OURS=$WG_REPO/tools/wg/wg
D=/tmp/wgcmp
mkdir -p $D
cd $D || exit 1
umask 077
[ -x "$UP" ] || { t_ok "reference wg installed" false; t_done; }
[ -x "$OURS" ] || { t_ok "tools/wg/wg built (make -C tools/wg on the host)" false; t_done; }

# ---------------------------------------------------------------------------
# Fixed material, made once, so both tools see the same keys and files.
for i in 1 2 3 4 5 6; do
	$UP genkey >priv$i
	$UP pubkey <priv$i >pub$i
done
$UP genpsk >psk1
$UP genpsk >psk2
printf '%s\n' "$(head -c 32 /dev/urandom | base64)" >unclamped
python3 - <<'EOF'
import base64, os
def b64(): return base64.b64encode(os.urandom(32)).decode()
def write(name, iface, peers):
    with open(name, "w") as f:
        f.write("# generated\n[Interface]\n")
        for k, v in iface:
            f.write("%s = %s\n" % (k, v))
        for p in peers:
            f.write("\n[Peer]\n")
            for k, v in p:
                f.write("%s = %s\n" % (k, v))
priv = open("priv1").read().strip()
pub = [open("pub%d" % i).read().strip() for i in range(1, 7)]
psk = open("psk1").read().strip()
peers = []
for i in range(120):
    p = [("PublicKey", b64())]
    if i % 3 == 0:
        p.append(("PresharedKey", b64()))
    p.append(("AllowedIPs", "10.%d.%d.0/24, fd00:%x::/64" % (100 + i // 200, i % 200, i + 1)))
    if i % 4 == 0:
        p.append(("Endpoint", "192.0.2.%d:%d" % (i % 250 + 1, 1000 + i)))
    elif i % 4 == 1:
        p.append(("Endpoint", "[2001:db8::%x]:%d" % (i + 1, 2000 + i)))
    if i % 5 == 0:
        p.append(("PersistentKeepalive", str(i % 60 + 1)))
    peers.append(p)
write("big.conf", [("PrivateKey", priv), ("ListenPort", "51822"), ("FwMark", "0x2a")], peers)
# addconf: two new peers and one existing peer with new allowed IPs.
write("add.conf", [], [
    [("PublicKey", pub[1]), ("AllowedIPs", "10.250.0.0/24"), ("Endpoint", "198.51.100.1:3000")],
    [("PublicKey", pub[2]), ("PresharedKey", psk), ("AllowedIPs", "10.251.0.0/24, fd51::/48")],
    [peers[3][0], ("AllowedIPs", "10.252.0.0/16")],
])
# syncconf: keep every third peer (as it is, so that the tools' handling
# of unmentioned pre-shared keys does not come into it), drop the rest,
# change one peer's allowed IPs and add one.
keep = [p for p in peers[::3]]
keep[1] = [kv if kv[0] != "AllowedIPs" else ("AllowedIPs", "10.253.0.0/24") for kv in keep[1]]
keep.append([("PublicKey", pub[3]), ("AllowedIPs", "10.254.0.0/24"), ("Endpoint", "[fd00::4]:4")])
write("sync.conf", [("PrivateKey", priv), ("ListenPort", "51823")], keep)
write("empty.conf", [("PrivateKey", priv)], [])
EOF
cat >hosts.conf <<EOF
[Peer]
PublicKey = $(<pub5)
Endpoint = localhost:51999
AllowedIPs = 10.77.0.0/16
EOF

# ---------------------------------------------------------------------------
# The sequence.  $W is the tool, run inside namespace $NS.
run() { # command words (wg is replaced by the tool under test)
	local a=("$@")
	[ "${a[0]}" = wg ] && a[0]=$W
	[ "${a[0]}" = env ] && [ "${a[2]}" = wg ] && a[2]=$W
	echo "\$ $*"
	ip netns exec "$NS" "${a[@]}" 2>&1 | sed "s#$W#wg#g"
	echo "[rc=${PIPESTATUS[0]}]"
}
# rund: a command whose output is known to differ (ours names the file it
# cannot open; upstream prints perror's "fopen: ..."): kept out of the
# comparison, in diff.$TAG, and checked on its own.
rund() {
	run "$@" >>"diff.$TAG"
	echo "\$ $* (compared separately)"
}
# runm: the same, with wg0's (random) listening port masked.
runm() {
	local p
	p=$(ip netns exec "$NS" "$W" show wg0 listen-port 2>/dev/null)
	run "$@" | sed -E "s/(^|[\t: =])$p([^0-9]|\$)/\1PORT\2/g"
}
FIELDS="public-key private-key listen-port fwmark peers preshared-keys endpoints allowed-ips latest-handshakes transfer persistent-keepalive dump"
show_all_forms() { # dev
	local f
	run wg show "$1"
	for f in $FIELDS; do run wg show "$1" $f; done
	run wg showconf "$1"
}

sequence() {
	run wg show
	run wg show interfaces
	run wg show all dump
	run ip link add wg0 type wireguard
	run ip link add wg1 type wireguard
	run wg show interfaces
	run wg show all
	show_all_forms wg0

	# Device settings, an unclamped private key.
	run wg set wg0 listen-port 51820 private-key unclamped fwmark 0x1234
	show_all_forms wg0
	run wg set wg1 private-key priv2 listen-port 51821

	# Peers of every shape.
	run wg set wg0 peer "$(<pub2)" preshared-key psk1 endpoint 192.0.2.1:1234 \
		persistent-keepalive 25 allowed-ips 10.0.0.0/24,fd00::/64
	run wg set wg0 peer "$(<pub3)" endpoint '[2001:db8::1]:5678' \
		allowed-ips '10.0.3.77/24, 10.0.1.1/32 ,fd00:1::1/128'
	run wg set wg0 peer "$(<pub4)" endpoint '[::ffff:192.0.2.3]:9' \
		persistent-keepalive 65535 allowed-ips 0.0.0.0/0,::/0
	run wg set wg0 peer "$(<pub5)" endpoint '[fe80::1%1]:51820' preshared-key psk2 \
		allowed-ips 2001:db8:ffff::77/33,192.168.77.129/25
	run wg set wg0 peer "$(<pub6)" endpoint localhost:51900
	show_all_forms wg0
	run wg show all
	run wg show all dump
	for f in $FIELDS; do
		# Debian's wg (1.0.20210914) prints the interface name only once
		# per interface in "show all endpoints"; compared separately.
		[ "$f" = endpoints ] || run wg show all $f
	done
	run env WG_HIDE_KEYS=never wg show wg0
	run env WG_COLOR_MODE=always wg show all

	# Replacing, moving and clearing allowed IPs, keepalive, psk.
	run wg set wg0 peer "$(<pub2)" allowed-ips 10.9.0.0/16,fd09::/32
	run wg set wg0 peer "$(<pub3)" allowed-ips 10.9.0.0/16,10.0.3.0/24
	run wg show wg0 allowed-ips
	run wg set wg0 peer "$(<pub2)" allowed-ips '' preshared-key /dev/null persistent-keepalive off
	run wg show wg0 dump
	run wg set wg0 peer "$(<pub3)" endpoint 203.0.113.5:65535 peer "$(<pub4)" remove
	run wg set wg0 peer "$(<pub1)" remove
	run wg show wg0 dump

	# Ports: clash (EADDRINUSE), random port, fwmark off, no private key.
	run ip link set wg0 up
	run ip link set wg1 up
	run wg set wg0 listen-port 51821
	run wg show wg0 listen-port
	run wg set wg0 fwmark off private-key /dev/null
	run wg show wg0
	run wg set wg0 listen-port 0
	runm wg show wg0 listen-port
	runm wg show all dump
	runm wg showconf wg0
	run ip link set wg0 down
	run wg set wg0 listen-port 51820

	# Whole files.
	run wg setconf wg0 big.conf
	run wg showconf wg0
	run wg show wg0
	run wg addconf wg0 add.conf
	run wg show wg0 dump
	run wg syncconf wg0 sync.conf
	run wg showconf wg0
	run wg addconf wg0 hosts.conf
	run wg show wg0 endpoints
	run wg setconf wg0 empty.conf
	run wg show wg0 dump

	# Errors reported by the kernel or found before it is asked.
	run wg show wgnone0
	run wg showconf wgnone0
	run wg set wgnone0 listen-port 1
	run wg setconf wgnone0 empty.conf
	run wg set wg0 peer "$(<pub2)" allowed-ips 10.0.0.0/33
	rund wg set wg0 private-key /nonexistent
	rund wg setconf wg0 /nonexistent
	run wg show wg0 bogus
	run wg set wg0 bogus
	run ip link del wg1
	run wg show interfaces
	run ip link del wg0
	run wg show all
}

# ---------------------------------------------------------------------------
ns_fresh() { ip netns del "$1" 2>/dev/null; ip netns add "$1" && ip -n "$1" link set lo up; }

# 300 random (unclamped) private keys: both tools' `pubkey' (our crypto/
# takes the portable or SIMD path the emulated CPU allows).
pubkeys_both_ways() {
	local i
	for i in $(seq 300); do head -c 32 /dev/urandom | base64; done >keys.priv
	: >keys.up; : >keys.ours
	while read -r k; do
		$UP pubkey <<<"$k" >>keys.up
		$OURS pubkey <<<"$k" >>keys.ours
	done <keys.priv
	t_is "300 random keys: our pubkey = upstream pubkey" "$(<keys.ours)" "$(<keys.up)"
	t_is "300 distinct public keys" "$(sort -u keys.ours | wc -l)" 300
}

# The same keys through the kernel: 300 interfaces, each given its key by
# our wg; both tools then list every interface's public key.
kernel_keys() { # impl
	local impl=$1 i
	ns_fresh kk
	for i in $(seq 300); do echo "link add wgk$i type wireguard"; done >keys.batch
	ip -n kk -batch keys.batch
	i=0
	while read -r k; do
		i=$((i + 1))
		ip netns exec kk "$OURS" set "wgk$i" private-key <(echo "$k")
	done <keys.priv
	ip netns exec kk "$UP" show all public-key | sort -V | cut -f 2 >keys.kup
	ip netns exec kk "$OURS" show all public-key | sort -V | cut -f 2 >keys.kours
	t_is "[$impl] 300 keys set by our wg: kernel's public keys (read by upstream wg) = pubkey's" \
		"$(<keys.kup)" "$(<keys.up)"
	t_is "[$impl] ... read by our wg, the same" "$(<keys.kours)" "$(<keys.up)"
	ip netns del kk
}

# refused RC OUT [PATTERN...]: non-zero exit and every pattern in the output.
refused() {
	local rc=$1 out=$2 p
	shift 2
	[ "$rc" -ne 0 ] || return 1
	for p in "$@"; do grep -qF -- "$p" <<<"$out" || { echo "no '$p' in: ${out//$NL/ | }"; return 1; }; done
}
aips_of() { # namespace peer -> its allowed IPs, sorted, one line
	ip netns exec "$1" "$UP" show wg0 allowed-ips | grep "^$2" | cut -f 2 | tr ' ' '\n' | sort | tr '\n' ' '
}

# What only ours does; state read back with the reference tool.
ours_only() { # impl
	local impl=$1 before after out rc p2 p3 line
	p2=$(<pub2) p3=$(<pub3)
	ns_fresh oo
	ip -n oo link add wg0 type wireguard
	xo() { ip netns exec oo "$OURS" "$@"; }
	state() { ip netns exec oo "$UP" showconf wg0; }
	xo setconf wg0 big.conf
	xo set wg0 peer "$p2" allowed-ips 10.1.0.0/16,10.2.0.0/16,fd01::/48 peer "$p3" allowed-ips 10.3.0.0/16
	before=$(state)

	out=$(xo set wg0 peer "$p2" allowed-ips 10.9.0.0/24 listen-port 70000 2>&1); rc=$?
	t_ok "[$impl] listen-port after a peer refused: ${out//$NL/ | }" refused $rc "$out" "Invalid argument: listen-port"
	out=$(xo set wg0 listen-port 70000 peer "$p2" allowed-ips 10.9.0.0/24 2>&1); rc=$?
	t_ok "[$impl] listen-port 70000 refused (upstream takes it as 4464): ${out//$NL/ | }" refused $rc "$out" "\`70000'"
	sed 's/^ListenPort = .*/ListenPort = 65536/' big.conf >bad1.conf
	line=$(grep -n '^ListenPort' bad1.conf | cut -d: -f1)
	out=$(xo setconf wg0 bad1.conf 2>&1); rc=$?
	t_ok "[$impl] setconf with a bad port refused, naming the line: ${out//$NL/ | }" \
		refused $rc "$out" "\`65536'" "\`bad1.conf' on line $line"
	{ cat big.conf; printf '\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.5.0.0/33\n' "$(<pub6)"; } >bad2.conf
	line=$(wc -l <bad2.conf)
	out=$(xo addconf wg0 bad2.conf 2>&1); rc=$?
	t_ok "[$impl] addconf with a bad last line refused: ${out//$NL/ | }" \
		refused $rc "$out" "\`10.5.0.0/33'" "\`bad2.conf' on line $line"
	{ cat sync.conf; printf '\n[Peer]\nPublicKey = %s\nPublicKey = %s\n' "$p2" "$p3"; } >bad3.conf
	line=$(wc -l <bad3.conf)
	out=$(xo syncconf wg0 bad3.conf 2>&1); rc=$?
	t_ok "[$impl] syncconf with a duplicated key line refused: ${out//$NL/ | }" \
		refused $rc "$out" "PublicKey given twice" "on line $line"
	out=$(xo set wg0 peer "$p2" allowed-ips 10.8.0.0/24 peer "$p3" endpoint 1.2.3.4:70000 2>&1); rc=$?
	t_ok "[$impl] endpoint port 70000 refused: ${out//$NL/ | }" refused $rc "$out" "\`1.2.3.4:70000'"
	out=$(xo set wg0 fwmark 0x1ffffffff peer "$p2" remove 2>&1); rc=$?
	t_ok "[$impl] fwmark above 32 bits refused: ${out//$NL/ | }" refused $rc "$out" "\`0x1ffffffff'"
	t_is "[$impl] after all the refused commands nothing changed" "$(state)" "$before"

	# Incremental allowed IPs.
	out=$(xo set wg0 peer "$p2" allowed-ips +10.4.0.0/16 2>&1); rc=$?
	t_ok "[$impl] allowed-ips +prefix accepted ${out//$NL/ | }" test $rc -eq 0
	t_is "[$impl] +prefix adds without replacing" "$(aips_of oo "$p2")" \
		"10.1.0.0/16 10.2.0.0/16 10.4.0.0/16 fd01::/48 "
	before=$(state)
	out=$(xo set wg0 peer "$p2" allowed-ips +10.6.0.0/16,-10.2.0.0/16,-fd01::/48 2>&1); rc=$?
	if [ "$impl" = ours ] || [ $rc -eq 0 ]; then
		t_ok "[$impl] +prefix,-prefix accepted (WGALLOWEDIP_F_REMOVE_ME) ${out//$NL/ | }" test $rc -eq 0
		t_is "[$impl] -prefix removes just that prefix" "$(aips_of oo "$p2")" \
			"10.1.0.0/16 10.4.0.0/16 10.6.0.0/16 "
	else
		t_ok "[$impl] module without WGALLOWEDIP_F_REMOVE_ME: clear error: ${out//$NL/ | }" \
			refused $rc "$out" "does not support it" "nothing was changed"
		t_is "[$impl] ... and nothing was changed" "$(state)" "$before"
	fi
	ip netns del oo
}

ours_warnings() { # impl
	local out
	ns_fresh ow
	ip -n ow link add wg0 type wireguard
	cp priv1 ww.key; chmod 644 ww.key
	out=$(ip netns exec ow "$OURS" set wg0 private-key ww.key 2>&1)
	t_ok "[$1] a world-readable private key file warns: ${out//$NL/ | }" grep -q 'is world accessible' <<<"$out"
	t_is "[$1] ... and is used" "$(ip netns exec ow $UP show wg0 public-key)" "$(<pub1)"
	ip netns del ow
}

pubkeys_both_ways
for impl in "${impls[@]}"; do
	if ! use_impl "$impl" "$variant"; then
		t_ok "load the $impl module" false
		continue
	fi
	ns_fresh nsup; ns_fresh nsours
	: >"diff.$impl.up"; : >"diff.$impl.ours"
	W=$UP NS=nsup TAG=$impl.up sequence >"seq.$impl.up" 2>&1
	W=$OURS NS=nsours TAG=$impl.ours sequence >"seq.$impl.ours" 2>&1
	ncmd=$(grep -c '^\$ ' "seq.$impl.up")
	t_is "[$impl] $ncmd commands: our wg's output and exit codes identical to upstream's" \
		"$(<"seq.$impl.ours")" "$(<"seq.$impl.up")"
	t_ok "[$impl] the sequence ran (more than 100 commands, errors among them)" \
		test "$ncmd" -gt 100 -a "$(grep -c 'rc=1' "seq.$impl.up")" -gt 5
	t_ok "[$impl] known difference: a missing key or config file is named (upstream: perror \"fopen\")" \
		grep -q "^Unable to open key file \`/nonexistent': No such file or directory" "diff.$impl.ours"
	t_ok "[$impl] ... upstream's message for it" grep -q "^fopen: No such file or directory" "diff.$impl.up"
	ip netns del nsup; ip netns del nsours
	kernel_keys "$impl"
	ours_only "$impl"
	ours_warnings "$impl"
	cp "seq.$impl.up" "seq.$impl.ours" "diff.$impl.up" "diff.$impl.ours" /mnt/wgout/ 2>/dev/null
	impl_unload
done
t_done
