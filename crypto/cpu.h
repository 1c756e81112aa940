/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU features the SIMD implementations depend on, detected once by
 * wg_crypto_cpu_init().  Clearing bits (the "crypto_disable" module
 * parameter, or WG_CRYPTO_DISABLE in userspace) forces the slower paths so
 * each of them can be tested on a machine that could run the faster ones.
 */
#ifndef WG_CRYPTO_CPU_H
#define WG_CRYPTO_CPU_H

#include "compat.h"

#define WG_CPU_SSSE3		BIT(0)
#define WG_CPU_AVX2		BIT(1)
#define WG_CPU_AVX512		BIT(2)	/* F + VL, ZMM state enabled */
#define WG_CPU_BMI2_ADX		BIT(3)
#define WG_CPU_ALL		(WG_CPU_SSSE3 | WG_CPU_AVX2 | WG_CPU_AVX512 | \
				 WG_CPU_BMI2_ADX)

extern u32 wg_cpu_features;

/* What the hardware offers, before anything was disabled. */
extern u32 wg_cpu_features_detected;

/*
 * Detect the features and mask off those named in @disable, a comma
 * separated list of "ssse3", "avx2", "avx512", "adx" or "all" (NULL or ""
 * disables nothing).  Unknown names are ignored.
 */
void wg_crypto_cpu_init(const char *disable);

/* The name of a single WG_CPU_* bit. */
const char *wg_cpu_feature_name(u32 bit);

#endif /* WG_CRYPTO_CPU_H */
