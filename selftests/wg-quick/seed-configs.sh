# SPDX-License-Identifier: GPL-2.0
# Configuration writers in the shape of the edgeProxy overlay seed document
# (../shared/seeds/edgeproxy-wireguard-overlay.md): the EC2 Ireland hub, the
# GCP HKG POP in full mesh, and the backends' entrypoint (APAC and others).
# Sourced by the wg-quick tests and by the demo.
#
# Inputs (set by the caller, defaults are the seed's own values):
#   SEED_PUB[node]       public key of each node (node: ec2 gru iad ... hkg)
#   SEED_ENDPOINT[node]  "address:port" at which the node is reachable
#   SEED_HOOK_IF         interface name written in the PostUp/PostDown lines
#                        (the seed writes wg0)

SEED_BACKENDS=(gru iad ord lax lhr fra cdg nrt sin syd)
SEED_APAC=(nrt sin syd)

declare -gA SEED_NAME=(
	[ec2]="EC2 Ireland" [gru]="Sao Paulo" [iad]="Virginia" [ord]="Chicago"
	[lax]="Los Angeles" [lhr]="London" [fra]="Frankfurt" [cdg]="Paris"
	[nrt]="Tokyo" [sin]="Singapore" [syd]="Sydney" [hkg]="Hong Kong"
)
declare -gA SEED_IP=(
	[ec2]=10.50.0.1 [gru]=10.50.1.1 [iad]=10.50.2.1 [ord]=10.50.2.2
	[lax]=10.50.2.3 [lhr]=10.50.3.1 [fra]=10.50.3.2 [cdg]=10.50.3.3
	[nrt]=10.50.4.1 [sin]=10.50.4.2 [syd]=10.50.4.3 [hkg]=10.50.5.1
)
# The public keys printed in the seed.
declare -gA SEED_PUB_DEFAULT=(
	[ec2]=bzM6rw/efq+75VGhBgkCRChDnKfFlXQY560ejhvKCQY=
	[gru]=He2jX3+iEl7hUaaJG/i3YcSnStEFAcW/rs/lP0Pw+nc=
	[iad]=rImgzxPu9MuhqLpcvXQ9xckSSA+AGbDOpBGvTUOwaHQ=
	[ord]=SIh+oa2J6k4rYA+N1SzskwztVVR/1Hx3ef/yLyyh+VU=
	[lax]=z7JmcJguquFBQiphSSmYBsttr6BoRs8MkCev9o5JkAU=
	[lhr]=w+XApd9CmhlyweQr8Fp7YPMbjd6RAk/cmXA6OET9/H0=
	[fra]=g5IzaRpt1hkvFhGTfy5LC0HLwPxVTC5dQb3if5sds24=
	[cdg]=C1My7suqoLuYchPIaVLbsB5A/dX21h7wICqa7yL2oX4=
	[nrt]=9ZK9FzSzihxrRX9gktc99Oj0WFSJMa0mf33pP2LJ/lU=
	[sin]=gcwoqaT950PGW1ZaUEV75VEV7HOdyYT5rwdYOUBQzR0=
	[syd]=9yHQmzbLKEyM+F1x7obbX0WNaR25XhAcUOdU9SLBeEo=
	[hkg]=GxuSsvO9/raKe5WctZQfX5tkHOrTf0PLJWmHEzrw1Go=
)
# The seed's public endpoints.
declare -gA SEED_ENDPOINT_DEFAULT=(
	[ec2]=54.171.48.207:51820
	[hkg]=35.241.112.61:51820
)
declare -gA SEED_PUB SEED_ENDPOINT
seed_defaults() {
	local k
	for k in "${!SEED_PUB_DEFAULT[@]}"; do
		[[ -n ${SEED_PUB[$k]} ]] || SEED_PUB[$k]=${SEED_PUB_DEFAULT[$k]}
	done
	for k in "${!SEED_ENDPOINT_DEFAULT[@]}"; do
		[[ -n ${SEED_ENDPOINT[$k]} ]] || SEED_ENDPOINT[$k]=${SEED_ENDPOINT_DEFAULT[$k]}
	done
	: "${SEED_HOOK_IF:=wg0}"
}

seed_forwarding_hooks() {
	cat <<EOF
# Enable IP forwarding for routing
PostUp = sysctl -w net.ipv4.ip_forward=1
PostUp = iptables -A FORWARD -i $SEED_HOOK_IF -o $SEED_HOOK_IF -j ACCEPT
PostDown = iptables -D FORWARD -i $SEED_HOOK_IF -o $SEED_HOOK_IF -j ACCEPT
EOF
}

