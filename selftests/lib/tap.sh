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
#                               [LABEL]; comment lines pass through, other
#                               text becomes a comment, plans are dropped
#                               (a "1..0 # SKIP why" plan becomes one skipped
#                               check), a "Bail out!" becomes a failure.
#                               Run it in this shell, not in a pipeline:
#                               tap_merge L < <(command)
#   tap_run LABEL CMD...        run CMD (stdout and stderr) through tap_merge;
#                               a CMD that exits non-zero without a failing
#                               check of its own, or that prints no check at
#                               all, adds a failing check.  Returns CMD's
#                               status.
#   tap_cmd DESCRIPTION CMD...  one check: passes when CMD succeeds; its
#                               output is shown as comments when it fails
#   tap_done                    print the plan (1..N); call it last.  Its
#                               status is 1 when a check failed.
#   tap_bail REASON             Bail out! and exit
#
# The running count is TAP_N; tap_failed counts failures.  After tap_merge,
# tap_merge_seen and tap_merge_failed count what that one merge read.

TAP_N=0
tap_failed=0
tap_merge_seen=0
tap_merge_failed=0

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

tap_cmd() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	tap_ok "$rc" "$desc"
	[ "$rc" = 0 ] || printf '%s\n' "$out" | tail -n 30 | sed 's/^/# /'
	return "$rc"
}

# The TAP directives: "# SKIP ..." and "# TODO ..." (any case).
_tap_directive='^(.*[^[:space:]#]|)([[:space:]]*#[[:space:]]*([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])([[:space:]].*)?)$'

tap_merge() {
	local label=${1:+ [$1]} l neg rest desc dir
	tap_merge_seen=0 tap_merge_failed=0
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok([[:space:]]+[0-9]+)?([[:space:]].*)?$ ]]; then
			neg=${BASH_REMATCH[1]} rest=${BASH_REMATCH[3]} dir=
			desc=$rest
			if [[ $rest =~ $_tap_directive ]]; then
				desc=${BASH_REMATCH[1]} dir=${BASH_REMATCH[2]}
			fi
			TAP_N=$((TAP_N + 1))
			tap_merge_seen=$((tap_merge_seen + 1))
			if [ -n "$neg" ] && ! [[ $dir =~ [Tt][Oo][Dd][Oo] ]]; then
				tap_failed=$((tap_failed + 1))
				tap_merge_failed=$((tap_merge_failed + 1))
			fi
			echo "${neg}ok $TAP_N$desc$label$dir"
		elif [[ $l =~ ^1\.\.0[[:space:]]*#[[:space:]]*[Ss][Kk][Ii][Pp][[:space:]]*(.*)$ ]]; then
			tap_merge_seen=$((tap_merge_seen + 1))
			tap_skip "every check${label}" "${BASH_REMATCH[1]:-skipped}"
		elif [[ $l =~ ^1\.\.[0-9]+ ]]; then
			:
		elif [[ $l =~ ^Bail\ out! ]]; then
			echo "# $l"
			tap_merge_seen=$((tap_merge_seen + 1))
			tap_merge_failed=$((tap_merge_failed + 1))
			tap_fail "${l#Bail out!}${label}"
		elif [[ $l =~ ^# ]] || [ -z "$l" ]; then
			echo "$l"
		else
			echo "# $l"
		fi
	done
}

tap_run() {
	local label=$1 rcf rc
	shift
	rcf=$(mktemp)
	tap_merge "$label" < <("$@" 2>&1; echo $? > "$rcf")
	rc=$(cat "$rcf")
	rm -f "$rcf"
	if [ "$rc" != 0 ] && [ "$tap_merge_failed" = 0 ]; then
		tap_fail "${1##*/} exited with status $rc without a failing check${label:+ [$label]}"
	elif [ "$tap_merge_seen" = 0 ]; then
		tap_fail "${1##*/} printed no check${label:+ [$label]}"
	fi
	return "$rc"
}

tap_done() { echo "1..$TAP_N"; [ "$tap_failed" = 0 ]; }

tap_bail() { echo "Bail out! $1"; exit 1; }
