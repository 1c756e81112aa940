/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 ChaCha20: picks the AVX-512 or AVX2 assembly (chacha20-x86_64.S)
 * at run time.  Included by crypto/chacha20.c.
 */
#ifndef WG_X86_CHACHA20_GLUE_H
#define WG_X86_CHACHA20_GLUE_H

#include "x86-glue-common.h"

void wg_chacha20_avx2(const u32 state[16], u8 *dst, const u8 *src,
		      size_t len);
void wg_chacha20_avx512(const u32 state[16], u8 *dst, const u8 *src,
			size_t len);

static bool wg_chacha20_arch(u32 state[16], u8 *dst, const u8 *src,
			     size_t len)
{
	void (*fn)(const u32 *state, u8 *dst, const u8 *src, size_t len);

	if (wg_cpu_features & WG_CPU_AVX512)
		fn = wg_chacha20_avx512;
	else if (wg_cpu_features & WG_CPU_AVX2)
		fn = wg_chacha20_avx2;
	else
		return false;

	if (!wg_simd_begin())
		return false;
	for (;;) {
		size_t n = len < WG_X86_CHUNK ? len : WG_X86_CHUNK;

		fn(state, dst, src, n);
		state[12] += (u32)((n + 63) / 64);
		len -= n;
		if (!len)
			break;
		dst += n;
		src += n;
		wg_x86_simd_yield();
	}
	wg_simd_end();
	return true;
}

#endif
