#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netlink-bad.sh [IMPL...] [explore]: bad WG_CMD_SET_DEVICE / GET_DEVICE
# input crafted with the raw client (build/netlink/wgnl, built on the host
# from selftests/netlink), against each implementation (default: debian
# then ours).  Every case starts from the same baseline configuration and
# checks the answer (errno), the extended ack, and the configuration after.
#
# Expectations, per case:
#  - Debian's module is the oracle for the errno wherever upstream defines
#    an error; ours must answer the same errno.  Where upstream answers
#    ERANGE (a key or sockaddr of the wrong size fails its exact/min-length
#    policy) or EOPNOTSUPP (unknown flag bits), ours may answer that or
#    EINVAL, the issue's "invalid attribute => -EINVAL" rule.
#  - Ours must be STRICTER than upstream where issue 4 says "bad input is
#    refused whole".  Expected differences, each asserted on both sides:
#      * upstream applies a message up to the first bad peer/allowed IP and
#        then fails (half-applied: earlier peers created, REPLACE_PEERS
#        already flushed, private key already changed, REPLACE_ALLOWEDIPS
#        already cleared); ours must leave the configuration untouched.
#      * upstream silently ignores a malformed WGPEER_A_ENDPOINT (wrong
#        length or family) and answers OK; ours must refuse it with EINVAL.
#      * upstream parses nested peers/allowed IPs without an extack, so its
#        errors there carry no message; ours must name the problem.
#  - Ours: every error carries an extack message (NLMSGERR_ATTR_MSG) that
#    names the problem: it matches a per-case pattern, or the extack offset
#    points at the offending attribute (policy failures).
#
# "explore" prints the raw answers instead of TAP (to learn upstream's).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/lifetime.sh"

impl_args "debian ours" explore -- "$@"

WGNL=$WG_REPO/build/netlink/wgnl
D=/tmp/nlbad
mkdir -p $D
cd $D || exit 1
umask 077

wg genkey > priv
wg genkey > priv2
wg pubkey < priv2 > pub2
for i in 1 2 3; do wg genkey | wg pubkey > peer$i; done
P1=$(cat peer1) P2=$(cat peer2) P3=$(cat peer3)
PRIV2=$(cat priv2)
K31=hex:$(printf '11%.0s' $(seq 31))
K33=hex:$(printf '11%.0s' $(seq 33))
cat > base.conf <<EOF
[Interface]
PrivateKey = $(cat priv)
ListenPort = 51820
FwMark = 0x77

[Peer]
PublicKey = $P1
Endpoint = 192.0.2.1:51820
AllowedIPs = 10.1.0.0/16, fd01::/64
PersistentKeepalive = 5
EOF

state() { wg show wg0 dump; }

# bad NAME DEBIAN OURS TOPIC -- TOKENS...
#   DEBIAN: the answer of Debian's module, "OK" or an errno name, followed by
#           "/same" or "/changed" (its configuration afterwards).
#   OURS:   an extended regex the errno name must match, or OK ("/same" is
#           implied for errors, and ours is checked for OK/same too).
#   TOPIC:  extended regex (case-insensitive) the extack message of ours
#           must match, or "attr=N" (the offset must point at type N, or the
#           message must match the regex after the colon: attr=N:REGEX).
declare -a CASES
bad() { CASES+=("$(printf '%q ' "$@")"); }

# ---- device selection ------------------------------------------------------
bad "no ifindex nor ifname" EBADR/same 'EBADR' 'ifindex|ifname|device|interface' -- \
	port 1
bad "both ifindex and ifname" EBADR/same 'EBADR' 'ifindex|ifname|device|interface' -- \
	ifname wg0 ifindex IFINDEX port 1
bad "unknown device name" ENODEV/same 'ENODEV' 'device|interface|ifname' -- \
	ifname nosuchdev port 1
bad "not a wireguard device (by name)" EOPNOTSUPP/same 'EOPNOTSUPP' 'wireguard|device|interface' -- \
	ifname dummy0 port 1
bad "not a wireguard device (by index)" EOPNOTSUPP/same 'EOPNOTSUPP' 'wireguard|device|interface' -- \
	ifindex DUMMYINDEX port 1
bad "interface name longer than IFNAMSIZ" EINVAL/same 'EINVAL' 'attr=2:ifname|name' -- \
	ifname wg0-with-a-very-long-name port 1
# ---- device attributes -----------------------------------------------------
bad "private key of 31 bytes" ERANGE/same 'ERANGE|EINVAL' 'attr=3:private|key' -- \
	ifname wg0 privkey "$K31"
bad "private key of 33 bytes" ERANGE/same 'ERANGE|EINVAL' 'attr=3:private|key' -- \
	ifname wg0 privkey "$K33"
