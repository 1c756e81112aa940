#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [ours|debian] [release|debug] -- the edgeProxy WireGuard overlay of
# ../shared/seeds/edgeproxy-wireguard-overlay.md, inside the VM (run with
# --no-module; `make demo` drives it through selftests/demo/demo.sh).
#
# Twelve network namespaces (EC2 Ireland hub, HKG POP, ten backends) on one
# bridge ("internet") with netem delays; the seed's keys loop; each node's
# /etc/wireguard/wg0.conf written in the seed's shape; brought up with the
# project's wg-quick and wg on the chosen module (default: this tree's,
# release build).  First the legacy hub-and-spoke, then the full mesh: the
# latency table, which paths the configs allow and which cryptokey routing
# blocks (and proof that those packets are dropped), `wg show` on HKG.
# Then wg-mesh: check's findings on the seed's configs against the pings,
# the overlay generated from the inventory that mirrors the seed (every
# pair pinging, the latency table), and HKG's key rotated under a ping.
# Prints TAP; everything for humans is a "# " comment.
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
for f in model topology configs checks reach dropproof meshgen; do
	. "$WG_REPO/selftests/demo/$f.sh"
done
. "$WG_REPO/selftests/wg-quick/seed-configs.sh"

impl=ours variant=release
for a in "$@"; do
	case $a in
	ours|debian) impl=$a ;;
	release|debug) variant=$a ;;
	*) echo "demo.sh: unknown argument $a" >&2; exit 2 ;;
	esac
done

DEMO_KEYS=/root/edgeproxy/wireguard
DEMO_LOG=/tmp/demo
mkdir -p "$DEMO_LOG"
STEP=0 NSTEPS=17 T0=$SECONDS
step() {
	STEP=$((STEP + 1))
	printf '# \n# [%2d/%d +%3ds] %s\n' "$STEP" "$NSTEPS" $((SECONDS - T0)) "$*"
}
abort() { say "demo aborted: $*"; demo_world_cleanup; t_done; }
trap demo_world_cleanup EXIT

# ---------------------------------------------------------------------------
step "Loading the WireGuard module ($impl) and the project's tools"
[[ $impl == ours ]] && label="this tree's $variant build" || label="Debian's wireguard.ko"
if use_impl "$impl" "$variant"; then
	t_ok "module loaded: $label ($(cat /sys/module/wireguard/version 2>/dev/null))" true
else
	t_ok "module loaded: $label" false
	abort "no module"
fi
[[ $impl == debian ]] || t_ok "the loaded module is this tree's (out-of-tree taint)" impl_is_ours
mkdir -p /tmp/demo-bin /etc/wireguard /etc/netns
ln -sf "$WG_REPO/tools/wg/wg" /tmp/demo-bin/wg
ln -sf "$WG_REPO/tools/wg-quick/wg-quick" /tmp/demo-bin/wg-quick
ln -sf "$WG_REPO/tools/wg-mesh/wg-mesh" /tmp/demo-bin/wg-mesh
export PATH=/tmp/demo-bin:$PATH
t_ok "wg and wg-quick are the project's ($(command -v wg), $(command -v wg-quick))" \
	test "$(readlink -f "$(command -v wg)")" = "$WG_REPO/tools/wg/wg"

# ---------------------------------------------------------------------------
step "Building the internet: bridge br0 in namespace 'internet', ${#DEMO_NODES[@]} nodes, netem delays"
t_ok "12 node namespaces on one bridge" demo_world || abort "no world"
t_ok "netem delays per node pair (selftests/demo/model.sh)" demo_netem || abort "no netem"
for n in "${DEMO_NODES[@]}"; do
	printf '#   %-4s %-14s eth0 %s\n' "${n^^}" "${SEED_NAME[$n]}" "${DEMO_PUBLIC[$n]}"
done
t_ok "underlay: HKG pings EC2 at ${DEMO_PUBLIC[ec2]}" in_ns hkg ping -n -q -c 1 -W 3 "${DEMO_PUBLIC[ec2]}"

# ---------------------------------------------------------------------------
step "Generating keys (the seed's loop: wg genkey | wg pubkey)"
demo_keys "$DEMO_KEYS" | sed 's/^/#   /'
t_ok "12 key pairs in $DEMO_KEYS" test "$(ls "$DEMO_KEYS"/*-public.key | wc -l)" = 12

