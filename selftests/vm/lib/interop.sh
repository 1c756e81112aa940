# SPDX-License-Identifier: GPL-2.0
# Helpers for the interop, flood and tunnel benchmark scripts (sourced after
# lib/net.sh).

# go_start NS IFACE: wireguard-go in the foreground (background job) in NS;
# waits for its UAPI socket.  go_stop ends it.
GO_PID=
go_start() {
	local ns=$1 dev=$2
	modprobe tun 2> /dev/null
	mkdir -p /run/wireguard
	ip netns exec "$ns" env LOG_LEVEL=error wireguard-go -f "$dev" \
		> "/tmp/wireguard-go-$dev.log" 2>&1 &
	GO_PID=$!
	if ! wait_for 20 test -S "/run/wireguard/$dev.sock" ||
	   ! ip -n "$ns" link show "$dev" > /dev/null; then
		# Why: its own words, and whether the TUN device node is there.
		tail -n 5 "/tmp/wireguard-go-$dev.log"
		ls -l /dev/net/tun
		return 1
	fi
}
go_stop() {
	[ -n "$GO_PID" ] || return 0
	kill "$GO_PID" 2> /dev/null
	wait "$GO_PID" 2> /dev/null
	GO_PID=
}

# counters_moved: rx and tx bytes of the ns1 wg0 peer and the ns2 wggo0
# peer are all non-zero.
counters_moved() {
	local a b c d
	a=$(peer_field ns1 "$PUB2" 6) b=$(peer_field ns1 "$PUB2" 7)
	c=$(peer_field_dev ns2 wggo0 "$PUB1" 6) d=$(peer_field_dev ns2 wggo0 "$PUB1" 7)
	echo "wg0 rx $a tx $b; wggo0 rx $c tx $d"
	[ "${a:-0}" -gt 0 ] && [ "${b:-0}" -gt 0 ] && [ "${c:-0}" -gt 0 ] && [ "${d:-0}" -gt 0 ]
}

# hsblast_path: the wg-hsblast binary (handshake sender): the copy the host
# built in build/tools if it is up to date, else compiled here into /tmp.
hsblast_path() {
	local src=$WG_REPO/selftests/vm/tools/wg-hsblast.c bin=$WG_REPO/build/tools/wg-hsblast
	if [ -x "$bin" ] && [ "$bin" -nt "$src" ]; then
		echo "$bin"
		return 0
	fi
	bin=/tmp/wg-hsblast
	[ -x $bin ] || gcc -O2 -Wall -o $bin "$src" >&2 || return 1
	echo $bin
}

# wait_secs SECONDS CMD...: poll CMD every 0.2 s until it succeeds or
# SECONDS of wall-clock time have passed (polls can be slow under load).
wait_secs() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" > /dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@"
}
