# SPDX-License-Identifier: GPL-2.0
# Synthetic config sets for wg-mesh check (sourced by 09-wg-mesh.t).
#   keys a b c ...          a key pair per node (KEYS/NODE.priv, .pub)
#   conf DIR NODE <<EOF     DIR/NODE.conf from the text, with PRIV_x and
#                           PUB_x replaced by node x's keys; mode 0600
#   pair_line DIR SRC DST   check --pairs' line for SRC>DST
#   line_of FILE REGEX      the number of the first line matching REGEX
WG=${WG:-$PWD/tools/wg/wg}

keys() {
	local n
	mkdir -p "$KEYS"
	for n in "$@"; do
		[ -s "$KEYS/$n.priv" ] && continue
		(umask 077; "$WG" genkey >"$KEYS/$n.priv")
		"$WG" pubkey <"$KEYS/$n.priv" >"$KEYS/$n.pub"
	done
}

conf() {
	local dir=$1 node=$2 text f n
	text=$(cat)
	for f in "$KEYS"/*.priv; do
		n=$(basename "$f" .priv)
		text=${text//PRIV_$n/$(<"$f")}
		text=${text//PUB_$n/$(<"$KEYS/$n.pub")}
	done
	mkdir -p "$dir"
	(umask 077; printf '%s\n' "$text" >"$dir/$node.conf")
}

pair_line() {
	"$MESH" check --pairs "$1" | awk -v s="$2" -v d="$3" '$1 == s && $2 == d'
}

line_of() {
	grep -n -m1 -E "$2" "$1" | cut -d: -f1
}
