#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wg-quick@.service under systemd as PID 1 (selftests/vm/run --systemd),
# with this tree's module and tools (make install-tools on the overlay):
#   systemd-analyze verify on every unit the project installs;
#   systemctl enable --now wg-quick@wg0 (a full tunnel, so that wg-quick
#   adds routes, rules and nftables rules), a peer in a namespace answers;
#   the unit orders after network-online.target;
#   systemctl reload applies a changed peer list with syncconf while a ping
#   runs across the tunnel: no packet lost, same link, same session;
#   systemctl stop leaves no link, route, rule, nftables or iptables state;
#   a broken configuration gives a failed unit with wg's error in the journal.
# Every command and its output is printed as TAP comments (the transcript).
. "$WG_REPO/selftests/vm/lib/tap.sh"

# cmd CMD...: print "$ CMD" and its output (the transcript), return its status.
cmd() {
	local out rc
	echo "# \$ $*"
	out=$("$@" 2>&1)
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   /'
	[ $rc = 0 ] || echo "#   (exit status $rc)"
	return $rc
}
netstate() { # everything wg-quick may touch, to compare before and after
	ip -o link show | sed 's/^[0-9]*: //; s/ link\/.*//'
	ip -4 rule; ip -6 rule
	ip -4 route show table all; ip -6 route show table all
	nft list ruleset
	iptables-save | grep -v '^[#:]'; ip6tables-save | grep -v '^[#:]'
}

t_is "PID 1 is systemd" "$(readlink /proc/1/exe)" /usr/lib/systemd/systemd
state=$(systemctl is-system-running --wait)
echo "# system state: $state"
systemctl --failed --no-legend | sed 's/^/# failed unit: /'
t_ok "the system finished booting (running or degraded: $state)" \
	bash -c "[[ $state == running || $state == degraded ]]"

