# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the VM harness scripts (sourced, not run).

WG_REPO=${WG_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WG_BUILD=${WG_BUILD:-$WG_REPO/build}

# headers_dir FLAVOR: Debian's packaged headers for 6.1 or 6.12.
headers_dir() {
	local d
	case "$1" in
	6.1) d=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	6.12) d=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	*) echo "unknown kernel flavor '$1' (want 6.1 or 6.12)" >&2; return 1 ;;
	esac
	[ -n "$d" ] || { echo "no headers for $1: run 'make deps'" >&2; return 1; }
	echo "$d"
}

# kernel_release FLAVOR: e.g. 6.1.0-56-amd64
kernel_release() {
	local d
	d=$(headers_dir "$1") || return 1
	basename "$d" | sed 's/^linux-headers-//'
}
