#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh [minutes=N] [peers=N] [divisor=N]: everything at once for a long
# time (issue 12, "Soak"; `make soak MINUTES=N` boots the debug kernel for
# it).  ns1's wg0 is the hub; ns2 holds peers=N devices (wg1..wgN, default
# 4), each a peer of the hub with its own key and inner /24
# (10.0.I.1 hub, 10.0.I.2 spoke).  For minutes=N (default 10):
#   - UDP both ways through every peer (iperf3 --bidir, 2 Mbit/s each way:
#     the debug kernel under emulation has little CPU to spare);
#   - rekeys compressed with time_divisor (default 20: a new session every
#     6 s of real time, keys zeroed after 27 s without one);
#   - every few seconds one spoke is removed from the hub and re-added;
#   - every few seconds one spoke changes its listen port, so the hub
#     follows it to a new endpoint (roaming);
#   - a trickle of the packet fuzzer (vm/tools/fuzz-packets.py) against
#     the hub's port: a 2 s run every 30 s.
# Once a minute the slab objects of the module's caches (wg_peer,
# allowedips_node, rl_entry) and of the kernel's (Slab, SUnreclaim from
# /proc/meminfo) are sampled; the table is printed as TAP comments.
# The caches must be the module's own in /proc/slabinfo: on the debug
# kernel they are; a production kernel merges them with others (run the
# soak on the debug kernel, as make soak does).
# Checks: the soak ran its time; every spoke passes traffic at the end;
# the module's caches are flat (the second half's largest sample at most
# the first half's plus 10% and 8 objects); every peer and keypair the
# module created was destroyed once the devices are gone (dynamic debug
# messages, followed from /dev/kmsg for the whole run); the module
# unloads.  The harness (suites.sh) fails the run on any kernel report
# and on kmemleak finding an object allocated by the module.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/lifetime.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"

