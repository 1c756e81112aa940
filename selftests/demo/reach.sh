# SPDX-License-Identifier: GPL-2.0
# Reachability: what the configs as written allow (reach.py), what really
# happens when every node pings every other, and whether the packets the
# configs say are dropped by cryptokey routing really were dropped there
# (each node's wg0 rx_frame_errors).  Sourced after checks.sh.

# ping_all PAIRS OUT -- 3 echo requests for every ordered pair, all at once
# (pingall.py); OUT gets "SRC DST ok|blocked SENT RECEIVED" per pair.
ping_all() {
	local src dst rest
	while read -r src dst rest; do
		echo "$src $dst ${SEED_IP[$dst]}"
	done <"$1" | python3 "$WG_REPO/selftests/demo/pingall.py" 3 8 >"$2"
}

# reachability PHASE
reachability() {
	local phase=$1 pairs=$DEMO_LOG/pairs.$1 out=$DEMO_LOG/ping.$1 n src dst verdict k
	local -A before want_drops want got sent
	say "" "Node-to-node paths the $phase configs allow, as written (selftests/demo/reach.py):"
	python3 "$WG_REPO/selftests/demo/reach.py" "$DEMO_KEYS" /etc/netns "$pairs" "${DEMO_NODES[@]}" |
		sed 's/^/# /'
	[[ -s $pairs ]] || { t_ok "$phase: reachability analysis" false; return; }
	for n in "${DEMO_NODES[@]}"; do
		before[$n]=$(dev_stat "$n" rx_frame_errors)
		want_drops[$n]=0
	done
	say "Pinging every node from every node ($(wc -l <"$pairs") pairs at once, 3 echo requests each)..."
	ping_all "$pairs" "$out"
	sleep 1
	local lossy=""
	while read -r src dst verdict k r; do
		got[$src-$dst]=$verdict sent[$src-$dst]=$k
		[[ $verdict != ok || $r == "$k" ]] || lossy+=" ${src^^}->${dst^^} $r/$k"
	done <"$out"
	[[ -z $lossy ]] || say "note: pairs with some replies lost:$lossy"
	while read -r src dst verdict _ n kind; do
		want[$src-$dst]=$verdict
		[[ $kind == src-not-allowed ]] && want_drops[$n]=$((want_drops[$n] + ${sent[$src-$dst]:-0}))
	done <"$pairs"

	for src in "${DEMO_NODES[@]}"; do
		local want_ok="" got_ok=""
		for dst in "${DEMO_NODES[@]}"; do
			[[ $src != "$dst" ]] || continue
			[[ ${want[$src-$dst]} == ok ]] && want_ok+=" ${dst^^}"
			[[ ${got[$src-$dst]} == ok ]] && got_ok+=" ${dst^^}"
		done
		if [[ $want_ok == "$got_ok" ]]; then
			t_ok "$phase: ${src^^} reaches exactly what the configs allow:${want_ok:- nothing}" true
		else
			t_ok "$phase: ${src^^} reaches exactly what the configs allow" \
				fail_with "configs allow:${want_ok:- nothing}; answered:${got_ok:- nothing}"
		fi
	done

	local line="" bad="" d
	for n in "${DEMO_NODES[@]}"; do
		d=$(($(dev_stat "$n" rx_frame_errors) - before[$n]))
		((want_drops[$n] == 0 && d == 0)) && continue
		line+=" ${n^^} $d/${want_drops[$n]}"
		((d == want_drops[$n])) || bad+=" ${n^^}"
	done
	if [[ -z $bad ]]; then
		t_ok "$phase: blocked packets were dropped by cryptokey routing where predicted (wg0 rx_frame_errors seen/predicted:${line:- none})" true
	else
		t_ok "$phase: blocked packets dropped by cryptokey routing where predicted" \
			fail_with "wg0 rx_frame_errors seen/predicted:$line; wrong at$bad"
	fi
}
