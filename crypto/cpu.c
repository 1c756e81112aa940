// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time CPU feature detection for the crypto dispatch.
 */
#include "cpu.h"

#if defined(__KERNEL__) && defined(CONFIG_X86_64)
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#elif !defined(__KERNEL__) && defined(__x86_64__)
#include <cpuid.h>
#endif

u32 wg_cpu_features;
u32 wg_cpu_features_detected;

static const struct {
	const char *name;
	u32 bit;
} wg_cpu_names[] = {
	{ "ssse3", WG_CPU_SSSE3 },
	{ "avx2", WG_CPU_AVX2 },
	{ "avx512", WG_CPU_AVX512 },
	{ "adx", WG_CPU_BMI2_ADX },
};

const char *wg_cpu_feature_name(u32 bit)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(wg_cpu_names); i++)
		if (wg_cpu_names[i].bit == bit)
			return wg_cpu_names[i].name;
	return "?";
}

#if defined(__KERNEL__) && defined(CONFIG_X86_64)
static u32 wg_cpu_detect(void)
{
	u32 f = 0;

	if (boot_cpu_has(X86_FEATURE_SSSE3))
		f |= WG_CPU_SSSE3;
	if (boot_cpu_has(X86_FEATURE_AVX) && boot_cpu_has(X86_FEATURE_AVX2) &&
	    cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL))
		f |= WG_CPU_AVX2;
	if ((f & WG_CPU_AVX2) && boot_cpu_has(X86_FEATURE_AVX512F) &&
	    boot_cpu_has(X86_FEATURE_AVX512VL) &&
	    cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
			      XFEATURE_MASK_AVX512, NULL))
		f |= WG_CPU_AVX512;
	if (boot_cpu_has(X86_FEATURE_BMI2) && boot_cpu_has(X86_FEATURE_ADX))
		f |= WG_CPU_BMI2_ADX;
	return f;
}
#elif !defined(__KERNEL__) && defined(__x86_64__)
static u64 wg_xgetbv0(void)
{
	u32 lo, hi;

	__asm__ volatile ("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
	return ((u64)hi << 32) | lo;
}

static u32 wg_cpu_detect(void)
{
	unsigned int a, b, c, d, max_leaf;
	unsigned int c1, b7 = 0;
	u64 xcr0 = 0;
	u32 f = 0;

	max_leaf = __get_cpuid_max(0, NULL);
	if (max_leaf < 1)
		return 0;
	__cpuid(1, a, b, c1, d);
	if (max_leaf >= 7)
		__cpuid_count(7, 0, a, b7, c, d);
	if (c1 & (1U << 27))	/* OSXSAVE: XGETBV is usable */
		xcr0 = wg_xgetbv0();

	if (c1 & (1U << 9))
		f |= WG_CPU_SSSE3;
	/* AVX (1:ecx.28), AVX2 (7:ebx.5), XMM+YMM state enabled. */
	if ((c1 & (1U << 28)) && (b7 & (1U << 5)) && (xcr0 & 0x6) == 0x6)
		f |= WG_CPU_AVX2;
	/* AVX512F (7:ebx.16), AVX512VL (7:ebx.31), opmask+ZMM state. */
	if ((f & WG_CPU_AVX2) && (b7 & (1U << 16)) && (b7 & (1U << 31)) &&
	    (xcr0 & 0xe6) == 0xe6)
		f |= WG_CPU_AVX512;
	/* BMI2 (7:ebx.8), ADX (7:ebx.19). */
	if ((b7 & (1U << 8)) && (b7 & (1U << 19)))
		f |= WG_CPU_BMI2_ADX;
	return f;
}
#else
static u32 wg_cpu_detect(void)
{
	return 0;
}
#endif

static u32 wg_cpu_parse_disable(const char *s)
{
	u32 mask = 0;
	size_t i, n;

	while (s && *s) {
		while (*s == ',' || *s == ' ')
			s++;
		n = 0;
		while (s[n] && s[n] != ',' && s[n] != ' ')
			n++;
		if (n == 3 && !memcmp(s, "all", 3))
			mask |= WG_CPU_ALL;
		for (i = 0; i < ARRAY_SIZE(wg_cpu_names); i++)
			if (strlen(wg_cpu_names[i].name) == n &&
			    !memcmp(s, wg_cpu_names[i].name, n))
				mask |= wg_cpu_names[i].bit;
		s += n;
	}
	return mask;
}

void wg_crypto_cpu_init(const char *disable)
{
	wg_cpu_features_detected = wg_cpu_detect();
	wg_cpu_features = wg_cpu_features_detected &
			  ~wg_cpu_parse_disable(disable);
}