minutes=10 npeers=4 div=20
for a in "$@"; do
	case "$a" in
	minutes=*) minutes=${a#minutes=} ;;
	peers=*) npeers=${a#peers=} ;;
	divisor=*) div=${a#divisor=} ;;
	esac
done
use_impl ours debug || { t_ok "load our debug module" false; t_done; }
param=/sys/module/wireguard/parameters/time_divisor
[ -w $param ] || { t_ok "time_divisor parameter (debug build)" false; t_done; }
D=/tmp/soak
rm -rf $D
mkdir -p $D
umask 077

# Lifetime messages only (lib/lifetime.sh follows /dev/kmsg into a file:
# an hour of them outgrows the ring buffer).
ddc=/sys/kernel/debug/dynamic_debug/control
echo 'module wireguard format "Keypair " +p' > $ddc
echo 'module wireguard format "Peer " +p' > $ddc
dmesg_mark

# ---- the mesh ------------------------------------------------------------------
topology_outer
n1 ip link add wg0 type wireguard
n1 wg genkey > $D/hub.key
hub_pub=$(wg pubkey < $D/hub.key)
n1 wg set wg0 private-key $D/hub.key listen-port 1
n1 ip link set wg0 up
# hub_peer I: spoke I as the hub's peer (endpoint learnt from its traffic).
hub_peer() {
	n1 wg set wg0 peer "$(cat "$D/pub$1")" allowed-ips "10.0.$1.2/32"
}
for ((i = 1; i <= npeers; i++)); do
	n2 wg genkey > $D/key$i
	wg pubkey < $D/key$i > $D/pub$i
	n1 ip addr add "10.0.$i.1/24" dev wg0
	n2 ip link add wg$i type wireguard
	n2 ip addr add "10.0.$i.2/24" dev wg$i
	n2 wg set wg$i private-key $D/key$i listen-port $((100 + i)) \
		peer "$hub_pub" endpoint 192.168.1.1:1 allowed-ips "10.0.$i.1/32" \
		persistent-keepalive 25
	n2 ip link set wg$i up
	hub_peer $i
done
all_up() {
	local i
	for ((i = 1; i <= npeers; i++)); do
		ping_ok ns2 "10.0.$i.1" > /dev/null || { echo "spoke $i: no ping"; return 1; }
	done
}
t_ok "all $npeers spokes reach the hub" all_up

# ---- load ----------------------------------------------------------------------
secs=$((minutes * 60))
echo "$div" > $param
for ((i = 1; i <= npeers; i++)); do
	n1 iperf3 -s -D -B "10.0.$i.1" -p $((5200 + i)) --logfile $D/iperf-s$i.log
done
sleep 1
for ((i = 1; i <= npeers; i++)); do
	n2 iperf3 -c "10.0.$i.1" -p $((5200 + i)) -u -b 2M --bidir -t "$secs" \
		> $D/iperf-c$i.log 2>&1 &
done
# churn: a spoke leaves the hub and comes back; another moves its port.
churn() {
	local n=0 i port
	while :; do
		n=$((n + 1))
		i=$((RANDOM % npeers + 1))
		n1 wg set wg0 peer "$(cat $D/pub$i)" remove
		sleep 1
		hub_peer "$i"
		i=$((RANDOM % npeers + 1))
		port=$((1000 + RANDOM % 30000))
		n2 wg set wg$i listen-port $port
		echo "$n" > $D/churns
		sleep 2
	done
}
churn &
churn_pid=$!
fuzz_trickle() {
	local f=$WG_REPO/selftests/vm/tools/fuzz-packets.py
	while :; do
		sleep 30
		nr timeout 60 python3 "$f" 2 "$RANDOM" 192.168.1.1 1 "$hub_pub" \
			>> $D/fuzz.log 2>&1 || echo "fuzz-packets.py: status $?" >> $D/fuzz.log
	done
}
fuzz_trickle &
fuzz_pid=$!

# sample: "<minute> <wg_peer> <allowedips_node> <rl_entry> <Slab kB> <SUnreclaim kB>"
cache_objs() {
	awk -v c="$1" '$1 == c { print $2; found = 1 } END { if (!found) print "NA" }' /proc/slabinfo
}
sample() {
	echo "$1 $(cache_objs wg_peer) $(cache_objs allowedips_node) $(cache_objs rl_entry)" \
		"$(awk '/^Slab:/ { s = $2 } /^SUnreclaim:/ { u = $2 } END { print s, u }' /proc/meminfo)"
}
sample 0 > $D/samples
start=$SECONDS
for ((m = 1; m <= minutes; m++)); do
	while [ $((SECONDS - start)) -lt $((m * 60)) ]; do
		sleep 5
	done
	sample "$m" >> $D/samples
done
kill "$churn_pid" "$fuzz_pid" 2> /dev/null
wait "$churn_pid" "$fuzz_pid" 2> /dev/null
t_ok "the soak ran its $minutes minutes" test $((SECONDS - start)) -ge "$secs"
echo "# churns (remove/re-add + roam): $(cat $D/churns 2> /dev/null)"
trickles=$(grep -c '^# fuzz: sent' $D/fuzz.log 2> /dev/null)
fuzzed=$(awk '/^# fuzz: sent/ { n += $4 } END { print n + 0 }' $D/fuzz.log 2> /dev/null)
t_ok "the fuzz trickle ran (${trickles:-0} runs, $fuzzed packets)" \
	test "${trickles:-0}" -ge $((secs / 120 > 0 ? secs / 120 : 1))
grep -v '^# class' $D/fuzz.log 2> /dev/null | tail -n 4 | sed 's/^/# fuzz trickle: /'
echo "# minute wg_peer allowedips_node rl_entry Slab_kB SUnreclaim_kB"
sed 's/^/# /' $D/samples

# ---- checks ---------------------------------------------------------------------
# Every spoke back on the hub, rekeys at normal speed again.
echo 1 > $param
for ((i = 1; i <= npeers; i++)); do
	hub_peer "$i"
done
t_ok "every spoke passes traffic after the soak" all_up
# flat COLUMN NAME: the second half's largest sample at most the first
# half's plus 10% and 8 objects.
flat() {
	awk -v c="$1" -v n="$minutes" '
		$c == "NA" { print "not in /proc/slabinfo (merged?)"; bad = 1; exit 1 }
		$1 <= n / 2 { if ($c > a) a = $c; next }
		{ if ($c > b) b = $c }
		END { if (bad) exit 1
		      printf "first half max %d, second half max %d\n", a, b
		      exit !(b <= a * 1.1 + 8) }' $D/samples
}
t_ok "wg_peer objects flat ($(flat 2))" flat 2
t_ok "allowedips_node objects flat ($(flat 3))" flat 3
t_ok "rl_entry objects flat ($(flat 4))" flat 4
topology_cleanup
t_ok "every peer and keypair created was destroyed ($(lifetime_counts))" lifetime_ok
t_ok "rmmod wireguard" impl_unload
t_done
