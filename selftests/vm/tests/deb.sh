#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [nobuild|full]: the packages `make deb` builds (build/deb/),
# installed and removed the Debian way on the VM's overlay root (the host's
# own packages: Debian's wireguard-tools is installed there).  22-vm-install.t
# runs it in its boot, after install.sh (which needs Debian's wg, which this
# replaces and removes).
#
#   nobuild  wireguard-oot-tools replaces wireguard-tools and works; the DKMS
#            package installs its sources with DKMS autoinstall turned off
#            (/etc/dkms/no-autoinstall), so nothing is compiled; apt-get
#            remove takes both away.  In make check.
#   full     the same, but dpkg -i makes DKMS compile the module (under TCG)
#            for the running 6.1 kernel, modprobe loads that module, and
#            apt-get remove takes the module away too.  The compile alone
#            took over 19 min under TCG on the shared 2-core host (load 12):
#            beyond make check's budget, so WG_SLOW_TESTS=1 asks for it.
#
# dpkg reads its whole database (the host's ~1000 packages) at every call;
# over 9p under TCG that took minutes per call.  A tmpfs copy of
# /var/lib/dpkg, without the md5sums, symbols and shlibs files no dpkg call
# here reads, is mounted over it first, so 9p is read once.  DKMS builds
# only for 6.1: the other kernels' header links are removed from the overlay,
# as on a host with only 6.1's headers (11-dkms.t builds with DKMS on the
# host; 12-deb.t checks the postinst's every-kernel loop is packaged).
. "$WG_REPO/selftests/vm/lib/tap.sh"
mode=${1:-nobuild}
krel=$(uname -r)
ver=$(cat "$WG_REPO/VERSION")
dkms_deb=$WG_REPO/build/deb/wireguard-oot-dkms_${ver}_all.deb
tools_deb=$WG_REPO/build/deb/wireguard-oot-tools_${ver}_amd64.deb
export DEBIAN_FRONTEND=noninteractive
log=/tmp/deb.log

status() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' '; }

t0=$SECONDS
mkdir -p /run/dpkg-db
t_ok "/var/lib/dpkg copied to tmpfs" tar -C /var/lib/dpkg -c --exclude='info/*.md5sums' \
	--exclude='info/*.symbols' --exclude='info/*.shlibs' -f /run/dpkg-db.tar .
tar -C /run/dpkg-db -xf /run/dpkg-db.tar && rm /run/dpkg-db.tar
mount --bind /run/dpkg-db /var/lib/dpkg
echo "# dpkg database copied in $((SECONDS - t0)) s"
for d in /lib/modules/*; do
	[ "${d##*/}" = "$krel" ] || rm -f "$d/build"
done

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
t_ok "wg-exporter is installed and runs (--help)" /usr/bin/wg-exporter --help
t_ok "wg-exporter.service is installed where systemd finds it" \
	test -f /lib/systemd/system/wg-exporter.service
t_ok "man wg-exporter resolves to the packaged page" \
	test "$(man -w wg-exporter 2>/dev/null)" = /usr/share/man/man8/wg-exporter.8.gz
t_is "installing did not enable wg-exporter.service (no port opened unasked)" \
	"$(ls /etc/systemd/system/*.wants/wg-exporter.service 2>/dev/null)" ""

# --- wireguard-oot-dkms -------------------------------------------------
if [ "$mode" = full ]; then
	start=$SECONDS
	dpkg -i "$dkms_deb" > "$log" 2>&1
	rc=$?
	t_ok "dpkg -i wireguard-oot-dkms: DKMS builds the module ($((SECONDS - start)) s in the VM)" test "$rc" = 0
	[ "$rc" = 0 ] || tail -n 30 "$log" | sed 's/^/# /'
	grep -E 'Building|Done|skipped|did not build' "$log" | sed 's/^/# /'
	t_ok "dkms: wireguard-oot $ver installed for $krel" \
		grep -q "wireguard-oot/$ver, $krel, x86_64: installed" <(dkms status -m wireguard-oot -v "$ver" -k "$krel")
	ko=/lib/modules/$krel/updates/dkms/wireguard.ko
	t_is "modinfo resolves wireguard to DKMS's module" "$(modinfo -n wireguard 2>&1)" "$ko"
	loads=$(dmesg | grep -c 'out-of-tree')
	t_ok "modprobe wireguard" modprobe wireguard
	t_is "the loaded module is the DKMS-built one (srcversion)" \
		"$(cat /sys/module/wireguard/srcversion 2>&1)" "$(modinfo -F srcversion "$ko" 2>&1)"
	t_ok "the loaded module is this project's (its banner once more in dmesg)" \
		test "$(dmesg | grep -c 'out-of-tree')" = "$((loads + 1))"
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
	t_ok "Debian's DKMS postinst honoured no-autoinstall (before dkms add)" \
		grep -q "autoinstall for dkms modules has been disabled" "$log"
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
	"$(ls -d /usr/bin/wg /usr/bin/wg-quick /usr/bin/wg-mesh /usr/bin/wg-exporter /lib/systemd/system/wg-quick@.service \
		/lib/systemd/system/wg-exporter.service /etc/wireguard 2>/dev/null)" ""
t_is "modinfo resolves wireguard to the kernel's own module again" \
	"$(modinfo -n wireguard 2>&1)" "/lib/modules/$krel/kernel/drivers/net/wireguard/wireguard.ko"
echo "# deb.sh: $((SECONDS - t0)) s"
t_done
