#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wg-quick against the oracle (Debian's wg-quick): each scenario runs both in
# fresh network namespaces of their own and compares what they leave behind
# after up, save and down -- the WireGuard configuration, links, addresses,
# routes of every table, rules, nftables/iptables rulesets, sysctls, the
# resolvconf calls and the saved files -- and the commands they print.
# Refusals (bad input, existing interface) must fail and change nothing.
# Prints TAP.  Needs root, ip netns, and either the wireguard kernel module or
# a userspace implementation (wireguard-go).

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/seed-configs.sh"

if [[ $EUID -ne 0 ]]; then echo "1..0 # SKIP needs root"; exit 0; fi
for t in ip nft iptables-save "$WQT_REF" "$WQT_INSPECT" "$WQT_WG"; do
	command -v "$t" >/dev/null || { echo "1..0 # SKIP $t not found"; exit 0; }
done
if ! ip netns add "wqt-probe-$WQT_TAG" 2>/dev/null; then
	echo "1..0 # SKIP cannot create network namespaces"; exit 0
fi
if ! ip -n "wqt-probe-$WQT_TAG" link add wqprobe type wireguard 2>/dev/null &&
	! command -v "${WG_QUICK_USERSPACE_IMPLEMENTATION:-wireguard-go}" >/dev/null; then
	ip netns del "wqt-probe-$WQT_TAG"
	echo "1..0 # SKIP neither the wireguard module nor a userspace implementation"; exit 0
fi
ip netns del "wqt-probe-$WQT_TAG"

umask 077
wqt_init
ONLY=${1:-}      # run only scenarios whose name matches this pattern

# ------------------------------------------------------------------ configs
# Each writer prints a configuration; $1 is the private key.

conf_hub() { seed_hub_conf "$1"; }

conf_hkg() {
	SEED_ENDPOINT[ec2]=203.0.113.10:51820
	seed_hkg_conf "$1"
}

conf_apac() {
	SEED_ENDPOINT[ec2]=203.0.113.10:51820
	SEED_ENDPOINT[hkg]=198.51.100.61:51820
	# the entrypoint's ${WG_IP}: here a bare address (a /32)
	seed_backend_conf nrt "$1" 10.50.4.1
}

conf_nonapac() {
	SEED_ENDPOINT[ec2]=203.0.113.10:51820
	seed_backend_conf gru "$1" 10.50.1.1/32
}

conf_client() {
	cat <<EOF
[Interface]
PrivateKey = $1
Address = 10.77.0.2/32, fd77::2/128
Address = 10.77.1.2/24
DNS = 10.77.0.53, fd77::53
DNS = corp.example, example.internal
MTU = 1380
SaveConfig = true
PreUp = true %i pre-up
PostUp = echo "%i is up"
PreDown = echo "%i going down"
PostDown = echo "%i is down"

[Peer]
PublicKey = ${SEED_PUB_DEFAULT[ec2]}
PresharedKey = $(wqt_genkey)
Endpoint = 203.0.113.10:51820
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25

[Peer]
PublicKey = ${SEED_PUB_DEFAULT[hkg]}
Endpoint = [2001:db8:5::1]:51820
AllowedIPs = 10.50.5.0/24, fd50:5::/64
EOF
}

conf_table_num() {
	cat <<EOF
[Interface]
PrivateKey = $1
ListenPort = 51999
FwMark = 0x1234
Address = 10.60.0.1/24
Table = 1234

[Peer]
PublicKey = ${SEED_PUB_DEFAULT[ec2]}
Endpoint = 203.0.113.9:51820
AllowedIPs = 0.0.0.0/0, 10.61.0.0/16, fd61::/48
EOF
}

conf_table_off() {
	cat <<EOF
[Interface]
PrivateKey = $1
Address = 10.60.0.1/24
Table = off

[Peer]
PublicKey = ${SEED_PUB_DEFAULT[ec2]}
AllowedIPs = 0.0.0.0/0, ::/0, 10.61.0.0/16
EOF
}

# full tunnel with a fwmark given in the file: its value is the table
conf_fwmark_v4() {
	cat <<EOF
[Interface]
PrivateKey = $1
Address = 10.62.0.2/32
FwMark = 4242
DNS = 10.62.0.53

[Peer]
PublicKey = ${SEED_PUB_DEFAULT[ec2]}
Endpoint = 192.0.2.77:51820
AllowedIPs = 0.0.0.0/0
EOF
}

