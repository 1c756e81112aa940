/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 Poly1305, included by crypto/poly1305.c: AVX-512 IFMA
 * (poly1305-x86_64.S) when the CPU has it, else AVX2 (poly1305-avx2.S).
 *
 * Once this code accepts a message it owns ctx->state.opaque until the MAC
 * is emitted, and ctx->impl says which of the two layouts is in it.  Both
 * start with u64 h[3], the accumulator in 44/44/42-bit limbs.  IFMA then
 * keeps the limbs of r^8 .. r^2 (pow[j][i] is limb j of r^(8 - i)); AVX2
 * the 26-bit limbs of r^4, r^2, r^3, r (see poly1305-avx2.S).  The powers
 * are computed on the first call long enough for the vector code; shorter
 * messages use the 128-bit scalar code below in the 44-bit radix.
 */
#ifndef WG_X86_POLY1305_GLUE_H
#define WG_X86_POLY1305_GLUE_H

#include "x86-glue-common.h"
#include "../poly1305.h"

#ifdef __KERNEL__
#include <asm/cpufeature.h>
#else
#include <cpuid.h>
#endif

#define WG_POLY1305_IMPL_IFMA	0x1f3a
#define WG_POLY1305_IMPL_AVX2	0x2a52
/* below this many blocks the scalar code is faster than powers + vector */
#define WG_POLY1305_IFMA_MIN	16
#define WG_POLY1305_AVX2_MIN	16

#define WG_P44		0xfffffffffffULL
#define WG_P42		0x3ffffffffffULL

struct wg_poly1305_x86_state {
	u64 h[3];
	u64 pow[3][7];
};

struct wg_poly1305_avx2_state {
	u64 h[3];
	u32 pow[20];
	u32 have_pow;
};

void wg_poly1305_blocks_ifma(u64 acc[3], const u8 *in, size_t nblocks,
			     const u64 pow[24], u64 padbit);
void wg_poly1305_blocks_avx2(u64 acc[5], const u8 *in, size_t nblocks,
			     const u32 pow[20], u32 padbit);

static inline bool wg_x86_have_ifma(void)
{
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AVX512IFMA);
#else
	static int have = -1;

	if (have < 0) {
		unsigned int a, b, c, d;

		have = __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
		       (b & (1U << 21));
	}
	return have;
#endif
}

/* h = h * r (mod 2^130 - 5), limbs of 44/44/42 bits, partially carried */
static __always_inline void wg_p1305_x86_mul(u64 h[3], const u64 r[3])
{
	const u64 s1 = r[1] * 20, s2 = r[2] * 20;
	__uint128_t d0, d1, d2;
	u64 c;

	d0 = (__uint128_t)h[0] * r[0] + (__uint128_t)h[1] * s2 + (__uint128_t)h[2] * s1;
	d1 = (__uint128_t)h[0] * r[1] + (__uint128_t)h[1] * r[0] + (__uint128_t)h[2] * s2;
	d2 = (__uint128_t)h[0] * r[2] + (__uint128_t)h[1] * r[1] + (__uint128_t)h[2] * r[0];
	d1 += (u64)(d0 >> 44);
	h[0] = (u64)d0 & WG_P44;
	d2 += (u64)(d1 >> 44);
	h[1] = (u64)d1 & WG_P44;
	c = (u64)(d2 >> 42);
	h[2] = (u64)d2 & WG_P42;
	h[0] += c * 5;
	h[1] += h[0] >> 44;
	h[0] &= WG_P44;
}

static void wg_p1305_x86_scalar(u64 h[3], const u64 r[3], const u8 *in,
				size_t nblocks, u32 padbit)
{
	const u64 hibit = (u64)padbit << 40;

	while (nblocks--) {
		u64 t0 = wg_get_le64(in), t1 = wg_get_le64(in + 8);

		h[0] += t0 & WG_P44;
		h[1] += ((t0 >> 44) | (t1 << 20)) & WG_P44;
		h[2] += (t1 >> 24) | hibit;
		wg_p1305_x86_mul(h, r);
		in += 16;
	}
}

static inline void wg_p1305_x86_r(const struct wg_poly1305_ctx *ctx,
				  u64 r[3])
{
	u64 t0 = ctx->r[0] | ((u64)ctx->r[1] << 32);
	u64 t1 = ctx->r[2] | ((u64)ctx->r[3] << 32);

	r[0] = t0 & WG_P44;
	r[1] = ((t0 >> 44) | (t1 << 20)) & WG_P44;
	r[2] = t1 >> 24;
}

