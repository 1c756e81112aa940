# SPDX-License-Identifier: GPL-2.0
# Helpers for the wg-quick tests (sourced): TAP output, throw-away network
# namespaces with an underlay, state snapshots, and running an implementation
# of wg-quick inside a namespace with a fake resolvconf.
#
# Environment:
#   WG_QUICK        wg-quick under test (default: this tree's)
#   WG_QUICK_REF    the oracle (default: /usr/bin/wg-quick, Debian's)
#   WG              wg binary the tested wg-quick finds first in PATH
#                   (default: /usr/bin/wg)
#   WG_INSPECT      wg binary used to read state back (default: /usr/bin/wg)
#   WG_QUICK_USERSPACE_IMPLEMENTATION  passed through (wireguard-go when the
#                   kernel has no module)
#   WQT_TIMEOUT     seconds one wg-quick run may take (default 120)
#   WQT_JOBS        cases collected in parallel (default 4)

WQT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WQT_REPO=$(cd "$WQT_DIR/../.." && pwd)
WQT_MINE=${WG_QUICK:-$WQT_REPO/tools/wg-quick/wg-quick}
WQT_REF=${WG_QUICK_REF:-/usr/bin/wg-quick}
WQT_WG=${WG:-/usr/bin/wg}
WQT_INSPECT=${WG_INSPECT:-/usr/bin/wg}
# Short and unique per run: interface and namespace names derive from it.
WQT_TAG=$(printf '%x' $$)
WQT_TMP=""
WQT_NAMES=()        # interface names we used (wireguard-go processes to reap)
WQT_NETNS=()        # namespaces we created

unset WG_PROCESS_FOREGROUND LOG_LEVEL WG_TUN_FD WG_UAPI_FD

# ------------------------------------------------------------------ TAP

_tap_n=0
_tap_failed=0
tap_ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}
tap_not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	shift
	if (($# > 0)); then printf '%s\n' "$@" | sed 's/^/# /'; fi
	return 0
}
tap_skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # SKIP $1"
}
# tap_check DESC CMD... -- passes when CMD succeeds; its output is the diagnostic
tap_check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "$(printf '%s\n' "$out" | tail -n 30)"
	fi
}
# tap_same DESC FILE_WANT FILE_GOT
tap_same() {
	if cmp -s "$2" "$3"; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "--- ${2##*/}" "+++ ${3##*/}" \
			"$(diff "$2" "$3" | head -n 60)"
	fi
}
tap_done() {
	echo "1..$_tap_n"
	((_tap_failed == 0))
}

# ------------------------------------------------------------------ setup

