# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the VM harness scripts (sourced, not run).

WG_REPO=${WG_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
WG_BUILD=${WG_BUILD:-$WG_REPO/build}
WG_VMDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Kernel flavors: 6.1 and 6.12 are Debian's production kernels (packaged
# headers, image fetched by fetch-kernel.sh); 6.1-debug is built here from
# Debian's linux-source-6.1 with debug-kernel/debug.config (lockdep, KASAN,
# kmemleak, failslab, kcov...), cached outside the checkout.
is_debug_flavor() { [ "$1" = 6.1-debug ]; }

# debug_kernel_dir: the cached debug kernel (built on first use; see
# debug-kernel/build.sh).
debug_kernel_dir() { "$WG_VMDIR/debug-kernel/build.sh"; }

# headers_dir FLAVOR: the tree external modules build against; FLAVOR may
# also be a path to kernel headers (e.g. /lib/modules/$(uname -r)/build).
headers_dir() {
	local d
	case "$1" in
	*/*) [ -f "$1/Makefile" ] || { echo "no kernel headers at $1" >&2; return 1; }
		d=$(realpath "$1") ;;
	6.1) d=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	6.12) d=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	6.1-debug) d=$(debug_kernel_dir)/build || return 1 ;;
	*) echo "unknown kernel flavor '$1' (want 6.1, 6.12 or 6.1-debug)" >&2; return 1 ;;
	esac
	[ -n "$d" ] || { echo "no headers for $1: run 'make deps'" >&2; return 1; }
	echo "$d"
}

# kernel_release FLAVOR: e.g. 6.1.0-56-amd64, 6.1.192-wgdebug
kernel_release() {
	local d
	if is_debug_flavor "$1"; then
		d=$(debug_kernel_dir) || return 1
		sed -n 's/^release=//p' "$d/info"
		return
	fi
	d=$(headers_dir "$1") || return 1
	case "$1" in
	*/*) sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$d/include/generated/utsrelease.h" ;;
	*) basename "$d" | sed 's/^linux-headers-//' ;;
	esac
}

# The kernel log lines that fail a VM run, on every kernel: warnings and
# BUGs (which cover most splats below), and each debug facility's report
# by its own words, so that a report printed without a WARNING/BUG header
# still fails.
WG_KLOG_BAD='WARNING:|BUG:|Oops|Kernel panic|refcount_t:|KASAN|UBSAN|general protection fault|Call Trace:'
WG_KLOG_BAD+='|possible circular locking|possible recursive locking|inconsistent lock state'
WG_KLOG_BAD+='|suspicious RCU usage|lock held when returning|held lock freed|bad unlock balance'
WG_KLOG_BAD+='|possible irq lock inversion|inconsistent \{|ODEBUG:|sleeping function called from invalid context'
WG_KLOG_BAD+='|workqueue lockup|blocked for more than|soft lockup|hard LOCKUP|rcu: INFO:|detected stall'
WG_KLOG_BAD+='|list_add corruption|list_del corruption|kmemleak: .*(disabled|pool empty)'

# klog_problems FILE...: print the offending kernel-log lines (with context)
# and succeed if there are any.  grep reads the files itself: behind a pipe
# (cat | grep -q) under pipefail, grep's early exit on a large log kills cat
# with SIGPIPE and the pipeline's failure would read as "no problem".
klog_problems() {
	grep -a -h -s -E -q "$WG_KLOG_BAD" "$@" || return 1
	grep -a -h -s -E -B2 -A20 "$WG_KLOG_BAD" "$@" | head -80
	return 0
}

# kmemleak_module_leaks FILE: the kmemleak report's objects whose
# allocation backtrace has a frame in a loadable module: "[module]" after
# the symbol, or a bare address (a module unloaded since, whose symbols
# are gone).  On the debug kernel everything else is built in, so that is
# our module or a harness test module.  Prints those objects; succeeds if
# there are any.
kmemleak_module_leaks() {
	[ -s "$1" ] || return 1
	awk '
	function flush() { if (obj != "" && hit) { printf "%s", obj; found = 1 } obj = ""; hit = 0 }
	/^unreferenced object/ { flush(); obj = $0 "\n"; next }
	obj != "" {
		obj = obj $0 "\n"
		if ($0 ~ /\[<[0-9a-f]+>\] .*\[[A-Za-z0-9_]+\]$/ || $0 ~ /\[<[0-9a-f]+>\] 0x[0-9a-f]+$/) hit = 1
	}
	END { flush(); exit !found }' "$1"
}
