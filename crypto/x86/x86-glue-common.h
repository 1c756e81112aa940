/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the crypto/x86 glue headers: the chunk size for one
 * wg_simd_begin()/wg_simd_end() section and the pause between chunks.
 */
#ifndef WG_X86_GLUE_COMMON_H
#define WG_X86_GLUE_COMMON_H

#include "../cpu.h"
#include "../simd.h"

/*
 * At most this many bytes are processed per SIMD section, so a long
 * request does not hold off preemption in the kernel.
 */
#define WG_X86_CHUNK 4096

/*
 * Between two chunks: end the SIMD section and open a new one.  A context
 * that could start a section could start the next one too (may_use_simd()
 * depends on the context, not on time), so the second begin cannot fail.
 */
static inline void wg_x86_simd_yield(void)
{
	wg_simd_end();
	(void)wg_simd_begin();
}

#endif
