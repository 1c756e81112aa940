#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [tools|full]: the packages `make deb` builds (build/deb/), installed
# and removed the Debian way on the VM's overlay root (the host's own
# packages: Debian's wireguard-tools is installed there).
#
#   tools  wireguard-oot-tools replaces wireguard-tools and works; the DKMS
#          package installs its sources with DKMS autoinstall turned off
#          (/etc/dkms/no-autoinstall), so nothing is compiled; apt-get remove
#          takes both away.  No compiling, but dpkg reads its whole database
#          (the host's ~1000 packages, 3700 files) over 9p under TCG: minutes.
#   full   the same, but DKMS compiles the module in the VM (TCG) for the
#          running 6.1 kernel and every other kernel with headers, modprobe
#          loads it, and apt-get remove takes the modules away too.  Slow:
#          WG_SLOW_TESTS=1 (33-vm-deb.t).
. "$WG_REPO/selftests/vm/tests/tap.sh"
mode=${1:-tools}
krel=$(uname -r)
ver=$(cat "$WG_REPO/VERSION")
dkms_deb=$WG_REPO/build/deb/wireguard-oot-dkms_${ver}_all.deb
tools_deb=$WG_REPO/build/deb/wireguard-oot-tools_${ver}_amd64.deb
export DEBIAN_FRONTEND=noninteractive
log=/tmp/deb.log

status() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' '; }

# --- wireguard-oot-tools ------------------------------------------------
t_is "Debian's wireguard-tools is installed before" "$(status wireguard-tools)" ii
t_ok "dpkg -i wireguard-oot-tools (replaces wireguard-tools)" dpkg -i "$tools_deb"
st=$(status wireguard-tools)
t_ok "wireguard-tools was removed in its favour (status '$st')" test "${st:1:1}" != i
t_is "wireguard-oot-tools is installed" "$(status wireguard-oot-tools)" ii
t_is "wg --version names this project" "$(wg --version 2>&1)" "wg (wireguard-oot) $ver"
t_ok "/usr/bin/wg-quick is this tree's" cmp /usr/bin/wg-quick "$WG_REPO/tools/wg-quick/wg-quick"
t_ok "wg-quick@.service is installed where systemd finds it" \
	test -f /lib/systemd/system/wg-quick@.service
t_ok "man wg-quick resolves to the packaged page" \
	test "$(man -w wg-quick 2>/dev/null)" = /usr/share/man/man8/wg-quick.8.gz
t_is "/etc/wireguard is 0700 root" "$(stat -c '%a %U' /etc/wireguard 2>&1)" "700 root"

# --- wireguard-oot-dkms -------------------------------------------------
if [ "$mode" = full ]; then
	start=$SECONDS
	dpkg -i "$dkms_deb" > "$log" 2>&1
	rc=$?
	t_ok "dpkg -i wireguard-oot-dkms: DKMS builds the module ($((SECONDS - start)) s in the VM)" test "$rc" = 0
	[ "$rc" = 0 ] || tail -n 30 "$log" | sed 's/^/# /'
	grep -E 'Building|Done|skipped|did not build' "$log" | sed 's/^/# /'
	kernels=
	for d in /lib/modules/*; do
		[ -e "$d/build/Makefile" ] && kernels+=" ${d##*/}"
	done
	for k in $kernels; do
		t_ok "dkms: wireguard-oot $ver installed for $k" \
			grep -q "wireguard-oot/$ver, $k, x86_64: installed" <(dkms status -m wireguard-oot -v "$ver" -k "$k")
	done
	ko=/lib/modules/$krel/updates/dkms/wireguard.ko
	t_is "modinfo resolves wireguard to DKMS's module" "$(modinfo -n wireguard 2>&1)" "$ko"
	t_ok "modprobe wireguard" modprobe wireguard
	t_is "the loaded module is the DKMS-built one (srcversion)" \
		"$(cat /sys/module/wireguard/srcversion 2>&1)" "$(modinfo -F srcversion "$ko" 2>&1)"
	t_ok "the loaded module is this project's" grep -q 'out-of-tree' <(dmesg)
	t_ok "ip link add wg0 type wireguard" ip link add wg0 type wireguard
	t_ok "wg show wg0 (the packaged wg, over netlink)" wg show wg0
	t_ok "ip link del wg0" ip link del wg0
	t_ok "modprobe -r wireguard" modprobe -r wireguard
else
	mkdir -p /etc/dkms
	touch /etc/dkms/no-autoinstall
	dpkg -i "$dkms_deb" > "$log" 2>&1
	rc=$?
	t_ok "dpkg -i wireguard-oot-dkms (DKMS autoinstall off)" test "$rc" = 0
	[ "$rc" = 0 ] || tail -n 30 "$log" | sed 's/^/# /'
	t_ok "the sources and dkms.conf are in /usr/src/wireguard-oot-$ver" \
		grep -qx "PACKAGE_VERSION=\"$ver\"" "/usr/src/wireguard-oot-$ver/dkms.conf"
	t_is "with autoinstall off, no module was built" \
		"$(find /lib/modules/ -path '*/updates/dkms/wireguard.ko*' 2>/dev/null)" ""
fi
t_is "wireguard-oot-dkms is installed" "$(status wireguard-oot-dkms)" ii

# --- apt-get remove -----------------------------------------------------
t_ok "apt-get remove wireguard-oot-dkms wireguard-oot-tools" \
	apt-get remove -y -q wireguard-oot-dkms wireguard-oot-tools
st="$(status wireguard-oot-dkms) $(status wireguard-oot-tools)"
t_ok "neither package is left installed ($st)" test -z "$(grep -E '(^|[[:space:]]).i' <<< "$st")"
t_is "no module left under /lib/modules/*/updates/dkms" \
	"$(find /lib/modules/ -path '*/updates/dkms/wireguard.ko*' 2>/dev/null)" ""
t_is "no DKMS state left" "$(ls -d /var/lib/dkms/wireguard-oot* /usr/src/wireguard-oot* 2>/dev/null)" ""
t_is "no tool, unit or key directory left" \
	"$(ls -d /usr/bin/wg /usr/bin/wg-quick /usr/bin/wg-mesh /lib/systemd/system/wg-quick@.service /etc/wireguard 2>/dev/null)" ""
if [ "$mode" = full ]; then
	t_is "modinfo resolves wireguard to the kernel's own module again" \
		"$(modinfo -n wireguard 2>&1)" "/lib/modules/$krel/kernel/drivers/net/wireguard/wireguard.ko"
fi
t_done
