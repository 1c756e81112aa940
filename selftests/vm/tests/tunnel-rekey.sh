#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tunnel-rekey.sh: session lifetime with protocol time compressed through the
# debug module's time_divisor parameter (every protocol duration is divided
# by it; changing it ages existing sessions at once).  Needs our debug build;
# run with --no-module.
#
#  - a data packet held back in the router is accepted while its session is
#    young, and a second one of the same session is rejected once the session
#    is older than REJECT_AFTER_TIME; the sender then handshakes again before
#    sending anything (the expired key is not used);
#  - an initiator whose session is past REKEY_AFTER_TIME (and before
#    REJECT_AFTER_TIME) keeps sending with it and starts a new handshake;
#  - with no handshake for 3 * REJECT_AFTER_TIME every key is zeroed (all
#    keypairs destroyed, peers kept), and the tunnel recovers afterwards;
#  - every Peer and Keypair created is destroyed by the end (dynamic debug);
#  - then observe.sh: the module's events through `wg monitor' and
#    wg-exporter (issue 16).
. "$WG_REPO/selftests/vm/lib/tap.sh"
. "$WG_REPO/selftests/vm/lib/impl.sh"
. "$WG_REPO/selftests/vm/lib/net.sh"
. "$WG_REPO/selftests/vm/lib/wire.sh"

WG_DYNDBG=1
use_impl ours debug || { t_ok "load our debug module" false; t_done; }
param=/sys/module/wireguard/parameters/time_divisor
[ -w $param ] || { t_ok "time_divisor parameter (debug build)" false; t_done; }
divisor() { echo "$1" > $param; }
dmesg_mark
T="[ours]"

keys_init
topology_outer
wg_devices
wg_peers 4
wire_helpers

keypairs_created() { dmesg | tail -n +$((_wg_dmesg_mark + 1)) | grep -c ': Keypair [0-9]* created'; }

# ---- REJECT_AFTER_TIME ---------------------------------------------------------
divisor 1
t_ok "$T session up (ns1 initiates)" ping_ok ns1 10.0.0.2
: > /tmp/recv.log
ip netns exec ns2 python3 /tmp/udp-recv.py /tmp/recv.log &
recv_pid=$!
# Two datagrams ns1 -> ns2 are captured and dropped in the router.
nr nft add table inet hold
nr nft add chain inet hold held '{ type filter hook forward priority 0; }'
nr nft add rule inet hold held ip daddr 192.168.2.1 udp dport 2 drop
wire_capture_start veth1r /tmp/held.pcap 'udp and dst port 2'
n1 python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"held-1", ("10.0.0.2", 9999))'
sleep 0.5
n1 python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"held-2", ("10.0.0.2", 9999))'
sleep 1
wire_capture_stop
nr nft delete table inet hold
mapfile -t held < <(wire_transport_hex /tmp/held.pcap)
t_is "$T the held packets did not reach ns2" "$(grep -c held- /tmp/recv.log)" 0
t_ok "$T two transport packets held back (${#held[@]})" test "${#held[@]}" -ge 2
rx0=$(peer_field ns2 "$PUB1" 6)
hs0=$(peer_field ns2 "$PUB1" 5)
nr python3 /tmp/udp-send.py 192.168.1.1:1 192.168.2.1 2 "${held[0]}"
t_ok "$T a held packet of a young session is accepted" wait_for 10 grep -q held-1 /tmp/recv.log
# 180 s of protocol time pass in 1.8 s from here on.
divisor 100
# The held packets left timers behind, armed at real time: ns1 sent
# data that got no answer (a new handshake 15 s later), ns2 received
# data it did not answer (a keepalive 10 s later, which on the aged
# session becomes ns2's initiation).  Either makes a handshake, whose
# bytes would land in the window below by the host's speed: wait for it.
# The replays carry ns1's own address and port, as a late packet would:
# from the router's, ns2 would roam there and send its initiation into
# nothing, and on a slow host, where ns2's unanswered ping reply already
# made a handshake that cancelled ns1's timer, no handshake would follow.
hs_moved() { [ "$(peer_field ns2 "$PUB1" 5)" != "$hs0" ]; }
t_ok "$T the held packets' timers make their handshake" wait_for 30 hs_moved
sleep 2
# From here ns1's own messages to ns2 stop in the router (forward hook),
# so that a handshake or keepalive of the compressed timers cannot land
# in the byte count; the replay leaves the router itself (output hook).
nr nft add table inet quiet
nr nft add chain inet quiet fwd '{ type filter hook forward priority 0; }'
nr nft add rule inet quiet fwd ip daddr 192.168.2.1 udp dport 2 drop
sleep 0.5
rx1=$(peer_field ns2 "$PUB1" 6)
nr python3 /tmp/udp-send.py 192.168.1.1:1 192.168.2.1 2 "${held[1]}"
sleep 2
t_is "$T a packet of a session older than REJECT_AFTER_TIME is rejected" \
	"$(grep -c held-2 /tmp/recv.log)" 0
