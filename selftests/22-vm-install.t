#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One boot: make install inside the VM, then modprobe picks this project's
# module; make check-host, as on a real host (the kselftest programs of
# selftests/kselftest/ over the netns suites, on the VM's kernel); then the
# Debian packages (vm/tests/deb.sh): dpkg -i both, the tools replace
# Debian's, apt-get remove takes everything away.  DKMS compiling the module
# for 6.1 in the VM, modprobe loading it and its removal cost over 19 min
# more under TCG on the shared host: WG_SLOW_TESTS=1 adds them (deb.sh full).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
ver=$(cat VERSION)
deb=build/deb/wireguard-oot-dkms_${ver}_all.deb
# The packages 12-deb.t built, unless a file of the tree is newer: packages
# left by an earlier build may hold older files.
if [ ! -f "$deb" ] || [ -n "$(git ls-files -z -co --exclude-standard |
		xargs -0 -r find 2> /dev/null -newer "$deb" -print -quit)" ]; then
	nice make -s deb > /dev/null 2>&1
	tap_ok $? "make deb (the packages were missing or older than the tree)"
fi
if selftests/vm/build-module.sh 6.1 release > /dev/null; then
	if [ "${WG_SLOW_TESTS:-0}" != 0 ]; then mode=full timeout=3600; else mode=nobuild timeout=1200; fi
	start=$SECONDS
	tap_run "" selftests/vm/run --no-module --timeout "$timeout" selftests/vm/tests/install.sh "$mode"
	echo "# time: $((SECONDS - start)) s (deb.sh $mode)"
else
	tap_fail "release module builds"
fi
tap_done
