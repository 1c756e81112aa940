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
. selftests/lib/tap.sh
T=selftests/crypto
P=build/crypto-test
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! make -s -C "$T" >"$tmp/build.log" 2>&1; then
	tap_fail "build selftests/crypto"
	sed 's/^/# /' "$tmp/build.log"
	tap_done
	exit
fi

if [ "${WG_SLOW_TESTS:-0}" != 0 ]; then
	cases=${WG_CRYPTO_DIFF_CASES:-1000000}
else
	cases=${WG_CRYPTO_DIFF_CASES:-100000}
fi

cpu_features=" $("$P/kat" --features) "
have_valgrind=0
command -v valgrind >/dev/null && have_valgrind=1

# name | WG_CRYPTO_DISABLE | features it needs | primitives whose code
# differs at this level (they get the differential run)
levels=(
	"generic|all||chacha20 poly1305 aead xaead blake2s curve25519 curve25519-base"
	"ssse3|avx2,avx512,adx|ssse3|blake2s"
	"avx2|avx512,adx|ssse3 avx2|chacha20 poly1305 aead xaead"
	"avx512|adx|ssse3 avx2 avx512|chacha20 poly1305 aead xaead blake2s"
	"bmi2-adx|ssse3,avx2,avx512|adx|curve25519 curve25519-base"
)

# Each level runs in a subshell writing its own TAP to a file; the files
# are merged (renumbered) in order at the end.
run_level() {
	local name=$1 disable=$2 need=$3 prims=$4 f missing="" vmissing=""
	for f in $need; do
		case "$cpu_features" in *" $f "*) ;; *) missing="$missing $f";; esac
	done
	if [ -n "$missing" ]; then
		tap_skip "[$name] known answers, forgery, differential, ctgrind" "this CPU lacks$missing"
		return
	fi
	export WG_CRYPTO_DISABLE=$disable
	tap_run "" "$P/kat"
	for p in $prims; do
		tap_run "" "$P/diff" "$p" "$cases"
	done
	if [ $have_valgrind = 0 ]; then
		tap_skip "[$name] ctgrind" "valgrind not installed"
		return
	fi
	# valgrind presents its own CPU: the level must still be selected there
	vfeat=" $(valgrind -q "$P/ctgrind" features 2>/dev/null | tr + ' ') "
	for f in $need; do
		case "$vfeat" in *" $f "*) ;; *) vmissing="$vmissing $f";; esac
	done
	if [ -n "$vmissing" ]; then
		tap_skip "[$name] ctgrind: secret-independent branches and addresses" "valgrind's emulated CPU lacks$vmissing"
		return
	fi
	local vout rc
	vout=$(valgrind -q --error-exitcode=1 "$P/ctgrind" \
		chacha20 poly1305 aead blake2s curve25519 curve25519-base 2>&1)
	rc=$?
	printf '%s\n' "$vout" | sed -e '/^$/d' -e '/^#/!s/^/# /'
	if [ $rc -eq 0 ]; then
		tap_pass "ctgrind: ChaCha20, Poly1305, (X)ChaCha20-Poly1305, BLAKE2s, Curve25519 (ladder and fixed base) take no secret-dependent branch or address [$name]"
	else
		tap_fail "ctgrind: secret-dependent branch or address, or wrong result [$name]"
	fi
}

# The harness must be able to see a leak: a deliberate one.
canary() {
	local out rc
	[ $have_valgrind = 1 ] || { tap_skip "ctgrind canary" "valgrind not installed"; return; }
	out=$(valgrind -q --error-exitcode=1 "$P/ctgrind" canary 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'depends on uninitialised'; then
		tap_pass "ctgrind canary: a secret-dependent branch is detected"
	else
		tap_fail "ctgrind canary: a secret-dependent branch went unnoticed"
	fi
}

# The fixed-base table is generated, not pasted: the generator must
# reproduce the file byte for byte.
table_check() {
	python3 crypto/gen-curve25519-base-table.py |
		cmp -s - crypto/curve25519-base-table.h
	tap_ok $? "crypto/curve25519-base-table.h is what gen-curve25519-base-table.py computes"
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
( canary ) >"$tmp/canary"
( table_check ) >"$tmp/table"
wait

for f in $(seq 0 $((i - 1))); do
	tap_merge "" <"$tmp/level.$f"
done
tap_merge "" <"$tmp/canary"
tap_merge "" <"$tmp/table"

unsupported=""
for l in "${levels[@]}"; do
	IFS='|' read -r name disable need prims <<<"$l"
	for f in $need; do
		case "$cpu_features" in *" $f "*) ;; *) unsupported="$unsupported $name"; break;; esac
	done
done
echo "# CPU features: $cpu_features"
echo "# implementations this CPU cannot run:${unsupported:- none}"
tap_done