# seed_hub_conf PRIVATE_KEY -- EC2 Ireland: every backend a /32 peer, HKG's /24.
seed_hub_conf() {
	local n
	seed_defaults
	cat <<EOF
# /etc/wireguard/wg0.conf on EC2 Ireland
[Interface]
PrivateKey = $1
Address = ${SEED_IP[ec2]}/24
ListenPort = 51820

$(seed_forwarding_hooks)
EOF
	for n in "${SEED_BACKENDS[@]}"; do
		cat <<EOF

# ${n^^} - ${SEED_NAME[$n]}
[Peer]
PublicKey = ${SEED_PUB[$n]}
AllowedIPs = ${SEED_IP[$n]}/32
PersistentKeepalive = 25
EOF
	done
	cat <<EOF

# HKG POP - Hong Kong
[Peer]
PublicKey = ${SEED_PUB[hkg]}
AllowedIPs = 10.50.5.0/24
PersistentKeepalive = 25
EOF
}

# seed_hkg_conf PRIVATE_KEY [legacy] -- the GCP HKG POP.  Full mesh (the
# seed's current configuration): the hub for SA/NA/EU, APAC backends direct.
# "legacy": hub-and-spoke, the hub carries everything (10.50.0.0/16 minus
# HKG's own /24 is expressed as the hub's /24s plus APAC's).
seed_hkg_conf() {
	local n
	seed_defaults
	cat <<EOF
# /etc/wireguard/wg0.conf on GCP HKG
[Interface]
PrivateKey = $1
Address = ${SEED_IP[hkg]}/24
ListenPort = 51820

$(seed_forwarding_hooks)
EOF
	if [[ $2 == legacy ]]; then
		cat <<EOF

# EC2 Ireland (hub for every backend)
[Peer]
PublicKey = ${SEED_PUB[ec2]}
Endpoint = ${SEED_ENDPOINT[ec2]}
AllowedIPs = ${SEED_IP[ec2]}/32, 10.50.1.0/24, 10.50.2.0/24, 10.50.3.0/24, 10.50.4.0/24
PersistentKeepalive = 25
EOF
		return
	fi
	cat <<EOF

# EC2 Ireland (for non-APAC backends: SA, NA, EU)
[Peer]
PublicKey = ${SEED_PUB[ec2]}
Endpoint = ${SEED_ENDPOINT[ec2]}
AllowedIPs = ${SEED_IP[ec2]}/32, 10.50.1.0/24, 10.50.2.0/24, 10.50.3.0/24
PersistentKeepalive = 25
EOF
	for n in "${SEED_APAC[@]}"; do
		cat <<EOF

# ${n^^} - ${SEED_NAME[$n]} (DIRECT MESH)
[Peer]
PublicKey = ${SEED_PUB[$n]}
EOF
		[[ -z ${SEED_ENDPOINT[$n]} ]] || echo "Endpoint = ${SEED_ENDPOINT[$n]}"
		cat <<EOF
AllowedIPs = ${SEED_IP[$n]}/32
PersistentKeepalive = 25
EOF
	done
}

# seed_backend_conf REGION PRIVATE_KEY ADDRESS [legacy] -- what the backends'
# entrypoint.sh writes: the hub peer, plus the HKG peer in APAC regions.
# "legacy" models the hub-and-spoke days before the HKG mesh, which the seed
# does not print: APAC backends reach HKG's /24 through the hub instead.
seed_backend_conf() {
	local region=$1 priv=$2 addr=$3 hub_ips="10.50.0.0/24, 10.50.1.0/24, 10.50.2.0/24, 10.50.3.0/24"
	seed_defaults
	if [[ $4 == legacy && " ${SEED_APAC[*]} " == *" $region "* ]]; then
		hub_ips+=", 10.50.5.0/24"
	fi
	cat <<EOF
[Interface]
PrivateKey = ${priv}
Address = ${addr}

[Peer]
# EC2 Ireland (hub for non-APAC traffic)
PublicKey = ${SEED_PUB[ec2]}
Endpoint = ${SEED_ENDPOINT[ec2]}
AllowedIPs = ${hub_ips}
PersistentKeepalive = 25
EOF
	[[ $4 == legacy ]] && return 0
	case $region in
	nrt|sin|syd)
		cat <<EOF

[Peer]
# GCP HKG (direct mesh for APAC)
PublicKey = ${SEED_PUB[hkg]}
Endpoint = ${SEED_ENDPOINT[hkg]}
AllowedIPs = 10.50.5.0/24
PersistentKeepalive = 25
EOF
		;;
	esac
	return 0
}