# ------------------------------------------------------------------ scenarios
# Every case is collected first (in parallel, WQT_JOBS at a time, each in
# namespaces and with interface names of its own), then checked in order.

CASES=()
declare -A CASE_KIND CASE_ARGS CASE_IF

add_case() {
	local kind=$1 name=$2 impl
	shift 2
	[[ -z $ONLY || $name == $ONLY ]] || return 0
	[[ -z ${CASE_KIND[$name]} ]] || { echo "duplicate case name $name" >&2; exit 1; }
	CASES+=("$name")
	CASE_KIND[$name]=$kind
	CASE_ARGS[$name]=$(printf ' %q' "$@")
	for impl in mine ref; do
		CASE_IF[$name/$impl]=$(wqt_ifname "${#CASES[@]}${impl:0:1}")
		mkdir -p "$WQT_TMP/$name/$impl"
	done
}

# run_impl IMPL DIR IFN PATHKIND DROPLP DOSAVE -- up, [save], down in a fresh
# namespace; everything recorded under DIR.
run_impl() {
	local impl=$1 d=$2 ifn=$3 pathkind=$4 droplp=$5 dosave=$6 ns
	ns=wqt-$WQT_TAG-$ifn
	wqt_netns "$ns" || return 1
	wqt_state "$ns" "$ifn" "$droplp" >"$d/base.state"
	wqt_wgquick "$impl" "$ns" "$pathkind" "$d/up.log" up "$d/$ifn.conf"
	echo $? >"$d/up.rc"
	wqt_state "$ns" "$ifn" "$droplp" >"$d/up.state"
	if [[ $dosave == save ]]; then
		ip netns exec "$ns" "$WQT_INSPECT" set "$ifn" peer "$SAVE_PEER" \
			allowed-ips 10.50.6.1/32,fd50:6::1/128 persistent-keepalive 15
		wqt_wgquick "$impl" "$ns" "$pathkind" "$d/save.log" save "$d/$ifn.conf"
		echo $? >"$d/save.rc"
		cp "$d/$ifn.conf" "$d/saved.conf"
	fi
	wqt_wgquick "$impl" "$ns" "$pathkind" "$d/down.log" down "$d/$ifn.conf"
	echo $? >"$d/down.rc"
	wqt_state "$ns" "$ifn" "$droplp" >"$d/down.state"
	cp "$d/$ifn.conf" "$d/final.conf"
	if wqt_reap_userspace "$ifn"; then echo 0; else echo 1; fi >"$d/reaped.rc"
	cp "$WQT_TMP/resolvconf-$ns/log" "$d/resolvconf.log" 2>/dev/null || : >"$d/resolvconf.log"
	wqt_netns_del "$ns"
}

# normalized config file: interface name, peer order, ListenPort if random
norm_conf() {
	wqt_sort_peers <"$1" | wqt_normalize "$2" |
		if [[ $3 == drop-listenport ]]; then grep -v '^ListenPort = '; else cat; fi
}

# scenario NAME CONF_FN PATHKIND [save] -- up, [save,] down with both
scenario() { add_case scenario "$@"; }

collect_scenario() {
	local name=$1 conffn=$2 pathkind=$3 dosave=$4 droplp="" impl d priv conf
	priv=$(wqt_genkey)
	conf=$("$conffn" "$priv")
	printf '%s\n' "$conf" >"$WQT_TMP/$name/conf"
	grep -qi '^ListenPort' <<<"$conf" || droplp=drop-listenport
	echo "$droplp" >"$WQT_TMP/$name/droplp"
	for impl in mine ref; do
		d=$WQT_TMP/$name/$impl
		printf '%s\n' "$conf" >"$d/${CASE_IF[$name/$impl]}.conf"
		run_impl "$impl" "$d" "${CASE_IF[$name/$impl]}" "$pathkind" "$droplp" "$dosave" &
	done
	wait
}

