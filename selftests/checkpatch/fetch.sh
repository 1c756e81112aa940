#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch.sh: print the path of Linux's scripts/checkpatch.pl, taken from
# Debian's linux-source-6.1 package (apt-get download + dpkg -x, then the
# three files checkpatch reads pulled out of the source tarball).  It is
# unpacked outside the repository, under WG_CHECKPATCH_DIR (default
# /var/cache/wireguard-oot/checkpatch), once; later calls reuse it.
set -euo pipefail

dir=${WG_CHECKPATCH_DIR:-/var/cache/wireguard-oot/checkpatch}
if [ -f "$dir/scripts/checkpatch.pl" ]; then
	echo "$dir/scripts/checkpatch.pl"
	exit 0
fi

mkdir -p "$(dirname "$dir")"
tmp=$(mktemp -d "$(dirname "$dir")/.checkpatch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
if ! apt-get download linux-source-6.1 >&2; then
	apt-get update -q >&2
	apt-get download linux-source-6.1 >&2
fi
dpkg -x linux-source-6.1_*.deb pkg
tarball=$(ls pkg/usr/src/linux-source-6.1.tar.*)
mkdir -p out
tar -xf "$tarball" -C out --strip-components=1 \
	linux-source-6.1/scripts/checkpatch.pl \
	linux-source-6.1/scripts/spelling.txt \
	linux-source-6.1/scripts/const_structs.checkpatch
rm -rf "$dir"
mv out "$dir"
echo "$dir/scripts/checkpatch.pl"
