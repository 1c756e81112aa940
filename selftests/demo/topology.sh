# SPDX-License-Identifier: GPL-2.0
# Builds the demo's world (sourced after model.sh): namespace "internet" with
# a bridge br0, and one namespace per node plugged into it by a veth (eth0 in
# the node).  Each node has its public /32 on eth0 and a route to every other
# node's public address -- nothing else, so traffic for overlay addresses
# that wg0 does not take goes nowhere (no default route to leak through).
# netem on each node's eth0 delays packets per destination (model.sh).

# Few processes on purpose: in an emulated VM each one costs.
demo_world() {
	local n m root="" inet="" batch
	root+="netns add internet"$'\n'
	root+="link add br0 netns internet type bridge"$'\n'
	inet+="link set lo up"$'\n'"link set br0 addrgenmode none"$'\n'"link set br0 up"$'\n'
	for n in "${DEMO_NODES[@]}"; do
		root+="netns add $n"$'\n'
		root+="link add eth0 netns $n type veth peer name $n netns internet"$'\n'
		inet+="link set $n addrgenmode none"$'\n'"link set $n master br0 up"$'\n'
	done
	ip -batch - <<<"$root" || return 1
	ip -n internet -batch - <<<"$inet" || return 1
	for n in "${DEMO_NODES[@]}"; do
		batch="link set lo up"$'\n'"link set eth0 addrgenmode none"$'\n'
		batch+="address add ${DEMO_PUBLIC[$n]}/32 dev eth0"$'\n'
		batch+="link set eth0 up"$'\n'
		for m in "${DEMO_NODES[@]}"; do
			[[ $m == "$n" ]] || batch+="route add ${DEMO_PUBLIC[$m]}/32 dev eth0"$'\n'
		done
		ip -n "$n" -batch - <<<"$batch" || return 1
	done
}

# demo_netem -- per node: an htb root whose default class has no delay (ARP,
# unmodelled pairs) and one class per modelled peer node with netem delaying
# packets to that node's public address by half the pair's RTT.
demo_netem() {
	local n m rtt id batch
	for n in "${DEMO_NODES[@]}"; do
		batch="qdisc add dev eth0 root handle 1: htb default 1 r2q 10000"$'\n'
		batch+="class add dev eth0 parent 1: classid 1:1 htb rate 10gbit"$'\n'
		id=10
		for m in "${DEMO_NODES[@]}"; do
			rtt=$(demo_rtt "$n" "$m")
			[[ -n $rtt ]] || continue
			id=$((id + 1))
			batch+="class add dev eth0 parent 1: classid 1:$id htb rate 10gbit"$'\n'
			batch+="qdisc add dev eth0 parent 1:$id handle $id: netem delay $((rtt * 500))us limit 10000"$'\n'
			batch+="filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dst ${DEMO_PUBLIC[$m]}/32 flowid 1:$id"$'\n'
		done
		tc -n "$n" -batch - <<<"$batch" || return 1
	done
}

demo_world_cleanup() {
	local n
	for n in "${DEMO_NODES[@]}" internet; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	return 0
}
