#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# observe.sh: the module's "wireguard-events" family (issue 16) through
# `wg monitor' and wg-exporter, on our debug module (time_divisor makes key
# zeroing quick).  Run with --no-module.
#
#  - peer added, handshake (initiator with RTT / responder), endpoint
#    changed, keys zeroed and peer removed are seen in order, with the
#    right peer, by `wg monitor' in each namespace;
#  - the initiator's RTT is within bounds of the netem delay the router
#    adds, and the same figure is readable per peer; over a 2 s path,
#    the handshake RTT (event and exporter) is within 10% of netem's RTT
#    and of ping's through the tunnel;
#  - a replayed data packet and garbage from a new source address, and a
#    handshake initiation that fails authentication, produce no event (and
#    count as drops);
#  - an unprivileged listener is refused;
#  - wg-reresolve moves a peer's endpoint when its name moves (and only
#    when its handshake is old and the address changed).
#
# Standalone, or sourced as the last section of tunnel-rekey.sh (which
# sets OBSERVE_SECTION=1, has loaded the module and cleaned its topology)
# to share that boot.
if [ -z "${OBSERVE_SECTION:-}" ]; then
	. "$WG_REPO/selftests/vm/lib/tap.sh"
	. "$WG_REPO/selftests/vm/lib/impl.sh"
	. "$WG_REPO/selftests/vm/lib/net.sh"
	. "$WG_REPO/selftests/vm/lib/wire.sh"
	use_impl ours debug || { t_ok "load our debug module" false; t_done; }
fi

WG=$WG_REPO/tools/wg/wg
EXPORTER=$WG_REPO/tools/wg-exporter/wg-exporter
param=/sys/module/wireguard/parameters/time_divisor
[ -w $param ] || { t_ok "time_divisor parameter (debug build)" false; t_done; }
T="[observe]"

keys_init
topology_outer
wg_devices
wire_helpers

# One-way delay each way in the router: RTT >= 2 * DELAY_MS.
DELAY_MS=40
nr tc qdisc add dev veth1r root netem delay ${DELAY_MS}ms
nr tc qdisc add dev veth2r root netem delay ${DELAY_MS}ms

n1 "$WG" monitor wg0 --json > /tmp/mon1.json 2> /tmp/mon1.err &
mon1=$!
n2 "$WG" monitor > /tmp/mon2.txt 2> /tmp/mon2.err &
mon2=$!
# Exporters: ns1's names peers from a configuration comment (one more
# comment is malformed);
# ns2's is asked for an interface that does not exist as well.
mkdir -p /tmp/wgconf
cat > /tmp/wgconf/wg0.conf <<EOC
[Interface]
ListenPort = 1

[Peer]
# friendly_name = hub "ns2"
# friendly_name oops
PublicKey = $PUB2
AllowedIPs = 10.0.0.2/32
EOC
n1 "$EXPORTER" -l 127.0.0.1:9586 -c /tmp/wgconf 2> /tmp/exp1.err &
exp1=$!
n2 "$EXPORTER" -l 127.0.0.1:9586 -i nosuch0 -i wg0 2> /tmp/exp2.err &
exp2=$!
sleep 1
t_ok "wg monitor runs in ns1 and ns2" kill -0 $mon1 $mon2
t_ok "wg-exporter runs in ns1 and ns2" kill -0 $exp1 $exp2
scrape() { ip netns exec "$1" curl -sS --max-time 10 "http://127.0.0.1:9586${2:-/metrics}"; }
# metric NS NAME [LABEL-REGEX]: the value of the first matching series
# metric NS NAME [LABEL-TEXT]: the value of the first NAME series whose
# labels contain LABEL-TEXT.  Label values may hold spaces (a friendly
# name), so the series is the whole line up to its value, the last field.
metric() { scrape "$1" | awk -v n="$2" -v l="${3:-}" '{ s = $0; sub(/ [^ ]*$/, "", s) } index(s, n "{") == 1 && index(s, l) { print $NF; exit }'; }

