#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netlink-scale.sh [release|debug] [PEERS [AIPS_PER_PEER]]: the resumable
# GET dump at scale (default 100,000 peers, 10 allowed IPs each = 1,000,000
# allowed IPs, spread over many netlink messages and resumed inside a
# peer's allowed IPs), read back exactly through wg; then dumps racing with
# changes: each one is either consistent or retried by wg (NLM_F_DUMP_INTR),
# never a mix.  Ours only; run with --no-module and --mem 4G.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"

variant=debug nums=()
for a in "$@"; do
	case "$a" in
	release|debug) variant=$a ;;
	*) nums+=("$a") ;;
	esac
done
peers=${nums[0]:-100000} per=${nums[1]:-10}
WGNL=$WG_REPO/build/netlink/wgnl
D=/tmp/nlscale
mkdir -p $D
cd $D || exit 1
umask 077

use_impl ours "$variant" || { t_ok "load our module" false; t_done; }
python3 "$WG_REPO/selftests/bench/gen-config.py" "$peers" "$per" 7 > big.conf
ip link add wg0 type wireguard
t_ok "setconf of $peers peers, $((peers * per)) allowed IPs" wg setconf wg0 big.conf
wg show wg0 dump > dump
t_is "dump has one line per peer and one for the device" "$(wc -l < dump)" $((peers + 1))
t_is "every allowed IP comes back" \
	"$(tail -n +2 dump | cut -f4 | tr ',' '\n' | wc -l)" $((peers * per))
t_is "no public key twice" "$(tail -n +2 dump | cut -f1 | sort | uniq -d | wc -l)" 0
# The same configuration, in the same order: peers in the order they were
# added, each one's allowed IPs in the order given (compared as networks:
# the generator does not write IPv6 in canonical form).
canon() {
	python3 -c '
import ipaddress, sys
peer = None
for line in sys.stdin:
    k, _, v = line.strip().partition(" = ")
    if k == "PublicKey":
        peer = v
        print("peer", v)
    elif k == "AllowedIPs" and peer:
        for a in v.split(", "):
            print(" ", ipaddress.ip_network(a))
    elif k == "Endpoint" and peer:
        print("  endpoint", v)'
}
t_ok "showconf reads back the whole configuration exactly" \
	cmp <(wg showconf wg0 | canon) <(canon < big.conf)
out=$($WGNL get ifname wg0)
t_ok "the dump spans many messages, one per <= 1000 allowed IPs ($out)" \
	bash -c "[[ '$out' =~ ^OK\ msgs=([0-9]+) ]] && [ \${BASH_REMATCH[1]} -ge $((peers * per / 1000)) ]"

# One peer with more allowed IPs than one message holds.
first=$(tail -n +2 dump | head -1 | cut -f1)
python3 -c 'import sys
print("[Peer]\nPublicKey = %s\nAllowedIPs = %s" % (sys.argv[1],
      ", ".join("fd77::%x/128" % i for i in range(20000))))' "$first" > one.conf
wg addconf wg0 one.conf
# (a config file's AllowedIPs replace the peer's list, addconf or not)
t_is "a peer with 20,000 allowed IPs is dumped whole (resumed inside it)" \
	"$(wg show wg0 allowed-ips | grep "^$first" | wc -w)" 20001
ip link del wg0

# Dumps while the peer list changes: wg retries an interrupted dump, so
# every dump it prints is one consistent state: N or N+1 peers, no peer
# twice.
python3 "$WG_REPO/selftests/bench/gen-config.py" 3000 4 9 > mid.conf
ip link add wg1 type wireguard
wg setconf wg1 mid.conf
extra=$(wg genkey | wg pubkey)
(
	for i in $(seq 300); do
		wg set wg1 peer "$extra" allowed-ips 10.250.0.1/32
		wg set wg1 peer "$extra" remove
	done
) &
churn=$!
bad=0 n=0
while kill -0 $churn 2>/dev/null && [ $n -lt 40 ]; do
	wg show wg1 dump > d.$n
	lines=$(wc -l < d.$n)
	dups=$(tail -n +2 d.$n | cut -f1 | sort | uniq -d | wc -l)
	if [ "$dups" != 0 ] || { [ "$lines" != 3001 ] && [ "$lines" != 3002 ]; }; then
		bad=$((bad + 1))
		echo "# dump $n: $lines lines, $dups duplicate keys"
	fi
	n=$((n + 1))
done
wait $churn
t_is "$n dumps racing with changes were each consistent" "$bad" 0
ip link del wg1
impl_unload
t_done
