# SPDX-License-Identifier: GPL-2.0
# One blocked path under the microscope (sourced after checks.sh): HKG pings
# GRU.  HKG sends it to EC2 (its peer for 10.50.1.0/24), EC2 forwards it to
# GRU, and GRU's only peer, EC2, admits no 10.50.5.0/24 source -- so GRU must
# decrypt it and drop it.  Evidence: EC2's counters for GRU, GRU's underlay
# (tcpdump: encrypted packets of the pings' size arriving from EC2), GRU's
# wg0 (tcpdump: no ICMP ever appears on it), GRU's rx_frame_errors, and no
# reply at HKG.

# capture NODE IF FILTER NAME -- tcpdump in the background; waits until it
# listens.  Sets CAP_PID[NAME].
declare -gA CAP_PID
capture() {
	local n=$1 ifc=$2 filter=$3 name=$4 i
	in_ns "$n" tcpdump -n --immediate-mode -U -i "$ifc" -w "$DEMO_LOG/$name.pcap" "$filter" \
		2>"$DEMO_LOG/$name.err" &
	CAP_PID[$name]=$!
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$DEMO_LOG/$name.err" && return 0
		sleep 0.2
	done
	return 1
}
capture_count() { # NAME -- stop it, print how many packets it saw
	kill -INT "${CAP_PID[$1]}" 2>/dev/null
	wait "${CAP_PID[$1]}" 2>/dev/null
	tcpdump -n -r "$DEMO_LOG/$1.pcap" 2>/dev/null | wc -l
}

drop_proof() {
	local n=3 size=200 fe0 fe1 tx0 tx1 hub_ok under wgi replies out
	# 200 bytes of ICMP payload: 228 inside, 300 bytes on the wire once
	# encrypted -- larger than any handshake or keepalive message.
	say "" "HKG -> GRU up close: $n pings of $size bytes from 10.50.5.1 to 10.50.1.1"
	capture gru eth0 "udp and src host ${DEMO_PUBLIC[ec2]} and greater 290" gru-eth0 &&
		capture gru wg0 icmp gru-wg0 ||
		{ t_ok "tcpdump starts on GRU" false; return; }
	fe0=$(dev_stat gru rx_frame_errors)
	tx0=$(peer_tx ec2 gru)
	out=$(in_ns hkg ping -n -c "$n" -i 0.5 -W 3 -s "$size" "${SEED_IP[gru]}" 2>&1)
	sleep 1
	replies=$(grep -c 'bytes from' <<<"$out")
	tx1=$(peer_tx ec2 gru)
	fe1=$(dev_stat gru rx_frame_errors)
	under=$(capture_count gru-eth0)
	wgi=$(capture_count gru-wg0)
	say "  HKG got $replies replies: $(grep -E 'packets transmitted' <<<"$out")" \
		"  EC2 sent GRU $((tx1 - tx0)) bytes meanwhile (forwarded from HKG)" \
		"  tcpdump on GRU eth0: $under encrypted packets of that size from EC2 (${DEMO_PUBLIC[ec2]})" \
		"  tcpdump on GRU wg0:  $wgi ICMP packets" \
		"  GRU wg0 rx_frame_errors: $fe0 -> $fe1"
	t_ok "HKG -> GRU: no reply" test "$replies" = 0
	t_ok "HKG -> GRU: EC2 forwarded the pings to GRU (its tx to GRU grew by $((tx1 - tx0)) >= $((n * 228)) bytes)" \
		test $((tx1 - tx0)) -ge $((n * 228))
	t_ok "HKG -> GRU: the $n encrypted packets reached GRU's underlay ($under seen)" test "$under" = "$n"
	t_ok "HKG -> GRU: GRU dropped all $n after decryption (rx_frame_errors +$((fe1 - fe0)))" \
		test $((fe1 - fe0)) = "$n"
	t_ok "HKG -> GRU: nothing was delivered on GRU's wg0 ($wgi ICMP packets)" test "$wgi" = 0
}