# events of ns2's monitor, as "event role" words
ev2() { awk '{ print $3 ($6 == "role" ? " " $7 : "") }' /tmp/mon2.txt; }
ev1() { python3 -c '
import json, sys
for l in open("/tmp/mon1.json"):
    e = json.loads(l)
    print(e["event"], e.get("role", "-"), e["public_key"], e.get("rtt_ns", 0), e.get("srtt_ns", 0))'; }

wg_peers 4
t_ok "$T tunnel up (ns1 initiates)" ping_ok ns1 10.0.0.2
sleep 1
t_is "$T ns2: peer added, then handshake as responder" "$(ev2)" "peer-added
handshake responder"
t_is "$T ns2: events name ns1's key" "$(awk '{ print $5 }' /tmp/mon2.txt | sort -u)" "$PUB1"
ev1 > /tmp/ev1.txt
t_is "$T ns1: peer added, then handshake as initiator" "$(awk '{ print $1, $2 }' /tmp/ev1.txt)" "peer-added -
handshake initiator"
t_is "$T ns1: events name ns2's key" "$(awk '{ print $3 }' /tmp/ev1.txt | sort -u)" "$PUB2"
rtt=$(awk '$1 == "handshake" { print $4 }' /tmp/ev1.txt)
srtt=$(awk '$1 == "handshake" { print $5 }' /tmp/ev1.txt)
echo "# measured handshake RTT ${rtt} ns (netem $((2 * DELAY_MS)) ms), smoothed ${srtt} ns"
t_ok "$T handshake RTT ${rtt} ns >= netem RTT $((2 * DELAY_MS)) ms" test "${rtt:-0}" -ge $((2 * DELAY_MS * 1000000))
# Under TCG the responder's Curve25519 work is tens of milliseconds, and it
# is part of the round trip: only a loose upper bound here.
t_ok "$T handshake RTT ${rtt} ns < netem RTT + 1 s" test "${rtt:-0}" -lt $(((2 * DELAY_MS + 1000) * 1000000))
t_is "$T first sample: smoothed RTT = RTT" "$srtt" "$rtt"
sleep 1
scrape ns1 > /tmp/metrics1.txt
lbl='{interface="wg0",public_key="'"$PUB2"'",allowed_ips="10.0.0.2/32,fd00:a::2/128",friendly_name="hub \"ns2\""'
t_ok "$T exporter: sent/received/latest handshake with the guide's labels and the friendly name" \
	grep -qF "wireguard_sent_bytes_total$lbl}" /tmp/metrics1.txt
for m in wireguard_received_bytes_total wireguard_latest_handshake_seconds wireguard_peer_up wireguard_handshakes_total; do
	grep -qF "$m$lbl}" /tmp/metrics1.txt || echo "# missing $m" >> /tmp/metrics1.missing
done
t_ok "$T exporter: every per-peer series present" test ! -s /tmp/metrics1.missing
exp_rtt=$(awk -F'} ' '/^wireguard_handshake_rtt_seconds.*estimate="last"/ { print $2 }' /tmp/metrics1.txt)
echo "# exporter: wireguard_handshake_rtt_seconds last = $exp_rtt s"
t_is "$T exporter: RTT (last) = the event's RTT" "$exp_rtt" "$(awk -v n="$rtt" 'BEGIN { printf "%d.%09d", n / 1e9, n % 1e9 }')"
t_ok "$T exporter: smoothed RTT present" grep -q '^wireguard_handshake_rtt_seconds.*estimate="smoothed"} 0\.[0-9]*$' /tmp/metrics1.txt
t_is "$T exporter: peer up" "$(grep -F "wireguard_peer_up$lbl}" /tmp/metrics1.txt | awk '{ print $NF }')" 1
t_ok "$T exporter: handshake event counted" grep -q '^wireguard_events_total{interface="wg0",event="handshake"} [1-9]' /tmp/metrics1.txt
t_ok "$T exporter: the malformed comment is reported with its line" grep -q "wg0.conf:6: malformed friendly_name" /tmp/exp1.err
health() { ip netns exec ns1 curl -s -o /tmp/health.txt -w '%{http_code}' http://127.0.0.1:9586/health; }
t_is "$T exporter: /health 200 while the peer is up" "$(health; cat /tmp/health.txt)" "200wg0: 1/1 peers healthy"
# A peer that never had a handshake is down, and the host unhealthy.
n1 wg set wg0 peer "$PUB3" allowed-ips 10.0.0.3/32
t_is "$T exporter: a peer without handshake is down" "$(metric ns1 wireguard_peer_up "$PUB3")" 0
t_is "$T exporter: ... and /health says 503, why" "$(health; grep -c "peer $PUB3 never completed a handshake" /tmp/health.txt)" 5031
n1 wg set wg0 peer "$PUB3" remove
t_is "$T exporter: /health 200 again" "$(health)" 200
t_is "$T exporter: unknown interface reported down" "$(metric ns2 wireguard_interface_up nosuch0)" 0
t_is "$T exporter: ... and the others still served" "$(metric ns2 wireguard_peers wg0)" 1
out=$(n1 timeout 5 "$EXPORTER" -l 127.0.0.1:9586 2>&1)
t_ok "$T exporter: a port in use is a clear error ($out)" grep -q "cannot listen on 127.0.0.1:9586: Address already in use" <<< "$out"
if command -v promtool > /dev/null; then
	t_ok "$T promtool check metrics" promtool check metrics < /tmp/metrics1.txt
fi
t_ok "$T text line carries role and RTT fields" grep -q ' handshake peer .* role responder$' /tmp/mon2.txt

# ---- nothing unauthenticated makes an event ----------------------------------
# A data packet ns1 -> ns2, captured in the router, is replayed from the
# router's own address; a copy with a flipped bit, and a forged handshake
# initiation, come from there too.
before2=$(wc -l < /tmp/mon2.txt)
wire_capture_start veth2r /tmp/data.pcap 'udp and dst port 2'
n1 ping -q -c 2 -i 0.3 -W 1 10.0.0.2 > /dev/null
wire_capture_stop
mapfile -t held < <(wire_transport_hex /tmp/data.pcap)
t_ok "$T captured transport packets (${#held[@]})" test "${#held[@]}" -ge 1
nr python3 /tmp/udp-send.py 192.168.2.254 192.168.2.1 2 "${held[0]}"
nr python3 /tmp/udp-send.py 192.168.2.254 192.168.2.1 2 "${held[0]}" flip
forged=01000000$(head -c 144 /dev/urandom | od -An -tx1 | tr -d ' \n')
nr python3 /tmp/udp-send.py 192.168.2.254 192.168.2.1 2 "$forged"
sleep 1
t_is "$T replayed, corrupted, forged packets from a new address: no event" \
	"$(tail -n +$((before2 + 1)) /tmp/mon2.txt)" ""
t_ok "$T exporter: replay counted as a drop" test "$(metric ns2 wireguard_dropped_packets_total 'reason="replay"')" -ge 1
t_ok "$T exporter: the corrupted packet counted" test "$(metric ns2 wireguard_dropped_packets_total 'reason="decrypt"')" -ge 1
t_ok "$T exporter: the forged initiation counted" test "$(metric ns2 wireguard_dropped_packets_total 'reason="handshake_mac"')" -ge 1
t_is "$T ns2's endpoint for ns1 unchanged" "$(peer_field ns2 "$PUB1" 3)" "192.168.1.1:1"

# ---- endpoint changed, after an authenticated packet ----------------------------
n1 wg set wg0 listen-port 11
t_ok "$T ping from the new port" ping_ok ns1 10.0.0.2
sleep 0.5
t_ok "$T ns2: endpoint event for ns1's new port" \
	grep -q " endpoint peer $PUB1 endpoint 192.168.1.1:11\$" /tmp/mon2.txt
t_is "$T ns1: no endpoint event (ns2 did not move)" "$(ev1 | grep -c '^endpoint')" 0

# ---- keys zeroed ----------------------------------------------------------------
# 3 * REJECT_AFTER_TIME = 540 s, divided by 90: 6 s without a new session.
# The zeroing timer is armed when a session is derived, so the divisor
# counts from the next session: one ping makes it (its keypair is past
# REJECT_AFTER_TIME / 90 = 2 s).  Waiting for a keepalive to do it made
# the check depend on the host's speed: a timer armed before the divisor
# changed fired before it on a loaded host, and then nothing was sent.
# The router's delay goes: its round trip (2 * DELAY_MS = 80 ms) is longer
# than REKEY_TIMEOUT under the divisor (5 s / 90 = 55 ms), so every
# initiation was replaced before its response came back, and after
# REKEY_ATTEMPT_TIME the peer gave up (seen in CI: 20 tries, 20 pings
# lost).  The RTT section below sets its own delay.
nr tc qdisc change dev veth1r root netem delay 0ms
nr tc qdisc change dev veth2r root netem delay 0ms
echo 90 > $param
t_ok "$T a ping under the divisor makes a new session" ping_ok ns1 10.0.0.2
wait_for 30 grep -q ' keys-zeroed peer ' /tmp/mon2.txt
t_ok "$T ns2: keys zeroed" grep -q " keys-zeroed peer $PUB1\$" /tmp/mon2.txt
wait_for 10 grep -q '"keys-zeroed"' /tmp/mon1.json
t_ok "$T ns1: keys zeroed" grep -q '"event":"keys-zeroed","public_key":"'"$PUB2"'"' /tmp/mon1.json
echo 1 > $param
t_ok "$T exporter: peer events counted" test "$(metric ns1 wireguard_events_total 'event="peer_added"')" -ge 2
t_ok "$T exporter: keys-zeroed event counted" test "$(metric ns1 wireguard_events_total 'event="keys_zeroed"')" -ge 1

# ---- removed ----------------------------------------------------------------------
n2 wg set wg0 peer "$PUB1" remove
sleep 0.5
t_is "$T ns2: every event in order (repeated handshakes folded)" "$(ev2 | awk '!($1 == "handshake" && seen++)')" "peer-added
handshake responder
endpoint
keys-zeroed
peer-removed"
t_ok "$T monitors still running" kill -0 $mon1 $mon2

# ---- who may listen ---------------------------------------------------------------
unpriv() { n1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$@"; }
out=$(unpriv timeout 5 "$WG" monitor 2>&1)
rc=$?
echo "# unprivileged: $out (exit $rc)"
t_is "$T unprivileged listener refused (exit 1)" "$rc" 1
t_ok "$T ... saying it needs CAP_NET_ADMIN" grep -q CAP_NET_ADMIN <<< "$out"
out=$(n1 timeout 5 "$WG" monitor nosuchdev 2>&1)
t_is "$T unknown interface: clear error" "$out" "Unable to access interface nosuchdev: No such device"

# ---- RTT accuracy: within 10% of the path's RTT -----------------------------------
# The handshake RTT includes both ends' Curve25519 work: tens
# to hundreds of milliseconds under TCG on a loaded host (sub-millisecond on
# hardware): measured here, 843 ms for the first handshake over the 80 ms
# path above (TCG translating the crypto code for the first time), 577 ms
# for a later one over a 500 ms path.  So the path is made long enough for
# that to stay inside 10%: 1 s each way, 2 s round trip.  A fresh pair of
# peers, so ns1 initiates and its RTT figures start over.
RTT_DELAY_MS=1000
nr tc qdisc change dev veth1r root netem delay ${RTT_DELAY_MS}ms
nr tc qdisc change dev veth2r root netem delay ${RTT_DELAY_MS}ms
wg_peers 4
t_ok "$T rtt: tunnel up over the ${RTT_DELAY_MS} ms path" ping_ok ns1 10.0.0.2
sleep 1
netem_ns=$((2 * RTT_DELAY_MS * 1000000))
rtt=$(ev1 | awk '$1 == "handshake" && $2 == "initiator" { r = $4 } END { print r }')
# an ICMP echo through the tunnel, the round trip as ping measures it
icmp_ms=$(n1 ping -q -c 3 -i 0.5 -W 5 10.0.0.2 | sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
icmp_ns=$(awk -v m="${icmp_ms:-0}" 'BEGIN { printf "%d", m * 1e6 }')
exp_rtt=$(metric ns1 wireguard_handshake_rtt_seconds 'estimate="last"')
exp_ns=$(awk -v s="${exp_rtt:-0}" 'BEGIN { printf "%d", s * 1e9 + 0.5 }')
echo "# rtt: handshake RTT ${rtt} ns, exporter ${exp_rtt} s, ping ${icmp_ms} ms, netem $((2 * RTT_DELAY_MS)) ms"
# within PCT % of REF: |X - REF| * 100 <= PCT * REF
within() { awk -v x="${1:-0}" -v r="$2" -v p="$3" 'BEGIN { d = x - r; if (d < 0) d = -d; exit !(x > 0 && d * 100 <= p * r) }'; }
t_ok "$T rtt: handshake RTT $((rtt / 1000000)) ms within 10% of the netem RTT $((2 * RTT_DELAY_MS)) ms" \
	within "$rtt" "$netem_ns" 10
t_ok "$T rtt: handshake RTT within 10% of ping's through the tunnel (${icmp_ms} ms)" \
	within "$rtt" "$icmp_ns" 10
t_ok "$T rtt: the exporter's wireguard_handshake_rtt_seconds (${exp_rtt} s) within 10% of the netem RTT" \
	within "$exp_ns" "$netem_ns" 10
nr tc qdisc change dev veth1r root netem delay ${DELAY_MS}ms
nr tc qdisc change dev veth2r root netem delay ${DELAY_MS}ms

# ---- endpoint re-resolution (wg-reresolve) ------------------------------------------
# ns1 knows ns2 as peer2.test (ip netns exec mounts /etc/netns/ns1/hosts on
# /etc/hosts).  ns2 moves to another address; the name follows; traffic is
# cut until wg-reresolve applies the new address.  The router lets ns2
# only answer (as a NAT in front of ns1 would): otherwise ns2's own packets
# from its new address would move the endpoint (roaming) first.
RERESOLVE=$WG_REPO/tools/wg-reresolve/wg-reresolve
mkdir -p /etc/netns/ns1
echo "192.168.2.1 peer2.test" > /etc/netns/ns1/hosts
wg_peers 4
cat > /tmp/wgconf/wg0.conf <<EOC
[Interface]
ListenPort = 11

[Peer]
PublicKey = $PUB2
Endpoint = peer2.test:2
AllowedIPs = 10.0.0.2/32
EOC
t_ok "$T re-resolve: tunnel up to peer2.test" ping_ok ns1 10.0.0.2
nr nft add table inet natlike
nr nft add chain inet natlike cut '{ type filter hook forward priority 0; }'
nr nft add rule inet natlike cut iifname veth2r ct state new drop
n2 ip addr add 192.168.2.9/24 dev veth2
n2 ip addr del 192.168.2.1/24 dev veth2
n2 ip route replace default via 192.168.2.254
echo "192.168.2.9 peer2.test" > /etc/netns/ns1/hosts
t_ok "$T re-resolve: traffic cut (old address gone)" ping_fails ns1 10.0.0.2
rr() { n1 env WG_CONFIG_DIR=/tmp/wgconf WG="$WG" "$@" "$RERESOLVE" wg0; }
out=$(rr)
t_is "$T re-resolve: handshake younger than 135 s: nothing done" "$out$(peer_field ns1 "$PUB2" 3)" "192.168.2.1:2"
out=$(rr WG_RERESOLVE_AGE=0)
echo "# $out"
t_ok "$T re-resolve: older than the limit: the new address applied" \
	grep -q "peer $PUB2: peer2.test now 192.168.2.9:2 (was 192.168.2.1:2)" <<< "$out"
t_is "$T re-resolve: endpoint follows the name" "$(peer_field ns1 "$PUB2" 3)" "192.168.2.9:2"
t_ok "$T re-resolve: traffic resumes" ping_ok ns1 10.0.0.2
t_is "$T re-resolve: unchanged address: no change, no output" "$(rr WG_RERESOLVE_AGE=0)" ""
rm -rf /etc/netns/ns1
nr nft delete table inet natlike

kill $mon1 $mon2 $exp1 $exp2
wait $mon1 $mon2 $exp1 $exp2 2> /dev/null
topology_cleanup
[ -n "${OBSERVE_SECTION:-}" ] || t_done
