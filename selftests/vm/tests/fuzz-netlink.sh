#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz-netlink.sh [seconds=N] [seed=N] [log]: our debug module's Generic
# Netlink families ("wireguard" and "wireguard-event") fuzzed for N seconds
# (default 60; seed: from the clock unless given, printed for a rerun) by
# fuzz-netlink.py: four threads, mutated SET_DEVICE messages racing
# GET_DEVICE dumps (some abandoned mid-way) and wireguard-event requests.
# Run with --no-module (the script loads our debug module, with dynamic
# debug on for the peer and keypair messages: the accounting below).  "log" keeps every message sent in
# /mnt/wgout/fuzz-netlink.log; the last ones of each thread are always kept
# in /mnt/wgout/fuzz-netlink.tail (fuzz-netlink.py replay FILE resends them).
#
# Devices: wgfz0 (up, a base configuration), wgfz1 (up), wgfz2 (down) and
# wgfz3 in namespace fzns are fuzzed; wgkeep (configured, up) is not named
# to the fuzzer, which refuses to send anything that could reach it.
# Checks:
#  - the fuzzer ran its time and exited 0 (no exception in any thread),
#    with executions and exec/s reported, replies that all parse, dumps
#    both completed and abandoned;
#  - the kernel gave at least 5 distinct answers (OK and errnos);
#  - wgkeep's configuration (wg showconf) is unchanged;
#  - every fuzzed device takes a known configuration afterwards and
#    `wg showconf` reads back what a fresh device shows for it;
#  - a two-namespace tunnel (lib/net.sh) works after the fuzzing;
#  - once every device is deleted, every peer and keypair created was
#    destroyed (dynamic debug accounting; skipped when the kernel log lost
#    records under the flood), and the module unloads.
# The harness (suites.sh) also fails the run on any kernel report in the
# log and on kmemleak findings (debug kernel).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/lifetime.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"

secs=60 seed=$(date +%s) log=0
for a in "$@"; do
	case "$a" in
	seconds=*) secs=${a#seconds=} ;;
	seed=*) seed=${a#seed=} ;;
	log) log=1 ;;
	esac
done
echo "# fuzz-netlink.sh seconds=$secs seed=$seed"
FUZZ="python3 $WG_REPO/selftests/vm/tools/fuzz-netlink.py"
OUT=/mnt/wgout
[ -w $OUT ] || OUT=/tmp
D=/tmp/fuzznl
mkdir -p $D
cd $D || exit 1
umask 077

use_impl ours debug || { t_ok "load our debug module" false; t_done; }
# The lifetime messages only: the rest would flood the log (and, on the
# debug kernel, cost the fuzzer most of its time).
echo 'module wireguard format "Keypair " +p' > /sys/kernel/debug/dynamic_debug/control
echo 'module wireguard format "Peer " +p' > /sys/kernel/debug/dynamic_debug/control
dmesg_mark
keys_init
for k in keep base known; do
	wg genkey > $k.key
done

# conf PRIVKEY PORT: a configuration with three peers.
conf() {
	cat <<-EOF
	[Interface]
	PrivateKey = $(cat "$1")
	ListenPort = $2
	FwMark = 0x1234

	[Peer]
	PublicKey = $PUB1
	PresharedKey = $(cat "$PSK")
	AllowedIPs = 10.1.0.0/16, fd01::/64
	Endpoint = 192.0.2.1:51820
	PersistentKeepalive = 25

	[Peer]
	PublicKey = $PUB2
	AllowedIPs = 10.2.0.0/16, 10.3.0.1/32

	[Peer]
	PublicKey = $PUB3
	AllowedIPs = fd03::/48
	Endpoint = [2001:db8::3]:3
	EOF
}

# ---- devices ---------------------------------------------------------------
setup_devices() {
	local i
	for i in 0 1 2; do
		ip link add wgfz$i type wireguard
	done
	ip link set wgfz0 up
	ip link set wgfz1 up
	ip netns add fzns
	ip -n fzns link set lo up
	ip -n fzns link add wgfz3 type wireguard
	ip -n fzns link set wgfz3 up
	ip link add wgkeep type wireguard
	conf keep.key 41000 > keep.conf
	wg setconf wgkeep keep.conf
	ip link set wgkeep up
	conf base.key 41001 > base.conf
	wg setconf wgfz0 base.conf
	wg showconf wgkeep > keep.before
}
setup_devices
t_ok "fuzz devices created, wgfz0 and wgkeep configured" \
	test -s keep.before -a "$(wg show wgfz0 peers | wc -l)" = 3

