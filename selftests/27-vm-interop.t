#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interop with Debian's wireguard-go on 6.1: our module (debug build) in one
# namespace, wireguard-go in another; each side initiates, IPv4 and IPv6
# outer, preshared key, ping and iperf3 both ways.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
if selftests/vm/build-module.sh 6.1 debug > /dev/null; then
	tap_run "" selftests/vm/run --kernel 6.1 --timeout 600 --no-module \
		selftests/vm/tests/interop-go.sh ours debug
else
	tap_fail "build the debug module"
fi
tap_done