# --- install and verify --------------------------------------------------
t_ok "make install-tools" make -s -C "$WG_REPO" install-tools
cmd systemctl daemon-reload
staged=$(mktemp -d)
make -s -C "$WG_REPO" install-tools DESTDIR="$staged" > /dev/null
units=$(cd "$staged" && find . -path '*/systemd/system/*' -type f | sed 's|^\.||')
t_ok "the project installs systemd units ($(echo $units))" test -n "$units"
for u in $units; do
	name=${u##*/}
	# a template is verified through an instance of it
	[[ $name == *@.* ]] && name=${name/@./@wg0.}
	t_ok "systemd-analyze verify $name: no complaint" \
		bash -c "out=\$(systemd-analyze verify $name 2>&1); printf '%s\n' \"\$out\"; [ -z \"\$out\" ]"
done
rm -rf "$staged"

# --- a peer in a namespace, over a veth underlay -------------------------
ip netns add peer
ip link add veth0 type veth peer name veth1 netns peer
# No IPv6 link-local address on the underlay: the kernel adds its fe80::
# route only once DAD ends, which can fall between the two netstate
# snapshots and read as state the unit left behind.
ip link set veth0 addrgenmode none
ip addr add 192.168.77.1/24 dev veth0
ip link set veth0 up
ip -n peer addr add 192.168.77.2/24 dev veth1
ip -n peer link set veth1 up
ip -n peer link set lo up
umask 077
k0=$(wg genkey) k1=$(wg genkey) k2=$(wg genkey)
p0=$(wg pubkey <<<"$k0") p1=$(wg pubkey <<<"$k1") p2=$(wg pubkey <<<"$k2")
ip -n peer link add wg1 type wireguard
ip netns exec peer wg set wg1 private-key <(echo "$k1") listen-port 51821 \
	peer "$p0" allowed-ips 10.9.0.1/32
ip -n peer addr add 10.9.0.2/24 dev wg1
ip -n peer link set wg1 up
ip -n peer route add default dev wg1
conf() { # the configuration, with the second peer when $1 = 2
	cat <<-CONF
	[Interface]
	PrivateKey = $k0
	Address = 10.9.0.1/24
	ListenPort = 51820

	[Peer]
	PublicKey = $p1
	Endpoint = 192.168.77.2:51821
	AllowedIPs = 0.0.0.0/0
	PersistentKeepalive = 25
	CONF
	[ "$1" = 2 ] && printf '\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.9.0.3/32\n' "$p2"
}
conf 1 > /etc/wireguard/wg0.conf
before=$(netstate)

# --- enable --now ------------------------------------------------------------
cmd systemctl enable --now wg-quick@wg0
t_ok "systemctl enable --now wg-quick@wg0" test $? = 0
cmd systemctl status --no-pager --lines=20 wg-quick@wg0
t_is "wg-quick@wg0 is active" "$(systemctl is-active wg-quick@wg0)" active
t_ok "enabled: linked into multi-user.target.wants" \
	test -L /etc/systemd/system/multi-user.target.wants/wg-quick@wg0.service
cmd ping -c 3 -W 5 10.9.0.2
t_ok "a ping crosses the tunnel" test $? = 0
cmd ip rule
cmd nft list tables
after_after=$(systemctl show -p After --value wg-quick@wg0)
wants=$(systemctl show -p Wants --value wg-quick@wg0)
t_ok "the unit is After=network-online.target" grep -qw network-online.target <<<"$after_after"
t_ok "and Wants=network-online.target" grep -qw network-online.target <<<"$wants"
online=$(systemctl show -p ActiveEnterTimestampMonotonic --value network-online.target)
started=$(systemctl show -p InactiveExitTimestampMonotonic --value wg-quick@wg0)
echo "# network-online.target active at ${online} us, wg-quick@wg0 started at ${started} us (monotonic)"
t_ok "network-online.target was reached before the unit started" \
	test "${online:-0}" -gt 0 -a "${online:-0}" -le "${started:-0}"
cmd systemd-analyze critical-chain wg-quick@wg0.service

# --- reload: syncconf under a running ping ---------------------------------
ifindex=$(cat /sys/class/net/wg0/ifindex)
mark=$(wg show wg0 fwmark)
rx0=$(wg show wg0 transfer | awk -v p="$p1" '$1 == p { print $2 }')
conf 2 > /etc/wireguard/wg0.conf
ping -c 100 -i 0.1 -W 5 10.9.0.2 > /tmp/ping.log 2>&1 &
pinger=$!
sleep 3
cmd systemctl reload wg-quick@wg0
t_ok "systemctl reload wg-quick@wg0 (while pinging across the tunnel)" test $? = 0
wait $pinger
cmd tail -n 3 /tmp/ping.log
t_ok "the ping across the reload lost nothing (100 sent, 100 received)" \
	grep -q '100 packets transmitted, 100 received, 0% packet loss' /tmp/ping.log
cmd wg show wg0
t_is "the reload added the second peer (syncconf)" "$(wg show wg0 peers | sort)" "$(printf '%s\n' "$p1" "$p2" | sort)"
t_is "same link (ifindex) after the reload" "$(cat /sys/class/net/wg0/ifindex)" "$ifindex"
t_is "the fwmark wg-quick chose survives the reload" "$(wg show wg0 fwmark)" "$mark"
rx1=$(wg show wg0 transfer | awk -v p="$p1" '$1 == p { print $2 }')
# A peer that syncconf re-created would start from 0 (a handshake may
# legitimately have happened meanwhile: REKEY_AFTER_TIME is 120 s and a
# loaded host takes that long to get here).
t_ok "the first peer was kept, not re-created (received $rx0 -> $rx1 bytes)" \
	test "${rx1:-0}" -gt "${rx0:-0}"
t_is "still active" "$(systemctl is-active wg-quick@wg0)" active

# --- stop: nothing left behind ----------------------------------------------
cmd systemctl stop wg-quick@wg0
t_ok "systemctl stop wg-quick@wg0" test $? = 0
t_is "inactive" "$(systemctl is-active wg-quick@wg0)" inactive
t_ok "no wg0 link" bash -c '! ip link show wg0 2>/dev/null'
t_is "links, rules, routes, nftables and iptables as before the start" "$(netstate)" "$before"
cmd journalctl --no-pager -o cat -u wg-quick@wg0
cmd systemctl disable wg-quick@wg0
t_ok "systemctl disable wg-quick@wg0" test $? = 0
t_ok "no longer linked into multi-user.target.wants" \
	test ! -e /etc/systemd/system/multi-user.target.wants/wg-quick@wg0.service

# --- a broken configuration -------------------------------------------------
printf '[Interface]\nPrivateKey = not-a-key\nAddress = 10.9.9.1/24\n' > /etc/wireguard/wgbad.conf
before=$(netstate)
cmd systemctl start wg-quick@wgbad
t_ok "systemctl start wg-quick@wgbad fails" test $? != 0
cmd systemctl status --no-pager --lines=10 wg-quick@wgbad
t_is "the unit is failed" "$(systemctl is-failed wg-quick@wgbad)" failed
journal=$(journalctl --no-pager -o cat -u wg-quick@wgbad)
printf '%s\n' "$journal" | sed 's/^/# journal: /'
t_ok "the journal has the error about the key" grep -qi 'key' <<<"$journal"
t_is "nothing half-applied (no wgbad link, same state)" "$(netstate)" "$before"
t_ok "systemctl reset-failed wg-quick@wgbad" systemctl reset-failed wg-quick@wgbad

ip netns del peer
t_done