bad "listen port of 1 byte" EINVAL/same 'EINVAL' 'attr=6:port' -- \
	ifname wg0 hex 6 01
bad "fwmark of 2 bytes" EINVAL/same 'EINVAL' 'attr=7:fwmark|mark' -- \
	ifname wg0 hex 7 0100
bad "unknown device flag bit" EOPNOTSUPP/same 'EOPNOTSUPP|EINVAL' 'attr=5:flag' -- \
	ifname wg0 flags 0x2
bad "unknown device attribute type" EINVAL/same 'EINVAL' 'attr=20:attribute|unknown|type' -- \
	ifname wg0 u32 20 1
bad "peers not a nest" EINVAL/same 'EINVAL' 'attr=8:peer|nest' -- \
	ifname wg0 u32 8 1
# ---- peers -----------------------------------------------------------------
bad "peer without a public key" EINVAL/same 'EINVAL' 'public|key' -- \
	ifname wg0 peers { peer { keepalive 3 } }
bad "peer public key of 31 bytes" ERANGE/same 'ERANGE|EINVAL' 'attr=1:public|key' -- \
	ifname wg0 peers { peer { pubkey "$K31" } }
bad "peer public key of 33 bytes" ERANGE/same 'ERANGE|EINVAL' 'attr=1:public|key' -- \
	ifname wg0 peers { peer { pubkey "$K33" } }
bad "pre-shared key of 31 bytes" ERANGE/same 'ERANGE|EINVAL' 'attr=2:preshared|pre-shared|psk|key' -- \
	ifname wg0 peers { peer { pubkey "$P2" psk "$K31" } }
bad "pre-shared key of 33 bytes" ERANGE/same 'ERANGE|EINVAL' 'attr=2:preshared|pre-shared|psk|key' -- \
	ifname wg0 peers { peer { pubkey "$P2" psk "$K33" } }
bad "unknown peer flag bit" EOPNOTSUPP/same 'EOPNOTSUPP|EINVAL' 'attr=3:flag' -- \
	ifname wg0 peers { peer { pubkey "$P2" flags 0x8 } }
bad "unknown protocol version" EPFNOSUPPORT/same 'EPFNOSUPPORT' 'protocol|version' -- \
	ifname wg0 peers { peer { pubkey "$P2" u32 10 2 } }
bad "keepalive of 4 bytes" EINVAL/same 'EINVAL' 'attr=5:keepalive' -- \
	ifname wg0 peers { peer { pubkey "$P2" u32 5 25 } }
bad "unknown peer attribute type" EINVAL/same 'EINVAL' 'attr=15:attribute|unknown|type' -- \
	ifname wg0 peers { peer { pubkey "$P2" u32 15 1 } }
# Endpoints: upstream ignores a malformed sockaddr and answers OK.
bad "endpoint: sockaddr_in cut short" ERANGE/same 'ERANGE|EINVAL' 'endpoint|sockaddr|address' -- \
	ifname wg0 peers { peer { pubkey "$P1" hex 4 0200ca6c0a000001 } }
bad "endpoint: AF_INET6 family in a sockaddr_in" OK/same 'EINVAL' 'endpoint|sockaddr|address|family' -- \
	ifname wg0 peers { peer { pubkey "$P1" hex 4 0a00ca6c0a0000010000000000000000 } }
bad "endpoint: unknown family 99" OK/same 'EINVAL' 'endpoint|sockaddr|address|family' -- \
	ifname wg0 peers { peer { pubkey "$P1" hex 4 6300ca6c0a0000010000000000000000 } }
bad "endpoint: AF_INET family in a 28-byte sockaddr" OK/same 'EINVAL' 'endpoint|sockaddr|address|family' -- \
	ifname wg0 peers { peer { pubkey "$P1" hex 4 0200ca6c00000000200100000000000000000000000000010000000000 } }
