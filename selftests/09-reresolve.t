#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wg-reresolve/wg-reresolve against a fake wg (issue 16): which peers
# are re-resolved (hostname endpoint, handshake older than the limit or
# none), that only a changed address is applied, and its errors.  The VM
# test (observe.sh) runs it against the module with a moving /etc/hosts.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/wg" <<'EOS'
#!/bin/bash
case "$1 $3" in
"show latest-handshakes") cat "$FAKE_DIR/hs" ;;
"show endpoints") cat "$FAKE_DIR/ep" ;;
*) [ "$1" = set ] && echo "$*" >> "$FAKE_DIR/set.log" ;;
esac
EOS
chmod +x "$d/wg"
now=$(date +%s)
# A: name, old handshake -> resolved (localhost: 127.0.0.1), applied
# B: name, young handshake -> left alone
# C: IPv4 literal -> left alone;  D: name, never handshaked, unchanged -> nothing
# E: bracketed IPv6 literal -> left alone
A=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
B=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=
C=CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=
D=DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD=
E=EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE=
printf '%s\t%s\n' $A $((now - 200)) $B $((now - 10)) $C 0 $D 0 $E 0 > "$d/hs"
printf '%s\t%s\n' $A 192.0.2.1:51820 $B 192.0.2.2:51820 $C 192.0.2.3:51820 \
	$D 127.0.0.1:7 $E '[2001:db8::1]:51820' > "$d/ep"
cat > "$d/wg0.conf" <<EOC
[Interface]
PrivateKey = x
ListenPort = 51820

[Peer]
PublicKey = $A
Endpoint = localhost:51820   # a comment
AllowedIPs = 10.0.0.1/32
[peer]
publickey=$B
endpoint = localhost:51820
[Peer]
PublicKey = $C
Endpoint = 192.0.2.3:51820
[Peer]
Endpoint = localhost:7
PublicKey = $D
[Peer]
PublicKey = $E
Endpoint = [2001:db8::1]:51820
EOC
rr() { FAKE_DIR=$d WG=$d/wg WG_CONFIG_DIR=$d "$@" tools/wg-reresolve/wg-reresolve wg0; }
out=$(rr env)
tap_ok $? "exit 0"
[ "$(cat "$d/set.log")" = "set wg0 peer $A endpoint 127.0.0.1:51820" ]
tap_ok $? "only the stale hostname peer whose address changed is set"
[ "$out" = "wg-reresolve: wg0: peer $A: localhost now 127.0.0.1:51820 (was 192.0.2.1:51820)" ]
tap_ok $? "the change is reported on one line"
rm -f "$d/set.log"
rr env WG_RERESOLVE_AGE=5 > /dev/null
[ "$(cat "$d/set.log")" = "set wg0 peer $A endpoint 127.0.0.1:51820
set wg0 peer $B endpoint 127.0.0.1:51820" ]
tap_ok $? "WG_RERESOLVE_AGE lowers the limit"
echo "[Peer]
PublicKey = $A
Endpoint = no-such-host.invalid:1" > "$d/wg1.conf"
out=$(FAKE_DIR=$d WG=$d/wg WG_CONFIG_DIR=$d tools/wg-reresolve/wg-reresolve wg1 2>&1)
[ $? = 1 ] && grep -q "cannot resolve no-such-host.invalid" <<< "$out"
tap_ok $? "an unresolvable name: exit 1, clear error"
out=$(WG_CONFIG_DIR=$d tools/wg-reresolve/wg-reresolve wg9 2>&1)
[ $? = 1 ] && grep -q "cannot read $d/wg9.conf" <<< "$out"
tap_ok $? "a missing configuration: exit 1, clear error"
out=$(tools/wg-reresolve/wg-reresolve 2>&1)
[ $? = 1 ] && grep -q "^Usage: wg-reresolve INTERFACE" <<< "$out"
tap_ok $? "usage"
if command -v shellcheck > /dev/null; then
	shellcheck tools/wg-reresolve/wg-reresolve
	tap_ok $? "shellcheck clean"
else
	tap_skip "shellcheck" "not installed"
fi
tap_done