check_scenario() {
	local name=$1 conffn=$2 pathkind=$3 dosave=$4 droplp conf
	local m=$WQT_TMP/$name/mine r=$WQT_TMP/$name/ref
	local mi=${CASE_IF[$name/mine]} ri=${CASE_IF[$name/ref]}
	conf=$(<"$WQT_TMP/$name/conf")
	droplp=$(<"$WQT_TMP/$name/droplp")

	if [[ $(<"$m/up.rc") == 0 && $(<"$r/up.rc") == 0 ]]; then
		tap_ok "$name: up succeeds"
	else
		tap_not_ok "$name: up succeeds (mine $(<"$m/up.rc"), upstream $(<"$r/up.rc"))" \
			"$(tail -n 15 "$m/up.log")"
	fi
	wqt_commands "$m/up.log" "$mi" >"$m/up.cmds"
	wqt_commands "$r/up.log" "$ri" >"$r/up.cmds"
	tap_same "$name: up runs the same commands as upstream" "$r/up.cmds" "$m/up.cmds"
	tap_same "$name: state after up equals upstream's" "$r/up.state" "$m/up.state"
	if [[ $dosave == save ]]; then
		if [[ $(<"$m/save.rc") == 0 && $(<"$r/save.rc") == 0 ]]; then
			tap_ok "$name: save succeeds"
		else
			tap_not_ok "$name: save succeeds" "$(tail -n 15 "$m/save.log")"
		fi
		# Upstream drops DNS search domains on save; we keep them.
		norm_conf "$r/saved.conf" "$ri" "$droplp" >"$r/saved.norm"
		norm_conf "$m/saved.conf" "$mi" "$droplp" >"$m/saved.all"
		grep -Ev '^DNS = [A-Za-z_][A-Za-z0-9_.-]*$' "$m/saved.all" >"$m/saved.norm"
		tap_same "$name: saved file equals upstream's (search domains aside)" \
			"$r/saved.norm" "$m/saved.norm"
		if grep -qi '^DNS' <<<"$conf"; then
			sed -n 's/^DNS = //p' <<<"$conf" | tr ',' ' ' | xargs -n1 | sed 's/^/DNS = /' >"$m/dns.want"
			grep '^DNS = ' "$m/saved.all" >"$m/dns.got"
			tap_same "$name: saved file keeps every DNS server and search domain" \
				"$m/dns.want" "$m/dns.got"
		fi
	fi
	if [[ $(<"$m/down.rc") == 0 && $(<"$r/down.rc") == 0 ]]; then
		tap_ok "$name: down succeeds"
	else
		tap_not_ok "$name: down succeeds (mine $(<"$m/down.rc"), upstream $(<"$r/down.rc"))" \
			"$(tail -n 15 "$m/down.log")"
	fi
	wqt_commands "$m/down.log" "$mi" >"$m/down.cmds"
	wqt_commands "$r/down.log" "$ri" >"$r/down.cmds"
	tap_same "$name: down runs the same commands as upstream" "$r/down.cmds" "$m/down.cmds"
	tap_same "$name: state after down equals upstream's" "$r/down.state" "$m/down.state"
	local sec bad=()
	for sec in links addresses routes rules; do
		cmp -s <(wqt_section "$sec" <"$m/base.state") <(wqt_section "$sec" <"$m/down.state") ||
			bad+=("$sec differ from before up:" "$(diff <(wqt_section "$sec" <"$m/base.state") \
				<(wqt_section "$sec" <"$m/down.state"))")
	done
	if grep -q 'wg-quick' "$m/down.state"; then
		bad+=("firewall leftovers:" "$(grep 'wg-quick' "$m/down.state")")
	fi
	if [[ $(<"$m/reaped.rc") != 0 ]]; then bad+=("wireguard-go still running"); fi
	if ((${#bad[@]} == 0)); then
		tap_ok "$name: down leaves nothing behind"
	else
		tap_not_ok "$name: down leaves nothing behind" "${bad[@]}"
	fi
	wqt_normalize "$mi" <"$m/resolvconf.log" >"$m/resolvconf.norm"
	wqt_normalize "$ri" <"$r/resolvconf.log" >"$r/resolvconf.norm"
	tap_same "$name: resolvconf calls equal upstream's" "$r/resolvconf.norm" "$m/resolvconf.norm"
	if grep -qi '^SaveConfig *= *true' <<<"$conf"; then
		norm_conf "$r/final.conf" "$ri" "$droplp" >"$r/final.norm"
		norm_conf "$m/final.conf" "$mi" "$droplp" | grep -Ev '^DNS = [A-Za-z_][A-Za-z0-9_.-]*$' >"$m/final.norm"
		tap_same "$name: file saved by down (SaveConfig) equals upstream's" \
			"$r/final.norm" "$m/final.norm"
	fi
}

# strip NAME CONF_FN -- strip prints the same as upstream's
strip_same() { add_case strip "$@"; }

collect_strip() {
	local name=$1 conffn=$2 d=$WQT_TMP/$1 f
	f=$d/${CASE_IF[$name/mine]}.conf
	"$conffn" "$(wqt_genkey)" >"$f"
	"$WQT_MINE" strip "$f" >"$d/mine/strip" 2>&1
	"$WQT_REF" strip "$f" >"$d/ref/strip" 2>&1
}

check_strip() {
	tap_same "$1: strip prints the same as upstream" "$WQT_TMP/$1/ref/strip" "$WQT_TMP/$1/mine/strip"
}

# refusal NAME CONF_FN MESSAGE_REGEX [PREP] -- both implementations must fail
# and leave the namespace as it was; ours must say MESSAGE_REGEX and, for
# input errors, fail before running any command.  PREP:
#   exists   the interface name is taken (by a veth)
#   dir      the config path is a directory (upstream accepts it and brings
#            up an empty interface: only ours is checked)
#   missing  no such file
#   noread   root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, file mode 000
#   runtime  the failure comes after changes were made (both must undo them;
#            src_valid_mark, never reset by upstream either, aside)
#   ours-only  upstream's behaviour differs by implementation and is not
#            compared (MTU 70000: the kernel module takes it, a TUN device
#            does not; ours refuses an MTU no UDP datagram could carry)
refusal() { add_case refusal "$@"; }

collect_refusal() {
	local name=$1 conffn=$2 want=$3 prep=$4 impl priv
	priv=$(wqt_genkey)
	for impl in mine ref; do
		refusal_impl "$impl" "$name" "$conffn" "$prep" "$priv" &
	done
	wait
}

refusal_impl() {
	local impl=$1 name=$2 conffn=$3 prep=$4 priv=$5 d ns ifn f
	local -a wrap
	d=$WQT_TMP/$name/$impl
	ifn=${CASE_IF[$name/$impl]}
	f=$d/$ifn.conf
	{
		wrap=()
		case $prep in
		dir) mkdir "$f" ;;
		missing) ;;
		noread)
			"$conffn" "$priv" >"$f"
			chmod 000 "$f"
			wrap=(setpriv --bounding-set -dac_override,-dac_read_search --) ;;
		*) "$conffn" "$priv" >"$f" ;;
		esac
		ns=wqt-$WQT_TAG-$ifn
		wqt_netns "$ns"
		[[ $prep != exists ]] || ip -n "$ns" link add "$ifn" type veth peer name "${ifn}p"
		wqt_state "$ns" "$ifn" >"$d/base.state"
		WQT_WRAP="${wrap[*]}" wqt_wgquick "$impl" "$ns" nft "$d/up.log" up "$f"
		echo $? >"$d/up.rc"
		wqt_state "$ns" "$ifn" >"$d/after.state"
		if [[ $prep == runtime ]]; then
			sed -i 's/^net.ipv4.conf.all.src_valid_mark = 1$/net.ipv4.conf.all.src_valid_mark = 0/' "$d/after.state"
		fi
		[[ $prep == exists ]] || wqt_reap_userspace "$ifn" || echo "wireguard-go lingered" >>"$d/after.state"
		wqt_netns_del "$ns"
	}
}

