#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wg-exporter on the host (issue 16): the Prometheus text of a sample
# snapshot, the health rule and friendly-name comments (unit tests of
# tools/wg-exporter/metrics.c, under ASan/UBSan); promtool check metrics
# on that text and promtool test rules on contrib's alert rules when
# Prometheus is installed (debian-packages.txt has it); the exporter builds warning
# free and refuses bad arguments and a port in use with a clear error.  Then
# the exporter's real output, from two wireguard-go interfaces, checked by
# promtool and by a real Prometheus server evaluating the guide's
# WireGuardPeerDown rule (selftests/exporter/real-scrape.sh; root).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if ! out=$(make -s -C selftests/exporter 2>&1); then
	tap_fail "build the exporter unit tests"; echo "$out" | sed 's/^/# /'; tap_done; exit
fi
sample=$(mktemp)
tap_run "" build/exporter/test-metrics "$sample"
if command -v promtool > /dev/null; then
	out=$(promtool check metrics < "$sample" 2>&1)
	tap_ok $? "promtool check metrics accepts the exposition"
	[ -n "$out" ] && echo "$out" | sed 's/^/# /'
else
	tap_skip "promtool check metrics" "prometheus not installed"
fi
rm -f "$sample"
if command -v promtool > /dev/null; then
	out=$(cd contrib/prometheus && promtool check rules wireguard-rules.yml 2>&1 &&
		promtool test rules wireguard-rules.test.yml 2>&1)
	tap_ok $? "contrib/prometheus: promtool check rules and test rules (the guide's alerts fire as they should)"
	grep -q FAILED <<< "$out" && echo "$out" | sed 's/^/# /'
else
	tap_skip "promtool test rules" "prometheus not installed"
fi
python3 -c '
import json, sys
d = json.load(open("contrib/grafana/wireguard.json"))
exprs = " ".join(t["expr"] for p in d["panels"] for t in p["targets"])
for m in ("wireguard_handshake_rtt_seconds", "wireguard_sent_bytes_total", "wireguard_latest_handshake_seconds", "wireguard_dropped_packets_total"):
    assert m in exprs, m
'
tap_ok $? "contrib/grafana/wireguard.json is JSON and charts the exporter's series"
out=$(make -s -C tools/wg-exporter 2>&1)
tap_ok $? "tools/wg-exporter builds"
! grep -q -i warning <<< "$out"
tap_ok $? "tools/wg-exporter builds without warnings"
x=tools/wg-exporter/wg-exporter
out=$($x -l nonsense 2>&1)
[ $? = 1 ] && grep -q "bad listen address \`nonsense'" <<< "$out"
tap_ok $? "bad listen address: exit 1, clear error"
out=$($x -i waytoolonginterfacename 2>&1)
[ $? = 1 ] && grep -q "cannot be an interface name" <<< "$out"
tap_ok $? "bad interface name: exit 1, clear error"
# A port in use (held by a listener of our own on the loopback).
ready=$(mktemp -u)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(30)' "$ready" &
holder=$!
for i in $(seq 100); do [ -s "$ready" ] && break; sleep 0.1; done
port=$(cat "$ready" 2> /dev/null)
rm -f "$ready"
out=$(timeout 5 $x -l "127.0.0.1:$port" 2>&1)
[ $? = 1 ] && grep -q "cannot listen on 127.0.0.1:$port: Address already in use" <<< "$out"
tap_ok $? "port in use: exit 1, clear error"
[ -n "$out" ] && echo "$out" | sed 's/^/# /'
kill $holder 2> /dev/null
wait $holder 2> /dev/null

why=
for need in unshare wireguard-go promtool prometheus curl; do
	command -v $need > /dev/null || why="$need not installed"
done
[ -c /dev/net/tun ] || why="no /dev/net/tun"
[ "$(id -u)" = 0 ] || why="needs root (namespaces, tun)"
if [ -n "$why" ]; then
	tap_skip "the exporter's real output under promtool and Prometheus" "$why"
elif ! out=$(make -s -C tools/wg 2>&1); then
	tap_fail "build tools/wg"; echo "$out" | sed 's/^/# /'
else
	tap_run real unshare -n -m --propagation private bash selftests/exporter/real-scrape.sh
fi
tap_done
