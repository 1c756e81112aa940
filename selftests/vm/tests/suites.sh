#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suites.sh LABEL TIMEOUT SCRIPT [ARGS...] [-- LABEL TIMEOUT SCRIPT...]...:
# several suites in one VM boot (one boot of the debug kernel costs as much
# as a short suite).  Suites are separated by "--": SCRIPT (in
# selftests/vm/tests) run with ARGS, killed after TIMEOUT seconds.  Before each suite our debug module is loaded
# fresh (use_impl ours debug; scripts that load an implementation
# themselves reload it), after it the module is unloaded and the leftover
# namespaces removed.  The suites' TAP is merged into one stream, each
# check tagged with [LABEL], and after each suite three checks of its own:
#   - the suite finished in time with status 0;
#   - the kernel log written during the suite has no report (WARNING, BUG,
#     lockdep, KASAN, UBSAN, ODEBUG, sleep in atomic, WQ watchdog, hung
#     task...: selftests/vm/lib/harness.sh WG_KLOG_BAD) -- the whole log is read
#     from /dev/kmsg as it is written, so a suite's dynamic debug flood
#     cannot push a report out of the ring buffer before it is read;
#   - on a kernel with kmemleak, a scan after the unload reports no object
#     allocated from a module (then the report is cleared, so the next
#     suite's scan shows only its own).
# Per-suite wall times are printed as TAP comments ("# time LABEL: N s").
# Run with selftests/vm/run --no-module.
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/harness.sh"

tests=$WG_REPO/selftests/vm/tests
n=0 failed=0
ok() { # STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# The kernel log, followed from the start of the ring buffer into a file
# for the whole run; a reader that fell behind (EPIPE) restarts, and the
# records' sequence numbers drop what it reads twice.
klog=/tmp/suites-kmsg
klog_raw=/tmp/suites-kmsg.raw
: > "$klog_raw"
( while :; do cat /dev/kmsg 2>/dev/null; sleep 0.1; done >> "$klog_raw" ) &
klog_pid=$!
stop_klog() {
	# shellcheck disable=SC2046 # pids
	kill "$klog_pid" $(cat /proc/"$klog_pid"/task/*/children 2>/dev/null) 2>/dev/null
}
trap stop_klog EXIT
# klog_sync: the raw log, de-duplicated, up to a fresh marker.
klog_sync() {
	local tag=suites-sync-$RANDOM$RANDOM
	echo "$tag" > /dev/kmsg
	for _ in $(seq 100); do
		grep -q "$tag" "$klog_raw" && break
		sleep 0.1
	done
	awk '{ split($0, h, ";"); split(h[1], f, ",")
	       if (h[1] ~ /^[0-9]+,[0-9]+,/) { if (f[2] in seen) { skip = 1; next } seen[f[2]] = 1; skip = 0 }
	       else if (skip) next
	       print }' "$klog_raw" > "$klog"
}

kmemleak=/sys/kernel/debug/kmemleak
have_kmemleak=0
[ -w $kmemleak ] && have_kmemleak=1
# kmemleak_check LABEL: two scans (an object is reported only once it was
# unchanged between two scans and older than 5 s), the report, clear.
kmemleak_check() {
	local label=$1 rep=/tmp/suites-kmemleak leaks
	echo scan > $kmemleak
	sleep 6
	echo scan > $kmemleak
	cat $kmemleak > "$rep"
	if leaks=$(kmemleak_module_leaks "$rep"); then
		ok 1 "[$label] kmemleak: no leaked object allocated from a module"
		echo "$leaks" | head -80 | sed 's/^/# /'
		cp "$rep" "/mnt/wgout/kmemleak.$label" 2>/dev/null
	else
		ok 0 "[$label] kmemleak: no leaked object allocated from a module ($(grep -c '^unreferenced object' "$rep") kernel-only reports)"
	fi
	echo clear > $kmemleak
}

# Leftovers of the boot itself are not any suite's.
if [ $have_kmemleak = 1 ]; then
	echo scan > $kmemleak
	echo clear > $kmemleak
fi
klog_sync
# One suite per line, its words separated by tabs.
specs=() spec=
for a in "$@" --; do
	if [ "$a" = -- ]; then
		[ -n "$spec" ] && specs+=("$spec")
		spec=
	else
		spec+=${spec:+$'\t'}$a
	fi
done
total_start=$SECONDS
for spec in "${specs[@]}"; do
	IFS=$'\t' read -r -a words <<< "$spec"
	set -- "${words[@]}"
	label=$1 limit=$2 script=$3
	shift 3
	from=$(wc -l < "$klog")
	start=$SECONDS
	if use_impl ours debug 2> /tmp/suites-load.err; then
		timeout -k 10 "$limit" bash "$tests/$script" "$@" < /dev/null > /tmp/suites-out 2>&1
		rc=$?
	else
		echo "cannot load our debug module: $(cat /tmp/suites-load.err)" > /tmp/suites-out
		rc=125
	fi
	# The suite's TAP, renumbered and tagged; its plan dropped.
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok([[:space:]]+[0-9]+)?([[:space:]]+-)?[[:space:]]*(.*)$ ]]; then
			neg=${BASH_REMATCH[1]} desc=${BASH_REMATCH[4]} dir=
			if [[ $desc =~ ^(.*[^[:space:]])?[[:space:]]*(#[[:space:]]*([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo]).*)$ ]]; then
				desc=${BASH_REMATCH[1]} dir=" ${BASH_REMATCH[2]}"
			fi
			n=$((n + 1))
			[ -n "$neg" ] && [ -z "$dir" ] && failed=$((failed + 1))
			echo "${neg}ok $n - [$label] $desc$dir"
		elif [[ $l =~ ^1\.\.[0-9]+ ]]; then
			:
		elif [[ $l =~ ^# ]]; then
			echo "$l"
		else
			echo "# $l"
		fi
	done < /tmp/suites-out
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		# What the stuck tasks wait for, into the kernel log read below.
		echo w > /proc/sysrq-trigger
	fi
	ok "$rc" "[$label] $script finished within $limit s with status 0 ($rc)"
	# Leave nothing for the next suite: devices with their namespaces,
	# then the module (its exit path is under test too).
	ip -all netns delete 2>/dev/null
	pkill -x iperf3 2>/dev/null
	pkill -x wireguard-go 2>/dev/null
	impl_unload 2> /dev/null
	ok $? "[$label] the module unloads after the suite"
	echo "# time $label: $((SECONDS - start)) s"
	klog_sync
	tail -n +$((from + 1)) "$klog" > /tmp/suites-klog-part
	if problems=$(klog_problems /tmp/suites-klog-part); then
		ok 1 "[$label] kernel log has no lockdep/KASAN/UBSAN/ODEBUG/WARNING/BUG/hang report"
		echo "$problems" | sed 's/^/# /'
		cp /tmp/suites-klog-part "/mnt/wgout/klog.$label" 2>/dev/null
	else
		ok 0 "[$label] kernel log has no lockdep/KASAN/UBSAN/ODEBUG/WARNING/BUG/hang report"
	fi
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		grep -a -E 'blocked|task:|^ ' /tmp/suites-klog-part | tail -n 60 | sed 's/^/# klog: /'
	fi
	[ $have_kmemleak = 1 ] && kmemleak_check "$label"
done
echo "# time all suites: $((SECONDS - total_start)) s"
echo "1..$n"
[ "$failed" = 0 ]
