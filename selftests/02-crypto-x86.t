#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Differential tests of the x86-64 SIMD crypto (crypto/x86) against libsodium
# and OpenSSL: every implementation the CPU can run, 100,000 random cases
# each (WG_X86_CASES to change), lengths 0..9000, misaligned buffers.
# Paths this CPU lacks report SKIP.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
CASES=${WG_X86_CASES:-100000}
T=build/crypto-x86/test-x86

tests=(
	"chacha20 avx2"
	"chacha20 avx512"
	"poly1305 avx2"
	"poly1305 ifma"
	"blake2s ssse3"
	"blake2s avx512"
	"curve25519 adx"
)
if ! out=$(make -s -C selftests/crypto/x86 2>&1); then
	tap_fail "build selftests/crypto/x86"
	printf '%s\n' "$out" | sed 's/^/# /'
	tap_done
	exit
fi
tap_pass "build selftests/crypto/x86"
for t in "${tests[@]}"; do
	# shellcheck disable=SC2086 # "primitive implementation"
	res=$($T $t "$CASES" 2>&1)
	case "$res" in
	ok*)	tap_pass "$t: ${res#ok }" ;;
	skip*)	tap_skip "$t" "${res#skip }" ;;
	*)	tap_fail "$t"; printf '%s\n' "$res" | sed 's/^/# /' ;;
	esac
done
tap_done
