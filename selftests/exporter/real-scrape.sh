#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# real-scrape.sh: tools/wg-exporter's real output checked by Debian's
# Prometheus (issue 16), on the host, without the module: two wireguard-go
# interfaces handshake over the loopback, the exporter reads them (the UAPI
# sockets in /run/wireguard; wg_ipc_get is the same code path for netlink
# devices), and
#   - promtool check metrics passes on what it serves, before and after one
#     peer is cut off;
#   - the guide's WireGuardPeerDown rule, as contrib/prometheus ships it,
#     evaluated by promtool test rules over series built from those scrapes
#     (real labels, friendly_name included, and the real handshake time
#     mapped onto promtool's clock), fires 5 minutes after the handshake is
#     older than 5 minutes, and not before;
#   - a real Prometheus server scraping the exporter every second, with the
#     same rule shortened to seconds, fires the alert for the cut-off peer
#     only once its handshake is older than the threshold.
# Prints TAP (selftests/lib/tap.sh's helpers).  Run as root in private
# network and mount namespaces (09-exporter.t runs `unshare -n -m
# --propagation private'); /run is replaced by a tmpfs there.

set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WG=$REPO/tools/wg/wg
EXPORTER=$REPO/tools/wg-exporter/wg-exporter
RULES=$REPO/contrib/prometheus/wireguard-rules.yml
. "$REPO/selftests/lib/tap.sh"
T=$(mktemp -d /tmp/wg-exporter-real.XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
	wait 2> /dev/null
	[ -n "${WG_EXPORTER_KEEP:-}" ] && echo "# kept $T" || rm -rf "$T"
}
trap cleanup EXIT
is() { # description got expected: one check, and both values when it fails
	tap_ok "$([ "$2" = "$3" ]; echo $?)" "$1"
	[ "$2" = "$3" ] || printf '# got:      %s\n# expected: %s\n' "$2" "$3"
}

mount -t tmpfs tmpfs /run || { echo "1..0 # SKIP cannot mount a private /run"; exit 0; }
mkdir -p /run/wireguard
ip link set lo up
umask 077

for i in a b; do
	wireguard-go -f wg${i}0 > "$T/$i.log" 2>&1 &
	PIDS+=($!)
	eval "go_$i=\$!"
done
for i in a b; do
	for _ in $(seq 100); do [ -S /run/wireguard/wg${i}0.sock ] && break; sleep 0.05; done
	[ -S /run/wireguard/wg${i}0.sock ] || tap_bail "wireguard-go wg${i}0 did not start: $(cat "$T/$i.log")"
	"$WG" genkey > "$T/key-$i"
	eval "pub_$i=\$(\"\$WG\" pubkey < \"\$T/key-\$i\")"
	ip link set wg${i}0 up
done
# shellcheck disable=SC2154
"$WG" set wgb0 private-key "$T/key-b" listen-port 51822 peer "$pub_a" allowed-ips 10.9.0.1/32
# shellcheck disable=SC2154
"$WG" set wga0 private-key "$T/key-a" listen-port 51821 \
	peer "$pub_b" endpoint 127.0.0.1:51822 allowed-ips 10.9.0.2/32,fd09::2/128

mkdir "$T/conf"
cat > "$T/conf/wga0.conf" << EOC
[Interface]
ListenPort = 51821

