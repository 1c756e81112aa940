#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo's checks as a test (what `make demo` runs, minus the rendering):
# the edgeProxy overlay of the seed document on this tree's module (release
# build) and tools in the VM -- configs written in the seed's shape, brought
# up with wg-quick, legacy hub-and-spoke then full mesh, every node pinging
# every other exactly as the configs as written allow, packets that
# cryptokey routing blocks dropped where predicted (counters, tcpdump), and
# nothing left after wg-quick down; wg-mesh check's verdicts on the seed's
# configs against the pings, the overlay wg-mesh generates from the seed's
# inventory with all 132 pairs pinging, and HKG's key rotated under a
# running ping.  Latencies are printed, never asserted.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if ! selftests/vm/build-module.sh 6.1 release >/dev/null; then
	tap_fail "release module builds"
elif ! { make -s -C tools/wg >/dev/null && make -s -C tools/wg-mesh >/dev/null; }; then
	tap_fail "tools/wg and tools/wg-mesh build"
else
	tap_run "" selftests/vm/run --kernel 6.1 --timeout 1800 --no-module \
		selftests/vm/tests/demo.sh ours release
fi
tap_done
