#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tunnel through our module (debug build, dynamic debug for the
# Peer/Keypair lifetime check): the whole tunnel-basic.sh suite on 6.1, its
# basic traffic part (IPv4 and IPv6 outer, ping and iperf3) on 6.12.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
run() { # FLAVOR ARGS...
	local k=$1
	shift
	if ! selftests/vm/build-module.sh "$k" debug > /dev/null; then
		tap_fail "build the debug module for $k"
		return
	fi
	tap_run "$k" selftests/vm/run --kernel "$k" --timeout 480 --no-module \
		selftests/vm/tests/tunnel-basic.sh ours debug dyndbg "$@"
}
run 6.1
run 6.12 basic
tap_done
