/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 BLAKE2s compression (blake2s-x86_64.S): AVX-512VL when present,
 * else SSSE3.  Included by crypto/blake2s.c.
 */
#ifndef WG_X86_BLAKE2S_GLUE_H
#define WG_X86_BLAKE2S_GLUE_H

#include "x86-glue-common.h"
#include "../blake2s.h"

void wg_blake2s_compress_ssse3(struct wg_blake2s_state *state,
			       const u8 *block, size_t nblocks, u32 inc);
void wg_blake2s_compress_avx512(struct wg_blake2s_state *state,
				const u8 *block, size_t nblocks, u32 inc);

static bool wg_blake2s_compress_arch(struct wg_blake2s_state *state,
				     const u8 *block, size_t nblocks, u32 inc)
{
	void (*fn)(struct wg_blake2s_state *, const u8 *, size_t, u32);
	const size_t chunk = WG_X86_CHUNK / 64;

	/* the assembly reads h, t and f as one 48-byte block */
	BUILD_BUG_ON(offsetof(struct wg_blake2s_state, t) != 32 ||
		     offsetof(struct wg_blake2s_state, f) != 40);
	if (wg_cpu_features & WG_CPU_AVX512)
		fn = wg_blake2s_compress_avx512;
	else if (wg_cpu_features & WG_CPU_SSSE3)
		fn = wg_blake2s_compress_ssse3;
	else
		return false;

	if (!wg_simd_begin())
		return false;
	for (;;) {
		size_t n = nblocks < chunk ? nblocks : chunk;

		fn(state, block, n, inc);
		nblocks -= n;
		if (!nblocks)
			break;
		block += n * 64;
		wg_x86_simd_yield();
	}
	wg_simd_end();
	return true;
}

#endif