static void wg_poly1305_ifma_blocks(struct wg_poly1305_ctx *ctx,
				    const u8 *in, size_t nblocks, u32 padbit)
{
	struct wg_poly1305_x86_state st;
	u64 r[3];

	BUILD_BUG_ON(sizeof(st) > sizeof(ctx->state.opaque));
	wg_p1305_x86_r(ctx, r);
	memcpy(&st, ctx->state.opaque, sizeof(st));

	if (nblocks >= WG_POLY1305_IFMA_MIN) {
		u64 pow[24];
		int i, j;

		if (!(st.pow[0][0] | st.pow[1][0] | st.pow[2][0])) {
			u64 p[3] = { r[0], r[1], r[2] };

			for (i = 6; i >= 0; i--) {
				wg_p1305_x86_mul(p, r);
				for (j = 0; j < 3; j++)
					st.pow[j][i] = p[j];
			}
			memzero_explicit(p, sizeof(p));
		}
		for (j = 0; j < 3; j++) {
			memcpy(&pow[8 * j], st.pow[j], sizeof(st.pow[j]));
			pow[8 * j + 7] = r[j];
		}
		if (wg_simd_begin()) {
			for (;;) {
				size_t n = nblocks & ~(size_t)7;

				if (n > WG_X86_CHUNK / 16)
					n = WG_X86_CHUNK / 16;
				wg_poly1305_blocks_ifma(st.h, in, n, pow,
							padbit);
				/* lanes summed: carry back into 44/44/42 */
				st.h[1] += st.h[0] >> 44;
				st.h[0] &= WG_P44;
				st.h[2] += st.h[1] >> 44;
				st.h[1] &= WG_P44;
				st.h[0] += (st.h[2] >> 42) * 5;
				st.h[2] &= WG_P42;
				in += n * 16;
				nblocks -= n;
				if (nblocks < 8)
					break;
				wg_x86_simd_yield();
			}
			wg_simd_end();
		}
		memzero_explicit(pow, sizeof(pow));
	}
	wg_p1305_x86_scalar(st.h, r, in, nblocks, padbit);
	memcpy(ctx->state.opaque, &st, sizeof(st));
	memzero_explicit(&st, sizeof(st));
}

/* h[] carried: h0, h1 < 2^44, h2 < 2^42 + 2 */
static __always_inline void wg_p1305_x86_carry(u64 h[3])
{
	h[1] += h[0] >> 44;
	h[0] &= WG_P44;
	h[2] += h[1] >> 44;
	h[1] &= WG_P44;
	h[0] += (h[2] >> 42) * 5;
	h[2] &= WG_P42;
	h[1] += h[0] >> 44;
	h[0] &= WG_P44;
	h[2] += h[1] >> 44;
	h[1] &= WG_P44;
}

/* 44/44/42-bit limbs (carried) -> five 26-bit limbs, the top one larger */
static __always_inline void wg_p1305_x86_to26(u64 a[5], const u64 h[3])
{
	a[0] = h[0] & 0x3ffffff;
	a[1] = ((h[0] >> 26) | (h[1] << 18)) & 0x3ffffff;
	a[2] = (h[1] >> 8) & 0x3ffffff;
	a[3] = ((h[1] >> 34) | (h[2] << 10)) & 0x3ffffff;
	a[4] = h[2] >> 16;
}

/* five 26-bit limbs of any size below 2^62 -> 44/44/42 (partially carried) */
static __always_inline void wg_p1305_x86_from26(u64 h[3], u64 a[5])
{
	u64 x;

	a[1] += a[0] >> 26;
	a[0] &= 0x3ffffff;
	a[2] += a[1] >> 26;
	a[1] &= 0x3ffffff;
	a[3] += a[2] >> 26;
	a[2] &= 0x3ffffff;
	a[4] += a[3] >> 26;
	a[3] &= 0x3ffffff;
	a[0] += (a[4] >> 26) * 5;
	a[4] &= 0x3ffffff;
	a[1] += a[0] >> 26;
	a[0] &= 0x3ffffff;
	/* each limb now below 2^26 + 2^13 */
	x = a[0] + (a[1] << 26);
	h[0] = x & WG_P44;
	x = (x >> 44) + (a[2] << 8) + (a[3] << 34);
	h[1] = x & WG_P44;
	h[2] = (x >> 44) + (a[4] << 16);
}

