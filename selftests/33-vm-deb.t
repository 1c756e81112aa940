#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages in the VM (vm/tests/deb.sh): dpkg -i both, DKMS builds
# the module for 6.1 (and every other kernel with headers), modprobe loads
# it, apt-get remove takes everything away.  DKMS compiles the module under
# TCG and dpkg reads the host's whole package database over 9p, which costs
# far more than make check's budget allows: WG_SLOW_TESTS=1 runs it (full),
# WG_SLOW_TESTS=tools runs the part without compiling.  Without it, the
# packages are still built and inspected on the host (12-deb.t) and the
# DKMS build itself is 11-dkms.t's.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
case ${WG_SLOW_TESTS:-} in
1) mode=full timeout=3600 ;;
tools) mode=tools timeout=1500 ;;
*)	tap_skip "packages installed, used and removed in the VM" \
		"slow (DKMS compiles under TCG, dpkg over 9p): WG_SLOW_TESTS=1"
	tap_done
	exit ;;
esac
# Built now: packages left by an earlier build may hold older files.
nice make -s deb > /dev/null 2>&1
tap_ok $? "make deb"
start=$SECONDS
tap_run "" selftests/vm/run --no-module --timeout "$timeout" selftests/vm/tests/deb.sh "$mode"
echo "# time: $((SECONDS - start)) s ($mode)"
tap_done
