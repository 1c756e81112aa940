#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module builds against Debian's 6.1 and 6.12 headers, release and
# debug, warning-free with W=1 and clean under sparse (C=2), with the
# target kernel's vermagic.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
. selftests/vm/lib.sh
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
	done
done
lic=$(modinfo -F license "$ko" 2>/dev/null)
[ "$lic" = GPL ]
tap_ok $? "module license is GPL ($lic)"
out=$(make -s -C tools/wg 2>&1)
tap_ok $? "tools/wg/wg builds"
! grep -q -i warning <<<"$out"
tap_ok $? "tools/wg builds without warnings"
tap_done
