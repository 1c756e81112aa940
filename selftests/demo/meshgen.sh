# SPDX-License-Identifier: GPL-2.0
# wg-mesh in the demo (sourced after checks.sh and reach.sh): what check
# says about the seed's configs as written, compared with what the pings
# found; then the overlay generated from the inventory that mirrors the
# seed (tools/wg-mesh/examples/edgeproxy.inventory), brought up with
# wg-quick, every pair pinging, its latencies, and a key rotation of HKG
# applied while a ping runs through it.

MESH_INV=$WG_REPO/tools/wg-mesh/examples/edgeproxy.inventory
MESH_OUT=/tmp/demo/generated

# mesh_check_seed PHASE -- wg-mesh check on the configs in place; its
# verdict per pair against reachability PHASE's pings.
mesh_check_seed() {
	local phase=$1 diffs
	say "" "wg-mesh check /etc/netns/*/wireguard/wg0.conf (the $phase configs as written):"
	wg-mesh check /etc/netns/*/wireguard/wg0.conf | sed 's|/etc/netns/||g; s/^/#   /'
	t_is "wg-mesh check exits 1: pairs that must connect cannot" \
		"$(wg-mesh check /etc/netns/*/wireguard/wg0.conf >/dev/null; echo $?)" 1
	wg-mesh check --pairs /etc/netns/*/wireguard/wg0.conf | cut -d' ' -f1-3 | sort >"$DEMO_LOG/check.$phase"
	diffs=$(diff <(cut -d' ' -f1-3 "$DEMO_LOG/ping.$phase" | sort) "$DEMO_LOG/check.$phase")
	t_is "$phase: check's verdict is what the pings found for all 132 pairs ($(grep -c ' blocked' "$DEMO_LOG/check.$phase") blocked)" \
		"$diffs" ""
}

# The generated files installed where "ip netns exec NODE" finds them.
mesh_install() {
	local n
	for n in "${DEMO_NODES[@]}"; do
		install -m 0600 "$MESH_OUT/$n/wg0.conf" "/etc/netns/$n/wireguard/wg0.conf" || return 1
	done
}

mesh_generate() {
	say "" "wg-mesh generate tools/wg-mesh/examples/edgeproxy.inventory -o $MESH_OUT:"
	wg-mesh generate "$MESH_INV" -o "$MESH_OUT" | sed 's/^/#   /'
	t_ok "wg-mesh generate writes 12 configs, mode 0600" \
		test "$(find "$MESH_OUT" -name wg0.conf -perm 600 | wc -l)" = 12
	t_ok "wg-mesh check --strict on the generated set: every pair, no finding" \
		wg-mesh check --strict "$MESH_OUT"
	wg-mesh check "$MESH_OUT" | sed -n '1,16p' | sed 's/^/#   /'
	say "HKG's generated config:"
	sed 's/^PrivateKey = .*/PrivateKey = (hidden)/; s/^/#   | /' "$MESH_OUT/hkg/wg0.conf"
	t_ok "generated configs installed as each node's /etc/wireguard/wg0.conf" mesh_install
}

# mesh_ping_all -- all 132 ordered pairs, 3 echo requests each, at once.
mesh_ping_all() {
	local bad
	wg-mesh check --pairs "$MESH_OUT" >"$DEMO_LOG/pairs.generated"
	ping_all "$DEMO_LOG/pairs.generated" "$DEMO_LOG/ping.generated"
	bad=$(awk '$3 != "ok" { printf " %s>%s", toupper($1), toupper($2) }' "$DEMO_LOG/ping.generated")
	t_is "generated: all $(wc -l <"$DEMO_LOG/ping.generated") ordered pairs answer pings" "${bad:-none}" none
	t_is "generated: 132 pairs pinged" "$(wc -l <"$DEMO_LOG/ping.generated")" 132
}

