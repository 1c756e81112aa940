#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In-module self-tests (crypto, allowedips, replay counter, rate limiter,
# cookies) of the debug build, at module load, on 6.1 and 6.12.  A kernel
# whose run fails without a failing line of its own (the module does not
# build, the VM does not boot) still fails here (tap_run): never an empty
# plan.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
for k in 6.1 6.12; do
	tap_run "$k" selftests/vm/run --kernel $k --timeout 600 selftests/vm/tests/selftests.sh
done
tap_done