# ---------------------------------------------------------------------------
step "Legacy hub-and-spoke: writing each node's /etc/wireguard/wg0.conf"
t_ok "configs written to /etc/netns/<node>/wireguard/wg0.conf" demo_configs "$DEMO_KEYS" /etc/netns legacy
say "HKG's legacy config (as 'ip netns exec hkg cat /etc/wireguard/wg0.conf' shows it):"
in_ns hkg cat /etc/wireguard/wg0.conf | sed 's/^PrivateKey = .*/PrivateKey = (hidden)/; s/^/#   | /'
for n in ec2 gru nrt; do cp "/etc/netns/$n/wireguard/wg0.conf" "$DEMO_LOG/$n.legacy.conf"; done

step "Legacy: wg-quick up wg0 on every node (hub first), waiting for handshakes"
t_ok "wg-quick up wg0 on all 12 nodes" wg_quick_all up "${DEMO_NODES[@]}"
t_ok "every node has a handshake with each of its peers" wait_handshakes

step "Legacy: HKG pings NRT, SIN, SYD (all through the hub)"
measure legacy
path_checks legacy hub

step "Legacy: reachability"
reachability legacy

# ---------------------------------------------------------------------------
step "Full mesh: the seed's current HKG and APAC configs; wg-quick down/up on HKG, NRT, SIN, SYD"
t_ok "wg-quick down wg0 on HKG, NRT, SIN, SYD" wg_quick_all down hkg "${SEED_APAC[@]}"
t_ok "configs rewritten" demo_configs "$DEMO_KEYS" /etc/netns mesh
t_ok "hub and non-APAC configs are unchanged (only HKG and APAC backends change)" \
	cmp "$DEMO_LOG/ec2.legacy.conf" /etc/netns/ec2/wireguard/wg0.conf
say "HKG's mesh config:"
in_ns hkg cat /etc/wireguard/wg0.conf | sed 's/^PrivateKey = .*/PrivateKey = (hidden)/; s/^/#   | /'
say "NRT's config (entrypoint.sh for an APAC region):"
in_ns nrt cat /etc/wireguard/wg0.conf | sed 's/^PrivateKey = .*/PrivateKey = (hidden)/; s/^/#   | /'
t_ok "wg-quick up wg0 on HKG, NRT, SIN, SYD" wg_quick_all up hkg "${SEED_APAC[@]}"
t_ok "every node has a handshake with each of its peers" wait_handshakes

step "Full mesh: HKG pings NRT, SIN, SYD (direct)"
measure mesh
path_checks mesh direct
latency_table

step "Full mesh: reachability"
reachability mesh
drop_proof

step "wg show on the HKG POP"
in_ns hkg wg show wg0 | sed 's/^/#   /'
t_ok "HKG has 4 peers with a handshake" \
	test "$(in_ns hkg wg show wg0 latest-handshakes | awk '$2 != 0' | wc -l)" = 4

step "wg-mesh check on the seed's configs as written"
mesh_check_seed mesh

# ---------------------------------------------------------------------------
step "Generated overlay: wg-quick down; wg-mesh generate from the inventory; wg-quick up"
t_ok "wg-quick down wg0 on all 12 nodes (at once)" mesh_wg_quick down
mesh_generate
t_ok "wg-quick up wg0 on all 12 nodes (at once)" mesh_wg_quick up
# EC2 and HKG both have Endpoints: no keepalive, the first packet handshakes.
t_ok "HKG -> EC2: the first ping makes the handshake (both public, no keepalive)" \
	in_ns hkg ping -n -q -c 1 -W 5 "${SEED_IP[ec2]}"
t_ok "every node has a handshake with each of its peers" wait_handshakes

step "Generated overlay: every node pings every other"
mesh_ping_all

step "Generated overlay: latency"
mesh_latency

step "Generated overlay: rotating HKG's key (wg-mesh rotate) under a running ping"
mesh_rotate

# ---------------------------------------------------------------------------
step "wg-quick down wg0 everywhere: nothing left behind"
t_ok "wg-quick down wg0 on all 12 nodes" wg_quick_all down "${DEMO_NODES[@]}"
left=""
for n in "${DEMO_NODES[@]}"; do
	in_ns "$n" ip link show wg0 >/dev/null 2>&1 && left+=" ${n^^}:wg0"
	[[ -z $(in_ns "$n" ip route show table all | grep 10.50.) ]] || left+=" ${n^^}:routes"
	in_ns "$n" iptables -S FORWARD 2>/dev/null | grep -q wg0 && left+=" ${n^^}:FORWARD-rule"
done
t_ok "no wg0, no 10.50.0.0/16 route, no FORWARD rule left on any node" fail_with_if "$left"
say "done in $((SECONDS - T0)) s"
t_done
