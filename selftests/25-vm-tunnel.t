#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tunnel through our module (debug build, dynamic debug for the
# Peer/Keypair lifetime check): the whole tunnel-basic.sh suite on 6.1, its
# basic traffic part (IPv4 and IPv6 outer, ping and iperf3) on 6.12.
cd "$(dirname "$0")/.." || exit 1
n=0
run() { # FLAVOR ARGS...
	local k=$1 l
	shift
	if ! selftests/vm/build-module.sh "$k" debug > /dev/null; then
		n=$((n + 1)); echo "not ok $n - build the debug module for $k"
		return
	fi
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]; then
			n=$((n + 1)); echo "${BASH_REMATCH[1]}ok $n${BASH_REMATCH[2]} [$k]"
		elif ! [[ $l =~ ^1\.\. ]]; then echo "$l"; fi
	done < <(selftests/vm/run --kernel "$k" --timeout 480 --no-module \
		selftests/vm/tests/tunnel-basic.sh ours debug dyndbg "$@" 2>&1)
}
run 6.1
run 6.12 basic
echo "1..$n"
