#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wg-quick's hooks keep their whole text, a '#' and what follows it
# included, as upstream wg-quick's parser does (its PreUp/PostUp/PreDown/
# PostDown values are the line after the first '=', not cut at '#'; every
# other key's value is cut there).  Debian's wg-quick (1.0.20210914) is
# older and still cuts hooks at '#', so this is checked against the
# expected behaviour, not against that oracle: hooks run with a '#' inside
# quotes and before a trailing comment, an iptables rule whose comment
# holds '#' is added and removed, `save' writes the hooks back whole and a
# second up from the saved file runs them the same, and `strip' leaves
# them out.  Prints TAP; needs root and a WireGuard implementation (the
# module, or wireguard-go).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

if [[ $EUID -ne 0 ]]; then echo "1..0 # SKIP needs root"; exit 0; fi
for t in ip iptables-save "$WQT_WG"; do
	command -v "$t" >/dev/null || { echo "1..0 # SKIP $t not found"; exit 0; }
done
wqt_init
ifn=$(wqt_ifname h)
ns=wqt-$WQT_TAG-$ifn
wqt_netns "$ns" || { echo "1..0 # SKIP cannot create network namespaces"; exit 0; }
out=$WQT_TMP/hooks.out
conf=$WQT_TMP/$ifn.conf
cat > "$conf" <<CONF
[Interface]
PrivateKey = $(wqt_genkey)
Address = 10.70.0.1/24  # a comment after a value
SaveConfig = true
PreUp = echo "pre #1 %i" >> $out
PostUp = echo 'post#2' >> $out # a comment after the command
PostUp = printf '%s\n' "a # b" >> $out
PostUp = iptables -A INPUT -i %i -m comment --comment "#x" -j ACCEPT
# PostUp = echo commented-out >> $out
PreDown = iptables -D INPUT -i %i -m comment --comment "#x" -j ACCEPT
PostDown = echo "down #3 %i" >> $out

[Peer]
PublicKey = $(wqt_pubkey "$(wqt_genkey)")
AllowedIPs = 10.70.0.2/32
CONF
log=$WQT_TMP/log

run() { wqt_wgquick mine "$ns" nft "$log" "$@" "$conf"; }

run up
tap_check "wg-quick up with hooks holding '#'" test $? = 0
tap_check "iptables has the rule whose comment is \"#x\"" \
	grep -q -- "-A INPUT -i $ifn -m comment --comment \"#x\" -j ACCEPT" \
	<(ip netns exec "$ns" iptables-save)
run down
tap_check "wg-quick down (saves the configuration)" test $? = 0
tap_check "the rule is gone again" \
	bash -c "! ip netns exec $ns iptables-save | grep -q -- '--comment \"#x\"'"
printf '%s\n' "pre #1 $ifn" "post#2" "a # b" "down #3 $ifn" > "$WQT_TMP/want"
tap_same "every hook ran with its whole text; the commented-out one did not" \
	"$WQT_TMP/want" "$out"
tap_check "the log shows the hook with its trailing comment" \
	grep -qF "[#] echo 'post#2' >> $out # a comment after the command" "$log"
for h in "PreUp = echo \"pre #1 %i\" >> $out" \
	"PostUp = echo 'post#2' >> $out # a comment after the command" \
	"PostUp = iptables -A INPUT -i %i -m comment --comment \"#x\" -j ACCEPT"; do
	tap_check "save wrote back: $h" grep -qxF "$h" "$conf"
done
: > "$out"
run up && run down
tap_check "up and down again from the saved file" test $? = 0
tap_same "the hooks ran the same from the saved file" "$WQT_TMP/want" "$out"
strip=$(ip netns exec "$ns" env PATH="$(wqt_path nft)" "$WQT_MINE" strip "$conf" 2>&1)
tap_check "strip leaves the hooks out" bash -c "! grep -qi '^P[a-z]*\(up\|down\) =' <<<'$strip'"
wqt_netns_del "$ns"
tap_done
