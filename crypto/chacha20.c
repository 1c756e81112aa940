// SPDX-License-Identifier: GPL-2.0
/*
 * Portable ChaCha20 and HChaCha20, with a hook for the x86-64 SIMD code.
 */
#include "chacha20.h"
#include "cpu.h"
#include "simd.h"

#ifdef WG_CRYPTO_X86
#include "x86/chacha20-glue.h"
#define WG_HAVE_CHACHA20_ARCH 1
#endif

/* "expand 32-byte k" as four little-endian words */
#define CHACHA_C0 0x61707865U
#define CHACHA_C1 0x3320646eU
#define CHACHA_C2 0x79622d32U
#define CHACHA_C3 0x6b206574U

static void wg_chacha20_load_key(u32 state[16], const u8 *key)
{
	int i;

	state[0] = CHACHA_C0;
	state[1] = CHACHA_C1;
	state[2] = CHACHA_C2;
	state[3] = CHACHA_C3;
	for (i = 0; i < 8; i++)
		state[4 + i] = wg_get_le32(key + 4 * i);
}

void wg_chacha20_init(u32 state[16], const u8 key[CHACHA20_KEY_SIZE],
		      u32 counter, const u8 nonce[CHACHA20_NONCE_SIZE])
{
	wg_chacha20_load_key(state, key);
	state[12] = counter;
	state[13] = wg_get_le32(nonce);
	state[14] = wg_get_le32(nonce + 4);
	state[15] = wg_get_le32(nonce + 8);
}

void wg_chacha20_init_u64(u32 state[16], const u8 key[CHACHA20_KEY_SIZE],
			  u32 counter, u64 nonce)
{
	wg_chacha20_load_key(state, key);
	state[12] = counter;
	state[13] = 0;
	state[14] = (u32)nonce;
	state[15] = (u32)(nonce >> 32);
}

/* The quarter round on words a, b, c, d of x[] (constant indices). */
static __always_inline void wg_chacha20_qr(u32 x[16], int a, int b, int c,
					   int d)
{
	x[a] += x[b];
	x[d] = rol32(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = rol32(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = rol32(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = rol32(x[b] ^ x[c], 7);
}

/* Ten double rounds over x[], in place. */
static __always_inline void wg_chacha20_permute(u32 x[16])
{
	int i;

	for (i = 0; i < 10; i++) {
		wg_chacha20_qr(x, 0, 4, 8, 12);
		wg_chacha20_qr(x, 1, 5, 9, 13);
		wg_chacha20_qr(x, 2, 6, 10, 14);
		wg_chacha20_qr(x, 3, 7, 11, 15);
		wg_chacha20_qr(x, 0, 5, 10, 15);
		wg_chacha20_qr(x, 1, 6, 11, 12);
		wg_chacha20_qr(x, 2, 7, 8, 13);
		wg_chacha20_qr(x, 3, 4, 9, 14);
	}
}

static __always_inline void wg_chacha20_core(u32 out[16], const u32 state[16])
{
	int i;

	memcpy(out, state, 64);
	wg_chacha20_permute(out);
	for (i = 0; i < 16; i++)
		out[i] += state[i];
}

void wg_chacha20_block_generic(u32 state[16], u8 out[CHACHA20_BLOCK_SIZE])
{
	u32 x[16];
	int i;

	wg_chacha20_core(x, state);
	for (i = 0; i < 16; i++)
		wg_put_le32(x[i], out + 4 * i);
	state[12]++;
	memzero_explicit(x, sizeof(x));
}

void wg_chacha20_generic(u32 state[16], u8 *dst, const u8 *src, size_t len)
{
	u32 x[16];
	u8 ks[CHACHA20_BLOCK_SIZE];
	size_t i;

	while (len >= CHACHA20_BLOCK_SIZE) {
		wg_chacha20_core(x, state);
		for (i = 0; i < 16; i++)
			wg_put_le32(wg_get_le32(src + 4 * i) ^
					   x[i], dst + 4 * i);
		state[12]++;
		src += CHACHA20_BLOCK_SIZE;
		dst += CHACHA20_BLOCK_SIZE;
		len -= CHACHA20_BLOCK_SIZE;
	}
	if (len) {
		wg_chacha20_block_generic(state, ks);
		for (i = 0; i < len; i++)
			dst[i] = src[i] ^ ks[i];
		memzero_explicit(ks, sizeof(ks));
	}
	memzero_explicit(x, sizeof(x));
}

void wg_chacha20(u32 state[16], u8 *dst, const u8 *src, size_t len)
{
#ifdef WG_HAVE_CHACHA20_ARCH
	if (wg_chacha20_arch(state, dst, src, len))
		return;
#endif
	wg_chacha20_generic(state, dst, src, len);
}

void wg_hchacha20(u32 derived_key[8], const u8 nonce[HCHACHA20_NONCE_SIZE],
		  const u8 key[CHACHA20_KEY_SIZE])
{
	u32 x[16];
	int i;

	wg_chacha20_load_key(x, key);
	for (i = 0; i < 4; i++)
		x[12 + i] = wg_get_le32(nonce + 4 * i);
#ifdef WG_HAVE_HCHACHA20_ARCH
	if (wg_hchacha20_arch(derived_key, x)) {
		memzero_explicit(x, sizeof(x));
		return;
	}
#endif
	wg_chacha20_permute(x);
	for (i = 0; i < 4; i++) {
		derived_key[i] = x[i];
		derived_key[4 + i] = x[12 + i];
	}
	memzero_explicit(x, sizeof(x));
}
