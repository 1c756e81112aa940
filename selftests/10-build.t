#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module builds against Debian's 6.1 and 6.12 headers, release and
# debug, warning-free with W=1 and clean under sparse (C=2), with the
# target kernel's vermagic.
cd "$(dirname "$0")/.." || exit 1
. selftests/vm/lib.sh
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
for flavor in 6.1 6.12; do
	krel=$(kernel_release "$flavor")
	for variant in release debug; do
		ko=$(selftests/vm/build-module.sh "$flavor" "$variant" C=2 2>&1)
		ok $? "module builds against $krel ($variant, W=1 C=2)"
		log=$WG_BUILD/modules/$krel/$variant/build.log
		warn=$(grep -E -i 'warning|error:|objtool' "$log" | grep -v -i 'Skipping BTF')
		ok "$([ -z "$warn" ] && echo 0 || echo 1)" "no compiler, sparse or objtool warnings ($krel, $variant)"
		[ -n "$warn" ] && printf '%s\n' "$warn" | head -n 20 | sed 's/^/# /'
		vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
		ok "$([[ $vm == "$krel "* ]] && echo 0 || echo 1)" "vermagic '$vm' is Debian's $krel"
	done
done
lic=$(modinfo -F license "$ko" 2>/dev/null)
ok "$([ "$lic" = GPL ] && echo 0 || echo 1)" "module license is GPL ($lic)"
if [ -f tools/wg/Makefile ]; then
	out=$(make -s -C tools/wg 2>&1)
	ok $? "tools/wg/wg builds"
	ok "$([ -z "$(grep -i warning <<<"$out")" ] && echo 0 || echo 1)" "tools/wg builds without warnings"
fi
echo "1..$n"
