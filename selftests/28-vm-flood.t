#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Handshake flood on 6.1 against our module (debug build): cookie replies on
# the wire, and a legitimate peer still completes its handshake.
cd "$(dirname "$0")/.." || exit 1
fail() { echo "1..1"; echo "not ok 1 - $1"; exit 1; }
selftests/vm/build-module.sh 6.1 debug > /dev/null || fail "build the debug module"
mkdir -p build/tools
gcc -O2 -Wall -o build/tools/wg-hsblast selftests/vm/tests/wg-hsblast.c || fail "build wg-hsblast"
exec selftests/vm/run --kernel 6.1 --timeout 600 --no-module \
	selftests/vm/tests/flood.sh ours debug
