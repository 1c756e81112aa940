// SPDX-License-Identifier: GPL-2.0
/*
 * Portable X25519: field elements mod 2^255 - 19 in five 51-bit limbs with
 * 128-bit products, and the RFC 7748 Montgomery ladder.  The scalar bits
 * only ever select through masks, never through branches or indices.
 */
#include "curve25519.h"
#include "cpu.h"
#include "simd.h"

#ifdef WG_CRYPTO_X86
#include "x86/curve25519-glue.h"
#define WG_HAVE_CURVE25519_ARCH 1
#endif

#include "curve25519-fe.h"

/* h = f * 121665, the (A - 2) / 4 of the ladder step. */
static void fe_mul_a24(fe h, const fe f)
{
	__uint128_t t[5];
	int i;

	for (i = 0; i < 5; i++)
		t[i] = (__uint128_t)f[i] * 121665;
	fe_carry(h, t);
}

void wg_curve25519_generic(u8 out[CURVE25519_KEY_SIZE],
			   const u8 scalar[CURVE25519_KEY_SIZE],
			   const u8 point[CURVE25519_KEY_SIZE])
{
	fe x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb;
	u64 swap = 0, bit;
	int t;

	fe_frombytes(x1, point);
	memset(x2, 0, sizeof(fe));
	x2[0] = 1;
	memset(z2, 0, sizeof(fe));
	fe_copy(x3, x1);
	memset(z3, 0, sizeof(fe));
	z3[0] = 1;

	for (t = 254; t >= 0; t--) {
		bit = (scalar[t >> 3] >> (t & 7)) & 1;
		swap ^= bit;
		fe_cswap(x2, x3, swap);
		fe_cswap(z2, z3, swap);
		swap = bit;

		fe_add(a, x2, z2);
		fe_sq(aa, a);
		fe_sub(b, x2, z2);
		fe_sq(bb, b);
		fe_sub(e, aa, bb);
		fe_add(c, x3, z3);
		fe_sub(d, x3, z3);
		fe_mul(da, d, a);
		fe_mul(cb, c, b);
		fe_add(x3, da, cb);
		fe_sq(x3, x3);
		fe_sub(z3, da, cb);
		fe_sq(z3, z3);
		fe_mul(z3, z3, x1);
		fe_mul(x2, aa, bb);
		fe_mul_a24(z2, e);
		fe_add(z2, z2, aa);
		fe_mul(z2, z2, e);
	}
	fe_cswap(x2, x3, swap);
	fe_cswap(z2, z3, swap);

	fe_invert(z2, z2);
	fe_mul(x2, x2, z2);
	fe_tobytes(out, x2);

	memzero_explicit(x2, sizeof(fe));
	memzero_explicit(z2, sizeof(fe));
	memzero_explicit(x3, sizeof(fe));
	memzero_explicit(z3, sizeof(fe));
	memzero_explicit(a, sizeof(fe));
	memzero_explicit(aa, sizeof(fe));
	memzero_explicit(b, sizeof(fe));
	memzero_explicit(bb, sizeof(fe));
	memzero_explicit(e, sizeof(fe));
	memzero_explicit(da, sizeof(fe));
	memzero_explicit(cb, sizeof(fe));
}

void wg_curve25519_clamp_secret(u8 secret[CURVE25519_KEY_SIZE])
{
	secret[0] &= 248;
	secret[31] = (secret[31] & 127) | 64;
}

/* true unless all 32 bytes are zero; no early exit */
static bool wg_curve25519_nonzero(const u8 out[CURVE25519_KEY_SIZE])
{
	u32 acc = 0;
	int i;

	for (i = 0; i < CURVE25519_KEY_SIZE; i++)
		acc |= out[i];
	wg_value_barrier(acc);
	/* (acc - 1) >> 8 is 1 only for acc == 0 */
	return !((acc - 1) >> 8);
}

bool wg_curve25519(u8 out[CURVE25519_KEY_SIZE],
		   const u8 secret[CURVE25519_KEY_SIZE],
		   const u8 basepoint[CURVE25519_KEY_SIZE])
{
	u8 scalar[CURVE25519_KEY_SIZE];

	memcpy(scalar, secret, sizeof(scalar));
	wg_curve25519_clamp_secret(scalar);
#ifdef WG_HAVE_CURVE25519_ARCH
	if (!wg_curve25519_arch(out, scalar, basepoint))
#endif
		wg_curve25519_generic(out, scalar, basepoint);
	memzero_explicit(scalar, sizeof(scalar));
	return wg_curve25519_nonzero(out);
}

/*
 * pub = clamp(secret) * 9 through the fixed-base table.  A clamped
 * scalar is never a multiple of the base point's order, so the result is
 * never zero; the check stays for the callers' sake.
 */
bool wg_curve25519_generate_public(u8 pub[CURVE25519_KEY_SIZE],
				   const u8 secret[CURVE25519_KEY_SIZE])
{
	u8 scalar[CURVE25519_KEY_SIZE];

	memcpy(scalar, secret, sizeof(scalar));
	wg_curve25519_clamp_secret(scalar);
	wg_curve25519_base(pub, scalar);
	memzero_explicit(scalar, sizeof(scalar));
	return wg_curve25519_nonzero(pub);
}
