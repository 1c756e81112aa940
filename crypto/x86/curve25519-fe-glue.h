/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GF(2^255 - 19) with BMI2 + ADX: the products in curve25519-x86_64.S,
 * and in C the inversion (Fermat, a fixed chain of squarings and
 * products) and the final reduction to canonical bytes.  Shared by the
 * ladder (curve25519-glue.h) and the fixed base (curve25519-base-glue.h).
 * An element is four 64-bit limbs holding any value below 2^256.
 */
#ifndef WG_X86_CURVE25519_FE_GLUE_H
#define WG_X86_CURVE25519_FE_GLUE_H

#include "../compat.h"

void wg_curve25519_mul_adx(u64 out[4], const u64 a[4], const u64 b[4]);
void wg_curve25519_sqrn_adx(u64 out[4], const u64 a[4], unsigned long n);

/* z^(p - 2) = z^(2^255 - 21), the inverse of z (0 for z = 0) */
static inline void wg_curve25519_invert_adx(u64 out[4], const u64 z[4])
{
	u64 z2[4], z9[4], z11[4], a[4], b[4], c[4];

	wg_curve25519_sqrn_adx(z2, z, 1);		/* 2 */
	wg_curve25519_sqrn_adx(a, z2, 2);		/* 8 */
	wg_curve25519_mul_adx(z9, a, z);		/* 9 */
	wg_curve25519_mul_adx(z11, z9, z2);		/* 11 */
	wg_curve25519_sqrn_adx(a, z11, 1);		/* 22 */
	wg_curve25519_mul_adx(a, a, z9);		/* 2^5 - 1 */
	wg_curve25519_sqrn_adx(b, a, 5);
	wg_curve25519_mul_adx(b, b, a);			/* 2^10 - 1 */
	wg_curve25519_sqrn_adx(c, b, 10);
	wg_curve25519_mul_adx(c, c, b);			/* 2^20 - 1 */
	wg_curve25519_sqrn_adx(a, c, 20);
	wg_curve25519_mul_adx(a, a, c);			/* 2^40 - 1 */
	wg_curve25519_sqrn_adx(a, a, 10);
	wg_curve25519_mul_adx(a, a, b);			/* 2^50 - 1 */
	wg_curve25519_sqrn_adx(b, a, 50);
	wg_curve25519_mul_adx(b, b, a);			/* 2^100 - 1 */
	wg_curve25519_sqrn_adx(c, b, 100);
	wg_curve25519_mul_adx(c, c, b);			/* 2^200 - 1 */
	wg_curve25519_sqrn_adx(c, c, 50);
	wg_curve25519_mul_adx(c, c, a);			/* 2^250 - 1 */
	wg_curve25519_sqrn_adx(c, c, 5);		/* 2^255 - 32 */
	wg_curve25519_mul_adx(out, c, z11);		/* 2^255 - 21 */

	memzero_explicit(z2, sizeof(z2));
	memzero_explicit(z9, sizeof(z9));
	memzero_explicit(z11, sizeof(z11));
	memzero_explicit(a, sizeof(a));
	memzero_explicit(b, sizeof(b));
	memzero_explicit(c, sizeof(c));
}

/* any f < 2^256 -> the bytes of f mod p, without secret branches */
static inline void wg_curve25519_tobytes_adx(u8 out[32], const u64 f[4])
{
	u64 h[4], g[4], mask;
	__uint128_t c;
	int i;

	/* fold bit 255: 2^255 = 19; h < 2^255 + 19 * 2 afterwards */
	c = (__uint128_t)19 * (f[3] >> 63);
	h[3] = f[3] & 0x7fffffffffffffffULL;
	for (i = 0; i < 3; i++) {
		c += f[i];
		h[i] = (u64)c;
		c >>= 64;
	}
	h[3] += (u64)c;
	/* h < p + 38: g = h + 19 - 2^255 = h - p is the answer if h >= p */
	c = 19;
	for (i = 0; i < 4; i++) {
		c += h[i];
		g[i] = (u64)c;
		c >>= 64;
	}
	mask = 0 - (g[3] >> 63);		/* all ones when h >= p */
	wg_value_barrier(mask);
	g[3] &= 0x7fffffffffffffffULL;
	for (i = 0; i < 4; i++)
		wg_put_le64((h[i] & ~mask) | (g[i] & mask), out + 8 * i);
	memzero_explicit(h, sizeof(h));
	memzero_explicit(g, sizeof(g));
}

#endif
