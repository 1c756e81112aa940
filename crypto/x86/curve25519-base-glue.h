/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-base X25519 with BMI2 + ADX, included by crypto/curve25519-base.c
 * after its digit recoding and table scan, which it shares.  The point
 * addition and doubling are in curve25519-x86_64.S; the few additions
 * and subtractions needed here are in C.  General-purpose registers
 * only, so there is no FPU section.
 */
#ifndef WG_X86_CURVE25519_BASE_GLUE_H
#define WG_X86_CURVE25519_BASE_GLUE_H

#include "../cpu.h"
#include "curve25519-fe-glue.h"

void wg_curve25519_ge_madd_adx(u64 p[16], const u64 q[12]);
void wg_curve25519_ge_dbl_adx(u64 p[16]);

/* h = f + g, mod p, in 256 bits: a carry out is worth 38 */
static void wg_fe64_add(u64 h[4], const u64 f[4], const u64 g[4])
{
	__uint128_t c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		c += (__uint128_t)f[i] + g[i];
		h[i] = (u64)c;
		c >>= 64;
	}
	c *= 38;
	for (i = 0; i < 4; i++) {
		c += h[i];
		h[i] = (u64)c;
		c >>= 64;
	}
	/* a second carry leaves h[0] < 38, so this cannot carry */
	h[0] += (u64)c * 38;
}

/* h = f - g, mod p, in 256 bits: a borrow is taken back out as 38 */
static void wg_fe64_sub(u64 h[4], const u64 f[4], const u64 g[4])
{
	__uint128_t d;
	u64 b = 0;
	int i;

	for (i = 0; i < 4; i++) {
		d = (__uint128_t)f[i] - g[i] - b;
		h[i] = (u64)d;
		b = (u64)(d >> 64) & 1;
	}
	b *= 38;
	for (i = 0; i < 4; i++) {
		d = (__uint128_t)h[i] - b;
		h[i] = (u64)d;
		b = (u64)(d >> 64) & 1;
	}
	/* a second borrow leaves h[0] >= 2^64 - 38, so this cannot borrow */
	h[0] -= b * 38;
}

/* q = digit * 256^j * B, for digit in [-8, 8], through masks only */
static void wg_ge64_select(u64 q[12], int j, s8 digit)
{
	static const u64 zero[4];
	u64 mask = 0 - wg_digit_neg(digit), neg[4], x;
	int i;

	wg_curve25519_base_scan(q, j, wg_digit_abs(digit));
	/* -P = (y - x, y + x, -2 d x y) */
	wg_fe64_sub(neg, zero, q + 8);
	wg_value_barrier(mask);
	for (i = 0; i < 4; i++) {
		x = (q[i] ^ q[4 + i]) & mask;
		q[i] ^= x;
		q[4 + i] ^= x;
		q[8 + i] = (q[8 + i] & ~mask) | (neg[i] & mask);
	}
	memzero_explicit(neg, sizeof(neg));
}

static bool wg_curve25519_base_arch(u8 out[32], const u8 scalar[32])
{
	u64 p[16] = { [4] = 1, [8] = 1 };	/* (0 : 1 : 1 : 0) */
	u64 q[12], n[4], dn[4];
	s8 e[64];
	int i;

	if (!(wg_cpu_features & WG_CPU_BMI2_ADX))
		return false;

	wg_curve25519_base_digits(e, scalar);
	for (i = 1; i < 64; i += 2) {
		wg_ge64_select(q, i / 2, e[i]);
		wg_curve25519_ge_madd_adx(p, q);
	}
	for (i = 0; i < 4; i++)
		wg_curve25519_ge_dbl_adx(p);
	for (i = 0; i < 64; i += 2) {
		wg_ge64_select(q, i / 2, e[i]);
		wg_curve25519_ge_madd_adx(p, q);
	}

	/* u = (Z + Y) / (Z - Y) */
	wg_fe64_add(n, p + 8, p + 4);
	wg_fe64_sub(dn, p + 8, p + 4);
	wg_curve25519_invert_adx(dn, dn);
	wg_curve25519_mul_adx(n, n, dn);
	wg_curve25519_tobytes_adx(out, n);

	memzero_explicit(p, sizeof(p));
	memzero_explicit(q, sizeof(q));
	memzero_explicit(n, sizeof(n));
	memzero_explicit(dn, sizeof(dn));
	memzero_explicit(e, sizeof(e));
	return true;
}

#endif
