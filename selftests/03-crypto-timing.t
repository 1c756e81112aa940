#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Statistical constant-time test (dudect style, selftests/crypto/timing.c)
# on the real CPU: Welch's t-test on time-stamp-counter cycle counts,
# fixed against random secrets, randomly interleaved, with dudect's
# cropping.  It covers what ctgrind cannot see (valgrind lacks BMI2/ADX and
# AVX-512), and the portable code too, at every implementation level this
# CPU has.  |t| >= 4.5 fails after one re-measurement; the t-values are
# printed as comments.  A canary that branches on its secret must fail.
#
#   WG_SLOW_TESTS=1           millions of measurements per case
#   WG_TIMING_CURVE=N         measurements per Curve25519 case (30,000)
#   WG_TIMING_SYM=N           per ChaCha20/Poly1305/AEAD case (100,000)

set -u
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
T=selftests/crypto
P=build/crypto-test

if ! out=$(make -s -C "$T" timing kat 2>&1); then
	tap_fail "build selftests/crypto timing"
	printf '%s\n' "$out" | sed 's/^/# /'
	tap_done
	exit 0
fi

if [ "${WG_SLOW_TESTS:-0}" != 0 ]; then
	curve=${WG_TIMING_CURVE:-1000000}
	sym=${WG_TIMING_SYM:-5000000}
else
	curve=${WG_TIMING_CURVE:-30000}
	sym=${WG_TIMING_SYM:-100000}
fi

cpu_features=" $("$P/kat" --features) "
sym_targets="chacha20 poly1305 aead aead-open"
curve_targets="ladder base"

# name | WG_CRYPTO_DISABLE | features it needs | targets whose code it selects
levels=(
	"generic|all||$curve_targets $sym_targets"
	"avx2|avx512,adx|ssse3 avx2|$sym_targets"
	"avx512|adx|ssse3 avx2 avx512|$sym_targets"
	"bmi2-adx|ssse3,avx2,avx512|adx|$curve_targets"
)

start=$(date +%s)
# The measurements run one after another: two at once would share the
# cores and add each other's noise.
for l in "${levels[@]}"; do
	IFS='|' read -r name disable need targets <<<"$l"
	missing=""
	for f in $need; do
		case "$cpu_features" in *" $f "*) ;; *) missing="$missing $f" ;; esac
	done
	for t in $targets; do
		if [ -n "$missing" ]; then
			tap_skip "timing $t [$name]" "this CPU lacks$missing"
			continue
		fi
		case " $curve_targets " in *" $t "*) n=$curve ;; *) n=$sym ;; esac
		tap_merge "$name" < <(WG_CRYPTO_DISABLE=$disable "$P/timing" "$t" "$n" 2>&1)
	done
done

# The harness must see a leak: the canary branches on its secret.
out=$("$P/timing" canary 100000 2>&1)
printf '%s\n' "$out" | grep '^#' | grep -v WG_TEST_SEED
if printf '%s\n' "$out" | grep -q '^not ok'; then
	tap_pass "timing canary: a secret-dependent branch gives |t| >= 4.5"
else
	tap_fail "timing canary: a secret-dependent branch went unnoticed"
fi
echo "# CPU features:$cpu_features"
echo "# wall time $(( $(date +%s) - start )) s"
tap_done