[Peer]
# friendly_name = hub "b" \\ 1
PublicKey = $pub_b
AllowedIPs = 10.9.0.2/32, fd09::2/128
EOC
"$EXPORTER" -l 127.0.0.1:9586 -c "$T/conf" 2> "$T/exporter.err" &
PIDS+=($!)
scrape() { curl -sS --max-time 10 -o "$1" -w '%{http_code}' http://127.0.0.1:9586/metrics; }
for _ in $(seq 50); do [ "$(scrape "$T/m0.txt" 2> /dev/null)" = 200 ] && break; sleep 0.1; done
is "exporter serves /metrics (200)" "$(scrape "$T/m0.txt")" 200
# labels of wga0's peer, as the exporter prints them
lbl='{interface="wga0",public_key="'"$pub_b"'",allowed_ips="10.9.0.2/32,fd09::2/128",friendly_name="hub \"b\" \\ 1"}'
value() { grep -F "$2$lbl " "$1" | awk '{ print $NF }'; }
is "before any handshake: latest handshake 0, with the guide's labels and the friendly name" \
	"$(value "$T/m0.txt" wireguard_latest_handshake_seconds)" 0
[ -n "$(value "$T/m0.txt" wireguard_latest_handshake_seconds)" ] || grep '^wireguard_latest' "$T/m0.txt" | sed 's/^/# /'
is "before any handshake: peer down" "$(value "$T/m0.txt" wireguard_peer_up)" 0

# --- a real Prometheus server ---------------------------------------------
# The guide's rule with its durations shortened to seconds: the handshake
# is older than $thr s, for 2 s.  Scraped and evaluated every second.
thr=12
sed -n '/^groups:/,$p' "$RULES" | python3 -c '
import sys, yaml
d = yaml.safe_load(sys.stdin)
r = [r for g in d["groups"] for r in g["rules"] if r.get("alert") == "WireGuardPeerDown"][0]
assert r["expr"] == "(time() - wireguard_latest_handshake_seconds) > 300", r["expr"]
r["expr"] = r["expr"].replace("> 300", "> " + sys.argv[1])
r["for"] = "2s"
yaml.safe_dump({"groups": [{"name": "wireguard-short", "interval": "1s", "rules": [r]}]}, sys.stdout)
' "$thr" > "$T/short.yml"
tap_ok $? "the guide's rule shortened to seconds (> $thr s, for 2s)"
cat > "$T/prometheus.yml" << EOC
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [ "$T/short.yml" ]
scrape_configs:
  - job_name: wireguard
    static_configs:
      - targets: [ "127.0.0.1:9586" ]
EOC
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	--web.listen-address=127.0.0.1:9090 > "$T/prometheus.log" 2>&1 &
PIDS+=($!)
api() { curl -sS --max-time 5 "http://127.0.0.1:9090/api/v1/$1"; }
# wga0's WireGuardPeerDown alerts: "state public_key friendly_name severity activeAt"
alerts() { api alerts | python3 -c '
import json, sys, datetime
for a in json.load(sys.stdin)["data"]["alerts"]:
    l = a["labels"]
    if l.get("alertname") == "WireGuardPeerDown" and l.get("interface") == "wga0":
        t = datetime.datetime.fromisoformat(a["activeAt"][:26].rstrip("Z") + "+00:00").timestamp()
        print(a["state"], l.get("public_key"), repr(l.get("friendly_name")), l.get("severity"), int(t))'; }
# wait_alerts STATE SECONDS: until wga0's alert is STATE ("" = none)
wait_alerts() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		got=$(alerts 2> /dev/null)
		if [ -z "$1" ]; then [ -z "$got" ] && return 0; else [[ $got == "$1 "* ]] && return 0; fi
		sleep 0.2
	done
	return 1
}
up=
for _ in $(seq 150); do
	up=$(api 'query?query=up%7Bjob%3D%22wireguard%22%7D' 2> /dev/null |
		python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2> /dev/null)
	[ "$up" = 1 ] && break
	sleep 0.2
done
is "Prometheus scrapes the exporter (up == 1)" "$up" 1
[ "$up" = 1 ] || tail -n 20 "$T/prometheus.log" | sed 's/^/# /'
expected_alert="firing $pub_b 'hub \"b\" \\\\ 1' warning"
wait_alerts firing 20
is "the guide's rule fires for a peer that never completed a handshake (latest handshake 0)" \
	"${got% *}" "$expected_alert"

# A keepalive right away makes wga0 initiate.
"$WG" set wga0 peer "$pub_b" persistent-keepalive 1
for _ in $(seq 50); do
	hs=$("$WG" show wga0 latest-handshakes | awk '{ print $2 }')
	[ "${hs:-0}" != 0 ] && break
	sleep 0.1
done
tap_ok "$([ "${hs:-0}" != 0 ]; echo $?)" "wireguard-go: wga0 completed a handshake with wgb0 ($hs)"
wait_alerts "" "$thr"
tap_ok $? "Prometheus: the alert is gone with the handshake, $(($(date +%s) - hs)) s after it (threshold $thr s)"

is "exporter serves /metrics (200)" "$(scrape "$T/m1.txt")" 200
s1=$(date +%s)
is "latest handshake of wga0's peer" "$(value "$T/m1.txt" wireguard_latest_handshake_seconds)" "$hs"
is "wga0's peer is up" "$(value "$T/m1.txt" wireguard_peer_up)" 1
out=$(promtool check metrics < "$T/m1.txt" 2>&1)
tap_ok $? "promtool check metrics: the exporter's real output (peers up)"
[ -n "$out" ] && echo "$out" | sed 's/^/# /'

# Cut wgb0 off: its wireguard-go goes away, wga0's peer keeps its handshake.
# shellcheck disable=SC2154
kill "$go_b"
wait "$go_b" 2> /dev/null
sleep 1
is "exporter still serves /metrics after a peer is cut off (200)" "$(scrape "$T/m2.txt")" 200
s2=$(date +%s)
is "cut off: wga0's peer keeps its latest handshake" "$(value "$T/m2.txt" wireguard_latest_handshake_seconds)" "$hs"
tap_ok "$(grep -q 'interface="wgb0"' "$T/m2.txt"; [ $? = 1 ]; echo $?)" "cut off: wgb0's series are gone with it"
out=$(promtool check metrics < "$T/m2.txt" 2>&1)
tap_ok $? "promtool check metrics: the exporter's real output (one peer cut off)"
[ -n "$out" ] && echo "$out" | sed 's/^/# /'

# --- promtool test rules: the guide's rule over the real series -----------
# promtool's clock starts at 0: the real time s1 - 60 is its 0, so the
# handshake (a few seconds before the scrape) is at h = hs - (s1 - 60)
# there; the two real scrapes are its samples at 60 s and 60 + (s2 - s1) s,
# and the value stays (it did across the two scrapes: the peer is cut off).
# (time() - h) > 300 holds from h + 300; "for: 5m" fires from h + 600.
python3 - "$T/m1.txt" "$T/m2.txt" "$RULES" "$((s1 - 60))" "$s1" "$s2" "$pub_b" > "$T/peerdown.test.json" 2> "$T/peerdown.err" << 'EOF'
import json, re, sys
m1, m2, rules, origin, s1, s2, key = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:7]), sys.argv[7]

