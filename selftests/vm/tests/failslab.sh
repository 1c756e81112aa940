#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# failslab.sh [max=N] [peers=N] [long]: allocation failures injected into
# our module's control and handshake paths (debug kernel, CONFIG_FAILSLAB;
# sleeping allocations included, ignore-gfp-wait=N).  Run with --no-module
# (the script loads our debug module).
#
#  - Requests, failing the N-th allocation of the request's own thread for
#    every N from 1 to max=N (default 40; "long": until N is past the last
#    allocation), through /proc/thread-self/fail-nth from raw netlink
#    clients (failnth-link.py, wgnl): ip link add, ip link del, a setconf
#    that replaces the key, the port and every peer with peers=N new peers
#    (default 4; "long": 40), and a peer removal.  Each must give an error
#    to the caller or succeed, and nothing else: after an error the
#    configuration (`wg showconf`) is the one before (or, when only the
#    answer was lost, the one requested), after success the one requested;
#    a device that was created works, one that was deleted is gone.
#  - A handshake with the kernel workers that run it (make-it-fail, task
#    filter) failing allocations at increasing probabilities, then at every
#    N-th allocation (interval); once injection stops the tunnel works.
# The harness (suites.sh) fails the run on any kernel report and on a
# kmemleak scan finding an object allocated by the module.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"

max=40 npeers=4
for a in "$@"; do
	case "$a" in
	max=*) max=${a#max=} ;;
	peers=*) npeers=${a#peers=} ;;
	long) max=100000 npeers=40 ;;
	esac
done
use_impl ours debug || { t_ok "load our debug module" false; t_done; }
F=/sys/kernel/debug/failslab
LINK="python3 $WG_REPO/selftests/vm/tools/failnth-link.py"
WGNL=$WG_REPO/build/netlink/wgnl
[ -d $F ] || { t_ok "failslab in debugfs (CONFIG_FAILSLAB)" false; t_done; }
[ -x "$WGNL" ] || { t_ok "wgnl built (make -C selftests/netlink)" false; t_done; }
# Sleeping allocations too; no report per injected failure (its stack
# trace would read as a kernel problem); only tasks that ask for it.
echo N > $F/ignore-gfp-wait
echo 0 > $F/verbose
echo 0 > $F/probability
echo 1 > $F/interval
echo 0 > $F/space
echo Y > $F/task-filter
echo 1000000000 > $F/times
injected() { echo $((1000000000 - $(cat $F/times))); }

D=/tmp/failslab
mkdir -p $D
cd $D || exit 1
umask 077
keys_init

