# SPDX-License-Identifier: GPL-2.0
# Lifetime accounting that survives a full kernel log (sourced after
# lib/impl.sh, whose dmesg_mark/lifetime_counts it replaces).
#
# With dynamic debug on, hundreds of peers print enough to wrap the
# kernel's ring buffer, and counting lines of `dmesg` from a remembered
# line number then misses records.  Instead a reader follows /dev/kmsg
# into a file from the mark on; records carry sequence numbers, so a
# reader restarted after an overrun (EPIPE) is de-duplicated.

_wg_kmsg_pid=
_wg_kmsg_log=/tmp/wg-kmsg.$$

_wg_kmsg_stop() {
	local kids
	[ -n "$_wg_kmsg_pid" ] || return 0
	kids=$(cat /proc/"$_wg_kmsg_pid"/task/*/children 2>/dev/null)
	kill "$_wg_kmsg_pid" $kids 2>/dev/null
	_wg_kmsg_pid=
}
trap _wg_kmsg_stop EXIT

dmesg_mark() {
	local tag i
	_wg_kmsg_stop
	: > "$_wg_kmsg_log"
	( while :; do cat /dev/kmsg 2>/dev/null; done >> "$_wg_kmsg_log" ) &
	_wg_kmsg_pid=$!
	tag="wg-lifetime-mark-$$-$RANDOM"
	echo "$tag" > /dev/kmsg
	for i in $(seq 50); do
		grep -q "$tag" "$_wg_kmsg_log" && break
		sleep 0.1
	done
	_wg_kmsg_tag=$tag
}

lifetime_counts() {
	awk -v tag="$_wg_kmsg_tag" '
		{
			split($0, h, ";"); split(h[1], f, ",")
			seq = f[2] + 0
			if (index($0, tag)) { mark = seq; next }
			if (mark == "" || seq <= mark || (seq in seen)) next
			seen[seq] = 1
		}
		/: Peer [0-9]+ created/ { pc++ }
		/: Peer [0-9]+ (\(.*\) )?destroyed/ { pd++ }
		/: Keypair [0-9]+ created/ { kc++ }
		/: Keypair [0-9]+ destroyed/ { kd++ }
		END { printf "peers %d/%d keypairs %d/%d\n", pc, pd, kc, kd }' \
		"$_wg_kmsg_log"
}
