#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Session lifetime on 6.1 with protocol time compressed by the debug build's
# time_divisor: rejection after REJECT_AFTER_TIME, rekey after
# REKEY_AFTER_TIME, key zeroing after 3 * REJECT_AFTER_TIME, and every
# Peer/Keypair created destroyed (dynamic debug).  In the same boot,
# observe.sh: peer events through `wg monitor' and wg-exporter (issue 16).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if ! out=$(make -s -C tools/wg 2>&1 && make -s -C tools/wg-exporter 2>&1); then
	tap_fail "build tools/wg and tools/wg-exporter"
	echo "$out" | sed 's/^/# /'
elif selftests/vm/build-module.sh 6.1 debug > /dev/null; then
	tap_run "" selftests/vm/run --kernel 6.1 --timeout 600 --no-module \
		selftests/vm/tests/tunnel-rekey.sh
else
	tap_fail "build the debug module"
fi
tap_done
