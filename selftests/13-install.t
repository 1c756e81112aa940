#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install-module` goes through Kbuild's modules_install with
# INSTALL_MOD_DIR=updates, so the module lands where modprobe prefers it and
# is signed and compressed the way the target kernel's configuration says:
# Debian's 6.1 (CONFIG_MODULE_COMPRESS_NONE) gets updates/wireguard.ko,
# 6.12 (CONFIG_MODULE_COMPRESS_XZ, _ALL) updates/wireguard.ko.xz; both have
# CONFIG_MODULE_SIG_ALL, so Kbuild runs its signing step (the headers
# packages carry no private key, so on this machine it cannot sign).
# Installed into a DESTDIR; depmod indexes it there.  The real install and
# modprobe run in the VM (22-vm-install.t).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
. selftests/vm/lib/harness.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for flavor in 6.1 6.12; do
	kdir=$(headers_dir "$flavor") || { tap_fail "headers for $flavor"; continue; }
	krel=$(kernel_release "$flavor")
	if ! ko=$(nice selftests/vm/build-module.sh "$flavor" release 2> "$tmp/err"); then
		tap_fail "release module builds against $krel"
		sed 's/^/# /' "$tmp/err" | tail -n 20
		continue
	fi
	root=$tmp/root-$flavor
	make install-module DESTDIR="$root" KDIR="$kdir" MODULE_KO="$ko" \
		MODULE_KVER="$krel" > "$tmp/log" 2>&1
	rc=$?
	tap_ok $rc "make install-module DESTDIR=... for $krel"
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/log" | tail -n 20
	if grep -q '^CONFIG_MODULE_COMPRESS_XZ=y' "$kdir/.config" &&
	   grep -q '^CONFIG_MODULE_COMPRESS_ALL=y' "$kdir/.config"; then
		want=updates/wireguard.ko.xz
	else
		want=updates/wireguard.ko
	fi
	got=$(cd "$root/lib/modules/$krel" 2>/dev/null && find . -name 'wireguard.ko*' | sed 's|^\./||')
	tap_ok "$([ "$got" = "$want" ]; echo $?)" "installed as $want as the $krel config says (got: ${got:-nothing})"
	case $want in
	*.xz) xz -dc "$root/lib/modules/$krel/$want" 2>/dev/null | cmp -s - "$ko" ;;
	*) cmp -s "$root/lib/modules/$krel/$want" "$ko" ;;
	esac
	tap_ok $? "$want is the built module ($([[ $want == *.xz ]] && echo 'once decompressed' || echo identical))"
	vm=$(modinfo -F vermagic "$root/lib/modules/$krel/$want" 2>/dev/null)
	tap_ok "$([[ $vm == "$krel "* ]]; echo $?)" "installed module's vermagic is $krel"
	grep -q '^ *SIGN .*/updates/wireguard.ko' "$tmp/log"
	tap_ok $? "Kbuild ran its module signing step (CONFIG_MODULE_SIG_ALL=y)"
	grep -q "^$want:" "$root/lib/modules/$krel/modules.dep" 2>/dev/null
	tap_ok $? "depmod indexed $want in the DESTDIR's modules.dep"
done
tap_done
