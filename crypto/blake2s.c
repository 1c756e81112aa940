// SPDX-License-Identifier: GPL-2.0
/*
 * Portable BLAKE2s with a hook for the x86-64 SIMD compression function.
 */
#include "blake2s.h"
#include "cpu.h"
#include "simd.h"

#ifdef WG_CRYPTO_X86
#include "x86/blake2s-glue.h"
#define WG_HAVE_BLAKE2S_ARCH 1
#endif

/* The SHA-256 initial hash values, as RFC 7693 specifies for BLAKE2s. */
static const u32 wg_blake2s_iv[8] = {
	0x6a09e667U, 0xbb67ae85U, 0x3c6ef372U, 0xa54ff53aU,
	0x510e527fU, 0x9b05688cU, 0x1f83d9abU, 0x5be0cd19U,
};

/* Message word schedule for the ten rounds (RFC 7693 section 2.7). */
static const u8 wg_blake2s_sigma[10][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

/* G on words a, b, c, d of v[] (constant indices once inlined) */
static __always_inline void wg_blake2s_g(u32 v[16], int a, int b, int c,
					 int d, u32 x, u32 y)
{
	v[a] += v[b] + x;
	v[d] = ror32(v[d] ^ v[a], 16);
	v[c] += v[d];
	v[b] = ror32(v[b] ^ v[c], 12);
	v[a] += v[b] + y;
	v[d] = ror32(v[d] ^ v[a], 8);
	v[c] += v[d];
	v[b] = ror32(v[b] ^ v[c], 7);
}

/*
 * Round r.  With a constant r the schedule lookups fold to constant
 * indices, so the compiler can keep m[] and v[] in registers.
 */
static __always_inline void wg_blake2s_round(u32 v[16], const u32 m[16],
					     int r)
{
	const u8 *s = wg_blake2s_sigma[r];

	wg_blake2s_g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
	wg_blake2s_g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
	wg_blake2s_g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
	wg_blake2s_g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
	wg_blake2s_g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
	wg_blake2s_g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
	wg_blake2s_g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
	wg_blake2s_g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
}

/*
 * v[] is written out element by element and never has its address taken
 * (no loop over it, no memzero_explicit): that lets the compiler keep the
 * sixteen words in registers, which is worth about 10% at 1420 bytes.
 * Only m[], which lives in memory anyway, is wiped; whatever the compiler
 * spills of v[] is overwritten by the next call on the stack, as with any
 * other temporary of the portable code.
 */
void wg_blake2s_compress_generic(struct wg_blake2s_state *state,
				 const u8 *block, size_t nblocks, u32 inc)
{
	u32 m[16], v[16];
	int i;

	while (nblocks--) {
		state->t[0] += inc;
		state->t[1] += state->t[0] < inc;
		for (i = 0; i < 16; i++)
			m[i] = wg_get_le32(block + 4 * i);
		v[0] = state->h[0];
		v[1] = state->h[1];
		v[2] = state->h[2];
		v[3] = state->h[3];
		v[4] = state->h[4];
		v[5] = state->h[5];
		v[6] = state->h[6];
		v[7] = state->h[7];
		v[8] = wg_blake2s_iv[0];
		v[9] = wg_blake2s_iv[1];
		v[10] = wg_blake2s_iv[2];
		v[11] = wg_blake2s_iv[3];
		v[12] = wg_blake2s_iv[4] ^ state->t[0];
		v[13] = wg_blake2s_iv[5] ^ state->t[1];
		v[14] = wg_blake2s_iv[6] ^ state->f[0];
		v[15] = wg_blake2s_iv[7] ^ state->f[1];
		wg_blake2s_round(v, m, 0);
		wg_blake2s_round(v, m, 1);
		wg_blake2s_round(v, m, 2);
		wg_blake2s_round(v, m, 3);
		wg_blake2s_round(v, m, 4);
		wg_blake2s_round(v, m, 5);
		wg_blake2s_round(v, m, 6);
		wg_blake2s_round(v, m, 7);
		wg_blake2s_round(v, m, 8);
		wg_blake2s_round(v, m, 9);
		state->h[0] ^= v[0] ^ v[8];
		state->h[1] ^= v[1] ^ v[9];
		state->h[2] ^= v[2] ^ v[10];
		state->h[3] ^= v[3] ^ v[11];
		state->h[4] ^= v[4] ^ v[12];
		state->h[5] ^= v[5] ^ v[13];
		state->h[6] ^= v[6] ^ v[14];
		state->h[7] ^= v[7] ^ v[15];
		block += BLAKE2S_BLOCK_SIZE;
	}
	memzero_explicit(m, sizeof(m));
}

static void wg_blake2s_compress(struct wg_blake2s_state *state,
				const u8 *block, size_t nblocks, u32 inc)
{
#ifdef WG_HAVE_BLAKE2S_ARCH
	if (wg_blake2s_compress_arch(state, block, nblocks, inc))
		return;
#endif
	wg_blake2s_compress_generic(state, block, nblocks, inc);
}

static void wg_blake2s_init_param(struct wg_blake2s_state *state,
				  size_t outlen, size_t keylen)
{
	int i;

	memset(state, 0, sizeof(*state));
	for (i = 0; i < 8; i++)
		state->h[i] = wg_blake2s_iv[i];
	/* Parameter block word 0: digest length, key length, fanout 1, depth 1. */
	state->h[0] ^= 0x01010000U | ((u32)keylen << 8) | (u32)outlen;
	state->outlen = outlen;
}

void wg_blake2s_init(struct wg_blake2s_state *state, size_t outlen)
{
	wg_blake2s_init_param(state, outlen, 0);
}

void wg_blake2s_init_key(struct wg_blake2s_state *state, size_t outlen,
			 const void *key, size_t keylen)
{
	wg_blake2s_init_param(state, outlen, keylen);
	/* The key, zero padded, is the first block. */
	memcpy(state->buf, key, keylen);
	state->buflen = BLAKE2S_BLOCK_SIZE;
}

void wg_blake2s_update(struct wg_blake2s_state *state, const u8 *in,
		       size_t inlen)
{
	size_t fill, nblocks;

	if (!inlen)
		return;
	fill = BLAKE2S_BLOCK_SIZE - state->buflen;
	if (inlen > fill) {
		/* More follows, so the buffered block is not the last. */
		memcpy(state->buf + state->buflen, in, fill);
		wg_blake2s_compress(state, state->buf, 1, BLAKE2S_BLOCK_SIZE);
		state->buflen = 0;
		in += fill;
		inlen -= fill;
		if (inlen > BLAKE2S_BLOCK_SIZE) {
			/* Keep at least one byte back for the final block. */
			nblocks = (inlen - 1) / BLAKE2S_BLOCK_SIZE;
			wg_blake2s_compress(state, in, nblocks,
					    BLAKE2S_BLOCK_SIZE);
			in += nblocks * BLAKE2S_BLOCK_SIZE;
			inlen -= nblocks * BLAKE2S_BLOCK_SIZE;
		}
	}
	memcpy(state->buf + state->buflen, in, inlen);
	state->buflen += inlen;
}

void wg_blake2s_final(struct wg_blake2s_state *state, u8 *out)
{
	u8 full[BLAKE2S_HASH_SIZE];
	int i;

	state->f[0] = 0xffffffffU;
	memset(state->buf + state->buflen, 0,
	       BLAKE2S_BLOCK_SIZE - state->buflen);
	wg_blake2s_compress(state, state->buf, 1, state->buflen);
	for (i = 0; i < 8; i++)
		wg_put_le32(state->h[i], full + 4 * i);
	memcpy(out, full, state->outlen);
	memzero_explicit(full, sizeof(full));
	memzero_explicit(state, sizeof(*state));
}

void wg_blake2s(u8 *out, const u8 *in, const u8 *key, size_t outlen,
		size_t inlen, size_t keylen)
{
	struct wg_blake2s_state state;

	if (keylen)
		wg_blake2s_init_key(&state, outlen, key, keylen);
	else
		wg_blake2s_init(&state, outlen);
	wg_blake2s_update(&state, in, inlen);
	wg_blake2s_final(&state, out);
}

void wg_blake2s_hmac(u8 *out, const u8 *in, const u8 *key, size_t outlen,
		     size_t inlen, size_t keylen)
{
	struct wg_blake2s_state state;
	u8 pad[BLAKE2S_BLOCK_SIZE] __aligned(4) = { 0 };
	u8 inner[BLAKE2S_HASH_SIZE];
	int i;

	if (keylen > BLAKE2S_BLOCK_SIZE)
		wg_blake2s(pad, key, NULL, BLAKE2S_HASH_SIZE, keylen, 0);
	else
		memcpy(pad, key, keylen);

	for (i = 0; i < BLAKE2S_BLOCK_SIZE; i++)
		pad[i] ^= 0x36;
	wg_blake2s_init(&state, BLAKE2S_HASH_SIZE);
	wg_blake2s_update(&state, pad, BLAKE2S_BLOCK_SIZE);
	wg_blake2s_update(&state, in, inlen);
	wg_blake2s_final(&state, inner);

	/* 0x36 ^ 0x5c turns the inner pad into the outer one. */
	for (i = 0; i < BLAKE2S_BLOCK_SIZE; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	wg_blake2s_init(&state, BLAKE2S_HASH_SIZE);
	wg_blake2s_update(&state, pad, BLAKE2S_BLOCK_SIZE);
	wg_blake2s_update(&state, inner, BLAKE2S_HASH_SIZE);
	wg_blake2s_final(&state, inner);

	memcpy(out, inner, min_t(size_t, outlen, BLAKE2S_HASH_SIZE));
	memzero_explicit(inner, sizeof(inner));
	memzero_explicit(pad, sizeof(pad));
}