wqt_init() {
	WQT_TMP=$(mktemp -d /tmp/wg-quick-test.XXXXXX)
	chmod 700 "$WQT_TMP"
	mkdir -p "$WQT_TMP/bin" "$WQT_TMP/bin-nonft"
	ln -s "$WQT_WG" "$WQT_TMP/bin/wg"
	ln -s "$WQT_DIR/fake-resolvconf" "$WQT_TMP/bin/resolvconf"
	# The same system tools minus nft: makes wg-quick fall back to iptables.
	local f
	for f in /usr/local/sbin/* /usr/sbin/* /sbin/*; do
		[[ -x $f && ${f##*/} != nft ]] || continue
		[[ -e $WQT_TMP/bin-nonft/${f##*/} ]] || ln -s "$f" "$WQT_TMP/bin-nonft/${f##*/}"
	done
	trap wqt_cleanup EXIT
	trap 'exit 130' INT TERM
}

# PATH for a wg-quick run: "nft" or "nonft".
wqt_path() {
	if [[ $1 == nonft ]]; then
		echo "$WQT_TMP/bin:$WQT_TMP/bin-nonft:/usr/local/bin:/usr/bin:/bin"
	else
		echo "$WQT_TMP/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	fi
}

# wireguard-go processes serving one of our interface names.
wqt_userspace_pids() {
	local p name cmd impl=${WG_QUICK_USERSPACE_IMPLEMENTATION:-wireguard-go}
	for p in $(pgrep -x "${impl##*/}"); do
		cmd=$(tr "\0" " " 2>/dev/null <"/proc/$p/cmdline") || continue
		for name in "${WQT_NAMES[@]}"; do
			if [[ $cmd == *" $name " ]]; then
				echo "$p"
			fi
		done
	done
	return 0
}

# Wait (bounded) until no wireguard-go serves NAME; kill it if it lingers.
wqt_reap_userspace() {
	local name=$1 i pids
	local -a saved=("${WQT_NAMES[@]}")
	WQT_NAMES=("$name")
	for ((i = 0; i < 600; i++)); do
		pids=$(wqt_userspace_pids)
		[[ -n $pids ]] || break
		sleep 0.1
	done
	if [[ -n $pids ]]; then
		kill $pids 2>/dev/null
		sleep 0.2
		pids=$(wqt_userspace_pids)
		[[ -z $pids ]] || kill -9 $pids 2>/dev/null
	fi
	WQT_NAMES=("${saved[@]}")
	rm -f "/var/run/wireguard/$name.sock"
	[[ -z $pids ]]
}

wqt_cleanup() {
	local ns pids name
	wait
	for ns in "${WQT_NETNS[@]}" $(ip netns list | sed -n "s/^\(wqt-$WQT_TAG-[^ ]*\).*/\1/p"); do
		ip netns del "$ns" 2>/dev/null
	done
	pids=$(wqt_userspace_pids)
	if [[ -n $pids ]]; then
		kill $pids 2>/dev/null
		sleep 0.3
		pids=$(wqt_userspace_pids)
		[[ -z $pids ]] || kill -9 $pids 2>/dev/null
	fi
	for name in "${WQT_NAMES[@]}"; do
		rm -f "/var/run/wireguard/$name.sock"
	done
	[[ -z $WQT_TMP ]] || rm -rf "$WQT_TMP"
}

# wqt_ifname SUFFIX -- an interface name unique to this run
wqt_ifname() {
	local n="wq$WQT_TAG$1"
	WQT_NAMES+=("$n")
	echo "$n"
}

# wqt_netns NAME -- a namespace with loopback and an underlay: u0 (192.0.2.2,
# 2001:db8:ffff::2) with default routes via .1 / ::1, and two routes with a
# smaller MTU (203.0.113.0/24: 1400, 198.51.100.0/24: 1300) towards the
# endpoints the tests use.  No IPv6 link-local addresses on the underlay.
wqt_netns() {
	local ns=$1
	ip netns add "$ns" || return 1
	WQT_NETNS+=("$ns")
	ip -n "$ns" link set lo up &&
	ip -n "$ns" link add u0 type veth peer name u1 &&
	ip -n "$ns" link set u0 addrgenmode none &&
	ip -n "$ns" link set u1 addrgenmode none &&
	ip -n "$ns" link set u0 address 02:00:00:00:00:01 &&
	ip -n "$ns" link set u1 address 02:00:00:00:00:02 &&
	ip -n "$ns" link set u1 up &&
	ip -n "$ns" link set u0 up &&
	ip -n "$ns" address add 192.0.2.2/24 dev u0 &&
	ip -n "$ns" address add 2001:db8:ffff::2/64 dev u0 nodad &&
	ip -n "$ns" route add default via 192.0.2.1 dev u0 &&
	ip -n "$ns" -6 route add default via 2001:db8:ffff::1 dev u0 &&
	ip -n "$ns" route add 203.0.113.0/24 via 192.0.2.1 dev u0 mtu 1400 &&
	ip -n "$ns" route add 198.51.100.0/24 via 192.0.2.1 dev u0 mtu 1300
}

wqt_netns_del() {
	local ns=$1 i
	ip netns del "$ns" 2>/dev/null
	for i in "${!WQT_NETNS[@]}"; do
		[[ ${WQT_NETNS[$i]} != "$ns" ]] || unset "WQT_NETNS[$i]"
	done
}

# wqt_state NS IFNAME [drop-listenport] -- a normalized snapshot of everything
# wg-quick may touch.  The interface name becomes IF, IPv6 link-local
# addresses fe80::LL.
wqt_state() {
	local ns=$1 ifn=$2 droplp=$3
	{
		echo "## links"
		ip -n "$ns" -o link show | sed -E 's/^[0-9]+: //; s/\\ +link\/.*//; s/@if[0-9]+/@ifN/'
		echo "## addresses"
		ip -n "$ns" -o address show | sed -E 's/^[0-9]+: //; s/\\ +valid_lft.*//'
		echo "## routes"
		ip -n "$ns" -4 route show table all
		ip -n "$ns" -6 route show table all
		echo "## rules"
		ip -n "$ns" -4 rule show
		ip -n "$ns" -6 rule show
		echo "## nft"
		# (iptables-nft rules carry counters that the tunnel's own traffic moves)
		ip netns exec "$ns" nft list ruleset | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'
		echo "## iptables"
		ip netns exec "$ns" iptables-save | grep -v '^#' | sed -E 's/ \[[0-9]+:[0-9]+\]$//'
		echo "## ip6tables"
		ip netns exec "$ns" ip6tables-save | grep -v '^#' | sed -E 's/ \[[0-9]+:[0-9]+\]$//'
		echo "## sysctl"
		ip netns exec "$ns" sysctl net.ipv4.conf.all.src_valid_mark net.ipv4.ip_forward \
			net.ipv6.conf.all.forwarding
		echo "## wg"
		if ip -n "$ns" link show dev "$ifn" >/dev/null 2>&1; then
			ip netns exec "$ns" "$WQT_INSPECT" showconf "$ifn" | wqt_sort_peers |
				if [[ $droplp == drop-listenport ]]; then grep -v '^ListenPort = '; else cat; fi
		fi
	} 2>&1 | wqt_normalize "$ifn"
}

# wqt_section NAME < state -- one "## NAME" section of a snapshot
wqt_section() {
	awk -v want="## $1" '/^## / { on = ($0 == want); next } on'
}

# [Peer] blocks in a stable order (a userspace implementation lists peers in
# hash order); blank lines between peers dropped.
wqt_sort_peers() {
	local line cur="" inpeer=0
	local -a head=() peers=()
	while IFS= read -r line; do
		if [[ $line == "[Peer]" ]]; then
			((inpeer == 0)) || peers+=("$cur")
			inpeer=1 cur="[Peer]"
		elif ((inpeer)); then
			[[ -z $line ]] || cur+=$'\x01'$line
		elif [[ -n $line ]]; then
			head+=("$line")
		fi
	done
	((inpeer == 0)) || peers+=("$cur")
	((${#head[@]} == 0)) || printf '%s\n' "${head[@]}"
	((${#peers[@]} == 0)) || printf '%s\n' "${peers[@]}" | LC_ALL=C sort | tr '\001' '\n'
}

wqt_normalize() {
	sed -E "s/$1/IF/g; s/fe80::[0-9a-f:]+/fe80::LL/g; s#/dev/fd/[0-9]+#/dev/fd/N#g"
}

# wqt_wgquick IMPL NS PATHKIND LOG ARGS... -- run wg-quick (IMPL: mine|ref)
# in NS with the fake resolvconf recording into $WQT_TMP/resolvconf-IMPL-NS.
# stdout+stderr go to LOG; returns wg-quick's status.
wqt_wgquick() {
	local impl=$1 ns=$2 pathkind=$3 log=$4 bin
	shift 4
	if [[ $impl == mine ]]; then bin=$WQT_MINE; else bin=$WQT_REF; fi
	ip netns exec "$ns" $WQT_WRAP env PATH="$(wqt_path "$pathkind")" \
		WQT_RESOLVCONF_DIR="$WQT_TMP/resolvconf-$ns" \
		timeout "${WQT_TIMEOUT:-120}" "$bin" "$@" >>"$log" 2>&1 </dev/null
}

# The commands a run printed ("[#] ..." and "[!] ..." lines), normalized.
wqt_commands() {
	grep -E '^\[[#!]\] ' "$1" | wqt_normalize "$2"
}

wqt_genkey() { "$WQT_INSPECT" genkey; }
wqt_pubkey() { "$WQT_INSPECT" pubkey <<<"$1"; }