# ---- allowed IPs -----------------------------------------------------------
bad "allowed IP without a family" EINVAL/same 'EINVAL' 'family' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { ipaddr 10.2.0.0 cidr 16 } } } }
bad "allowed IP without an address" EINVAL/same 'EINVAL' 'address|ipaddr' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { family inet cidr 16 } } } }
bad "allowed IP without a mask" EINVAL/same 'EINVAL' 'cidr|mask' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { family inet ipaddr 10.2.0.0 } } } }
bad "allowed IP of unknown family 99" EINVAL/same 'EINVAL' 'family' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { family 99 ipaddr 10.2.0.0 cidr 16 } } } }
bad "AF_INET with a 16-byte address" EINVAL/same 'EINVAL' 'address|ipaddr|length|family' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { family inet ipaddr fd02:: cidr 16 } } } }
bad "AF_INET6 with a 4-byte address" EINVAL/same 'EINVAL' 'address|ipaddr|length|family' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { family inet6 ipaddr 10.2.0.0 cidr 16 } } } }
bad "IPv4 CIDR 33" EINVAL/same 'EINVAL' 'cidr|mask|prefix' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { family inet ipaddr 10.2.0.0 cidr 33 } } } }
bad "IPv6 CIDR 129" EINVAL/same 'EINVAL' 'cidr|mask|prefix' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { family inet6 ipaddr fd02:: cidr 129 } } } }
bad "family attribute of 4 bytes" EINVAL/same 'EINVAL' 'attr=1:family' -- \
	ifname wg0 peers { peer { pubkey "$P1" aips { aip { u32 1 2 ipaddr 10.2.0.0 cidr 16 } } } }
# ---- UPDATE_ONLY -----------------------------------------------------------
bad "UPDATE_ONLY on an unknown peer: OK, nothing created" OK/same 'OK' '' -- \
	ifname wg0 peers { peer { pubkey "$P2" flags 4 keepalive 9 aips { aip { family inet ipaddr 10.2.0.0 cidr 16 } } } }
bad "UPDATE_ONLY on a known peer updates it" OK/changed 'OK' '' -- \
	ifname wg0 peers { peer { pubkey "$P1" flags 4 keepalive 9 } }
bad "REMOVE_ME on an unknown peer: OK, nothing changes" OK/same 'OK' '' -- \
	ifname wg0 peers { peer { pubkey "$P3" flags 1 } }
# ---- refused whole (upstream half-applies) ---------------------------------
bad "valid new peer, then a peer without a key" EINVAL/changed 'EINVAL' 'public|key' -- \
	ifname wg0 peers { peer { pubkey "$P2" keepalive 3 } peer { keepalive 4 } }
bad "valid new peer, then a bad allowed IP" EINVAL/changed 'EINVAL' 'cidr|mask|prefix' -- \
	ifname wg0 peers { peer { pubkey "$P2" } peer { pubkey "$P3" aips { aip { family inet ipaddr 10.3.0.0 cidr 40 } } } }
bad "new peer whose second allowed IP is bad" EINVAL/changed 'EINVAL' 'cidr|mask|prefix' -- \
	ifname wg0 peers { peer { pubkey "$P2" aips { aip { family inet ipaddr 10.2.0.0 cidr 16 } aip { family inet ipaddr 10.3.0.0 cidr 33 } } } }
bad "REPLACE_ALLOWEDIPS then a bad allowed IP" EINVAL/changed 'EINVAL' 'family' -- \
	ifname wg0 peers { peer { pubkey "$P1" flags 2 aips { aip { family 99 ipaddr 10.2.0.0 cidr 16 } } } }
bad "REPLACE_PEERS then a bad peer" ERANGE/changed 'ERANGE|EINVAL' 'public|key' -- \
	ifname wg0 flags 1 peers { peer { pubkey "$K31" } }
bad "new private key, port and fwmark, then a bad peer" ERANGE/changed 'ERANGE|EINVAL' 'public|key' -- \
	ifname wg0 privkey "$PRIV2" port 51999 fwmark 9 peers { peer { pubkey "$K33" } }
bad "peer removal, then a bad peer" EINVAL/changed 'EINVAL' 'family' -- \
	ifname wg0 peers { peer { pubkey "$P1" flags 1 } peer { pubkey "$P2" aips { aip { family 7 ipaddr 10.2.0.0 cidr 8 } } } }
bad "endpoint change, then a bad allowed IP" EINVAL/changed 'EINVAL' 'address|ipaddr|length|family' -- \
	ifname wg0 peers { peer { pubkey "$P1" endpoint 198.51.100.9:9 aips { aip { family inet6 ipaddr 10.2.0.0 cidr 8 } } } }

ifindex_of() { cat "/sys/class/net/$1/ifindex"; }

