#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make deb` builds the two Debian packages (debian/, debhelper, dh-dkms),
# lintian has nothing to say about them beyond what debian/*.lintian-
# overrides explains, and each package holds what it must: the DKMS source
# package every source file the module is built from plus a postinst that
# builds for every kernel and a prerm that removes the module again; the
# tools package wg, wg-quick, wg-mesh, wg-exporter and wg-reresolve (issue
# 16), the units, man pages and completions, and it conflicts with Debian's
# wireguard-tools.  Installing them is tested in the VM (22-vm-install.t,
# vm/tests/deb.sh).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
ver=$(cat VERSION)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tap_ok "$([ "$(dpkg-parsechangelog -S Version)" = "$ver" ]; echo $?)" \
	"debian/changelog's version is VERSION ($ver)"
tap_ok "$(grep -qx "PACKAGE_VERSION=\"$ver\"" dkms.conf; echo $?)" \
	"dkms.conf's PACKAGE_VERSION is VERSION ($ver)"

nice make -s deb > "$tmp/log" 2>&1
rc=$?
tap_ok $rc "make deb (debhelper build, lintian --fail-on error,warning)"
[ $rc = 0 ] || tail -n 30 "$tmp/log" | sed 's/^/# /'
dkms_deb=build/deb/wireguard-oot-dkms_${ver}_all.deb
tools_deb=build/deb/wireguard-oot-tools_${ver}_amd64.deb
tap_ok "$([ -f "$dkms_deb" ]; echo $?)" "$dkms_deb built"
tap_ok "$([ -f "$tools_deb" ]; echo $?)" "$tools_deb built"
[ -f "$dkms_deb" ] && [ -f "$tools_deb" ] || tap_bail "no packages to inspect"

# lintian again, on its own: every tag it prints (info and pedantic ones
# included) is either overridden or listed here with the reason.
lintian --pedantic --info "$dkms_deb" "$tools_deb" > "$tmp/lintian" 2>&1
tags=$(grep -E '^[EWIPX]: ' "$tmp/lintian")
tap_ok "$([ -z "$tags" ]; echo $?)" "lintian --pedantic --info: no tag left"
[ -z "$tags" ] || printf '%s\n' "$tags" | sed 's/^/# /'
lintian --pedantic --show-overrides "$tools_deb" 2>&1 |
	grep -q '^O: wireguard-oot-tools: non-standard-dir-perm 0700 != 0755 \[etc/wireguard/\]'
tap_ok $? "the one override (etc/wireguard 0700) is in use, not stale"

field() { dpkg-deb -f "$1" "$2"; }

# --- wireguard-oot-dkms ---
tap_ok "$([ "$(field "$dkms_deb" Architecture)" = all ]; echo $?)" "dkms package is Architecture: all"
[[ $(field "$dkms_deb" Depends) == *dkms* ]]
tap_ok $? "dkms package depends on dkms ($(field "$dkms_deb" Depends))"
dpkg-deb -c "$dkms_deb" | awk '{print $NF}' | sed 's|^\./||' > "$tmp/dkms.list"
src=usr/src/wireguard-oot-$ver
missing=$(git ls-files Kbuild 'crypto/*.[ch]' 'crypto/*.S' crypto/objs.mk \
	'drivers/net/wireguard/*.[ch]' 'include/*.h' | grep -v -x -F -f <(sed "s|^$src/||" "$tmp/dkms.list"))
tap_ok "$([ -z "$missing" ]; echo $?)" "every module source file is in $src"
[ -z "$missing" ] || printf '# missing: %s\n' $missing
dpkg-deb --fsys-tarfile "$dkms_deb" | tar -x -O "./$src/dkms.conf" > "$tmp/dkms.conf" 2>/dev/null
tap_ok "$(cmp -s "$tmp/dkms.conf" dkms.conf; echo $?)" "$src/dkms.conf is the tree's dkms.conf"
extra=$(grep -v -E "^(usr/src/wireguard-oot-$ver(/.*)?|usr/share/doc/wireguard-oot-dkms/.*|usr/?|usr/share/?|usr/share/doc/?|usr/src/?|)$" "$tmp/dkms.list")
tap_ok "$([ -z "$extra" ]; echo $?)" "dkms package ships only the source and its docs"
[ -z "$extra" ] || printf '# extra: %s\n' $extra
mkdir -p "$tmp/dkms-ctl" "$tmp/tools-ctl"
dpkg-deb -e "$dkms_deb" "$tmp/dkms-ctl"
grep -q '/usr/lib/dkms/common.postinst' "$tmp/dkms-ctl/postinst" &&
	grep -q 'for dir in /lib/modules/\*' "$tmp/dkms-ctl/postinst" &&
	grep -q "^	ver=$ver\$" "$tmp/dkms-ctl/postinst"