# gen_tx NODE PEERNODE -- bytes NODE sent to PEERNODE (generated keys).
gen_tx() {
	in_ns "$1" wg show wg0 transfer |
		awk -v k="$(wg pubkey <"$MESH_OUT/keys/$2.key")" '$1 == k { print $3; f = 1 } END { if (!f) print 0 }'
}

# mesh_wg_quick up|down -- the project's wg-quick on all 12 nodes at once
# (the VM has two CPUs; one after another doubles the demo's time).
mesh_wg_quick() {
	local n bad=""
	for n in "${DEMO_NODES[@]}"; do
		in_ns "$n" wg-quick "$1" wg0 >>"$DEMO_LOG/wg-quick-$n.log" 2>&1 || echo "$n" >>"$DEMO_LOG/wg-quick.failed" &
	done
	wait
	[[ -s $DEMO_LOG/wg-quick.failed ]] && bad=$(tr '\n' ' ' <"$DEMO_LOG/wg-quick.failed")
	rm -f "$DEMO_LOG/wg-quick.failed"
	[[ -z $bad ]] || { echo "wg-quick $1 failed on: $bad"; return 1; }
}

# mesh_path SRC DST -- the path check --pairs gives ("hkg>ec2>gru").
mesh_path() { awk -v s="$1" -v d="$2" '$1 == s && $2 == d { print $4 }' "$DEMO_LOG/pairs.generated"; }