run_case() { # IMPL CASE...
	local impl=$1 name deb ours topic out want_state before after ok=1 why= errno
	shift
	name=$1 deb=$2 ours=$3 topic=$4
	shift 5
	local toks=() t
	for t in "$@"; do
		case "$t" in
		IFINDEX) toks+=("$(ifindex_of wg0)") ;;
		DUMMYINDEX) toks+=("$(ifindex_of dummy0)") ;;
		*) toks+=("$t") ;;
		esac
	done
	wg setconf wg0 base.conf
	before=$(state)
	out=$($WGNL set "${toks[@]}" 2>&1)
	after=$(state)
	if [ $explore = 1 ]; then
		printf '%-55s %s %s\n' "$name" "$out" "$([ "$before" = "$after" ] && echo same || echo changed)"
		return
	fi
	errno=OK
	[[ $out =~ ^ERR\ ([A-Z0-9]+)\  ]] && errno=${BASH_REMATCH[1]}
	[[ $out =~ ^(OK|ERR) ]] || { errno="?"; }
	if [ "$impl" = debian ]; then
		t_is "[$impl] $name: answer" "$errno/$([ "$before" = "$after" ] && echo same || echo changed)" "$deb"
		return
	fi
	# Ours.
	if [ "$ours" = OK ]; then
		want_state=${deb#*/}
		t_is "[$impl] $name: answer" "$errno/$([ "$before" = "$after" ] && echo same || echo changed)" "OK/$want_state"
		return
	fi
	if ! [[ $errno =~ ^($ours)$ ]]; then
		ok=0 why="errno $errno, want $ours ($out)"
	elif [ "$before" != "$after" ]; then
		ok=0 why="configuration changed: $(diff <(echo "$before") <(echo "$after") | tr '\n\t' '  ')"
	else
		local msg off_attr= re=$topic
		msg=$(sed -n 's/^ERR [^ ]* [0-9]* msg="\(.*\)" off=.*$/\1/p' <<< "$out")
		[[ $out =~ attr=([0-9]+)$ ]] && off_attr=${BASH_REMATCH[1]}
		if [[ $topic =~ ^attr=([0-9]+):?(.*)$ ]]; then
			re=${BASH_REMATCH[2]}
			if [ -n "$msg" ] && [ "$off_attr" = "${BASH_REMATCH[1]}" ]; then
				re=.
			fi
		fi
		if [ -z "$msg" ]; then
			ok=0 why="no extack message ($out)"
		elif ! grep -Eiq -- "$re" <<< "$msg"; then
			ok=0 why="extack '$msg' does not name the problem (/$re/)"
		fi
	fi
	if [ $ok = 1 ]; then
		t_ok "[$impl] $name: $errno, extack, unchanged" true
	else
		t_ok "[$impl] $name: $why" false
	fi
}

get_cases() { # IMPL
	local impl=$1 out before
	wg setconf wg0 base.conf
	before=$(state)
	out=$($WGNL get ifname wg0)
	t_ok "[$impl] GET dump of wg0 works ($out)" grep -q '^OK msgs=[1-9]' <<< "$out"
	out=$($WGNL get)
	t_ok "[$impl] GET without ifindex/ifname: EBADR ($out)" grep -q '^ERR EBADR' <<< "$out"
	out=$($WGNL get ifname nosuchdev)
	t_ok "[$impl] GET of an unknown device: ENODEV ($out)" grep -q '^ERR ENODEV' <<< "$out"
	out=$($WGNL get ifname dummy0)
	t_ok "[$impl] GET of a non-wireguard device: EOPNOTSUPP ($out)" grep -q '^ERR EOPNOTSUPP' <<< "$out"
	out=$($WGNL getdo ifname wg0)
	t_ok "[$impl] GET without NLM_F_DUMP is refused ($out)" grep -q '^ERR EOPNOTSUPP' <<< "$out"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups $WGNL set ifname wg0 port 1 2>&1)
	t_ok "[$impl] SET without CAP_NET_ADMIN: EPERM ($out)" grep -q '^ERR EPERM' <<< "$out"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups $WGNL get ifname wg0 2>&1)
	t_ok "[$impl] GET without CAP_NET_ADMIN: EPERM ($out)" grep -q '^ERR EPERM' <<< "$out"
	# CAP_NET_ADMIN over a user namespace that does not own the device's
	# network namespace is not enough.
	out=$(unshare --user --map-root-user $WGNL set ifname wg0 port 1 2>&1)
	t_ok "[$impl] SET from a foreign user namespace: EPERM ($out)" grep -q '^ERR EPERM' <<< "$out"
	t_is "[$impl] the refused requests changed nothing" "$(state)" "$before"
}

for impl in "${impls[@]}"; do
	if ! use_impl "$impl" "$variant"; then
		t_ok "load $impl module" false
		continue
	fi
	dmesg_mark
	ip link add dummy0 type dummy
	ip link add wg0 type wireguard
	for c in "${CASES[@]}"; do
		eval "run_case $impl $c"
	done
	[ $explore = 1 ] || get_cases "$impl"
	ip link del wg0
	ip link del dummy0
	if [ "$WG_DYNDBG" = 1 ]; then
		t_ok "[$impl] every peer created was destroyed ($(lifetime_counts))" lifetime_ok
	fi
	impl_unload
done
[ $explore = 1 ] && exit 0
t_done
