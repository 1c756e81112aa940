#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's two commands on a fresh machine: `make demo` alone, with
# Debian packages from the list missing, says to run `make deps demo` and
# stops before building or booting anything; `make deps` with nothing
# missing installs nothing.
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
tap_done
