/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the userspace crypto tests: TAP lines, a seeded PRNG,
 * the implementation label for the current WG_CRYPTO_DISABLE setting.
 */
#ifndef WG_TEST_COMMON_H
#define WG_TEST_COMMON_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "cpu.h"

static int tap_failed;

/* One result line; the .t driver numbers them. */
static inline void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed = 1;
}

static inline void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline void diag_hex(const char *what, const u8 *p, size_t n)
{
	size_t i;

	printf("# %s: ", what);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

/* splitmix64: reproducible from the seed printed at start. */
static u64 rng_state;

static inline u64 rng64(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u32 rng_below(u32 n)
{
	return n ? (u32)(rng64() % n) : 0;
}

static inline void rng_bytes(u8 *p, size_t n)
{
	u64 v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(i & 7))
			v = rng64();
		p[i] = (u8)v;
		v >>= 8;
	}
}

static inline void rng_seed_from_env(void)
{
	const char *s = getenv("WG_TEST_SEED");

	rng_state = s ? strtoull(s, NULL, 0) : 0x5eed0f0000c0ffeeULL;
	diag("WG_TEST_SEED=0x%llx", (unsigned long long)rng_state);
}

/* The features left after WG_CRYPTO_DISABLE, as a label. */
static inline const char *impl_label(void)
{
	static char buf[64];
	u32 bit;

	buf[0] = 0;
	for (bit = 1; bit & WG_CPU_ALL; bit <<= 1) {
		if (!(wg_cpu_features & bit))
			continue;
		if (buf[0])
			strcat(buf, "+");
		strcat(buf, wg_cpu_feature_name(bit));
	}
	return buf[0] ? buf : "generic";
}

static inline int slow_tests(void)
{
	const char *s = getenv("WG_SLOW_TESTS");

	return s && *s && strcmp(s, "0");
}

static inline void crypto_test_init(void)
{
	wg_crypto_cpu_init(getenv("WG_CRYPTO_DISABLE"));
}

#endif /* WG_TEST_COMMON_H */