# nth_loop NAME CMD...: "CMD N" for N = 1..max, stopping once the request
# no longer reaches its N-th allocation.  CMD sets $why to a problem found
# (empty if none) from its own output in $out.
nth_loop() {
	local name=$1 n problems=() reached=0 errs=0 before_inj
	shift
	lost=0
	before_inj=$(injected)
	for ((n = 1; n <= max; n++)); do
		why=
		"$@" "$n"
		[ -n "$why" ] && problems+=("N=$n: $why")
		[[ $out == *ERR* ]] && errs=$((errs + 1))
		if [[ $out == *"FAIL_NTH not-reached"* ]]; then
			reached=$n
			break
		fi
	done
	echo "# $name: $((n - 1)) allocations failed one at a time ($(($(injected) - before_inj)) injected), $errs answered with an error, $lost answers lost (ENOBUFS)"
	t_ok "$name: every injected failure gives an error or a complete success" \
		test ${#problems[@]} = 0
	printf '# %s\n' "${problems[@]:0:10}"
	if [ "$max" -ge 100000 ]; then
		t_ok "$name: past its last allocation within $max" test "$reached" != 0
	fi
}

# ---- ip link add / ip link del --------------------------------------------
link_add() {
	out=$($LINK add wgf0 "$1" 2>&1)
	if [[ $out == OK* ]]; then
		ip link show wgf0 > /dev/null 2>&1 || { why="OK but no wgf0"; return; }
		{ wg set wgf0 private-key "$K1" listen-port 0 && ip link set wgf0 up &&
		  wg show wgf0 > /dev/null; } 2> /dev/null || why="wgf0 created but does not work"
		ip link del wgf0
	elif [[ $out == ERR* ]]; then
		ip link show wgf0 > /dev/null 2>&1 && { why="$out but wgf0 exists"; ip link del wgf0; }
	elif [[ $out == LOST* ]]; then
		# Only the answer was lost: either outcome, but whole.
		lost=$((lost + 1))
		if ip link show wgf0 > /dev/null 2>&1; then
			{ wg set wgf0 private-key "$K1" listen-port 0 && ip link set wgf0 up &&
			  wg show wgf0 > /dev/null; } 2> /dev/null || why="answer lost, wgf0 created but does not work"
			ip link del wgf0
		fi
	else
		why="no answer: $out"
		ip link del wgf0 2> /dev/null
	fi
}
nth_loop "ip link add" link_add

link_del() {
	ip link add wgf0 type wireguard
	ip link set wgf0 up
	out=$($LINK del wgf0 "$1" 2>&1)
	if [[ $out == OK* ]]; then
		ip link show wgf0 > /dev/null 2>&1 && why="OK but wgf0 still exists"
	elif [[ $out == ERR* ]]; then
		ip link show wgf0 > /dev/null 2>&1 || why="$out but wgf0 is gone"
	elif [[ $out == LOST* ]]; then
		lost=$((lost + 1))	# either outcome; the del below tidies
	else
		why="no answer: $out"
	fi
	ip link del wgf0 2> /dev/null
}
nth_loop "ip link del" link_del

# ---- setconf with many peers, peer removal --------------------------------
ip link add wgf0 type wireguard
ip link set wgf0 up
for i in 1 2 3; do
	wg genkey | wg pubkey > base$i
done
cat > base.conf <<EOF
[Interface]
PrivateKey = $(cat "$K1")
ListenPort = 51001

[Peer]
PublicKey = $(cat base1)
AllowedIPs = 10.1.0.0/16, fd01::/64
Endpoint = 192.0.2.1:1

[Peer]
PublicKey = $(cat base2)
AllowedIPs = 10.2.0.0/16

[Peer]
PublicKey = $(cat base3)
AllowedIPs = 10.3.0.1/32
PersistentKeepalive = 25
Endpoint = 192.0.2.3:3
EOF
# The request: new key and port, every peer replaced by base2 (other
# allowed IPs) and $npeers new ones with a preshared key, an endpoint, a
# keepalive and two allowed IPs each.
set_toks=(ifname wgf0 flags 1 privkey "$(cat "$K2")" port 51002 peers {
	peer { pubkey "$(cat base2)" aips { aip { family inet ipaddr 10.22.0.0 cidr 16 } } })
for ((i = 1; i <= npeers; i++)); do
	set_toks+=(peer { pubkey "$(wg genkey | wg pubkey)" psk "$(wg genpsk)"
		endpoint "192.0.2.$((i % 250 + 1)):$((1000 + i))" keepalive 25 aips {
		aip { family inet ipaddr "10.$((100 + i / 250)).$((i % 250)).0" cidr 24 }
		aip { family inet6 ipaddr "fd00:$i::" cidr 64 } } })
done
set_toks+=(})
del_toks=(ifname wgf0 peers { peer { pubkey "$(cat base2)" flags 1 } })
wg setconf wgf0 base.conf
wg showconf wgf0 > base.dump
$WGNL set "${set_toks[@]}" > /dev/null && wg showconf wgf0 > set.dump
wg setconf wgf0 base.conf
$WGNL set "${del_toks[@]}" > /dev/null && wg showconf wgf0 > del.dump
t_ok "the setconf request applies whole without injection ($npeers new peers)" \
	test -s set.dump -a "$(grep -c '^\[Peer\]' set.dump 2>/dev/null)" = $((npeers + 1))
t_ok "the peer removal applies without injection" \
	test -s del.dump -a "$(grep -c '^\[Peer\]' del.dump 2>/dev/null)" = 2

# request_nth DUMP TOKENS...: from base.conf, the request with the N-th
# allocation failing (last argument); the configuration after must be the
# one before, or the requested one (DUMP).
request_nth() {
	local want=$1 n=${*: -1} now
	set -- "${@:2:$#-2}"
	wg setconf wgf0 base.conf
	out=$(WGNL_FAIL_NTH=$n $WGNL set "$@" 2>&1)
	now=$(wg showconf wgf0)
	if [[ $out == OK* ]]; then
		[ "$now" = "$(cat "$want")" ] || why="OK but not the requested configuration: $(diff <(echo "$now") "$want" | head -5 | tr '\n' ' ')"
	elif [ "$now" != "$(cat base.dump)" ] && [ "$now" != "$(cat "$want")" ]; then
		why="$(head -1 <<< "$out") and half-applied: $(diff base.dump <(echo "$now") | grep -c '^[<>]') lines differ from before"
	fi
}
nth_loop "setconf, $npeers new peers" request_nth set.dump "${set_toks[@]}"
nth_loop "peer removal" request_nth del.dump "${del_toks[@]}"
wg setconf wgf0 base.conf
t_ok "the device takes a configuration after the injection" \
	test "$(wg showconf wgf0)" = "$(cat base.dump)"
ip link del wgf0

# ---- a handshake -----------------------------------------------------------
topology_outer
wg_devices
wg_peers 4
t_ok "tunnel up before injection" ping_ok ns1 10.0.0.2
# kworkers: the handshake (kex) and crypt work items run there.
kworkers_fail() {
	local p c
	for p in /proc/[0-9]*; do
		# The redirections apply left to right: a kworker that exits
		# between the glob and the read is silenced by the outer one.
		{ read -r c < "$p/comm"; } 2> /dev/null || continue
		[[ $c == kworker* ]] && echo "$1" > "$p/make-it-fail" 2> /dev/null
	done
}
for pi in 10:1 50:1 100:1 100:2 100:3 100:5 100:8; do
	wg_peers 4
	before_inj=$(injected)
	echo "${pi#*:}" > $F/interval
	echo "${pi%:*}" > $F/probability
	kworkers_fail 1
	n1 ping -q -c 4 -i 0.5 -W 1 10.0.0.2 > /dev/null 2>&1
	kworkers_fail 0
	echo 0 > $F/probability
	echo 1 > $F/interval
	t_ok "handshake with the workers' allocations failing (probability ${pi%:*}%, every ${pi#*:}. allocation; $(($(injected) - before_inj)) injected): the tunnel works after" \
		ping_ok ns1 10.0.0.2
done
topology_cleanup
t_done
