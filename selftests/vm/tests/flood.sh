#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# flood.sh [ours|debian] [debug|release] [burst=N] [maxwait=MS] [cost=US] [slack=S]:
# a handshake flood against wg0 in ns1 (see lib/net.sh) from 4096 source addresses (raw socket in the
# router namespace): initiations with random contents but a valid mac1 for
# ns1's public key (wg-hsgen.py, wg-hsblast.c).  Under that load the module
# must answer with cookie replies (type 3, 64 bytes) that are seen on the
# wire and decrypt with the cookie key and the mac1 they answer, and a
# legitimate peer (ns2) must still complete its handshake, at its first
# cookie-bearing retry, within 5 s of its start with our module (see the
# checks below), and pass traffic.  Then a second flood spoofs the
# legitimate peer's own address too; its handshake must still get in.
# Run with --no-module (the script loads the module).  cost=US (our debug
# module) makes each handshake the module consumes take US longer
# (debug_handshake_cost_us): on the debug kernel under emulation the
# sender is as slow as the module, and the flood would never outpace it.
# slack=S adds S seconds to the handshake time bounds (the debug kernel
# queues the retry behind a worker that is slow on purpose).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"
. "$WG_REPO/selftests/vm/lib/interop.sh"

impl=ours variant=debug burst=1536 maxwait=900 cost=0 slack=0
for a in "$@"; do
	case "$a" in
	slack=*) slack=${a#slack=} ;;
	cost=*) cost=${a#cost=} ;;
	release|debug) variant=$a ;;
	burst=*) burst=${a#burst=} ;;
	maxwait=*) maxwait=${a#maxwait=} ;;
	*) impl=$a ;;
	esac
done
use_impl "$impl" "$variant" || { t_ok "load $impl module" false; t_done; }
T="[$impl]"
if [ "$cost" != 0 ]; then
	set_cost() { echo "$1" > /sys/module/wireguard/parameters/debug_handshake_cost_us; }
	t_ok "$T handshakes cost $cost us more (debug_handshake_cost_us)" set_cost "$cost"
fi
tools=$WG_REPO/selftests/vm/tools
blast=$(hsblast_path) || { t_ok "$T build wg-hsblast" false; t_done; }

keys_init
topology_outer
wg_devices
# Only the legitimate peer (ns2) knows an endpoint: it is the initiator.
n1 wg set wg0 peer "$PUB2" preshared-key "$PSK" allowed-ips 10.0.0.2/32
n2 wg set wg0 peer "$PUB1" preshared-key "$PSK" endpoint 192.168.1.1:1 \
	allowed-ips 10.0.0.1/32
python3 "$tools/wg-hsgen.py" flood "$PUB1" 4096 /tmp/flood.bin
t_is "$T 4096 flood initiations generated" "$(stat -c %s /tmp/flood.bin)" $((4096 * 148))

# Counters: cookie replies leaving ns1, cookie replies reaching ns2,
# initiations and cookie replies leaving ns2.
cookie_match='0>>22&0x3C@8>>24=3'
init_match='0>>22&0x3C@8>>24=1'
n1 iptables -w -A OUTPUT -p udp --sport 1 -m u32 --u32 "$cookie_match"
n2 iptables -w -A INPUT -p udp --dport 2 -m u32 --u32 "$cookie_match"
n2 iptables -w -A OUTPUT -p udp --dport 1 -m u32 --u32 "$init_match"
n2 iptables -w -A OUTPUT -p udp --dport 1 -m u32 --u32 "$cookie_match"
# count NS CHAIN TYPE: packets matched by the rule for message TYPE.
count() {
	ip netns exec "$1" iptables -w -nvxL "$2" | awk -v t="=0x$3\"" 'index($0, t) { print $1 }'
}
cookies_out() { count ns1 OUTPUT 3; }
cookies_legit() { count ns2 INPUT 3; }
initiations_legit() { count ns2 OUTPUT 1; }
cookies_over() { [ "$(cookies_out)" -gt "$1" ]; }
handshake_done() { [ "$(peer_field ns2 "$PUB1" 5)" != 0 ]; }

ip netns exec r tcpdump -i veth1r --immediate-mode -U -n -w /tmp/flood.pcap \
	'src host 192.168.1.1 and udp src port 1 and dst net 10.77.0.0/16' \
	2> /tmp/tcpdump-flood.err &
tcpdump_pid=$!
wait_for 10 grep -q listening /tmp/tcpdump-flood.err
# Bursts of 1536 from 4096 addresses, each as fast as the sender goes: faster
# than the module takes initiations through full handshake processing, so
# its queue passes the under-load mark (512).  The next burst leaves once
# cookie replies for 90% of the last one are back (they are routed to the
# router namespace, where the sender counts them) or after 0.9 s, so the
# module stays under load while the queue drains between bursts: the flood
# is paced to what the module answers.  (A flood that saturates the CPU
# outright starves everyone, cookies or not; emulated CPUs here are slow.)
# The sender counts the cookie replies on a packet socket; the router drops
# them before routing, so its own stack does no work on them (no ICMP port
# unreachable for 4096 unknown destinations, no inet_peer churn).
nr iptables -w -t raw -A PREROUTING -d 10.77.0.0/16 -j DROP
ip netns exec r "$blast" flood /tmp/flood.bin 192.168.1.1 1 10.77.0.0 4096 600 "$burst" "$maxwait" \
	> /tmp/flood.out 2>&1 &
flood_pid=$!

t_ok "$T the module answers the flood with cookie replies" \
	wait_secs 60 cookies_over 100
c0=$(cookies_out)
echo "# cookie replies sent so far: $c0"

