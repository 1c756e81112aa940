/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 BLAKE2s compression (blake2s-x86_64.S): AVX-512VL when present,
 * else SSSE3.  Included by crypto/blake2s.c.
 *
 * The vector code runs the four G functions of a column (or diagonal) step
 * lane-wise, so a round is a chain of 24 dependent vector operations plus
 * the shuffles; nothing else of one message can overlap it.  Where simple
 * vector integer operations take two cycles (AMD family 1Ah, Zen 5) that
 * chain is ~480 cycles per block against ~340 for the portable C, which
 * spreads the four G functions over six scalar ALUs (measured: 1408 bytes
 * in 6,400 TSC ticks with AVX-512VL, 7,600 with SSSE3, 4,200 portable).
 * There the portable code is used; wg_blake2s_x86_simd = 1 forces the
 * vector code (tests), 0 forbids it.
 */
#ifndef WG_X86_BLAKE2S_GLUE_H
#define WG_X86_BLAKE2S_GLUE_H

#include "x86-glue-common.h"
#include "../blake2s.h"

#ifdef __KERNEL__
#include <asm/processor.h>
#else
#include <cpuid.h>
#endif

/* -1: decide from the CPU; 1: always use the SIMD code; 0: never */
static int wg_blake2s_x86_simd = -1;

/* true on CPUs where the SIMD compression is known to lose to the C */
static bool wg_blake2s_x86_simd_slow(void)
{
#ifdef __KERNEL__
	return boot_cpu_data.x86_vendor == X86_VENDOR_AMD &&
	       boot_cpu_data.x86 >= 0x1a;
#else
	static int slow = -1;

	if (slow < 0) {
		unsigned int a, b, c, d, fam;

		slow = 0;
		if (__get_cpuid(0, &a, &b, &c, &d) && b == 0x68747541 &&
		    d == 0x69746e65 && c == 0x444d4163 &&	/* AuthenticAMD */
		    __get_cpuid(1, &a, &b, &c, &d)) {
			fam = (a >> 8) & 0xf;
			if (fam == 0xf)
				fam += (a >> 20) & 0xff;
			slow = fam >= 0x1a;
		}
	}
	return slow;
#endif
}

void wg_blake2s_compress_ssse3(struct wg_blake2s_state *state,
			       const u8 *block, size_t nblocks, u32 inc);
void wg_blake2s_compress_avx512(struct wg_blake2s_state *state,
				const u8 *block, size_t nblocks, u32 inc);

static bool wg_blake2s_compress_arch(struct wg_blake2s_state *state,
				     const u8 *block, size_t nblocks, u32 inc)
{
	void (*fn)(struct wg_blake2s_state *state, const u8 *block,
		   size_t nblocks, u32 inc);
	const size_t chunk = WG_X86_CHUNK / 64;

	/* the assembly reads h, t and f as one 48-byte block */
	BUILD_BUG_ON(offsetof(struct wg_blake2s_state, t) != 32 ||
		     offsetof(struct wg_blake2s_state, f) != 40);
	if (!wg_blake2s_x86_simd ||
	    (wg_blake2s_x86_simd < 0 && wg_blake2s_x86_simd_slow()))
		return false;
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
