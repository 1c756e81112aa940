/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bracketing of SIMD register use.  In the kernel vector registers may only
 * be touched between kernel_fpu_begin() and kernel_fpu_end(), and only where
 * may_use_simd() allows it; callers fall back to the generic code when
 * wg_simd_begin() says no.  Userspace can always use them.
 */
#ifndef WG_CRYPTO_SIMD_H
#define WG_CRYPTO_SIMD_H

#include "compat.h"

#if defined(__KERNEL__) && defined(CONFIG_X86_64)
#include <asm/simd.h>
#include <asm/fpu/api.h>

static inline bool wg_simd_begin(void)
{
	if (!may_use_simd())
		return false;
	kernel_fpu_begin();
	return true;
}

static inline void wg_simd_end(void)
{
	kernel_fpu_end();
}
#elif defined(__KERNEL__)
static inline bool wg_simd_begin(void)
{
	return false;
}

static inline void wg_simd_end(void)
{
}
#else
static inline bool wg_simd_begin(void)
{
	return true;
}

static inline void wg_simd_end(void)
{
}
#endif

#endif /* WG_CRYPTO_SIMD_H */
