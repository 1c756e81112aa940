#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install inside the VM, then modprobe picks this project's module.
cd "$(dirname "$0")/.." || exit 1
selftests/vm/build-module.sh 6.1 release > /dev/null || { echo "1..1"; echo "not ok 1 - release module builds"; exit 1; }
exec selftests/vm/run --no-module --timeout 300 selftests/vm/tests/install.sh
