#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module lifecycle: loaded, link add/del, genetlink family present, unload.
. "$WG_REPO/selftests/vm/lib/tap.sh"

t_ok "module is ours ($(cat /sys/module/wireguard/version 2>/dev/null))" \
	grep -q "out-of-tree" <(dmesg)
slabs() { ls /sys/kernel/slab 2> /dev/null; }
slabs0=$(slabs)
t_ok "ip link add wg0 type wireguard" ip link add wg0 type wireguard
# The module's caches exist from its load on: a device's creation must not
# make one (under failslab a failed kmem_cache_create poisoned later ones).
t_is "ip link add created no slab cache" "$(slabs)" "$slabs0"
t_ok "wg0 is kind wireguard" bash -c 'ip -d link show wg0 | grep -q "wireguard"'
t_ok "wg0 is POINTOPOINT,NOARP with MTU 1420" \
	bash -c 'ip link show wg0 | grep -q "<POINTOPOINT,NOARP> mtu 1420"'
t_ok "wg0 comes up" ip link set wg0 up
t_ok "wg0 has no qdisc" bash -c 'ip link show wg0 | grep -q "qdisc noqueue"'
t_ok "genetlink family wireguard answers a dump (wg show wg0)" wg show wg0
t_ok "ip link del wg0" ip link del wg0
t_ok "device gone" bash -c '! ip link show wg0 2>/dev/null'
ip netns add smoke
t_ok "device in a namespace" ip -n smoke link add wg1 type wireguard
t_ok "deleting the namespace deletes its device" ip netns del smoke
t_ok "rmmod wireguard" rmmod wireguard
t_ok "module gone" bash -c '! test -d /sys/module/wireguard'
t_done
