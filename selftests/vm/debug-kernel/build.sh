#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [--print-key|--check-config DIR]: build the debug kernel from
# Debian's linux-source-6.1 with debug.config (beside this script) applied
# on top of tinyconfig, and cache it outside any checkout in
#   $WG_KCACHE/<source version>-<fragment hash>/   (default
#   /var/cache/wireguard-oot/kernel)
# holding root/boot/vmlinuz-<release>, root/lib/modules/<release>/ (for the
# VM) and build/ (the tree `make M=` builds external modules against, with
# Module.symvers).  A cached build is reused until the source version or
# the fragment changes.  Concurrent callers serialize on a lock; the first
# builds, the others wait and reuse.  Prints the cache directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config
cache=${WG_KCACHE:-/var/cache/wireguard-oot/kernel}
pkg=linux-source-6.1

# check_config CONFIG: every option of the fragment survived olddefconfig.
check_config() {
	local cfg=$1 line opt bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$cfg" && continue
			echo "debug-kernel: '$line' did not survive (have: $(grep "^${line%%=*}=" "$cfg" || echo unset))" >&2
			bad=1
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}
			grep -q "^$opt=" "$cfg" || continue
			echo "debug-kernel: '$opt' should be off but is $(grep "^$opt=" "$cfg")" >&2
			bad=1
			;;
		esac
	done < "$fragment"
	return $bad
}

# The source version comes from apt's local lists (no download needed to
# find the key of a cached build).
version=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
[ -n "$version" ] || { echo "debug-kernel: apt knows no $pkg (apt-get update?)" >&2; exit 1; }
key=$version-$(sha256sum < "$fragment" | cut -c1-12)
dest=$cache/$key

case "${1:-}" in
--print-key) echo "$key"; exit 0 ;;
--check-config) check_config "$2"; exit $? ;;
esac

if [ -f "$dest/.complete" ]; then
	echo "$dest"
	exit 0
fi
mkdir -p "$cache"
exec 8> "$cache/.lock"
if ! flock -n 8; then
	echo "debug-kernel: another build of the debug kernel is running; waiting" >&2
	flock 8
fi
if [ -f "$dest/.complete" ]; then
	echo "$dest"
	exit 0
fi

start=$(date +%s) load=$(cut -d' ' -f1-3 /proc/loadavg)
work=$cache/.building-$key
rm -rf "$dest"
jobs=$(nproc)
mk() { nice -n 10 make -j"$jobs" "$@" >> "$work/build.log" 2>&1 ||
	{ tail -n 40 "$work/build.log" >&2; echo "debug-kernel: make $* failed" >&2; exit 1; }; }
# A build that was interrupted (a session ending, a killed job) resumes:
# make is incremental once the tree is unpacked and configured.
if [ -f "$work/.configured" ]; then
	echo "debug-kernel: resuming the interrupted build in $work" >&2
	echo "resumed: the build time below covers the last leg only" >> "$work/resumed"
	cd "$work/build"
else
	rm -rf "$work"
	mkdir -p "$work/deb" "$work/root"
	chmod 777 "$work/deb"	# apt-get download drops privileges to _apt
	echo "debug-kernel: building $key in $work (log: $work/build.log)" >&2
	(
		cd "$work/deb"
		apt-get download "$pkg=$version" >&2
	)
	dpkg-deb --fsys-tarfile "$work"/deb/*.deb | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		xz -dc -T2 | tar -x -C "$work"
	rm -rf "$work/deb"
	mv "$work"/linux-source-* "$work/build"
	cd "$work/build"
	mk tinyconfig
	scripts/kconfig/merge_config.sh -m .config "$fragment" >> "$work/build.log" 2>&1
	mk olddefconfig
	check_config .config || { echo "debug-kernel: fix debug.config (see above)" >&2; exit 1; }
	touch "$work/.configured"
fi
mk bzImage modules
krel=$(cat include/config/kernel.release)
mkdir -p "$work/root/boot"
cp arch/x86/boot/bzImage "$work/root/boot/vmlinuz-$krel"
mk INSTALL_MOD_PATH="$work/root" modules_install
rm -f "$work/root/lib/modules/$krel/build" "$work/root/lib/modules/$krel/source"
# Keep what external module builds need (config, generated headers, host
# tools, Module.symvers, Makefiles, sources' headers); drop the objects.
find . -name '*.o' ! -path './scripts/*' ! -path './tools/*' -delete
find . -name '*.cmd' ! -path './scripts/*' ! -path './tools/*' -delete
rm -f vmlinux.a
end=$(date +%s)
{
	echo "key=$key"
	echo "release=$krel"
	echo "build_seconds=$((end - start))"
	echo "loadavg_at_start=$load"
	echo "loadavg_at_end=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "built=$(date -u +%FT%TZ)"
	echo "resumed=$([ -f "$work/resumed" ] && echo yes || echo no)"
} > "$work/info"
touch "$work/.complete"
cd /
mv "$work" "$dest"
echo "debug-kernel: built $krel in $((end - start)) s" >&2
echo "$dest"
