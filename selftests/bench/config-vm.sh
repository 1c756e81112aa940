#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# config-vm.sh CONF PEERS ROUNDS (inside the VM, --no-module): `wg setconf`
# of CONF on a fresh wg0, Debian's module and ours (release) alternated for
# ROUNDS rounds; prints one "sample IMPL SECONDS SUNRECLAIM_DELTA_BYTES
# DUMP_LINES ALLOWED_IPS REMOVE_SECONDS rc=SETCONF_RC+REMOVE_RC" line per
# run and TAP for the sanity checks.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
conf=$1 peers=$2 rounds=${3:-3} aips_per=${4:-10}
cp "$conf" /tmp/bench.conf
printf '[Interface]\n' > /tmp/empty.conf
sunreclaim() { awk '/^SUnreclaim:/ { print $2 * 1024 }' /proc/meminfo; }
settle() { sync; echo 2 > /proc/sys/vm/drop_caches; sleep 1; }
for r in $(seq "$rounds"); do
	for impl in debian ours; do
		if ! use_impl "$impl" release; then
			t_ok "[$impl] module loads" false
			continue
		fi
		ip link add wg0 type wireguard
		settle
		m0=$(sunreclaim)
		t0=$(date +%s.%N)
		wg setconf wg0 /tmp/bench.conf
		rc=$?
		t1=$(date +%s.%N)
		settle
		m1=$(sunreclaim)
		lines=$(wg show wg0 dump | wc -l)
		aips=$(wg show wg0 allowed-ips | awk '{ n += NF - 1 } END { print n }')
		# Removing every peer (REPLACE_PEERS) under RTNL: fast on both.
		# Deleting the device with 10,000 peers instead costs Debian's
		# module a grace period per peer (minutes in this VM).
		t2=$(date +%s.%N)
		wg setconf wg0 /tmp/empty.conf
		rrc=$?
		t3=$(date +%s.%N)
		echo "sample $impl $(echo "$t1 - $t0" | bc) $((m1 - m0)) $lines $aips $(echo "$t3 - $t2" | bc) rc=$rc$rrc"
		t_is "[$impl round $r] setconf succeeded, dump has peers+1 lines, all allowed IPs, removal succeeded" \
			"$rc $lines $aips $rrc" "0 $((peers + 1)) $((peers * aips_per)) 0"
		ip link del wg0
		impl_unload
	done
done
t_done
