#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install` puts the module in /lib/modules/<ver>/updates (Kbuild's
# modules_install) and runs depmod, so that `modprobe wireguard` loads ours,
# not Debian's in-tree one.
. "$WG_REPO/selftests/vm/tests/tap.sh"
krel=$(uname -r)
ko=$(ls "$WG_REPO"/build/modules/"$krel"/release/wireguard.ko)
t_ok "Debian's own module is present in the tree" \
	test -f "/lib/modules/$krel/kernel/drivers/net/wireguard/wireguard.ko"
t_ok "make install-module" make -C "$WG_REPO" -s install-module MODULE_KO="$ko" MODULE_KVER="$krel"
t_ok "module installed in updates/" test -f "/lib/modules/$krel/updates/wireguard.ko"
t_is "modinfo resolves wireguard to ours" "$(modinfo -n wireguard)" "/lib/modules/$krel/updates/wireguard.ko"
t_ok "modprobe wireguard" modprobe wireguard
t_ok "the loaded module is ours" grep -q 'out-of-tree' <(dmesg)
t_ok "link add works" ip link add wg0 type wireguard
t_ok "link del works" ip link del wg0
t_ok "modprobe -r wireguard" modprobe -r wireguard
t_done
