# SPDX-License-Identifier: GPL-2.0
# The demo's world (sourced): one network namespace per node of the edgeProxy
# overlay, their addresses on the shared underlay ("internet"), and the
# round-trip times netem gives each pair of nodes that talk to each other.
#
# Public addresses: the seed's own for EC2 Ireland and the HKG POP (so the
# configs carry the seed's Endpoint lines verbatim), documentation addresses
# (198.51.100.0/24) for the backends, which the seed never gives.

DEMO_NODES=(ec2 hkg gru iad ord lax lhr fra cdg nrt sin syd)

declare -gA DEMO_PUBLIC=(
	[ec2]=54.171.48.207 [hkg]=35.241.112.61
	[gru]=198.51.100.11 [iad]=198.51.100.21 [ord]=198.51.100.22
	[lax]=198.51.100.23 [lhr]=198.51.100.31 [fra]=198.51.100.32
	[cdg]=198.51.100.33 [nrt]=198.51.100.41 [sin]=198.51.100.42
	[syd]=198.51.100.43
)

# Round-trip times in ms, symmetric, half on each direction.  Chosen so that
# the seed's figures come out: via the hub, HKG->NRT is HKG-EC2 + EC2-NRT
# = 230 + 262 = 492, HKG->SIN 230 + 178 = 408, HKG->SYD 230 + 270 = 500;
# direct, HKG-NRT 49, HKG-SIN 38, HKG-SYD 122 (the seed's mesh column).
# EC2's links to the other backends are plausible figures from Ireland.
declare -gA DEMO_RTT=(
	[ec2-hkg]=230 [ec2-nrt]=262 [ec2-sin]=178 [ec2-syd]=270
	[hkg-nrt]=49 [hkg-sin]=38 [hkg-syd]=122
	[ec2-gru]=184 [ec2-iad]=72 [ec2-ord]=88 [ec2-lax]=138
	[ec2-lhr]=12 [ec2-fra]=24 [ec2-cdg]=18
)

# The seed's latency table (ms): HKG to each APAC backend via hub and mesh.
declare -gA DEMO_SEED_HUB=([nrt]=492 [sin]=408 [syd]=500)
declare -gA DEMO_SEED_MESH=([nrt]=49 [sin]=38 [syd]=122)

# demo_rtt A B -- the modelled RTT between two nodes, empty if none.
demo_rtt() {
	local v=${DEMO_RTT[$1-$2]}
	[[ -n $v ]] || v=${DEMO_RTT[$2-$1]}
	echo "$v"
}
