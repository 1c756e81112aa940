# SPDX-License-Identifier: GPL-2.0
# Choosing the WireGuard implementation under test inside the VM (sourced).
#
#   use_impl debian            Debian's in-tree wireguard.ko (modprobe)
#   use_impl ours [VARIANT]    this tree's module, VARIANT debug (default) or
#                              release, built beforehand on the host with
#                              selftests/vm/build-module.sh <flavor> VARIANT
#   use_impl ours PATH         the module file PATH (what the harness loads
#                              at boot: selftests/vm/run --module or its
#                              default build)
#
# Whatever wireguard module is loaded is removed first (with its devices).
# Set WG_DYNDBG=1 (scripts take it as an argument or from the environment)
# to turn on the module's dynamic debug messages after loading.
# $WG_IMPL names the loaded implementation afterwards.

WG_IMPL=
WG_DYNDBG=${WG_DYNDBG:-0}

# impl_module_path VARIANT: where build-module.sh leaves our module.
impl_module_path() {
	echo "$WG_REPO/build/modules/$(uname -r)/${1:-debug}/wireguard.ko"
}

impl_unload() {
	local i
	[ -d /sys/module/wireguard ] || return 0
	for i in $(seq 50); do
		rmmod wireguard 2>/dev/null && return 0
		sleep 0.2
	done
	echo "impl: cannot unload wireguard" >&2
	return 1
}

use_impl() {
	local impl=$1 variant=${2:-debug} ko
	impl_unload || return 1
	case "$impl" in
	debian)
		modprobe wireguard || return 1
		;;
	ours)
		case "$variant" in
		*/*) ko=$variant ;;
		*) ko=$(impl_module_path "$variant") ;;
		esac
		[ -f "$ko" ] || { echo "impl: $ko missing (build-module.sh)" >&2; return 1; }
		modprobe -a udp_tunnel ip6_udp_tunnel || return 1
		insmod "$ko" || return 1
		;;
	*)
		echo "impl: unknown implementation '$impl'" >&2
		return 1
		;;
	esac
	WG_IMPL=$impl
	if [ "$WG_DYNDBG" = 1 ]; then
		echo 'module wireguard +p' > /sys/kernel/debug/dynamic_debug/control || return 1
	fi
	return 0
}

# impl_args DEFAULT FLAGS -- ARGS...: the arguments the test scripts share.
# "dyndbg" sets WG_DYNDBG=1 and "release"/"debug" set $variant (debug by
# default).  Each word listed in FLAGS is a switch of the calling script:
# the variable of that name is 1 when the word is given, else 0.  Every
# other word names an implementation for use_impl, collected in $impls
# (DEFAULT, a space-separated list, when none is named).
impl_args() {
	local defaults=$1 flags=" $2 " a
	shift 3
	impls=() variant=debug
	for a in $flags; do
		printf -v "$a" 0
	done
	for a in "$@"; do
		case "$a" in
		dyndbg) WG_DYNDBG=1 ;;
		release|debug) variant=$a ;;
		*)
			if [[ $flags == *" $a "* ]]; then
				printf -v "$a" 1
			else
				impls+=("$a")
			fi
			;;
		esac
	done
	# shellcheck disable=SC2206 # the defaults are plain words
	[ ${#impls[@]} -gt 0 ] || impls=($defaults)
}

# impl_is_ours: the loaded module is this tree's (it says out-of-tree).
impl_is_ours() {
	grep -q O /sys/module/wireguard/taint 2>/dev/null
}

# Lifetime accounting from the dynamic debug messages: every "Peer N created"
# needs a "Peer N destroyed", same for keypairs.  dmesg_mark remembers where
# the log stands; lifetime_balance [SINCE] prints "peers C/D keypairs C/D"
# for lines after the mark.
dmesg_mark() {
	_wg_dmesg_mark=$(dmesg | wc -l)
}
lifetime_counts() {
	dmesg | tail -n +$((${_wg_dmesg_mark:-0} + 1)) | awk '
		/: Peer [0-9]+ created/ { pc++ }
		/: Peer [0-9]+ (\(.*\) )?destroyed/ { pd++ }
		/: Keypair [0-9]+ created/ { kc++ }
		/: Keypair [0-9]+ destroyed/ { kd++ }
		END { printf "peers %d/%d keypairs %d/%d\n", pc, pd, kc, kd }'
}
# lifetime_ok: created == destroyed for both, polling up to 10 s (RCU frees).
lifetime_ok() {
	local i c
	for i in $(seq 50); do
		c=$(lifetime_counts)
		if [[ $c =~ ^peers\ ([0-9]+)/([0-9]+)\ keypairs\ ([0-9]+)/([0-9]+)$ ]] &&
		   [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] &&
		   [ "${BASH_REMATCH[3]}" = "${BASH_REMATCH[4]}" ]; then
			echo "$c"
			return 0
		fi
		sleep 0.2
	done
	echo "$c"
	return 1
}
