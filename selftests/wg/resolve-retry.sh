#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Endpoint host names: tools/wg/wg against the reference wg when name
# resolution fails temporarily (retries with growing delays,
# WG_ENDPOINT_RESOLUTION_RETRIES), and a name that starts resolving while
# ours is retrying.  Runs as root in private network and mount namespaces
# (06-wg-parse.t uses `unshare -n -m'): /etc/resolv.conf points at a
# loopback address where no server listens, /etc/hosts is a scratch copy.
# Prints TAP.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
UP=${WG_REFERENCE:-/usr/bin/wg}
OURS=$REPO/tools/wg/wg
T=$(mktemp -d /tmp/wg-retry.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
same() { # description expected actual
	if cmp -s "$2" "$3"; then ok "$1"; else notok "$1"; diff -u "$2" "$3" | head -n 30 | sed 's/^/# /'; fi
}

echo "nameserver 127.0.0.1" >"$T/resolv.conf"
cp /etc/hosts "$T/hosts"
mount --bind "$T/resolv.conf" /etc/resolv.conf && mount --bind "$T/hosts" /etc/hosts ||
	{ echo "1..0 # SKIP cannot bind-mount resolver files"; exit 0; }
ip link set lo up
PK=$($UP genkey | $UP pubkey)

for r in 2 0 x -1; do
	for w in up ours; do
		tool=$UP; [ $w = ours ] && tool=$OURS
		WG_ENDPOINT_RESOLUTION_RETRIES=$r $tool set wgnone0 peer "$PK" endpoint wg-retry.invalid:51820 \
			>"$T/$w" 2>&1
		echo "rc=$?" >>"$T/$w"
	done
	same "temporary resolver failure, WG_ENDPOINT_RESOLUTION_RETRIES=$r: same messages and exit code" \
		"$T/up" "$T/ours"
	cp "$T/ours" "$T/ours.$r"
done
if grep -q 'Trying again in 1.00 seconds' "$T/ours.2" && grep -q 'Trying again in 1.20 seconds' "$T/ours.2" &&
   [ "$(grep -c 'Trying again' "$T/ours.2")" = 2 ] && ! grep -q 'Trying again' "$T/ours.0"; then
	ok "two retries wait 1.00 s then 1.20 s; zero retries give up at once"
else
	notok "two retries wait 1.00 s then 1.20 s; zero retries give up at once"
fi

# With unlimited retries, a name that appears while ours waits is used: the
# tool goes on to the interface (which does not exist here).
WG_ENDPOINT_RESOLUTION_RETRIES=infinity $OURS set wgnone0 peer "$PK" endpoint wg-late.invalid:51820 \
	>"$T/late" 2>&1 &
pid=$!
for _ in $(seq 200); do grep -q 'Trying again' "$T/late" && break; sleep 0.05; done
echo "192.0.2.9 wg-late.invalid" >>/etc/hosts
for _ in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
kill $pid 2>/dev/null && notok "still retrying after the name appeared" || {
	wait $pid
	if grep -q "Temporary failure in name resolution: \`wg-late.invalid:51820'. Trying again" "$T/late" &&
	   grep -q '^Unable to modify interface' "$T/late"; then
		ok "a name that starts resolving during the retries is used"
	else
		notok "a name that starts resolving during the retries is used"; sed 's/^/# /' "$T/late"
	fi
}
echo "1..$n"
[ $failed -eq 0 ]
