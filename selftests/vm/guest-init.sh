#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 inside the test VM (started by the initramfs after switch_root).
# Reads its instructions from /mnt/wgout/env (written by selftests/vm/run),
# prepares the system, loads the module, runs the test script, and leaves
# stdout, stderr, exit status and dmesg in /mnt/wgout for the host.

out=/mnt/wgout
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=755 tmpfs /run
# The guest gets a private /tmp, which would hide a checkout (or the build
# tree it points at) living under the host's /tmp: keep the host's /tmp
# reachable and bind such a checkout back to its host path below.
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

# shellcheck disable=SC1091
. "$out/env"

for d in "$WG_REPO" "$WG_MODTREE"; do
	case "$d" in
	/tmp/*)
		[ -d "$d" ] && continue
		mkdir -p "$d"
		mount --bind "/run/hosttmp/${d#/tmp/}" "$d"
		;;
	esac
done

# PID 1 must outlive the power-off: were it to exit (a sleep binary that
# can no longer be exec'd while the 9p devices shut down), the kernel
# panics with "Attempted to kill init".  So it waits without exec: reading
# a pipe it also holds open for writing, where nothing ever arrives.
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

# Debian's module tree for the running kernel, as unpacked on the host.
mkdir -p "/lib/modules/$WG_KREL"
mount --bind "$WG_MODTREE" "/lib/modules/$WG_KREL"

hostname wg-vm
ip link set lo up
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb WG_REPO WG_KREL WG_MODULE
cd "$WG_REPO" || finish

if [ -n "$WG_MODULE" ]; then
	if ! modprobe -a udp_tunnel ip6_udp_tunnel 2> "$out/load.err" ||
	   ! insmod "$WG_MODULE" 2>> "$out/load.err"; then
		echo 125 > "$out/rc"
		finish
	fi
	[ "$WG_DYNDBG" = 1 ] &&
		echo 'module wireguard +p' > /sys/kernel/debug/dynamic_debug/control
fi

# hang_report: what every task is waiting for, written straight to the
# serial console (the shared 9p directory may be what is stuck).  It uses
# bash builtins only: exec itself reads from 9p.
hang_report() {
	local p st wchan args stack
	echo "wg-vm: test still running after ${WG_GUEST_TIMEOUT}s; pid state wchan command:"
	for p in /proc/[0-9]*; do
		[ "$p" = /proc/1 ] && continue	# this shell
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
