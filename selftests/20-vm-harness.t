#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM runner itself: a script that passes yields a passing run; a kernel
# WARNING in dmesg, a failing test and a non-zero exit each fail the run; a
# script that never ends fails it too, with the guest's list of tasks.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/probe.sh" <<'PROBE'
case "$1" in
pass) echo "ok 1 - fine"; echo "1..1" ;;
warn) echo "WARNING: CPU: 0 PID: 1 at harness-selftest" > /dev/kmsg; echo "ok 1 - fine"; echo "1..1" ;;
fail) echo "not ok 1 - failing on purpose"; echo "1..1" ;;
exit) echo "ok 1 - fine"; echo "1..1"; exit 3 ;;
hang) echo "ok 1 - fine"; sleep 7777 ;;
esac
PROBE
selftests/vm/run --no-module --timeout 120 "$tmp/probe.sh" pass > "$tmp/out" 2>&1
tap_ok $? "a passing script passes"
grep -q '^ok 1 - fine' "$tmp/out"
tap_ok $? "its TAP comes back from the VM"
for mode in warn fail exit; do
	selftests/vm/run --no-module --timeout 120 "$tmp/probe.sh" $mode > "$tmp/out" 2>&1
	[ $? != 0 ]
	tap_ok $? "the run fails on: $mode"
	[ $mode = warn ] && { grep -q '^not ok .*kernel log' "$tmp/out"; tap_ok $? "a kernel WARNING is reported as such"; }
done
# Past the guest's deadline (2/3 of 90 s) the run fails and says what every
# task was waiting for.  With 45 s (30 s for the guest, 15 s between its
# deadline and the host's) a VM slowed by two others on the host once
# could not report the hang and power off in time; 90 s leaves 30 s.
selftests/vm/run --no-module --timeout 90 "$tmp/probe.sh" hang > "$tmp/out" 2>&1
[ $? != 0 ]
tap_ok $? "the run fails on: a script that hangs"
grep -q '^not ok .*test script exit status (124)' "$tmp/out"
tap_ok $? "the hang is reported as the guest's timeout (124)"
grep -q '^# wg-vm: [0-9]* S .* sleep 7777' "$tmp/out"
tap_ok $? "the hang report lists the sleeping task"
grep -q '^ok .*VM ran .* (qemu status 0)' "$tmp/out"
tap_ok $? "the VM still powers off by itself"
tap_done