# ---- fuzzing ---------------------------------------------------------------
fuzz() {
	local start=$SECONDS
	[ $log = 1 ] && export FUZZ_NL_LOG=$OUT/fuzz-netlink.log
	FUZZ_NL_TAIL=$OUT/fuzz-netlink.tail $FUZZ "$secs" "$seed" \
		wgfz0 wgfz1 wgfz2 fzns/wgfz3 > fuzz.out 2> fuzz.err
	fuzz_rc=$?
	fuzz_time=$((SECONDS - start))
	grep '^# ' fuzz.out
	sed 's/^/# stderr: /' fuzz.err | head -n 60
}
# field NAME: the number after "# NAME: " in the fuzzer's summary.
field() {
	sed -n "s|^# $1: \([0-9.]*\).*|\1|p" fuzz.out
}
fuzz
t_ok "fuzzer ran ${secs}s (took ${fuzz_time}s) and exited 0 ($fuzz_rc)" \
	test "$fuzz_rc" = 0 -a "$fuzz_time" -ge "$secs"
execs=$(field executions)
t_ok "fuzzer reports executions ($execs) and exec/s ($(field exec/s))" \
	test "${execs:-0}" -gt 0 -a -n "$(field exec/s)"
distinct=$(field 'distinct answers')
t_ok "the kernel gave at least 5 distinct answers ($distinct)" \
	test "${distinct:-0}" -ge 5
t_ok "OK among the answers" grep -q '^# answer OK: [1-9]' fuzz.out
t_is "every reply parses (malformed replies)" "$(field 'malformed replies')" 0
t_ok "dumps completed ($(field 'dumps completed')) and abandoned ($(field 'dumps abandoned'))" \
	test "$(field 'dumps completed')" -gt 0 -a "$(field 'dumps abandoned')" -gt 0
t_is "wgkeep (not fuzzed) is unchanged" "$(wg showconf wgkeep)" "$(cat keep.before)"

# ---- the devices afterwards ------------------------------------------------
# takes_conf [NS] DEV PORT: DEV takes a known configuration and reads it back
# as the fresh (down) device wgref does.
takes_conf() {
	local ns=() dev port want
	[ $# = 3 ] && { ns=(ip netns exec "$1"); shift; }
	dev=$1 port=$2
	conf known.key "$port" > "$dev.conf"
	ip link add wgref type wireguard
	wg setconf wgref "$dev.conf"
	want=$(wg showconf wgref)
	ip link del wgref
	"${ns[@]}" wg setconf "$dev" "$dev.conf" || return 1
	diff <(echo "$want") <("${ns[@]}" wg showconf "$dev")
}
for i in 0 1 2; do
	t_ok "wgfz$i takes a configuration after the fuzzing" takes_conf wgfz$i $((42000 + i))
done
t_ok "fzns/wgfz3 takes a configuration after the fuzzing" takes_conf fzns wgfz3 42003

topology_outer
wg_devices
wg_peers 4
t_ok "a tunnel works after the fuzzing" ping_ok ns1 10.0.0.2

# ---- teardown --------------------------------------------------------------
for i in 0 1 2; do
	ip link del wgfz$i
done
ip link del wgkeep
ip netns del fzns
topology_cleanup
# lost_records: how many kernel log records the follower missed after the
# mark (gaps in the sequence numbers), e.g. ring buffer overruns.
lost_records() {
	awk -v tag="$_wg_kmsg_tag" '
		{ split($0, h, ";"); split(h[1], f, ","); s = f[2] + 0 }
		index($0, tag) { on = 1; last = s; next }
		!on || h[1] !~ /^[0-9]+,[0-9]+,/ || s <= last { next }
		{ lost += s - last - 1; last = s }
		END { print lost + 0 }' "$_wg_kmsg_log"
}
sleep 1
lost=$(lost_records)
if [ "$lost" = 0 ]; then
	t_ok "every peer and keypair created was destroyed ($(lifetime_counts))" lifetime_ok
else
	t_skip "peer accounting: the kernel log lost $lost records ($(lifetime_counts))"
fi
t_ok "the module unloads" impl_unload
t_done
