#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Userspace tests of crypto/: known answers, forgery rejection,
# differential runs against libsodium and OpenSSL, and the constant-time
# (ctgrind) check, once per implementation level (WG_CRYPTO_DISABLE selects
# it).  Levels this CPU, or valgrind's emulated CPU, cannot run are
# reported as SKIP.
#
#   WG_SLOW_TESTS=1        1,000,000-iteration X25519 ladder and 1,000,000
#                          differential cases per primitive and level
#   WG_CRYPTO_DIFF_CASES=N override the number of differential cases
#   WG_TEST_SEED=N         PRNG seed of the differential and forgery tests

set -u
cd "$(dirname "$0")/.." || exit 1
T=selftests/crypto
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! make -s -C "$T" >"$tmp/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - build selftests/crypto"
	sed 's/^/# /' "$tmp/build.log"
	exit 0
fi

if [ "${WG_SLOW_TESTS:-0}" != 0 ]; then
	cases=${WG_CRYPTO_DIFF_CASES:-1000000}
else
	cases=${WG_CRYPTO_DIFF_CASES:-100000}
fi

cpu_features=" $("$T/kat" --features) "
have_valgrind=0
command -v valgrind >/dev/null && have_valgrind=1

# name | WG_CRYPTO_DISABLE | features it needs | primitives whose code
# differs at this level (they get the differential run)
levels=(
	"generic|all||chacha20 poly1305 aead xaead blake2s curve25519"
	"ssse3|avx2,avx512,adx|ssse3|blake2s"
	"avx2|avx512,adx|ssse3 avx2|chacha20 poly1305 aead xaead"
	"avx512|adx|ssse3 avx2 avx512|chacha20 poly1305 aead xaead blake2s"
	"bmi2-adx|ssse3,avx2,avx512|adx|curve25519"
)

# Run one command; pass its TAP lines through (unnumbered), comment out
# anything else, and add a failure if it died without reporting one.
run() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed -e '/^$/d' -e '/^\(not \)\?ok - /!{/^#/!s/^/# /}'
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok - '; then
		echo "not ok - $what exited with status $rc"
	fi
}

run_level() {
	local name=$1 disable=$2 need=$3 prims=$4 f missing="" vmissing=""
	for f in $need; do
		case "$cpu_features" in *" $f "*) ;; *) missing="$missing $f";; esac
	done
	if [ -n "$missing" ]; then
		echo "ok - [$name] known answers, forgery, differential, ctgrind # SKIP this CPU lacks$missing"
		return
	fi
	export WG_CRYPTO_DISABLE=$disable
	run "kat [$name]" "$T/kat"
	for p in $prims; do
		run "diff $p [$name]" "$T/diff" "$p" "$cases"
	done
	if [ $have_valgrind = 0 ]; then
		echo "ok - [$name] ctgrind # SKIP valgrind not installed"
		return
	fi
	# valgrind presents its own CPU: the level must still be selected there
	vfeat=" $(valgrind -q "$T/ctgrind" features 2>/dev/null | tr + ' ') "
	for f in $need; do
		case "$vfeat" in *" $f "*) ;; *) vmissing="$vmissing $f";; esac
	done
	if [ -n "$vmissing" ]; then
		echo "ok - [$name] ctgrind: secret-independent branches and addresses # SKIP valgrind's emulated CPU lacks$vmissing"
		return
	fi
	local vout rc
	vout=$(valgrind -q --error-exitcode=1 "$T/ctgrind" \
		chacha20 poly1305 aead blake2s curve25519 2>&1)
	rc=$?
	printf '%s\n' "$vout" | sed -e '/^$/d' -e '/^#/!s/^/# /'
	if [ $rc -eq 0 ]; then
		echo "ok - ctgrind: ChaCha20, Poly1305, (X)ChaCha20-Poly1305, BLAKE2s, Curve25519 take no secret-dependent branch or address [$name]"
	else
		echo "not ok - ctgrind: secret-dependent branch or address, or wrong result [$name]"
	fi
}

# The harness must be able to see a leak: a deliberate one.
canary() {
	local out rc
	[ $have_valgrind = 1 ] || { echo "ok - ctgrind canary # SKIP valgrind not installed"; return; }
	out=$(valgrind -q --error-exitcode=1 "$T/ctgrind" canary 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'depends on uninitialised'; then
		echo "ok - ctgrind canary: a secret-dependent branch is detected"
	else
		echo "not ok - ctgrind canary: a secret-dependent branch went unnoticed"
	fi
}

# Levels run in parallel, one per CPU; output is printed in order.
jobs_max=$(nproc 2>/dev/null || echo 2)
i=0
for l in "${levels[@]}"; do
	IFS='|' read -r name disable need prims <<<"$l"
	( run_level "$name" "$disable" "$need" "$prims" >"$tmp/level.$i" ) &
	i=$((i + 1))
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n 2>/dev/null || sleep 0.2
	done
done
canary >"$tmp/canary"
wait

n=0
for f in $(seq 0 $((i - 1))) canary; do
	[ "$f" = canary ] && file="$tmp/canary" || file="$tmp/level.$f"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*|"not ok - "*)
			n=$((n + 1))
			echo "${line%%- *}$n - ${line#*- }" | sed 's/^ok\([0-9]\)/ok \1/; s/^not ok\([0-9]\)/not ok \1/'
			;;
		*) echo "$line" ;;
		esac
	done <"$file"
done

unsupported=""
for l in "${levels[@]}"; do
	IFS='|' read -r name disable need prims <<<"$l"
	for f in $need; do
		case "$cpu_features" in *" $f "*) ;; *) unsupported="$unsupported $name"; break;; esac
	done
done
echo "# CPU features: $cpu_features"
echo "# implementations this CPU cannot run:${unsupported:- none}"
echo "1..$n"
