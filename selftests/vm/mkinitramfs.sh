#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh FLAVOR: a tiny busybox initramfs that loads virtio/9p/overlay
# from Debian's unpacked module tree, mounts the host's / read-only over 9p
# with a tmpfs overlay on top, and switch_roots into selftests/vm/guest-init.sh.
# Prints the path of the cpio archive.  Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib/harness.sh"

flavor=${1:-6.1}
krel=$(kernel_release "$flavor")
root=$("$(dirname "$0")/fetch-kernel.sh" "$flavor")
out=$WG_BUILD/vm/$krel/initramfs.cpio.gz
src="$(dirname "$0")/mkinitramfs.sh"
if [ -f "$out" ] && [ "$out" -nt "$src" ]; then
	echo "$out"
	exit 0
fi

busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q static ||
	busybox=/bin/busybox
[ -x "$busybox" ] || { echo "busybox-static missing: run 'make deps'" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,mnt/host,mnt/rw,newroot,lib/mod}
cp "$busybox" "$tmp/bin/busybox"

: > "$tmp/lib/mod/order"
for m in virtio_pci 9pnet_virtio 9p overlay; do
	modprobe -d "$root" -S "$krel" --show-depends "$m"
done | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' |
while read -r ko; do
	cp "$ko" "$tmp/lib/mod/"
	basename "$ko" >> "$tmp/lib/mod/order"
done

cat > "$tmp/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /usr/bin /sbin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /lib/mod/order); do
	insmod "/lib/mod/$m" || echo "initramfs: insmod $m failed"
done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro hostroot /mnt/host ||
	{ echo "initramfs: cannot mount host root"; poweroff -f; }
mount -t tmpfs -o size=1G tmpfs /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work overlay /newroot ||
	{ echo "initramfs: overlay mount failed"; poweroff -f; }
mkdir -p /newroot/mnt/wgout
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 wgout /newroot/mnt/wgout ||
	{ echo "initramfs: cannot mount output share"; poweroff -f; }
umount /proc /sys
mount --move /dev /newroot/dev
guest=$(cat /newroot/mnt/wgout/guest-init)
exec switch_root /newroot /bin/bash "$guest"
INIT
chmod +x "$tmp/init"
mkdir -p "$(dirname "$out")"
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.$$"
mv "$out.$$" "$out"	# atomic: a concurrent suite sees the old or the new
echo "$out"
