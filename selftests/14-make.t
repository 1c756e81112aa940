#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's two commands on a fresh machine: `make demo` alone, with
# Debian packages from the list missing, says to run `make deps demo` and
# stops before building or booting anything; `make deps` with nothing
# missing installs nothing.  The kselftest programs (selftests/kselftest/):
# where modprobe would not load this project's module (this host: its
# kernel loads none) `make check-host` refuses and says why, each program
# skips with KTAP and status 4, and `make install` lays them out to run
# elsewhere.  They run for real in the VM (22-vm-install.t).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A list like debian-packages.txt with one package that is not installed
# (no Debian package has this name).
{ cat debian-packages.txt; echo "wireguard-oot-not-a-package # missing on purpose"; } > "$tmp/list"
start=$SECONDS
timeout 60 make -s demo DEPS_LIST="$tmp/list" > "$tmp/out" 2> "$tmp/err"
rc=$?
tap_ok "$([ $rc != 0 ] && [ $rc != 124 ]; echo $?)" "make demo with a package missing fails (status $rc)"
grep -q "run 'make deps demo'" "$tmp/err"
tap_ok $? "it says to run 'make deps demo'"
grep -q 'missing:.* wireguard-oot-not-a-package' "$tmp/err"
tap_ok $? "it names the missing package"
[ ! -s "$tmp/out" ] && ! grep -q -i 'boot\|build' "$tmp/err"
tap_ok $? "it builds and boots nothing ($((SECONDS - start)) s)"
sed 's/^/# /' "$tmp/err"
out=$(make -s deps 2>&1)
n=$(sed -e 's/#.*//' debian-packages.txt | tr -s ' \n' '\n' | grep -c .)
tap_ok "$([ "$out" = "deps: all $n packages installed" ]; echo $?)" "make deps with nothing missing installs nothing ($out)"
out=$(make -s check-host 2>&1)
rc=$?
tap_ok "$([ $rc != 0 ] && grep -q 'install it first' <<< "$out"; echo $?)" \
	"make check-host without our module installed fails and says to install it"
if modinfo -n wireguard 2>/dev/null | grep -q -E '/(updates|extra)/'; then
	tap_skip "kselftest programs skip without our module" "this host has it installed"
else
	out=$(make -s -C selftests/kselftest run_tests 2>&1)
	rc=$?
	tap_ok $rc "run_tests: skipped programs are not failures"
	[ "$(sed -n 1,2p <<< "$out" | tr '\n' ' ')" = "TAP version 13 1..2 " ] &&
		[ "$(grep -c -E '^ok [12] selftests: wireguard: wireguard-[a-z]+\.sh # SKIP$' <<< "$out")" = 2 ] &&
		[ "$(grep -c -x '# KTAP version 1' <<< "$out")" = 2 ] &&
		[ "$(grep -c -E "^# 1\.\.0 # SKIP modprobe wireguard finds" <<< "$out")" = 2 ]
	tap_ok $? "run_tests: TAP 13 around two KTAP programs, each skipped with its reason"
	[ $? = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
	make -s -C selftests/kselftest install INSTALL_PATH="$tmp/ksft" > /dev/null 2>&1 &&
		[ "$(cat "$tmp/ksft/kselftest-list.txt" 2>/dev/null | tr '\n' ' ')" = "wireguard:wireguard-tunnel.sh wireguard:wireguard-netlink.sh " ]
	tap_ok $? "make install INSTALL_PATH=... writes kselftest-list.txt"
	"$tmp/ksft/wireguard-tunnel.sh" > "$tmp/ksft.out" 2>&1
	rc=$?
	[ $rc = 4 ] && [ -f "$tmp/ksft/selftests/vm/tests/tunnel-basic.sh" ] && grep -q -x 'KTAP version 1' "$tmp/ksft.out"
	tap_ok $? "the installed program runs from there (KTAP, skip status $rc)"
fi
tap_done
