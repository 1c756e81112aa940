#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo's checks as a test (what `make demo` runs, minus the rendering):
# the edgeProxy overlay of the seed document on this tree's module (release
# build) and tools in the VM -- configs written in the seed's shape, brought
# up with wg-quick, legacy hub-and-spoke then full mesh, every node pinging
# every other exactly as the configs as written allow, packets that
# cryptokey routing blocks dropped where predicted (counters, tcpdump), and
# nothing left after wg-quick down.  Latencies are printed, never asserted.
cd "$(dirname "$0")/.." || exit 1
selftests/vm/build-module.sh 6.1 release >/dev/null || { echo "1..1"; echo "not ok 1 - release module builds"; exit 1; }
make -s -C tools/wg >/dev/null || { echo "1..1"; echo "not ok 1 - tools/wg builds"; exit 1; }
exec selftests/vm/run --kernel 6.1 --timeout 1800 --no-module selftests/vm/tests/demo.sh ours release