static void wg_poly1305_avx2_blocks(struct wg_poly1305_ctx *ctx,
				    const u8 *in, size_t nblocks, u32 padbit)
{
	struct wg_poly1305_avx2_state st;
	u64 r[3];

	BUILD_BUG_ON(sizeof(st) > sizeof(ctx->state.opaque));
	wg_p1305_x86_r(ctx, r);
	memcpy(&st, ctx->state.opaque, sizeof(st));

	if (nblocks >= WG_POLY1305_AVX2_MIN && wg_simd_begin()) {
		u64 acc[5], p[3], a[5];
		int i, j;

		if (!st.have_pow) {
			/* lane order r^4, r^2, r^3, r^1 */
			static const u8 lane[4] = { 3, 1, 2, 0 };

			memcpy(p, r, sizeof(p));
			for (i = 0; i < 4; i++) {
				wg_p1305_x86_carry(p);
				wg_p1305_x86_to26(a, p);
				for (j = 0; j < 5; j++)
					st.pow[4 * j + lane[i]] = (u32)a[j];
				wg_p1305_x86_mul(p, r);
			}
			st.have_pow = 1;
			memzero_explicit(p, sizeof(p));
			memzero_explicit(a, sizeof(a));
		}
		for (;;) {
			size_t n = nblocks & ~(size_t)3;

			if (n > WG_X86_CHUNK / 16)
				n = WG_X86_CHUNK / 16;
			wg_p1305_x86_carry(st.h);
			wg_p1305_x86_to26(acc, st.h);
			wg_poly1305_blocks_avx2(acc, in, n, st.pow, padbit);
			wg_p1305_x86_from26(st.h, acc);
			in += n * 16;
			nblocks -= n;
			if (nblocks < 4)
				break;
			wg_x86_simd_yield();
		}
		wg_simd_end();
		memzero_explicit(acc, sizeof(acc));
	}
	wg_p1305_x86_scalar(st.h, r, in, nblocks, padbit);
	memcpy(ctx->state.opaque, &st, sizeof(st));
	memzero_explicit(&st, sizeof(st));
}

static bool wg_poly1305_arch_blocks(struct wg_poly1305_ctx *ctx,
				    const u8 *in, size_t len, u32 padbit)
{
	unsigned int impl = ctx->impl;

	if (!impl) {
		if ((wg_cpu_features & WG_CPU_AVX512) && wg_x86_have_ifma())
			impl = WG_POLY1305_IMPL_IFMA;
		else if (wg_cpu_features & WG_CPU_AVX2)
			impl = WG_POLY1305_IMPL_AVX2;
		else
			return false;
		memset(&ctx->state, 0, sizeof(ctx->state));
		ctx->impl = impl;
	}
	if (impl == WG_POLY1305_IMPL_IFMA)
		wg_poly1305_ifma_blocks(ctx, in, len / 16, padbit);
	else if (impl == WG_POLY1305_IMPL_AVX2)
		wg_poly1305_avx2_blocks(ctx, in, len / 16, padbit);
	else	/* the portable code owns this message */
		return false;
	return true;
}

static bool wg_poly1305_arch_emit(struct wg_poly1305_ctx *ctx, u8 mac[16])
{
	u64 h0, h1, h2, g0, g1, g2, c, mask, t0, t1;
	__uint128_t acc;

	if (ctx->impl != WG_POLY1305_IMPL_IFMA &&
	    ctx->impl != WG_POLY1305_IMPL_AVX2)
		return false;
	h0 = ctx->state.h[0];
	h1 = ctx->state.h[1];
	h2 = ctx->state.h[2];

	/* carry fully: h < 2^130 + small */
	h1 += h0 >> 44;
	h0 &= WG_P44;
	h2 += h1 >> 44;
	h1 &= WG_P44;
	h0 += (h2 >> 42) * 5;
	h2 &= WG_P42;
	h1 += h0 >> 44;
	h0 &= WG_P44;
	h2 += h1 >> 44;
	h1 &= WG_P44;

	/* g = h + 5 - 2^130; use it when it is not negative (h >= p) */
	g0 = h0 + 5;
	c = g0 >> 44;
	g0 &= WG_P44;
	g1 = h1 + c;
	c = g1 >> 44;
	g1 &= WG_P44;
	g2 = h2 + c - (1ULL << 42);
	mask = (g2 >> 63) - 1;
	wg_value_barrier(mask);
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	h2 = (h2 & ~mask) | (g2 & mask);

	t0 = h0 | (h1 << 44);
	t1 = (h1 >> 20) | (h2 << 24);
	acc = (__uint128_t)t0 + ctx->s[0] + ((u64)ctx->s[1] << 32);
	wg_put_le64((u64)acc, mac);
	acc = (acc >> 64) + t1 + ctx->s[2] + ((u64)ctx->s[3] << 32);
	wg_put_le64((u64)acc, mac + 8);
	return true;
}

#endif
