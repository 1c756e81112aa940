#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# testmod/build.sh FLAVOR: build wgtest_splat.ko (the harness self-test's
# throwaway module) against FLAVOR's tree, out of the source tree, in
# build/testmod/<release>/.  Prints the module path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/harness.sh"
flavor=${1:-6.1-debug}
kdir=$(headers_dir "$flavor")
krel=$(kernel_release "$flavor")
dest=$WG_BUILD/testmod/$krel
mkdir -p "$dest"
cp "$here/wgtest_splat.c" "$here/Kbuild" "$dest/"
make -C "$kdir" M="$dest" modules > "$dest/build.log" 2>&1 ||
	{ tail -n 30 "$dest/build.log" >&2; exit 1; }
echo "$dest/wgtest_splat.ko"
