#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tunnel through our module (debug build, dynamic debug for the
# Peer/Keypair lifetime check): the whole tunnel-basic.sh suite on 6.1, its
# basic traffic part (IPv4 and IPv6 outer, ping and iperf3) on 6.12; then,
# in the same boot (suites.sh), trains.sh on both: UDP GSO trains on the
# underlay, cut back into single messages and coupled again by the
# receiving socket's GRO hooks, and userspace-built trains judged message
# by message.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
run() { # FLAVOR ARGS...
	local k=$1
	shift
	if ! selftests/vm/build-module.sh "$k" debug > /dev/null; then
		tap_fail "build the debug module for $k"
		return
	fi
	tap_run "$k" selftests/vm/run --kernel "$k" --timeout 780 --no-module \
		selftests/vm/tests/suites.sh \
		tunnel 480 tunnel-basic.sh ours debug dyndbg "$@" \
		-- trains 300 trains.sh ours debug
}
run 6.1
run 6.12 basic
tap_done
