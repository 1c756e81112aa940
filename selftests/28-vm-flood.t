#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Handshake flood on 6.1 against our module (debug build): cookie replies on
# the wire, and a legitimate peer still completes its handshake.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
mkdir -p build/tools
if ! selftests/vm/build-module.sh 6.1 debug > /dev/null; then
	tap_fail "build the debug module"
elif ! make -s build/tools/wg-hsblast; then
	tap_fail "build wg-hsblast"
else
	tap_run "" selftests/vm/run --kernel 6.1 --timeout 600 --no-module \
		selftests/vm/tests/flood.sh ours debug
fi
tap_done