# The legitimate peer starts its handshake while the flood goes on; its
# latest-handshake is set when it has consumed the response.
t0=$(date +%s.%N)
n2 ping -c 1 -W 1 10.0.0.1 > /dev/null 2>&1 &
t_ok "$T legitimate peer completes a handshake under the flood" \
	wait_secs 60 handshake_done
hs=$(peer_field ns2 "$PUB1" 5)
inits=$(initiations_legit) legit=$(cookies_legit)
c1=$(cookies_out)
t_ok "$T the flood was still running and answered with cookies meanwhile ($c0 -> $c1)" \
	test -d /proc/$flood_pid -a "${c1:-0}" -gt "${c0:-0}"
echo "# handshake at $hs, started $t0; the legitimate peer sent ${inits:-?} initiations" \
	"and $(count ns2 OUTPUT 3) cookie replies, and got ${legit:-?} cookie replies"
# The protocol property: an initiation answered with a cookie reply is
# retried carrying mac2, and that retry must be accepted: at most two
# initiations, at most one cookie reply.  Upstream retries only when the
# retransmit timer fires, REKEY_TIMEOUT (5 s + at most 1/3 s jitter) later,
# so Debian's module gets latest-handshake (whole seconds) at most start +
# 5 (retry) + 5 (queueing behind the flood) + 1 (resolution and jitter).
# Ours retries as soon as the cookie reply is in (send.c), so the whole
# handshake, cookie round included, must finish within 5 s of the start.
t_ok "$T the handshake needed at most one cookie-bearing retry (initiations ${inits:-?}, cookie replies ${legit:-?})" \
	test "${inits:-9}" -le 2 -a "${legit:-9}" -le 1
if [ "${legit:-0}" -gt 0 ] && [ "$impl" != ours ]; then
	bound=11 why="within 5 s of the timer's retry with mac2"
elif [ "${legit:-0}" -gt 0 ]; then
	bound=5 why="cookie round included, within 5 s"
else
	bound=5 why="no cookie needed: within 5 s"
fi
bound=$((bound + slack))
t_ok "$T handshake $why (latest-handshake $hs - start ${t0%.*} = $((hs - ${t0%.*})) <= $bound)" \
	test $((hs - ${t0%.*})) -le "$bound"
t_ok "$T legitimate traffic passes under the flood" ping_ok ns2 10.0.0.1
t_ok "$T the responder confirmed the session" test "$(peer_field ns1 "$PUB2" 5)" != 0

kill "$flood_pid" 2> /dev/null
wait "$flood_pid" 2> /dev/null
echo "# flood: $(cat /tmp/flood.out); cookie replies counted at ns1: $(cookies_out)"
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2> /dev/null
res=$(python3 "$tools/wg-hsgen.py" check-cookies "$PUB1" /tmp/flood.bin /tmp/flood.pcap 192.168.1.1)
echo "# captured: $res"
read -r _ nc _ nk _ nv <<< "$res"
t_ok "$T cookie replies on the wire (64 bytes, type 3): $nc" test "${nc:-0}" -gt 0
t_ok "$T the $nk sampled cookie replies decrypt with the cookie key and their mac1 ($nv valid)" \
	test "${nk:-0}" -gt 0 -a "$nv" = "$nk"

# ---- the legitimate peer's own address spoofed (issue 11, finding 3) ----
# Bursts of 3000 (past half of the 4096-message queue), every 8th from
# ns2's own address 192.168.2.1, with random contents: rate limiting by
# the unproven source address would drain ns2's bucket and drop its real
# initiations.  Only what mac2 proves may be charged, so ns2 (a fresh peer
# entry: a new handshake) still gets in at its cookie-bearing retry.
# Cookie replies to the spoofed copies reach ns2 on other ports: dropped.
n2 iptables -w -A INPUT -p udp --dport 1024:65535 -m u32 --u32 "$cookie_match" -j DROP
c2=$(cookies_out)
ip netns exec r "$blast" flood /tmp/flood.bin 192.168.1.1 1 10.77.0.0 4096 300 3000 "$maxwait" \
	192.168.2.1 8 > /tmp/flood2.out 2>&1 &
flood_pid=$!
t_ok "$T spoofed flood (every 8th from the peer's address) answered with cookies" \
	wait_secs 60 cookies_over $((c2 + 1000))
n2 wg set wg0 peer "$PUB1" remove
n2 wg set wg0 peer "$PUB1" preshared-key "$PSK" endpoint 192.168.1.1:1 \
	allowed-ips 10.0.0.1/32
t0=$(date +%s.%N)
n2 ping -c 1 -W 1 10.0.0.1 > /dev/null 2>&1 &
t_ok "$T legitimate peer completes a handshake while its address is spoofed" \
	wait_secs 60 handshake_done
hs=$(peer_field ns2 "$PUB1" 5)
bound=5	# Debian's module retries with mac2 only at REKEY_TIMEOUT (see above)
[ "$impl" = ours ] || bound=11
bound=$((bound + slack))
t_ok "$T ... within $bound s, cookie round included ($((hs - ${t0%.*})) s)" \
	test $((hs - ${t0%.*})) -le "$bound"
t_ok "$T the spoofed flood was still running" test -d /proc/$flood_pid
kill "$flood_pid" 2> /dev/null
wait "$flood_pid" 2> /dev/null
echo "# spoofed flood: $(cat /tmp/flood2.out)"

# After the flood the load passes and the tunnel keeps working.
t_ok "$T tunnel works after the flood" ping_ok ns1 10.0.0.2
topology_cleanup
t_ok "$T module unloads" impl_unload
t_done