# modelled RTT of a path: the sum over its hops (model.sh).
path_rtt() {
	local -a h
	local i sum=0
	IFS='>' read -ra h <<<"$1"
	for ((i = 1; i < ${#h[@]}; i++)); do
		sum=$((sum + $(demo_rtt "${h[i - 1]}" "${h[i]}")))
	done
	echo "$sum"
}

# mesh_latency -- a few pairs' RTT over the generated overlay, with the
# path check predicts and the model's sum along it; the transit node's
# counters prove the path was taken.
mesh_latency() {
	local pair src dst path via rtt b0 b1
	say "" "Latency over the generated overlay (ping RTT, ms)" \
		"  pair         path (wg-mesh check)   model  measured"
	for pair in hkg-nrt hkg-sin hkg-syd nrt-sin hkg-gru nrt-lhr; do
		src=${pair%-*} dst=${pair#*-}
		path=$(mesh_path "$src" "$dst")
		via=$(cut -d'>' -f2 <<<"$path")
		[[ $via != "$dst" ]] && b0=$(gen_tx "$via" "$dst")
		rtt=$(rtt_avg "$src" "${SEED_IP[$dst]}") || rtt=lost
		printf '#   %-12s %-22s %5s  %8s\n' "${src^^}->${dst^^}" "$path" "$(path_rtt "$path")" "$(ms "$rtt")"
		if [[ $via == "$dst" ]]; then
			t_ok "generated: ${src^^} -> ${dst^^} direct, answers 6/6 pings" test "$rtt" != lost
		else
			b1=$(gen_tx "$via" "$dst")
			t_ok "generated: ${src^^} -> ${dst^^} through ${via^^} (it sent $((b1 - b0)) bytes to ${dst^^}), 6/6 pings" \
				test "$rtt" != lost -a $((b1 - b0)) -ge 2140
		fi
	done
	say "  (mesh paths direct; the rest through the EC2 hub; APAC backends reach each other through HKG)"
}

# mesh_apply ROTATE_OUTPUT -- each "host: command" line: the host's new
# file installed, the command run in its namespace.
mesh_apply() {
	local host cmd bad=""
	while IFS= read -r line; do
		[[ $line == \#* || $line != *:\ * ]] && continue
		host=${line%%:*} cmd=${line#*: }
		install -m 0600 "$MESH_OUT/$host/wg0.conf" "/etc/netns/$host/wireguard/wg0.conf" &&
			in_ns "$host" bash -c "$cmd" || bad+=" ${host^^}"
	done <"$1"
	[[ -z $bad ]] || { echo "failed on:$bad"; return 1; }
}

# The old key tried from HKG's namespace on a second interface: NRT must
# not answer its handshake.
old_key_refused() {
	local old=$1 ok=0
	in_ns hkg ip link add wg1 type wireguard || return 1
	in_ns hkg wg set wg1 private-key "$old" listen-port 51899 \
		peer "$(wg pubkey <"$MESH_OUT/keys/nrt.key")" endpoint "${DEMO_PUBLIC[nrt]}:51820" \
		allowed-ips "${SEED_IP[nrt]}/32"
	in_ns hkg ip addr add 10.99.0.1/32 dev wg1
	in_ns hkg ip link set wg1 up
	in_ns hkg ping -n -q -c 3 -W 2 -I wg1 "${SEED_IP[nrt]}" >/dev/null 2>&1 && ok=1
	hs=$(in_ns hkg wg show wg1 latest-handshakes | awk '{ print $2 }')
	tx=$(in_ns hkg wg show wg1 transfer | awk '{ print $3 }')
	in_ns hkg ip link del wg1
	echo "old key: pings answered: $ok, handshake: $hs, bytes sent: $tx"
	[[ $ok == 0 && $hs == 0 && ${tx:-0} -gt 0 ]]
}

mesh_rotate() {
	local old_pub new_pub sent got lost t0 t1
	cp -a "$MESH_OUT" "$DEMO_LOG/generated.old"
	old_pub=$(wg pubkey <"$MESH_OUT/keys/hkg.key")
	in_ns nrt ping -n -q -i 0.2 -c 600 -W 1 "${SEED_IP[hkg]}" >"$DEMO_LOG/rotate-ping" 2>&1 &
	local ping=$! running max
	sleep 2
	say "wg-mesh rotate edgeproxy.inventory hkg -o $MESH_OUT (NRT pings HKG meanwhile, every 0.2 s):"
	wg-mesh rotate "$MESH_INV" hkg -o "$MESH_OUT" >"$DEMO_LOG/rotate.out"
	sed 's/^/#   /' "$DEMO_LOG/rotate.out"
	t0=$SECONDS
	t_ok "the printed commands applied on HKG and each host that names it" mesh_apply "$DEMO_LOG/rotate.out"
	t1=$SECONDS
	kill -0 "$ping" 2>/dev/null && running=yes || running=no
	t_is "the ping was still running when the last command had been applied" "$running" yes
	sleep 2
	# SIGINT: ping stops and prints its counts.
	pkill -INT -P "$ping" ping 2>/dev/null || kill -INT "$ping" 2>/dev/null
	wait "$ping"
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$DEMO_LOG/rotate-ping")
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DEMO_LOG/rotate-ping")
	lost=$((${sent:-0} - ${got:-0}))
	max=$(sed -n 's|^rtt .* = [0-9.]*/[0-9.]*/\([0-9.]*\)/.*|\1|p' "$DEMO_LOG/rotate-ping")
	t_ok "NRT -> HKG kept flowing: $got of $sent answered, $lost lost, longest RTT ${max:-?} ms (packets wait for the new handshake; the commands took $((t1 - t0)) s; at most one handshake's 5 s may go)" \
		test "${sent:-0}" -gt 0 -a "$lost" -le 25
	new_pub=$(wg pubkey <"$MESH_OUT/keys/hkg.key")
	t_ok "HKG's peers know its new key, not the old one" bash -c \
		"for n in ec2 nrt sin syd; do ip netns exec \$n wg show wg0 peers | grep -qx '$new_pub' || exit 1; ! ip netns exec \$n wg show wg0 peers | grep -qx '$old_pub' || exit 1; done"
	t_ok "SIN -> NRT through HKG works on the new key" in_ns sin ping -n -q -c 2 -W 3 "${SEED_IP[nrt]}"
	t_ok "the old key no longer works: NRT ignores a handshake made with it" \
		old_key_refused "$DEMO_LOG/generated.old/keys/hkg.key"
	t_ok "wg-mesh check --strict on the rotated set" wg-mesh check --strict "$MESH_OUT"
}
