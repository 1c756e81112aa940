#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh FLAVOR [debug|release] [extra make args...]
# Builds wireguard.ko against Debian's FLAVOR (6.1|6.12) headers, or the
# debug kernel's tree (6.1-debug), and stores it, with the build log, as
# build/modules/<release>/<variant>/wireguard.ko.  Rebuilds only when a
# source, or the kernel tree's Module.symvers, is newer.  Prints the path.
set -euo pipefail
. "$(dirname "$0")/lib/harness.sh"

flavor=${1:-6.1}
variant=${2:-debug}
shift $(($# > 2 ? 2 : $#))
kdir=$(headers_dir "$flavor")
krel=$(kernel_release "$flavor")
dest=$WG_BUILD/modules/$krel/$variant
ko=$dest/wireguard.ko

newest=$(find "$WG_REPO/Kbuild" "$WG_REPO/drivers" "$WG_REPO/crypto" \
	"$WG_REPO/include" -newer "$ko" \( -name '*.[chS]' -o -name Kbuild -o -name '*.mk' \) \
	-print -quit 2>/dev/null || true)
if [ -f "$ko" ] && [ -z "$newest" ] && [ $# -eq 0 ] &&
   ! [ "$kdir/Module.symvers" -nt "$ko" ]; then
	echo "$ko"
	exit 0
fi

mkdir -p "$dest"
dbg=
[ "$variant" = debug ] && dbg=WG_DEBUG=y
# One Kbuild at a time in this tree: objects are built in place.
exec 9> "$WG_BUILD/.kbuild.lock"
flock 9
# The copy gets the time the build started, so a source edited while it
# ran is still newer than the module and triggers the next rebuild.
stamp=$(mktemp "$dest/.started.XXXXXX")
if ! make -C "$kdir" M="$WG_REPO" $dbg W=1 "$@" modules > "$dest/build.log" 2>&1; then
	rm -f "$stamp"
	tail -n 40 "$dest/build.log" >&2
	echo "build-module: build against $krel failed (log: $dest/build.log)" >&2
	exit 1
fi
cp "$WG_REPO/wireguard.ko" "$ko"
touch -r "$stamp" "$ko"
rm -f "$stamp"
echo "$ko"
