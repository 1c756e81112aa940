// SPDX-License-Identifier: GPL-2.0
/*
 * Portable X25519: field elements mod 2^255 - 19 in five 51-bit limbs with
 * 128-bit products, and the RFC 7748 Montgomery ladder.  The scalar bits
 * only ever select through masks, never through branches or indices.
 */
#include "curve25519.h"
#include "cpu.h"
#include "simd.h"

#if !defined(WG_NO_ARCH) && (defined(CONFIG_X86_64) || \
				(defined(WG_USERSPACE) && defined(__x86_64__)))
#if __has_include("x86/curve25519-glue.h")
#include "x86/curve25519-glue.h"
#define WG_HAVE_CURVE25519_ARCH 1
#endif
#endif

typedef unsigned __int128 wg_u128;
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

static __always_inline void fe_carry(fe h, wg_u128 t[5])
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

static void fe_mul(fe h, const fe f, const fe g)
{
	const u64 g1 = g[1] * 19, g2 = g[2] * 19, g3 = g[3] * 19;
	const u64 g4 = g[4] * 19;
	wg_u128 t[5];

	t[0] = (wg_u128)f[0] * g[0] + (wg_u128)f[1] * g4 +
	       (wg_u128)f[2] * g3 + (wg_u128)f[3] * g2 + (wg_u128)f[4] * g1;
	t[1] = (wg_u128)f[0] * g[1] + (wg_u128)f[1] * g[0] +
	       (wg_u128)f[2] * g4 + (wg_u128)f[3] * g3 + (wg_u128)f[4] * g2;
	t[2] = (wg_u128)f[0] * g[2] + (wg_u128)f[1] * g[1] +
	       (wg_u128)f[2] * g[0] + (wg_u128)f[3] * g4 + (wg_u128)f[4] * g3;
	t[3] = (wg_u128)f[0] * g[3] + (wg_u128)f[1] * g[2] +
	       (wg_u128)f[2] * g[1] + (wg_u128)f[3] * g[0] +
	       (wg_u128)f[4] * g4;
	t[4] = (wg_u128)f[0] * g[4] + (wg_u128)f[1] * g[3] +
	       (wg_u128)f[2] * g[2] + (wg_u128)f[3] * g[1] +
	       (wg_u128)f[4] * g[0];
	fe_carry(h, t);
}

static void fe_sq(fe h, const fe f)
{
	const u64 d0 = f[0] * 2, d1 = f[1] * 2, d2 = f[2] * 2;
	const u64 f3_19 = f[3] * 19, f4_19 = f[4] * 19;
	wg_u128 t[5];

	t[0] = (wg_u128)f[0] * f[0] + (wg_u128)d1 * f4_19 +
	       (wg_u128)d2 * f3_19;
	t[1] = (wg_u128)d0 * f[1] + (wg_u128)d2 * f4_19 +
	       (wg_u128)f[3] * f3_19;
	t[2] = (wg_u128)d0 * f[2] + (wg_u128)f[1] * f[1] +
	       (wg_u128)(f[3] * 2) * f4_19;
	t[3] = (wg_u128)d0 * f[3] + (wg_u128)d1 * f[2] +
	       (wg_u128)f[4] * f4_19;
	t[4] = (wg_u128)d0 * f[4] + (wg_u128)d1 * f[3] +
	       (wg_u128)f[2] * f[2];
	fe_carry(h, t);
}

static void fe_sqn(fe h, const fe f, int n)
{
	fe_sq(h, f);
	while (--n)
		fe_sq(h, h);
}

/* h = f * 121665, the (A - 2) / 4 of the ladder step. */
static void fe_mul_a24(fe h, const fe f)
{
	wg_u128 t[5];
	int i;

	for (i = 0; i < 5; i++)
		t[i] = (wg_u128)f[i] * 121665;
	fe_carry(h, t);
}

/* h = f^(p - 2) = f^(2^255 - 21) = 1/f */
static void fe_invert(fe h, const fe f)
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

static void fe_frombytes(fe h, const u8 s[32])
{
	u64 w0 = get_unaligned_le64(s), w1 = get_unaligned_le64(s + 8);
	u64 w2 = get_unaligned_le64(s + 16), w3 = get_unaligned_le64(s + 24);

	/* The top bit is ignored (RFC 7748 section 5). */
	h[0] = w0 & M51;
	h[1] = ((w0 >> 51) | (w1 << 13)) & M51;
	h[2] = ((w1 >> 38) | (w2 << 26)) & M51;
	h[3] = ((w2 >> 25) | (w3 << 39)) & M51;
	h[4] = (w3 >> 12) & M51;
}

static void fe_tobytes(u8 s[32], const fe f)
{
	wg_u128 t[5];
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

	put_unaligned_le64(h[0] | (h[1] << 51), s);
	put_unaligned_le64((h[1] >> 13) | (h[2] << 38), s + 8);
	put_unaligned_le64((h[2] >> 26) | (h[3] << 25), s + 16);
	put_unaligned_le64((h[3] >> 39) | (h[4] << 12), s + 24);
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

bool wg_curve25519(u8 out[CURVE25519_KEY_SIZE],
		   const u8 secret[CURVE25519_KEY_SIZE],
		   const u8 basepoint[CURVE25519_KEY_SIZE])
{
	u8 scalar[CURVE25519_KEY_SIZE];
	u32 acc = 0;
	int i;

	memcpy(scalar, secret, sizeof(scalar));
	wg_curve25519_clamp_secret(scalar);
#ifdef WG_HAVE_CURVE25519_ARCH
	if (!wg_curve25519_arch(out, scalar, basepoint))
#endif
		wg_curve25519_generic(out, scalar, basepoint);
	memzero_explicit(scalar, sizeof(scalar));

	for (i = 0; i < CURVE25519_KEY_SIZE; i++)
		acc |= out[i];
	wg_value_barrier(acc);
	/* (acc - 1) >> 8 is 1 only for acc == 0 */
	return !((acc - 1) >> 8);
}

bool wg_curve25519_generate_public(u8 pub[CURVE25519_KEY_SIZE],
				   const u8 secret[CURVE25519_KEY_SIZE])
{
	static const u8 basepoint[CURVE25519_KEY_SIZE] = { 9 };

	return wg_curve25519(pub, secret, basepoint);
}
