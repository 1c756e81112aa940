#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-crypto: our crypto against OpenSSL's EVP in the same process
# (selftests/crypto/bench.c), built as the module builds it (plain -O2;
# SIMD by run-time dispatch).  One line per case:
#   <primitive> <size> project <figure> openssl <figure> ratio <p/o>
#
# By default the best implementation this CPU runs is measured.  With
# WG_CRYPTO_DISABLE set, that setting alone, under a "# impl:" header.
# With WG_CRYPTO_BENCH_ALL=1, afterwards every implementation level too,
# each block under its own "# impl:" header.

set -eu
cd "$(dirname "$0")/../.."
make -s -C selftests/crypto bench kat >&2
B=build/crypto-test/bench

if [ -n "${WG_CRYPTO_DISABLE+set}" ]; then
	echo "# impl: WG_CRYPTO_DISABLE=$WG_CRYPTO_DISABLE"
	exec "$B"
fi

unset WG_CRYPTO_DISABLE
"$B"

if [ "${WG_CRYPTO_BENCH_ALL:-0}" != 0 ]; then
	features=" $(build/crypto-test/kat --features) "
	for l in "generic|all|" "ssse3|avx2,avx512,adx|ssse3" \
		 "avx2|avx512,adx|ssse3 avx2" "avx512|adx|ssse3 avx2 avx512" \
		 "avx512+bmi2-adx||ssse3 avx2 avx512 adx"; do
		IFS='|' read -r name disable need <<<"$l"
		ok=1
		for f in $need; do
			case "$features" in *" $f "*) ;; *) ok=0;; esac
		done
		if [ $ok = 0 ]; then
			echo "# impl: $name: not supported by this CPU"
			continue
		fi
		echo "# impl: $name (WG_CRYPTO_DISABLE=$disable)"
		WG_CRYPTO_DISABLE=$disable "$B"
	done
fi
