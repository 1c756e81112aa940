#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install` puts the module in /lib/modules/<ver>/updates (Kbuild's
# modules_install) and runs depmod, so that `modprobe wireguard` loads ours,
# not Debian's in-tree one.  Then, in the same boot (one boot less in make
# check), the Debian packages: deb.sh.
. "$WG_REPO/selftests/vm/lib/tap.sh"
krel=$(uname -r)
ko=$(ls "$WG_REPO"/build/modules/"$krel"/release/wireguard.ko)
t_ok "Debian's own module is present in the tree" \
	test -f "/lib/modules/$krel/kernel/drivers/net/wireguard/wireguard.ko"
out=$(make -s -C "$WG_REPO" check-host 2>&1)
t_ok "make check-host refuses before our module is installed" \
	test $? != 0 -a -n "$(grep -F "install it first" <<< "$out")"
t_ok "make install-module" make -C "$WG_REPO" -s install-module MODULE_KO="$ko" MODULE_KVER="$krel"
t_ok "module installed in updates/" test -f "/lib/modules/$krel/updates/wireguard.ko"
t_is "modinfo resolves wireguard to ours" "$(modinfo -n wireguard)" "/lib/modules/$krel/updates/wireguard.ko"
t_ok "modprobe wireguard" modprobe wireguard
t_ok "the loaded module is ours" grep -q 'out-of-tree' <(dmesg)
t_ok "link add works" ip link add wg0 type wireguard
t_ok "link del works" ip link del wg0
t_ok "modprobe -r wireguard" modprobe -r wireguard

# make check-host, as on a real host: the kselftest programs over the netns
# suites, on this kernel, with the module make install put in place.  Only
# the tunnel program here: both took 321 s under TCG on the shared host.
start=$SECONDS
out=$(make -s -C "$WG_REPO" check-host TEST_PROGS=wireguard-tunnel.sh 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
t_ok "make check-host passes ($((SECONDS - start)) s)" test "$rc" = 0
t_is "TAP 13 around the kselftest program" "$(sed -n 1,2p <<< "$out" | tr '\n' ' ')" "TAP version 13 1..1 "
t_is "the program ran and passed, not skipped" \
	"$(grep -c -E '^ok 1 selftests: wireguard: wireguard-tunnel\.sh$' <<< "$out")" 1
t_is "it printed KTAP with a plan of more than one result" \
	"$(grep -A1 '^# KTAP version 1$' <<< "$out" | grep -c -E '^# 1\.\.([2-9]|[1-9][0-9]+)$')" 1
t_ok "it checked that modprobe loaded this project's module" \
	grep -q "^# ok 1 - modprobe wireguard loads this project's module" <<< "$out"

# Take make install's module away again, so that deb.sh starts from
# Debian's own module as a fresh host would.
modprobe -r wireguard 2> /dev/null
rm -f "/lib/modules/$krel/updates/wireguard.ko"*
depmod "$krel"
t_is "make install's module removed: modinfo resolves Debian's again" "$(modinfo -n wireguard 2>&1)" \
	"/lib/modules/$krel/kernel/drivers/net/wireguard/wireguard.ko"
"$WG_REPO/selftests/vm/tests/deb.sh" "${1:-nobuild}"
t_done