check_refusal() {
	local name=$1 conffn=$2 want=$3 prep=$4 MINE_IF=${CASE_IF[$1/mine]}
	local m=$WQT_TMP/$name/mine r=$WQT_TMP/$name/ref
	local -A rcs=([mine]=$(<"$m/up.rc") [ref]=$(<"$r/up.rc"))
	if [[ $prep == dir || $prep == ours-only ]]; then
		if [[ ${rcs[mine]} != 0 ]]; then
			tap_ok "$name: refused (upstream: status ${rcs[ref]})"
		else
			tap_not_ok "$name: refused" "$(cat "$m/up.log")"
		fi
	elif [[ ${rcs[mine]} != 0 && ${rcs[ref]} != 0 ]]; then
		tap_ok "$name: refused (upstream refuses too)"
	else
		tap_not_ok "$name: refused (mine: ${rcs[mine]}, upstream: ${rcs[ref]})" "$(cat "$m/up.log")"
	fi
	if grep -Eq -- "$want" "$m/up.log"; then
		tap_ok "$name: message: $(grep -E -- "$want" "$m/up.log" | head -n1 | wqt_normalize "$MINE_IF" | sed "s|$WQT_TMP/||")"
	else
		tap_not_ok "$name: message matches /$want/" "$(cat "$m/up.log")"
	fi
	tap_same "$name: nothing changed (ours)" "$m/base.state" "$m/after.state"
	if [[ $prep != dir && $prep != ours-only ]]; then
		tap_same "$name: nothing changed (upstream)" "$r/base.state" "$r/after.state"
	fi
	if [[ $prep == runtime ]]; then
		:
	elif grep -q '^\[#\]' "$m/up.log"; then
		tap_not_ok "$name: rejected before running any command" "$(grep '^\[#\]' "$m/up.log")"
	else
		tap_ok "$name: rejected before running any command"
	fi
}

