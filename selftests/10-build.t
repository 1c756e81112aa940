#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module builds against Debian's 6.1 and 6.12 headers, release and
# debug, warning-free with W=1 and clean under sparse (C=2), with the
# target kernel's vermagic.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
. selftests/vm/lib/harness.sh
for flavor in 6.1 6.12; do
	krel=$(kernel_release "$flavor")
	for variant in release debug; do
		ko=$(selftests/vm/build-module.sh "$flavor" "$variant" C=2 2>&1)
		tap_ok $? "module builds against $krel ($variant, W=1 C=2)"
		log=$WG_BUILD/modules/$krel/$variant/build.log
		warn=$(grep -E -i 'warning|error:|objtool' "$log" | grep -v -i 'Skipping BTF')
		[ -z "$warn" ]
		tap_ok $? "no compiler, sparse or objtool warnings ($krel, $variant)"
		[ -n "$warn" ] && printf '%s\n' "$warn" | head -n 20 | sed 's/^/# /'
		vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
		[[ $vm == "$krel "* ]]
		tap_ok $? "vermagic '$vm' is Debian's $krel"
		# crypto/selftest.o is linked into debug modules only
		st=$(nm "$ko" 2>/dev/null | grep -c ' wg_crypto_selftest$')
		if [ "$variant" = debug ]; then
			[ "$st" = 1 ]
			tap_ok $? "crypto self-tests linked ($krel, $variant)"
		else
			[ "$st" = 0 ]
			tap_ok $? "crypto self-tests absent ($krel, $variant)"
		fi
	done
done

# checkpatch --strict over crypto/ (Linux 6.1's script from Debian's
# linux-source-6.1, unpacked outside the tree by selftests/checkpatch/
# fetch.sh).  Exempt are only the two userspace shims, compat-user.h and
# x86/linkage-user.h: they exist to define for userspace builds what the
# kernel's own headers provide (u8 and friends, attribute macros, the
# SYM_FUNC_* assembler macros), which is exactly what checkpatch forbids
# kernel code to redefine.  They are never compiled into the module.
if cp=$(selftests/checkpatch/fetch.sh 2>/dev/null); then
	files=$(ls crypto/*.[ch] crypto/x86/*.[chS] |
		grep -v -x -e crypto/compat-user.h -e crypto/x86/linkage-user.h)
	paths=$(printf "$PWD/%s " $files)
	# (run from /tmp: checkpatch leaves a cache file in a git tree)
	out=$(cd /tmp && perl "$cp" --strict --no-tree --terse --no-summary \
		--show-types -f $paths 2>&1)
	[ -z "$out" ]
	tap_ok $? "checkpatch --strict: crypto/ clean ($(echo $files | wc -w) files, userspace shims exempt)"
	[ -n "$out" ] && printf '%s\n' "$out" | head -n 30 | sed 's/^/# /'

	# The same over drivers/net/wireguard.  checkpatch applies its
	# networking rules (NETWORKING_BLOCK_COMMENT_STYLE and others) only to
	# files it sees as drivers/net/..., so here it is given tree-relative
	# names, through a link to drivers/ in a scratch directory outside any
	# git tree.  Exempt is only compat.h: it exists to adapt the module to
	# the kernels it builds against (6.1 and 6.12), and testing
	# LINUX_VERSION_CODE, which checkpatch forbids in code meant for one
	# kernel, is what it is for; every other file uses its helpers.
	files=$(ls drivers/net/wireguard/*.[ch] |
		grep -v -x -e drivers/net/wireguard/compat.h)
	scratch=$(mktemp -d)
	ln -s "$PWD/drivers" "$scratch/drivers"
	out=$(cd "$scratch" && perl "$cp" --strict --no-tree --terse \
		--no-summary --show-types -f $files 2>&1)
	rm -f "$scratch/drivers"
	rmdir "$scratch"
	[ -z "$out" ]
	tap_ok $? "checkpatch --strict: drivers/net/wireguard clean ($(echo $files | wc -w) files, compat.h exempt)"
	[ -n "$out" ] && printf '%s\n' "$out" | head -n 30 | sed 's/^/# /'
else
	tap_fail "checkpatch: selftests/checkpatch/fetch.sh could not fetch linux-source-6.1 (crypto/)"
	tap_fail "checkpatch: selftests/checkpatch/fetch.sh could not fetch linux-source-6.1 (drivers/net/wireguard)"
fi
lic=$(modinfo -F license "$ko" 2>/dev/null)
[ "$lic" = GPL ]
tap_ok $? "module license is GPL ($lic)"
out=$(make -s -C tools/wg 2>&1)
tap_ok $? "tools/wg/wg builds"
! grep -q -i warning <<<"$out"
tap_ok $? "tools/wg builds without warnings"
tap_done
