# SPDX-License-Identifier: GPL-2.0
# The demo's measurements and checks (sourced by selftests/vm/tests/demo.sh
# after model.sh, topology.sh, configs.sh and selftests/vm/lib/tap.sh).
# Human-readable output is printed as TAP comments ("# ...").

say() { printf '# %s\n' "$@"; }
fail_with() { printf '%s\n' "$@"; return 1; }
in_ns() { ip netns exec "$@"; }

# wg0 device counter of a node (rx_frame_errors: packets cryptokey routing
# refused -- the source address is not in the sending peer's AllowedIPs).
dev_stat() { in_ns "$1" cat "/sys/class/net/wg0/statistics/$2"; }

# peer_bytes NODE PEERNODE -- rx+tx bytes NODE counts for its peer PEERNODE
peer_bytes() {
	in_ns "$1" wg show wg0 transfer |
		awk -v k="$(<"$DEMO_KEYS/$2-public.key")" '$1 == k { print $2 + $3; f = 1 } END { if (!f) print 0 }'
}
peer_tx() {
	in_ns "$1" wg show wg0 transfer |
		awk -v k="$(<"$DEMO_KEYS/$2-public.key")" '$1 == k { print $3; f = 1 } END { if (!f) print 0 }'
}

# Every node has completed a handshake with every one of its peers.
all_handshaken() {
	local n missing=""
	for n in "${DEMO_NODES[@]}"; do
		in_ns "$n" wg show wg0 latest-handshakes | awk '$2 == 0 { bad = 1 } END { exit bad }' ||
			missing+=" ${n^^}"
	done
	[[ -z $missing ]] || { echo "no handshake yet on:$missing"; return 1; }
}

wait_handshakes() {
	local i
	for ((i = 0; i < 40; i++)); do
		all_handshaken >/dev/null && return 0
		sleep 1
	done
	all_handshaken
}

# wg_quick_all up|down NODE... -- the project's wg-quick in each namespace;
# "ip netns exec" shows /etc/netns/NODE/wireguard as /etc/wireguard.
wg_quick_all() {
	local cmd=$1 n bad=""
	shift
	for n in "$@"; do
		if ! in_ns "$n" wg-quick "$cmd" wg0 >>"$DEMO_LOG/wg-quick-$n.log" 2>&1; then
			bad+=" ${n^^}"
			tail -n 5 "$DEMO_LOG/wg-quick-$n.log"
		fi
	done
	[[ -z $bad ]] || { echo "wg-quick $cmd failed on:$bad"; return 1; }
}

# rtt_avg NODE ADDR -- average RTT (ms) of 5 pings of 400 bytes after a
# warm-up ping; fails if any is lost.
rtt_avg() {
	local out
	in_ns "$1" ping -n -q -c 1 -W 5 "$2" >/dev/null || return 1
	out=$(in_ns "$1" ping -n -q -c 5 -i 0.3 -s 400 -W 5 "$2") || return 1
	[[ $out =~ rtt\ min/avg/max/mdev\ =\ [0-9.]+/([0-9.]+)/ ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

# measure PHASE -- HKG to each APAC backend; records RTT[PHASE-node] and how
# many bytes the hub moved for that backend meanwhile (HUBBYTES[PHASE-node]).
declare -gA RTT HUBBYTES
measure() {
	local phase=$1 n before after
	for n in "${SEED_APAC[@]}"; do
		before=$(peer_bytes ec2 "$n")
		if RTT[$phase-$n]=$(rtt_avg hkg "${SEED_IP[$n]}"); then
			t_ok "$phase: HKG -> ${n^^} (${SEED_IP[$n]}) answers 6/6 pings, avg ${RTT[$phase-$n]} ms" true
		else
			RTT[$phase-$n]=lost
			t_ok "$phase: HKG -> ${n^^} (${SEED_IP[$n]}) answers 6/6 pings" false
		fi
		after=$(peer_bytes ec2 "$n")
		HUBBYTES[$phase-$n]=$((after - before))
	done
}

# path_checks PHASE hub|direct -- the measured pings did (not) cross EC2: the
# hub's counters for the backend grew by at least the 5x2 pings of 428 bytes
# (hub), or by less than one such ping (direct: keepalives at most).
path_checks() {
	local phase=$1 want=$2 n b
	for n in "${SEED_APAC[@]}"; do
		b=${HUBBYTES[$phase-$n]}
		if [[ $want == hub ]]; then
			t_ok "$phase: HKG -> ${n^^} went through EC2 (EC2 moved $b bytes for ${n^^})" test "$b" -ge 4280
		else
			t_ok "$phase: HKG -> ${n^^} went direct (EC2 moved $b bytes for ${n^^}: keepalives only)" test "$b" -lt 428
		fi
	done
}

latency_table() {
	local n name s_h s_m m_h m_m
	say "" "Latency from the HKG POP (ping RTT, ms)" \
		"                      seed (edgeproxy docs)       measured in this run" \
		"  backend           via hub  mesh  improvement   via hub    mesh  improvement"
	for n in "${SEED_APAC[@]}"; do
		s_h=${DEMO_SEED_HUB[$n]} s_m=${DEMO_SEED_MESH[$n]}
		m_h=$(ms "${RTT[legacy-$n]}") m_m=$(ms "${RTT[mesh-$n]}")
		name="${n^^} (${SEED_NAME[$n]})"
		printf '#   %-16s %7s %5s %9sx    %8s %7s %9sx\n' "$name" "$s_h" "$s_m" \
			"$(ratio "$s_h" "$s_m")" "$m_h" "$m_m" "$(ratio "$m_h" "$m_m")"
	done
	say "  (netem model: HKG-EC2 $(demo_rtt hkg ec2) ms; EC2-NRT/SIN/SYD $(demo_rtt ec2 nrt)/$(demo_rtt ec2 sin)/$(demo_rtt ec2 syd) ms;" \
		"   HKG-NRT/SIN/SYD $(demo_rtt hkg nrt)/$(demo_rtt hkg sin)/$(demo_rtt hkg syd) ms -- see selftests/demo/model.sh)" ""
}

ms() { # round a measured RTT to whole ms ("lost" stays)
	if [[ $1 =~ ^[0-9.]+$ ]]; then printf '%.0f\n' "$1"; else echo "$1"; fi
}

ratio() {
	[[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] || { echo "-"; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'
}

fail_with_if() { [[ -z $1 ]] || fail_with "left:$1"; }