tap_ok $? "postinst: dkms add/build/install (dh_dkms) and the every-kernel loop for $ver"
tap_cmd "postinst is valid sh" sh -n "$tmp/dkms-ctl/postinst"
grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$tmp/dkms-ctl/prerm" &&
	grep -q '^DKMS_NAME=wireguard-oot$' "$tmp/dkms-ctl/prerm"
tap_ok $? "prerm removes the module from every kernel (dkms remove --all)"

# --- wireguard-oot-tools ---
tap_ok "$([ "$(field "$tools_deb" Architecture)" = amd64 ]; echo $?)" "tools package is Architecture: amd64"
for f in Conflicts Replaces Provides; do
	[[ ,$(field "$tools_deb" $f | tr -d ' '), == *,wireguard-tools,* ]]
	tap_ok $? "tools package $f: wireguard-tools"
done
[[ $(field "$tools_deb" Depends) == *libmnl0* ]]
tap_ok $? "tools package depends on libmnl0 (shlibs: $(field "$tools_deb" Depends))"
re='(^|[ ,])libmicrohttpd[0-9]+([ ,(]|$)'
[[ $(field "$tools_deb" Depends) =~ $re ]]
tap_ok $? "tools package depends on libmicrohttpd (wg-exporter's shlibs)"
dpkg-deb -c "$tools_deb" > "$tmp/tools.list"
for f in usr/bin/wg usr/bin/wg-quick usr/bin/wg-mesh lib/systemd/system/wg-quick@.service \
	usr/share/man/man8/wg.8.gz usr/share/man/man8/wg-quick.8.gz usr/share/man/man8/wg-mesh.8.gz \
	usr/share/bash-completion/completions/wg usr/share/bash-completion/completions/wg-quick \
	usr/share/bash-completion/completions/wg-mesh \
	usr/bin/wg-exporter lib/systemd/system/wg-exporter.service usr/share/man/man8/wg-exporter.8.gz \
	usr/bin/wg-reresolve lib/systemd/system/wg-reresolve@.service lib/systemd/system/wg-reresolve@.timer \
	usr/share/man/man8/wg-reresolve.8.gz; do
	grep -q " \./$f\$" "$tmp/tools.list"
	tap_ok $? "tools package has /$f"
done
grep -q '^drwx------ root/root .* \./etc/wireguard/$' "$tmp/tools.list"
tap_ok $? "tools package has /etc/wireguard, mode 0700 root"
x=$(grep '^-rwx' "$tmp/tools.list" | awk '{print $2, $1, $NF}' | LC_ALL=C sort | tr '\n' ' ')
[ "$x" = "root/root -rwxr-xr-x ./usr/bin/wg root/root -rwxr-xr-x ./usr/bin/wg-exporter root/root -rwxr-xr-x ./usr/bin/wg-mesh root/root -rwxr-xr-x ./usr/bin/wg-quick root/root -rwxr-xr-x ./usr/bin/wg-reresolve " ]
tap_ok $? "exactly wg, wg-exporter, wg-mesh, wg-quick and wg-reresolve are executable (0755 root): $x"
mkdir -p "$tmp/root"
dpkg-deb -x "$tools_deb" "$tmp/root"
out=$("$tmp/root/usr/bin/wg" --version 2>&1)
tap_ok "$([ "$out" = "wg (wireguard-oot) $ver" ]; echo $?)" "packaged wg --version: $out"
out=$("$tmp/root/usr/bin/wg" genkey | "$tmp/root/usr/bin/wg" pubkey 2>&1)
tap_ok "$([[ $out =~ ^[A-Za-z0-9+/]{43}=$ ]]; echo $?)" "packaged wg genkey | wg pubkey works"
tap_ok "$(cmp -s "$tmp/root/usr/bin/wg-quick" tools/wg-quick/wg-quick; echo $?)" "packaged wg-quick is the tree's"
out=$("$tmp/root/usr/bin/wg-exporter" --help 2>&1)
[ $? = 0 ] && grep -q '^Usage: wg-exporter ' <<< "$out"
tap_ok $? "packaged wg-exporter runs (--help)"
out=$("$tmp/root/usr/bin/wg-exporter" -l nonsense 2>&1)
[ $? = 1 ] && grep -q "bad listen address \`nonsense'" <<< "$out"
tap_ok $? "packaged wg-exporter refuses a bad listen address"
tap_ok "$(cmp -s "$tmp/root/lib/systemd/system/wg-exporter.service" tools/wg-exporter/wg-exporter.service; echo $?)" \
	"packaged wg-exporter.service is the tree's"
