# SPDX-License-Identifier: GPL-2.0
# Keys and /etc/wireguard/wg0.conf for every node (sourced after model.sh and
# selftests/wg-quick/seed-configs.sh).  The files are written by the seed's
# writers: the EC2 hub, the HKG POP, and each backend's entrypoint.sh logic.

# demo_keys KEYDIR -- the seed's key-generation loop, plus the hub (which the
# seed keys separately as "ec2").  Prints "region: public key" as it does.
demo_keys() {
	local dir=$1 region
	mkdir -p "$dir" && chmod 700 "$dir" || return 1
	for region in ec2 gru iad ord lax lhr fra cdg nrt sin syd hkg; do
		(umask 077; wg genkey >"$dir/${region}-private.key") || return 1
		wg pubkey <"$dir/${region}-private.key" >"$dir/${region}-public.key" || return 1
		echo "${region}: $(cat "$dir/${region}-public.key")"
	done
}

# demo_configs KEYDIR CONFROOT legacy|mesh -- CONFROOT/<node>/wireguard/wg0.conf
# for each node; with CONFROOT=/etc/netns, "ip netns exec <node>" shows the
# node's file as /etc/wireguard/wg0.conf.
demo_configs() {
	local keys=$1 root=$2 mode=$3 n f priv legacy=""
	[[ $mode == legacy ]] && legacy=legacy
	for n in "${DEMO_NODES[@]}"; do
		SEED_PUB[$n]=$(<"$keys/$n-public.key")
	done
	SEED_ENDPOINT[ec2]=${DEMO_PUBLIC[ec2]}:51820
	SEED_ENDPOINT[hkg]=${DEMO_PUBLIC[hkg]}:51820
	SEED_HOOK_IF=wg0
	for n in "${DEMO_NODES[@]}"; do
		mkdir -p "$root/$n/wireguard" && chmod 700 "$root/$n/wireguard" || return 1
		f=$root/$n/wireguard/wg0.conf
		priv=$(<"$keys/$n-private.key")
		(
			umask 077
			case $n in
			ec2) seed_hub_conf "$priv" ;;
			hkg) seed_hkg_conf "$priv" $legacy ;;
			*) seed_backend_conf "$n" "$priv" "${SEED_IP[$n]}" $legacy ;;
			esac >"$f"
		) || return 1
	done
}
