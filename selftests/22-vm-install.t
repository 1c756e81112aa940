#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install inside the VM, then modprobe picks this project's module;
# then make check-host, as on a real host (the kselftest programs of
# selftests/kselftest/ over the netns suites, on the VM's kernel).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if selftests/vm/build-module.sh 6.1 release > /dev/null; then
	tap_run "" selftests/vm/run --no-module --timeout 600 selftests/vm/tests/install.sh
else
	tap_fail "release module builds"
fi
tap_done
