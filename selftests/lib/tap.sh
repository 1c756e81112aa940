# SPDX-License-Identifier: GPL-2.0
# Host-side TAP helpers shared by every selftests/*.t entry point.
#
#   . "$(dirname "$0")/lib/tap.sh"      (after cd to the repository root:
#                                        . selftests/lib/tap.sh)
#   tap_ok STATUS DESCRIPTION   one check: passes when STATUS is 0
#   tap_pass DESCRIPTION        one passing check
#   tap_fail DESCRIPTION        one failing check
#   tap_skip DESCRIPTION REASON one skipped check (only for what this machine
#                               cannot run; never for what is not written)
#   tap_merge LABEL             renumber the TAP read on stdin into this
#                               file's count, tagging each check with
#                               [LABEL]; comment lines pass through, plans
#                               are dropped.  Run it in this shell, not in a
#                               pipeline: tap_merge L < <(command)
#   tap_done                    print the plan (1..N); call it last
#   tap_bail REASON             Bail out! and exit
#
# The running count is TAP_N; tap_failed counts failures.

TAP_N=0
tap_failed=0

tap_ok() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $TAP_N - $2"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $TAP_N - $2"
	fi
}
tap_pass() { tap_ok 0 "$1"; }
tap_fail() { tap_ok 1 "$1"; }
tap_skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }

tap_merge() {
	local label=${1:+ [$1]} l
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok([[:space:]]+[0-9]+)?(.*)$ ]]; then
			TAP_N=$((TAP_N + 1))
			[ -n "${BASH_REMATCH[1]}" ] && tap_failed=$((tap_failed + 1))
			echo "${BASH_REMATCH[1]}ok $TAP_N${BASH_REMATCH[3]}$label"
		elif [[ $l =~ ^1\.\.[0-9]+ ]]; then
			:
		elif [[ $l =~ ^# ]] || [ -z "$l" ]; then
			echo "$l"
		else
			echo "# $l"
		fi
	done
}

tap_done() { echo "1..$TAP_N"; }

tap_bail() { echo "Bail out! $1"; exit 1; }
