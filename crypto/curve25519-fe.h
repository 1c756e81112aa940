/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Portable arithmetic in GF(2^255 - 19), shared by the X25519 ladder
 * (curve25519.c) and the fixed-base multiplication (curve25519-base.c).
 * An element is five limbs of nominally 51 bits; products use 128-bit
 * accumulators and the identity 2^255 = 19 (mod p).
 *
 * Limb bounds: fe_mul, fe_sq and fe_carry return limbs below 2^51 + 2^13.
 * fe_mul and fe_sq accept limbs below 2^54.1 (the top product sum then
 * stays below 2^110.75, so its carry times 19 fits in 64 bits); fe_sub
 * needs g's limbs below 2^53 - 76 and adds up to 2^53 to f's.  Each
 * caller states why its operands are in range.
 */
#ifndef WG_CRYPTO_CURVE25519_FE_H
#define WG_CRYPTO_CURVE25519_FE_H

#include "compat.h"

typedef u64 fe[5];

#define M51 0x7ffffffffffffULL

static __always_inline void fe_copy(fe h, const fe f)
{
	memcpy(h, f, sizeof(fe));
}

static __always_inline void fe_add(fe h, const fe f, const fe g)
{
	int i;

	for (i = 0; i < 5; i++)
		h[i] = f[i] + g[i];
}

/* h = f - g + 4p, so no limb goes negative while g's limbs are < 2^53. */
static __always_inline void fe_sub(fe h, const fe f, const fe g)
{
	h[0] = f[0] + 0x1fffffffffffb4ULL - g[0];
	h[1] = f[1] + 0x1ffffffffffffcULL - g[1];
	h[2] = f[2] + 0x1ffffffffffffcULL - g[2];
	h[3] = f[3] + 0x1ffffffffffffcULL - g[3];
	h[4] = f[4] + 0x1ffffffffffffcULL - g[4];
}

static __always_inline void fe_carry(fe h, __uint128_t t[5])
{
	u64 c;

	c = (u64)(t[0] >> 51);
	h[0] = (u64)t[0] & M51;
	t[1] += c;
	c = (u64)(t[1] >> 51);
	h[1] = (u64)t[1] & M51;
	t[2] += c;
	c = (u64)(t[2] >> 51);
	h[2] = (u64)t[2] & M51;
	t[3] += c;
	c = (u64)(t[3] >> 51);
	h[3] = (u64)t[3] & M51;
	t[4] += c;
	c = (u64)(t[4] >> 51);
	h[4] = (u64)t[4] & M51;
	/* 2^255 == 19 (mod p) */
	h[0] += c * 19;
	h[1] += h[0] >> 51;
	h[0] &= M51;
}

static inline void fe_mul(fe h, const fe f, const fe g)
{
	const u64 g1 = g[1] * 19, g2 = g[2] * 19, g3 = g[3] * 19;
	const u64 g4 = g[4] * 19;
	__uint128_t t[5];

	t[0] = (__uint128_t)f[0] * g[0] + (__uint128_t)f[1] * g4 +
	       (__uint128_t)f[2] * g3 + (__uint128_t)f[3] * g2 + (__uint128_t)f[4] * g1;
	t[1] = (__uint128_t)f[0] * g[1] + (__uint128_t)f[1] * g[0] +
	       (__uint128_t)f[2] * g4 + (__uint128_t)f[3] * g3 + (__uint128_t)f[4] * g2;
	t[2] = (__uint128_t)f[0] * g[2] + (__uint128_t)f[1] * g[1] +
	       (__uint128_t)f[2] * g[0] + (__uint128_t)f[3] * g4 + (__uint128_t)f[4] * g3;
	t[3] = (__uint128_t)f[0] * g[3] + (__uint128_t)f[1] * g[2] +
	       (__uint128_t)f[2] * g[1] + (__uint128_t)f[3] * g[0] +
	       (__uint128_t)f[4] * g4;
	t[4] = (__uint128_t)f[0] * g[4] + (__uint128_t)f[1] * g[3] +
	       (__uint128_t)f[2] * g[2] + (__uint128_t)f[3] * g[1] +
	       (__uint128_t)f[4] * g[0];
	fe_carry(h, t);
}

