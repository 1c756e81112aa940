#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms add/build/install works from the source tree, in private dkms trees
# (nothing on the host is touched), against Debian's 6.1 headers.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
. selftests/vm/lib/harness.sh
krel=$(kernel_release 6.1)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
tmp=$(mktemp -d)
trap "rm -rf $tmp" EXIT
mkdir -p "$tmp/src" "$tmp/tree" "$tmp/install/$krel/kernel"
tar -c --exclude=./build --exclude=./.git --exclude="*.o" --exclude="*.ko" . | tar -x -C "$tmp/src"
mkdir -p "$tmp/usr-src"
cp -a "$tmp/src" "$tmp/usr-src/wireguard-oot-$ver"
d() { dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/usr-src" --installtree "$tmp/install" "$@" -m wireguard-oot -v "$ver" -k "$krel"; }
d add > "$tmp/log" 2>&1; tap_ok $? "dkms add"
d build > "$tmp/log" 2>&1; r=$?; tap_ok $r "dkms build against $krel"
[ $r != 0 ] && tail -n 20 "$tmp/log" | sed 's/^/# /'
d install --force > "$tmp/log" 2>&1; r=$?; tap_ok $r "dkms install"
[ $r != 0 ] && tail -n 20 "$tmp/log" | sed 's/^/# /'
ko=$(find "$tmp/install" -name 'wireguard.ko*' | head -n1)
[ -n "$ko" ]
tap_ok $? "module installed under updates/dkms (${ko#"$tmp"/install/})"
tap_done
