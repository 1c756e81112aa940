#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 inside the test VM (started by the initramfs after switch_root).
# Reads its instructions from /mnt/wgout/env (written by selftests/vm/run),
# prepares the system, loads the module, runs the test script, and leaves
# stdout, stderr, exit status and dmesg in /mnt/wgout for the host.
#
# With WG_SYSTEMD=1 (run --systemd) it prepares the same, then execs
# systemd as PID 1, which boots wg-vm.target: multi-user.target without
# the services the host has enabled, plus wg-vm-test.service, which runs
# this script again as `guest-init.sh --run' to run the test.

out=/mnt/wgout
# shellcheck disable=SC1091
. "$out/env"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb WG_REPO WG_KREL WG_MODULE

# PID 1 must outlive the power-off: were it to exit (a sleep binary that
# can no longer be exec'd while the 9p devices shut down), the kernel
# panics with "Attempted to kill init".  So it waits without exec: reading
# a pipe it also holds open for writing, where nothing ever arrives.
# (Under systemd this is the test service, and systemd is PID 1.)
finish() {
	[ "${WG_KMEMLEAK:-0}" = 1 ] && kmemleak_scan
	dmesg > "$out/dmesg" 2>&1
	sync
	exec 9<> <(:)
	echo o > /proc/sysrq-trigger
	while :; do read -r -t 60 -u 9 || :; done
}

# kmemleak_scan: the debug kernel's leak report, into the shared directory.
# Two scans with a pause: an object is only reported once it is older than
# kmemleak's minimum age and was seen unreferenced by a full scan.
kmemleak_scan() {
	local k=/sys/kernel/debug/kmemleak
	[ -w "$k" ] || { echo "kmemleak unavailable" > "$out/kmemleak.err"; return; }
	echo scan > "$k"
	sleep 6
	echo scan > "$k"
	cat "$k" > "$out/kmemleak"
}

prepare() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t tmpfs -o mode=755 tmpfs /run
	# The guest gets a private /tmp, which would hide a checkout (or the
	# build tree it points at) living under the host's /tmp: keep the
	# host's /tmp reachable and bind such a checkout back to its host path.
	mkdir -p /run/hosttmp
	mount --bind /tmp /run/hosttmp
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	mkdir -p /dev/pts /dev/shm /run/netns /run/wireguard /run/lock
	mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr
	echo 1 > /proc/sys/kernel/sysrq

	local d build
	for d in "$WG_REPO" "$WG_MODTREE"; do
		case "$d" in
		/tmp/*)
			[ -d "$d" ] && continue
			mkdir -p "$d"
			mount --bind "/run/hosttmp/${d#/tmp/}" "$d"
			;;
		esac
	done

	# Debian's module tree for the running kernel, as unpacked on the
	# host, over the host's own /lib/modules/<release>; its `build' link
	# (the headers package's) stays, as on a host with the headers.
	mkdir -p "/lib/modules/$WG_KREL"
	build=$(readlink "/lib/modules/$WG_KREL/build")
	mount --bind "$WG_MODTREE" "/lib/modules/$WG_KREL"
	[ -z "$build" ] || [ -e "/lib/modules/$WG_KREL/build" ] ||
		ln -s "$build" "/lib/modules/$WG_KREL/build"

	hostname wg-vm
	ip link set lo up
}

# The module under test, loaded the one way every VM test loads it.
load_module() {
	[ -n "$WG_MODULE" ] || return 0
	# shellcheck source=selftests/vm/lib/impl.sh
	. "$WG_REPO/selftests/vm/lib/impl.sh"
	if ! use_impl ours "$WG_MODULE" 2> "$out/load.err"; then
		echo 125 > "$out/rc"
		finish
	fi
}

# hang_report: what every task is waiting for, written straight to the
# serial console (the shared 9p directory may be what is stuck).  It uses
# bash builtins only: exec itself reads from 9p.
hang_report() {
	local p st wchan args stack
	echo "wg-vm: test still running after ${WG_GUEST_TIMEOUT}s; pid state wchan command:"
	for p in /proc/[0-9]*; do
		[ "$p" = /proc/$$ ] && continue	# this shell
		read -r st < "$p/stat" 2> /dev/null || continue
		st=${st##*) }
		wchan=0
		read -r wchan < "$p/wchan" 2> /dev/null
		args=()
		mapfile -d '' args < "$p/cmdline" 2> /dev/null
		# Kernel threads only when running or blocked.
		[ ${#args[@]} = 0 ] && [[ $st != [RD]* ]] && continue
		echo "wg-vm: ${p#/proc/} ${st%% *} $wchan ${args[*]:0:8}"
		mapfile -t stack < "$p/stack" 2> /dev/null
		printf 'wg-vm:     %s\n' "${stack[@]}"
	done
	echo 7 > /proc/sys/kernel/printk
	echo w > /proc/sysrq-trigger	# blocked tasks with their stacks
	echo l > /proc/sysrq-trigger	# what each CPU is doing
}

run_test() {
	local test_pid sleep_pid done_pid rc
	cd "$WG_REPO" || finish
	# shellcheck disable=SC2086
	bash $WG_TEST > "$out/stdout" 2> "$out/stderr" < /dev/null &
	test_pid=$!
	sleep "$WG_GUEST_TIMEOUT" &
	sleep_pid=$!
	wait -n -p done_pid "$test_pid" "$sleep_pid"
	rc=$?
	if [ "$done_pid" = "$test_pid" ]; then
		kill "$sleep_pid"
	else
		hang_report > /dev/console 2>&1
		kill -TERM "$test_pid"
		rc=124
	fi
	echo "$rc" > "$out/rc"
	finish
}

# Units of the systemd boot, in the tmpfs overlay (the host is untouched):
# every unit the host enables is masked (its databases and exporters are
# not under test); wg-vm.target is multi-user.target plus the test.
systemd_units() {
	local etc=/etc/systemd/system l self
	self=$(realpath "$0")
	for l in "$etc"/*.wants/* "$etc"/dbus-org.*; do
		[ -L "$l" ] || continue
		ln -sf /dev/null "$etc/${l##*/}"
	done
	# console=ttyS0 would get a login prompt on the test's console
	ln -sf /dev/null "$etc/serial-getty@ttyS0.service"
	cat > "$etc/wg-vm.target" <<-UNIT
	[Unit]
	Description=wireguard-oot VM test
	Requires=multi-user.target wg-vm-test.service
	After=multi-user.target
	AllowIsolate=yes
	UNIT
	cat > "$etc/wg-vm-test.service" <<-UNIT
	[Unit]
	Description=wireguard-oot VM test script
	After=multi-user.target

	[Service]
	Type=simple
	ExecStart=/bin/bash $self --run
	UNIT
}

if [ "${1:-}" = --run ]; then
	run_test
fi
prepare
load_module
if [ "${WG_SYSTEMD:-0}" = 1 ]; then
	systemd_units
	exec /lib/systemd/systemd --unit=wg-vm.target --show-status=no
fi
run_test
