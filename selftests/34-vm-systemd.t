#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wg-quick@.service under real systemd: the VM boots systemd as PID 1
# (selftests/vm/run --systemd, overlay root) with this tree's release module,
# installs the tools with make install-tools and runs
# selftests/vm/tests/systemd.sh: systemd-analyze verify of every unit the
# project installs, enable --now, the ordering after network-online.target,
# reload (syncconf) under a ping that must lose nothing, stop leaving no
# link, route, rule or firewall state, and a broken configuration giving
# a failed unit with the error in the journal.  The transcript (commands
# and their output) is in the TAP comments.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if make -s tools > /dev/null; then
	tap_run "" selftests/vm/run --kernel 6.1 --variant release --systemd --timeout 900 \
		selftests/vm/tests/systemd.sh
else
	tap_fail "make tools"
fi
tap_done
