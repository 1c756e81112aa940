#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module load, link add/del, namespace teardown and unload on 6.12.  On 6.1
# the smoke suite runs on the debug kernel (19-vm-debug-kernel.t).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
tap_run 6.12 selftests/vm/run --kernel 6.12 --timeout 300 selftests/vm/tests/smoke.sh
tap_done
