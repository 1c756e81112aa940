#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module load, link add/del, namespace teardown and unload on 6.1 and 6.12.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
for k in 6.1 6.12; do
	tap_run "$k" selftests/vm/run --kernel $k --timeout 300 selftests/vm/tests/smoke.sh
done
tap_done