def parse(path):
    """name, labels (dict, unescaped), value of each sample line"""
    out = []
    for l in open(path):
        if l.startswith("#") or not l.strip():
            continue
        m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', l.rstrip("\n"))
        assert m, l
        labels = {}
        for k, v in re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or ""):
            labels[k] = re.sub(r'\\(.)', lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), v)
        out.append((m.group(1), labels, float(m.group(3))))
    return out

def series(path):
    return {json.dumps(l, sort_keys=True): v for n, l, v in parse(path)
            if n == "wireguard_latest_handshake_seconds" and l["public_key"] == key and l["interface"] == "wga0"}

a, b = series(m1), series(m2)
assert len(a) == 1 and a.keys() == b.keys(), (a, b)
(ident, v1), = a.items()
v2 = b[ident]
labels = json.loads(ident)
sel = "wireguard_latest_handshake_seconds{" + ",".join(
    '%s="%s"' % (k, v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")) for k, v in labels.items()) + "}"
# samples every 30 s from 0 on promtool's clock: the real values, first seen
# at the first scrape (60 s), then as the second scrape saw it, for 20 min
h1, h2 = int(v1) - origin, int(v2) - origin
step2 = 2 + (s2 - s1 + 29) // 30
values = " ".join([str(h1)] * step2 + [str(h2)] * (40 - step2))
h = max(h1, h2)
fire = dict(labels, severity="warning")
test = {
    "rule_files": [rules],
    "evaluation_interval": "30s",
    "tests": [{
        "interval": "30s",
        "input_series": [{"series": sel, "values": values}],
        "alert_rule_test": [
            {"eval_time": "%ds" % (h + 300 - 30), "alertname": "WireGuardPeerDown", "exp_alerts": []},
            {"eval_time": "%ds" % (h + 600 - 60), "alertname": "WireGuardPeerDown", "exp_alerts": []},
            {"eval_time": "%ds" % (h + 600 + 60), "alertname": "WireGuardPeerDown",
             "exp_alerts": [{"exp_labels": fire, "exp_annotations": {
                 "summary": "WireGuard peer %s is down" % key,
                 "description": "No handshake in last 5 minutes"}}]},
        ],
    }],
}
json.dump(test, sys.stdout, indent=1)
print("handshake at %d s on promtool's clock: pending from %d s, firing from %d s" % (h, h + 300, h + 600), file=sys.stderr)
EOF
tap_ok $? "a promtool rule test built from the two real scrapes"
sed 's/^/# /' "$T/peerdown.err"
grep -A1 'alert: WireGuardPeerDown' "$RULES" | grep -qF 'expr: (time() - wireguard_latest_handshake_seconds) > 300' &&
	grep -A2 'alert: WireGuardPeerDown' "$RULES" | grep -qF 'for: 5m'
tap_ok $? "contrib's WireGuardPeerDown is the guide's rule (> 300 s, for 5m)"
out=$(cd "$T" && promtool test rules peerdown.test.json 2>&1)
tap_ok $? "promtool test rules: WireGuardPeerDown on the real series fires at +10 min, not at +5 or +9 min"
grep -q SUCCESS <<< "$out" || echo "$out" | head -n 40 | sed 's/^/# /'

# The same test must fail when the alert is expected early: the check can fail.
python3 - "$T/peerdown.test.json" > "$T/early.test.json" << 'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
a = t["tests"][0]["alert_rule_test"]
a[1]["exp_alerts"] = a[2]["exp_alerts"]     # expect it firing a minute before it can
json.dump(t, sys.stdout)
EOF
(cd "$T" && promtool test rules early.test.json > /dev/null 2>&1)
tap_ok "$([ $? != 0 ]; echo $?)" "promtool test rules fails when the alert is expected a minute early"

# --- the real Prometheus server again --------------------------------------
wait_alerts firing 30
fired=$(date +%s)
is "Prometheus: WireGuardPeerDown fires again for wga0's cut-off peer, with its labels" \
	"${got% *}" "$expected_alert"
active=${got##* }
tap_ok "$([ $((active - hs)) -ge "$thr" ]; echo $?)" \
	"... pending only once the handshake was older than $thr s (pending $((active - hs)) s, firing by $((fired - hs)) s after it)"
v=$(api "query?query=wireguard_peer_up%7Binterface%3D%22wga0%22%7D" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])' 2>&1)
is "the exporter's default peer timeout (300 s) still calls the peer up" "$v" 1
tap_done