bad_pubkey() {
	conf_nonapac "$1" | sed 's|^PublicKey = .*|PublicKey = notakey/abc=|'
}
bad_privkey() {
	conf_nonapac "$1" | sed 's|^PrivateKey = .*|PrivateKey = c2VjcmV0c2VjcmV0c2VjcmV0|'
}
unknown_key() {
	conf_nonapac "$1" | sed 's|^Address = .*|&\nMTUU = 1400|'
}
unknown_peer_key() {
	conf_nonapac "$1" | sed 's|^PersistentKeepalive = .*|&\nKeepalive = 5|'
}
bad_address() {
	conf_nonapac "$1" | sed 's|^Address = .*|Address = 10.50.1.1/32, 10.50.300.1/24|'
}
bad_mtu() {
	conf_nonapac "$1" | sed 's|^Address = .*|&\nMTU = 14x0|'
}
big_mtu() {
	conf_nonapac "$1" | sed 's|^Address = .*|&\nMTU = 70000|'
}
bad_table() {
	conf_nonapac "$1" | sed 's|^Address = .*|&\nTable = nosuchtable|'
}
bad_endpoint() {
	conf_nonapac "$1" | sed 's|^Endpoint = .*|Endpoint = 203.0.113.10|'
}
bad_allowed() {
	conf_nonapac "$1" | sed 's|^AllowedIPs = .*|AllowedIPs = 10.50.0.0/33|'
}
failing_hook() {
	conf_client "$1" | sed 's|^PostUp = .*|PostUp = false|'
}

# ------------------------------------------------------------------ main

SAVE_PEER=$(wqt_pubkey "$(wqt_genkey)")

scenario hub conf_hub nft
scenario hkg conf_hkg nft save
scenario apac conf_apac nft save
scenario nonapac conf_nonapac nft
scenario client conf_client nft save
scenario client-iptables conf_client nonft save
scenario fwmark conf_fwmark_v4 nonft
scenario table-number conf_table_num nft save
scenario table-off conf_table_off nft

strip_same strip-hub conf_hub
strip_same strip-client conf_client

refusal exists conf_nonapac "already exists" exists
refusal bad-pubkey bad_pubkey "conf:[0-9]+: PublicKey \`notakey/abc=' is not a valid key"
refusal bad-privkey bad_privkey "conf:2: PrivateKey is not a valid key"
refusal unknown-key unknown_key "conf:4: unknown key \`MTUU'"
refusal unknown-peer-key unknown_peer_key "conf:[0-9]+: unknown key \`Keepalive'"
refusal unreadable conf_nonapac "is a directory" dir
refusal missing conf_nonapac "does not exist" missing
refusal noread conf_nonapac "cannot read|not readable" noread
refusal bad-address bad_address "conf:3: Address \`10.50.300.1/24'"
refusal bad-mtu bad_mtu "conf:4: MTU \`14x0'"
refusal big-mtu big_mtu "conf:4: MTU \`70000'" ours-only
refusal bad-table bad_table "conf:4: Table \`nosuchtable'"
refusal bad-endpoint bad_endpoint "conf:[0-9]+: Endpoint \`203.0.113.10'"
refusal bad-allowedips bad_allowed "conf:[0-9]+: AllowedIPs entry \`10.50.0.0/33'"

# A failure half-way (PostUp) after DNS, routes, rules and firewall are in
# place: both undo everything.
refusal failing-hook failing_hook "undoing" runtime

for name in "${CASES[@]}"; do
	while (($(jobs -rp | wc -l) >= ${WQT_JOBS:-4})); do wait -n; done
	eval "collect_${CASE_KIND[$name]} \"\$name\" ${CASE_ARGS[$name]}" &
done
wait
for name in "${CASES[@]}"; do
	eval "check_${CASE_KIND[$name]} \"\$name\" ${CASE_ARGS[$name]}"
done
tap_done