grep -q '^ExecStart=/usr/bin/wg-exporter ' "$tmp/root/lib/systemd/system/wg-exporter.service" &&
	[ -x "$tmp/root/usr/bin/wg-exporter" ]
tap_ok $? "wg-exporter.service starts the packaged binary (/usr/bin/wg-exporter)"
dpkg-deb -e "$tools_deb" "$tmp/tools-ctl"
# Installing the package opens no port: the unit is not enabled or started.
# (dh_installsystemd --no-enable --no-start: enable only what the admin had
# enabled before an upgrade, start nothing; vm/tests/deb.sh installs it.)
awk '/was-enabled .wg-exporter.service./ { guard = NR }
	/deb-systemd-helper enable .wg-exporter.service./ { if (!guard || NR - guard > 2) bad = 1; n++ }
	/deb-systemd-invoke/ { bad = 1 }
	END { exit bad || !n }' "$tmp/tools-ctl/postinst" 2> /dev/null
tap_ok $? "postinst starts nothing and enables wg-exporter.service only if it was enabled before"
zcat "$tmp/root/usr/share/man/man8/wg-exporter.8.gz" | cmp -s - Documentation/wg-exporter.8
tap_ok $? "packaged wg-exporter(8) is the tree's"

# wg-reresolve: the script, its template units and man page as the tree has
# them; the units start the packaged script, and installing the package
# re-resolves nothing (no instance is enabled or started).
tap_ok "$(cmp -s "$tmp/root/usr/bin/wg-reresolve" tools/wg-reresolve/wg-reresolve; echo $?)" \
	"packaged wg-reresolve is the tree's"
out=$("$tmp/root/usr/bin/wg-reresolve" 2>&1)
[ $? = 1 ] && [ "$out" = "Usage: wg-reresolve INTERFACE" ]
tap_ok $? "packaged wg-reresolve runs (no interface: usage, exit 1)"
out=$(WG_CONFIG_DIR=$tmp/nonexistent "$tmp/root/usr/bin/wg-reresolve" wg0 2>&1)
[ $? = 1 ] && [ "$out" = "wg-reresolve: cannot read $tmp/nonexistent/wg0.conf" ]
tap_ok $? "packaged wg-reresolve refuses a missing configuration"
for u in wg-reresolve@.service wg-reresolve@.timer; do
	tap_ok "$(cmp -s "$tmp/root/lib/systemd/system/$u" "tools/wg-reresolve/$u"; echo $?)" \
		"packaged $u is the tree's"
done
grep -qx 'ExecStart=/usr/bin/wg-reresolve %i' "$tmp/root/lib/systemd/system/wg-reresolve@.service" &&
	[ -x "$tmp/root/usr/bin/wg-reresolve" ]
tap_ok $? "wg-reresolve@.service starts the packaged script for its instance (/usr/bin/wg-reresolve %i)"
! grep -q 'Unit=' "$tmp/root/lib/systemd/system/wg-reresolve@.timer" &&
	grep -qx 'WantedBy=timers.target' "$tmp/root/lib/systemd/system/wg-reresolve@.timer"
tap_ok $? "wg-reresolve@.timer runs wg-reresolve@.service of its own instance, wanted by timers.target"
! grep -q reresolve "$tmp/tools-ctl/postinst" "$tmp/tools-ctl/prerm" "$tmp/tools-ctl/postrm" 2> /dev/null
tap_ok $? "maintainer scripts neither enable nor start a wg-reresolve unit"
zcat "$tmp/root/usr/share/man/man8/wg-reresolve.8.gz" | cmp -s - Documentation/wg-reresolve.8
tap_ok $? "packaged wg-reresolve(8) is the tree's"
for b in wg wg-mesh wg-exporter; do
	readelf -d "$tmp/root/usr/bin/$b" 2>/dev/null | grep -q 'BIND_NOW' &&
		readelf -h "$tmp/root/usr/bin/$b" 2>/dev/null | grep -q 'DYN'
	tap_ok $? "packaged $b is built with Debian's hardening flags (PIE, BIND_NOW)"
done
tap_done
