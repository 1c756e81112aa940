#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Differential tests of the x86-64 SIMD crypto (crypto/x86) against libsodium
# and OpenSSL: every implementation the CPU can run, 100,000 random cases
# each (WG_X86_CASES to change), lengths 0..9000, misaligned buffers.
# Paths this CPU lacks report SKIP; paths not written yet report TODO.
cd "$(dirname "$0")/.." || exit 1
CASES=${WG_X86_CASES:-100000}
T=selftests/crypto/x86/test-x86

tests=(
	"chacha20 avx2"
	"chacha20 avx512"
	"poly1305 avx2"
	"poly1305 ifma"
	"blake2s ssse3"
	"blake2s avx512"
	"curve25519 adx"
)
todo=(
)
echo "1..$(( ${#tests[@]} + ${#todo[@]} + 1 ))"
n=1
if out=$(make -s -C selftests/crypto/x86 2>&1); then
	echo "ok $n - build selftests/crypto/x86"
else
	echo "not ok $n - build selftests/crypto/x86"
	printf '%s\n' "$out" | sed 's/^/# /'
	for t in "${tests[@]}" "${todo[@]}"; do
		n=$((n + 1)); echo "not ok $n - $t (not built)"
	done
	exit 0
fi
for t in "${tests[@]}"; do
	n=$((n + 1))
	res=$($T $t "$CASES" 2>&1)
	case "$res" in
	ok*)	echo "ok $n - $t: ${res#ok }" ;;
	skip*)	echo "ok $n # SKIP $t: ${res#skip }" ;;
	*)	echo "not ok $n - $t"; printf '%s\n' "$res" | sed 's/^/# /' ;;
	esac
done
for t in "${todo[@]}"; do
	n=$((n + 1))
	echo "not ok $n - $t # TODO"
done