t_is "$T ... and not counted as received" "$(peer_field ns2 "$PUB1" 6)" "$rx1"
nr nft delete table inet quiet
echo "# rx bytes ns2 <- ns1: $rx0 -> $rx1 -> $(peer_field ns2 "$PUB1" 6)"

# The sender's session is as old: its next packet waits for a handshake.
wire_capture_start veth1r /tmp/expired.pcap 'udp and dst port 2'
t_ok "$T after REJECT_AFTER_TIME traffic needs a new handshake and gets one" ping_ok ns1 10.0.0.2
wire_capture_stop
t_is "$T the first message after expiry is an initiation, not data" \
	"$(wire_types /tmp/expired.pcap | head -n 1)" 1
kill $recv_pid 2> /dev/null

# ---- REKEY_AFTER_TIME ------------------------------------------------------------
# A fresh session at real time.  Once it is a >= 8 s old, divisor
# ceil(120 / a) puts it past REKEY_AFTER_TIME but, for another a / 2
# seconds, not past REJECT_AFTER_TIME; the ping goes out right away.
divisor 1
wg_peers 4
t_ok "$T fresh session for the rekey check" ping_ok ns1 10.0.0.2
hs0=$(peer_field ns1 "$PUB2" 5)
k0=$(keypairs_created)
wire_capture_start veth1r /tmp/rekey.pcap 'udp and (dst port 2 or src port 2)'
session_age() { echo $(( $(date +%s) - $(peer_field ns1 "$PUB2" 5) )); }
age_at_least() { [ "$(session_age)" -ge "$1" ]; }
wait_for 30 age_at_least 8
age=$(session_age)
divisor $(( (120 + age - 1) / age ))
t_ok "$T a ping right after REKEY_AFTER_TIME (age $age s, divisor $(cat $param))" \
	n1 ping -c 1 -W 2 10.0.0.2
t_ok "$T traffic continues across the rekey" ping_ok ns1 10.0.0.2 -c 5 -i 0.2
t_ok "$T a new session was made" wait_for 10 bash -c "[ \$(dmesg | tail -n +$((_wg_dmesg_mark + 1)) | grep -c ': Keypair [0-9]* created') -ge $((k0 + 2)) ]"
wire_capture_stop
seq_types=$(wire_types /tmp/rekey.pcap | tr '\n' ' ')
echo "# message types on the wire after REKEY_AFTER_TIME: $seq_types"
t_ok "$T past REKEY_AFTER_TIME the old session still sends, then an initiation follows" \
	bash -c "[[ '$seq_types' =~ ^4\ (4\ )*1\  ]]"
t_ok "$T latest handshake moved" test "$(peer_field ns1 "$PUB2" 5)" != "$hs0"

# ---- zeroing after 3 * REJECT_AFTER_TIME ---------------------------------------------
# Divisor 100: 540 s of protocol time are 5.4 s.
divisor 100
wg_peers 4
z0=$(dmesg | grep -c 'Zeroing out all keys for peer')
t_ok "$T session with compressed timers" ping_ok ns1 10.0.0.2
t_ok "$T every key zeroed after 3 * REJECT_AFTER_TIME without a handshake" \
	wait_for 30 bash -c "[ \$(dmesg | grep -c 'Zeroing out all keys for peer') -ge $((z0 + 2)) ]"
keypairs_gone() {
	local c
	c=$(lifetime_counts)
	[[ $c =~ keypairs\ ([0-9]+)/([0-9]+) ]] &&
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] &&
		n1 wg show wg0 peers | grep -q . && n2 wg show wg0 peers | grep -q .
}
wait_for 10 keypairs_gone > /dev/null
t_ok "$T all keypairs destroyed while the peers remain ($(lifetime_counts))" keypairs_gone
t_ok "$T the tunnel works again after zeroing" ping_ok ns1 10.0.0.2
divisor 1

n1 ip link del wg0
n2 ip link del wg0
t_ok "$T every peer and keypair created was destroyed" lifetime_ok
topology_cleanup

# ---- issue 16: events, wg monitor, wg-exporter (same boot) -----------------------
OBSERVE_SECTION=1
. "$WG_REPO/selftests/vm/tests/observe.sh"
t_done
