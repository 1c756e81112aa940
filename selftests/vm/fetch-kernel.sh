#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh FLAVOR: download Debian's kernel image package matching the
# installed headers and unpack it under build/vm/<release>/ (never into /boot).
# For 6.1-debug, the root of the cached debug kernel (built on first use).
# Prints the unpacked root (boot/vmlinuz-<release>, lib/modules/<release>).
# Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib/harness.sh"

flavor=${1:-6.1}
if is_debug_flavor "$flavor"; then
	d=$(debug_kernel_dir)
	echo "$d/root"
	exit 0
fi
krel=$(kernel_release "$flavor")
dest=$WG_BUILD/vm/$krel
root=$dest/root
# Suites started side by side share this tree: the first unpacks, the
# others wait on the lock and then find .unpacked.
mkdir -p "$WG_BUILD/vm"
exec 9> "$WG_BUILD/vm/.$krel.lock"
flock 9
if [ -f "$dest/.unpacked" ]; then
	echo "$root"
	exit 0
fi

rm -rf "$dest"
mkdir -p "$dest/deb"
(
	cd "$dest/deb"
	# The signed image is what Debian boots; fall back to -unsigned.
	apt-get download "linux-image-$krel" >&2 ||
		apt-get download "linux-image-$krel-unsigned" >&2
)
deb=$(ls "$dest"/deb/*.deb | head -n1)
dpkg -x "$deb" "$root"
# 6.12 ships compressed modules; the initramfs needs plain ones, and
# decompressing everything lets depmod/modprobe in the VM work unchanged.
find "$root/lib/modules/$krel" -name '*.ko.xz' -print0 | xargs -0 -r -n 64 -P 2 xz -d
depmod -b "$root" "$krel"
rm -rf "$dest/deb"
touch "$dest/.unpacked"
echo "$root"
