// SPDX-License-Identifier: GPL-2.0
/*
 * Portable Poly1305: the accumulator and r are kept in three limbs of
 * 44, 44 and 42 bits so that every product fits a 128-bit integer with
 * room for the sums.  Arithmetic is branch-free on secret data.
 */
#include "poly1305.h"
#include "cpu.h"
#include "simd.h"

#ifdef WG_CRYPTO_X86
#include "x86/poly1305-glue.h"
#define WG_HAVE_POLY1305_ARCH 1
#endif

#define M44 0xfffffffffffULL
#define M42 0x3ffffffffffULL

void wg_poly1305_init(struct wg_poly1305_ctx *ctx,
		      const u8 key[POLY1305_KEY_SIZE])
{
	u64 t0, t1;

	ctx->r[0] = wg_get_le32(key + 0) & 0x0fffffffU;
	ctx->r[1] = wg_get_le32(key + 4) & 0x0ffffffcU;
	ctx->r[2] = wg_get_le32(key + 8) & 0x0ffffffcU;
	ctx->r[3] = wg_get_le32(key + 12) & 0x0ffffffcU;
	ctx->s[0] = wg_get_le32(key + 16);
	ctx->s[1] = wg_get_le32(key + 20);
	ctx->s[2] = wg_get_le32(key + 24);
	ctx->s[3] = wg_get_le32(key + 28);

	memset(&ctx->state, 0, sizeof(ctx->state));
	t0 = ctx->r[0] | ((u64)ctx->r[1] << 32);
	t1 = ctx->r[2] | ((u64)ctx->r[3] << 32);
	ctx->state.gen.r[0] = t0 & M44;
	ctx->state.gen.r[1] = ((t0 >> 44) | (t1 << 20)) & M44;
	ctx->state.gen.r[2] = t1 >> 24;
	ctx->buflen = 0;
	ctx->impl = 0;
}

static void wg_poly1305_blocks_generic(struct wg_poly1305_ctx *ctx,
				       const u8 *in, size_t len, u32 padbit)
{
	u64 h0 = ctx->state.gen.h[0];
	u64 h1 = ctx->state.gen.h[1];
	u64 h2 = ctx->state.gen.h[2];
	const u64 r0 = ctx->state.gen.r[0];
	const u64 r1 = ctx->state.gen.r[1];
	const u64 r2 = ctx->state.gen.r[2];
	/* 2^132 = 4 * 2^130 == 4 * 5 (mod p) */
	const u64 s1 = r1 * 20;
	const u64 s2 = r2 * 20;
	const u64 hibit = (u64)padbit << 40;
	__uint128_t d0, d1, d2;
	u64 m0, m1, c;

	while (len >= POLY1305_BLOCK_SIZE) {
		m0 = wg_get_le64(in);
		m1 = wg_get_le64(in + 8);
		h0 += m0 & M44;
		h1 += ((m0 >> 44) | (m1 << 20)) & M44;
		h2 += ((m1 >> 24) & M42) | hibit;

		d0 = (__uint128_t)h0 * r0 + (__uint128_t)h1 * s2 + (__uint128_t)h2 * s1;
		d1 = (__uint128_t)h0 * r1 + (__uint128_t)h1 * r0 + (__uint128_t)h2 * s2;
		d2 = (__uint128_t)h0 * r2 + (__uint128_t)h1 * r1 + (__uint128_t)h2 * r0;

		c = (u64)(d0 >> 44);
		h0 = (u64)d0 & M44;
		d1 += c;
		c = (u64)(d1 >> 44);
		h1 = (u64)d1 & M44;
		d2 += c;
		c = (u64)(d2 >> 42);
		h2 = (u64)d2 & M42;
		h0 += c * 5;
		c = h0 >> 44;
		h0 &= M44;
		h1 += c;

		in += POLY1305_BLOCK_SIZE;
		len -= POLY1305_BLOCK_SIZE;
	}
	ctx->state.gen.h[0] = h0;
	ctx->state.gen.h[1] = h1;
	ctx->state.gen.h[2] = h2;
}

