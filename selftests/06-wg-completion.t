#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bash completion of wg (tools/wg/completion/wg.bash-completion), run in
# a bash of its own with COMP_WORDS set as readline would: the subcommands it
# offers are the ones tools/wg/wg accepts, and `wg monitor [<interface>]
# [--json]' (issue 16) completes interfaces and --json, each once, in either
# order.  Interfaces come from `wg show interfaces', stubbed here.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
comp_file=tools/wg/completion/wg.bash-completion

tap_cmd "the completion is valid bash" bash -n "$comp_file"

# comp WORD...: what the completion offers for the last WORD, sorted, one
# line; `wg show interfaces' answers "wg0 wg1 home0".
comp() {
	bash -c '
		wg() { [ "$*" = "show interfaces" ] && echo "wg0 wg1 home0"; }
		. "$0"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_wg
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " " | sed "s/ $//"' \
		"$comp_file" "$@"
}

tap_ok "$(bash -c '. "$0"; complete -p wg' "$comp_file" 2>&1 | grep -qx 'complete -F _wg wg'; echo $?)" \
	"sourcing it registers _wg for wg"

out=$(make -s -C tools/wg 2>&1)
tap_ok $? "tools/wg builds"
[ -x tools/wg/wg ] || tap_bail "no tools/wg/wg"

# Every subcommand wg lists in its usage, plus its own `monitor', and
# nothing else (besides help, --help and --version).
listed=$(tools/wg/wg --help 2>&1 | sed -n 's/^  \([a-z]*\): .*/\1/p' | LC_ALL=C sort | tr '\n' ' ')
expected=$(printf '%s\n' $listed monitor help --help --version | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
offered=$(comp wg '')
tap_ok "$([ "$offered" = "$expected" ]; echo $?)" "subcommands: wg's usage list plus monitor ($offered)"
[ "$offered" = "$expected" ] || echo "# expected: $expected"
# wg names a subcommand it does not know (as upstream's does); showconf
# takes --help for an interface, as upstream's does, so that is the test.
out=$(tools/wg/wg bogus --help 2>&1)
tap_ok "$(grep -q "^Invalid subcommand: \`bogus'" <<< "$out"; echo $?)" "wg bogus: Invalid subcommand"
bad=
for c in $offered; do
	case $c in help | --help | --version) continue ;; esac
	out=$(tools/wg/wg "$c" --help < /dev/null 2>&1)
	grep -q '^Invalid subcommand' <<< "$out" && bad+=" $c"
done
tap_ok "$([ -z "$bad" ]; echo $?)" "each offered subcommand is one wg knows${bad:+: not:$bad}"

is() { tap_ok "$([ "$2" = "$3" ]; echo $?)" "$1"; [ "$2" = "$3" ] || echo "# got '$2', expected '$3'"; }
is "wg mon<TAB> completes monitor" "$(comp wg mon)" "monitor"
is "wg monitor <TAB>: --json and the interfaces" "$(comp wg monitor '')" "--json home0 wg0 wg1"
is "wg monitor w<TAB>: the interfaces that match" "$(comp wg monitor w)" "wg0 wg1"
is "wg monitor -<TAB>: --json" "$(comp wg monitor -)" "--json"
is "wg monitor wg0 <TAB>: --json only (one interface)" "$(comp wg monitor wg0 '')" "--json"
is "wg monitor --json <TAB>: the interfaces only" "$(comp wg monitor --json '')" "home0 wg0 wg1"
is "wg monitor wg0 --json <TAB>: nothing left" "$(comp wg monitor wg0 --json '')" ""
is "wg monitor --json wg1 <TAB>: nothing left" "$(comp wg monitor --json wg1 '')" ""
# What was there keeps working.
is "wg show <TAB> still offers all, interfaces and the interfaces" "$(comp wg show '')" "all home0 interfaces wg0 wg1"
is "wg set wg0 peer K endpoint <TAB> still offers nothing" "$(comp wg set wg0 peer K endpoint '')" ""

# wg monitor itself takes what the completion offers, in either order, and
# refuses a second interface (no module here: it gets past argument parsing
# to the netlink family, or stops at usage).
out=$(tools/wg/wg monitor --json wg0 2>&1)
! grep -q '^Usage: ' <<< "$out"
tap_ok $? "wg monitor --json wg0: arguments accepted (${out:0:100})"
out=$(tools/wg/wg monitor wg0 wg1 2>&1)
[ $? = 1 ] && grep -q '^Usage: .* monitor \[<interface>\] \[--json\]' <<< "$out"
tap_ok $? "wg monitor wg0 wg1: usage, exit 1 (one interface at most)"
tap_done