static inline void fe_sq(fe h, const fe f)
{
	const u64 d0 = f[0] * 2, d1 = f[1] * 2, d2 = f[2] * 2;
	const u64 f3_19 = f[3] * 19, f4_19 = f[4] * 19;
	__uint128_t t[5];

	t[0] = (__uint128_t)f[0] * f[0] + (__uint128_t)d1 * f4_19 +
	       (__uint128_t)d2 * f3_19;
	t[1] = (__uint128_t)d0 * f[1] + (__uint128_t)d2 * f4_19 +
	       (__uint128_t)f[3] * f3_19;
	t[2] = (__uint128_t)d0 * f[2] + (__uint128_t)f[1] * f[1] +
	       (__uint128_t)(f[3] * 2) * f4_19;
	t[3] = (__uint128_t)d0 * f[3] + (__uint128_t)d1 * f[2] +
	       (__uint128_t)f[4] * f4_19;
	t[4] = (__uint128_t)d0 * f[4] + (__uint128_t)d1 * f[3] +
	       (__uint128_t)f[2] * f[2];
	fe_carry(h, t);
}

static inline void fe_sqn(fe h, const fe f, int n)
{
	fe_sq(h, f);
	while (--n)
		fe_sq(h, h);
}

/* h = f^(p - 2) = f^(2^255 - 21) = 1/f */
static inline void fe_invert(fe h, const fe f)
{
	fe x2, x9, x11, a, b, c;

	fe_sq(x2, f);			/* 2 */
	fe_sqn(a, x2, 2);		/* 8 */
	fe_mul(x9, a, f);		/* 9 */
	fe_mul(x11, x9, x2);		/* 11 */
	fe_sq(a, x11);			/* 22 */
	fe_mul(a, a, x9);		/* 2^5 - 1 */
	fe_sqn(b, a, 5);
	fe_mul(b, b, a);		/* 2^10 - 1 */
	fe_sqn(c, b, 10);
	fe_mul(c, c, b);		/* 2^20 - 1 */
	fe_sqn(h, c, 20);
	fe_mul(h, h, c);		/* 2^40 - 1 */
	fe_sqn(h, h, 10);
	fe_mul(a, h, b);		/* 2^50 - 1 */
	fe_sqn(b, a, 50);
	fe_mul(b, b, a);		/* 2^100 - 1 */
	fe_sqn(c, b, 100);
	fe_mul(c, c, b);		/* 2^200 - 1 */
	fe_sqn(c, c, 50);
	fe_mul(c, c, a);		/* 2^250 - 1 */
	fe_sqn(c, c, 5);		/* 2^255 - 32 */
	fe_mul(h, c, x11);		/* 2^255 - 21 */
}

/* Swap f and g when @swap is 1, without a branch; @swap must be 0 or 1. */
static __always_inline void fe_cswap(fe f, fe g, u64 swap)
{
	u64 mask = 0 - swap, x;
	int i;

	wg_value_barrier(mask);
	for (i = 0; i < 5; i++) {
		x = (f[i] ^ g[i]) & mask;
		f[i] ^= x;
		g[i] ^= x;
	}
}

static inline void fe_frombytes(fe h, const u8 s[32])
{
	u64 w0 = wg_get_le64(s), w1 = wg_get_le64(s + 8);
	u64 w2 = wg_get_le64(s + 16), w3 = wg_get_le64(s + 24);

	/* The top bit is ignored (RFC 7748 section 5). */
	h[0] = w0 & M51;
	h[1] = ((w0 >> 51) | (w1 << 13)) & M51;
	h[2] = ((w1 >> 38) | (w2 << 26)) & M51;
	h[3] = ((w2 >> 25) | (w3 << 39)) & M51;
	h[4] = (w3 >> 12) & M51;
}

static inline void fe_tobytes(u8 s[32], const fe f)
{
	__uint128_t t[5];
	u64 h[5], q;
	int i;

	for (i = 0; i < 5; i++)
		t[i] = f[i];
	fe_carry(h, t);
	for (i = 0; i < 5; i++)
		t[i] = h[i];
	fe_carry(h, t);

	/* Now h < 2p; q = 1 exactly when h >= p, i.e. h + 19 >= 2^255. */
	q = (h[0] + 19) >> 51;
	q = (h[1] + q) >> 51;
	q = (h[2] + q) >> 51;
	q = (h[3] + q) >> 51;
	q = (h[4] + q) >> 51;
	h[0] += 19 * q;
	h[1] += h[0] >> 51;
	h[0] &= M51;
	h[2] += h[1] >> 51;
	h[1] &= M51;
	h[3] += h[2] >> 51;
	h[2] &= M51;
	h[4] += h[3] >> 51;
	h[3] &= M51;
	h[4] &= M51;

	wg_put_le64(h[0] | (h[1] << 51), s);
	wg_put_le64((h[1] >> 13) | (h[2] << 38), s + 8);
	wg_put_le64((h[2] >> 26) | (h[3] << 25), s + 16);
	wg_put_le64((h[3] >> 39) | (h[4] << 12), s + 24);
}

#endif /* WG_CRYPTO_CURVE25519_FE_H */