static void wg_poly1305_emit_generic(struct wg_poly1305_ctx *ctx,
				     u8 mac[POLY1305_MAC_SIZE])
{
	u64 h0 = ctx->state.gen.h[0];
	u64 h1 = ctx->state.gen.h[1];
	u64 h2 = ctx->state.gen.h[2];
	u64 g0, g1, g2, c, mask, t0, t1;
	__uint128_t acc;

	/* Fully carry h. */
	c = h1 >> 44;
	h1 &= M44;
	h2 += c;
	c = h2 >> 42;
	h2 &= M42;
	h0 += c * 5;
	c = h0 >> 44;
	h0 &= M44;
	h1 += c;
	c = h1 >> 44;
	h1 &= M44;
	h2 += c;
	c = h2 >> 42;
	h2 &= M42;
	h0 += c * 5;
	c = h0 >> 44;
	h0 &= M44;
	h1 += c;

	/* g = h - p = h + 5 - 2^130; keep it when it does not borrow. */
	g0 = h0 + 5;
	c = g0 >> 44;
	g0 &= M44;
	g1 = h1 + c;
	c = g1 >> 44;
	g1 &= M44;
	g2 = h2 + c - (1ULL << 42);

	mask = (g2 >> 63) - 1;	/* all ones when h >= p */
	wg_value_barrier(mask);
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	h2 = (h2 & ~mask) | (g2 & mask);

	/* mac = (h + s) mod 2^128 */
	t0 = h0 | (h1 << 44);
	t1 = (h1 >> 20) | (h2 << 24);
	acc = (__uint128_t)t0 + ctx->s[0] + ((u64)ctx->s[1] << 32);
	wg_put_le64((u64)acc, mac);
	acc = (acc >> 64) + t1 + ctx->s[2] + ((u64)ctx->s[3] << 32);
	wg_put_le64((u64)acc, mac + 8);
}

static void wg_poly1305_blocks(struct wg_poly1305_ctx *ctx, const u8 *in,
			       size_t len, u32 padbit)
{
#ifdef WG_HAVE_POLY1305_ARCH
	if (wg_poly1305_arch_blocks(ctx, in, len, padbit))
		return;
#endif
	ctx->impl = WG_POLY1305_IMPL_GENERIC;
	wg_poly1305_blocks_generic(ctx, in, len, padbit);
}

void wg_poly1305_update(struct wg_poly1305_ctx *ctx, const u8 *in, size_t len)
{
	size_t n;

	if (ctx->buflen) {
		n = min_t(size_t, len, POLY1305_BLOCK_SIZE - ctx->buflen);
		memcpy(ctx->buf + ctx->buflen, in, n);
		ctx->buflen += n;
		in += n;
		len -= n;
		if (ctx->buflen < POLY1305_BLOCK_SIZE)
			return;
		wg_poly1305_blocks(ctx, ctx->buf, POLY1305_BLOCK_SIZE, 1);
		ctx->buflen = 0;
	}
	n = len & ~(size_t)(POLY1305_BLOCK_SIZE - 1);
	if (n) {
		wg_poly1305_blocks(ctx, in, n, 1);
		in += n;
		len -= n;
	}
	if (len) {
		memcpy(ctx->buf, in, len);
		ctx->buflen = len;
	}
}

void wg_poly1305_final(struct wg_poly1305_ctx *ctx, u8 mac[POLY1305_MAC_SIZE])
{
	if (ctx->buflen) {
		ctx->buf[ctx->buflen] = 1;
		memset(ctx->buf + ctx->buflen + 1, 0,
		       POLY1305_BLOCK_SIZE - ctx->buflen - 1);
		wg_poly1305_blocks(ctx, ctx->buf, POLY1305_BLOCK_SIZE, 0);
	}
#ifdef WG_HAVE_POLY1305_ARCH
	/* an arch implementation may own the accumulator */
	if (ctx->impl && wg_poly1305_arch_emit(ctx, mac)) {
		memzero_explicit(ctx, sizeof(*ctx));
		return;
	}
#endif
	wg_poly1305_emit_generic(ctx, mac);
	memzero_explicit(ctx, sizeof(*ctx));
}

void wg_poly1305(u8 mac[POLY1305_MAC_SIZE], const u8 *in, size_t len,
		 const u8 key[POLY1305_KEY_SIZE])
{
	struct wg_poly1305_ctx ctx;

	wg_poly1305_init(&ctx, key);
	wg_poly1305_update(&ctx, in, len);
	wg_poly1305_final(&ctx, mac);
}
