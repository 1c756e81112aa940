# SPDX-License-Identifier: GPL-2.0
# Minimal TAP helpers for in-VM test scripts (sourced).
_t_n=0
_t_fail=0
# t_ok DESCRIPTION CMD...: one test, passing when CMD succeeds.
t_ok() {
	local desc=$1 out
	shift
	_t_n=$((_t_n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $_t_n - $desc"
	else
		echo "not ok $_t_n - $desc"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		_t_fail=$((_t_fail + 1))
	fi
}
# t_is DESCRIPTION GOT WANT: passes when the strings are equal.
t_is() {
	_t_n=$((_t_n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $_t_n - $1"
	else
		echo "not ok $_t_n - $1"
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | head -n 40 | sed 's/^/# /'
		_t_fail=$((_t_fail + 1))
	fi
}
t_skip() {
	_t_n=$((_t_n + 1))
	echo "ok $_t_n # SKIP $1"
}
t_done() {
	echo "1..$_t_n"
	[ "$_t_fail" = 0 ]
	exit
}
