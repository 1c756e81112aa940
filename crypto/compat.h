/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Portability header of crypto/: the same sources build inside the kernel
 * module (__KERNEL__) and in userspace (-DWG_USERSPACE) for the tests, the
 * benchmark and tools/wg.  Only types and helpers the crypto code needs.
 * It depends on nothing outside crypto/ and on no kernel version, so it
 * needs no version checks; the driver includes crypto's headers, crypto
 * never includes the driver's.
 */
#ifndef WG_CRYPTO_COMPAT_H
#define WG_CRYPTO_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/bitops.h>
#include <linux/printk.h>

#else

#include "compat-user.h"

#endif

/*
 * Little-endian loads and stores at any alignment, the same in both
 * builds (the kernel's spelling moved header in 6.12); the compiler turns
 * the byte operations into single moves.
 */
static inline u32 wg_get_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] | ((u32)b[1] << 8) | ((u32)b[2] << 16) |
	       ((u32)b[3] << 24);
}

static inline u64 wg_get_le64(const void *p)
{
	const u8 *b = p;

	return (u64)wg_get_le32(b) |
	       ((u64)wg_get_le32(b + 4) << 32);
}

static inline void wg_put_le32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

static inline void wg_put_le64(u64 v, void *p)
{
	wg_put_le32((u32)v, p);
	wg_put_le32((u32)(v >> 32), (u8 *)p + 4);
}

/*
 * The x86-64 SIMD and BMI2/ADX code (crypto/x86) is built into the module
 * and userspace x86-64 builds; -DWG_NO_ARCH leaves the portable code alone.
 */
#if !defined(WG_NO_ARCH) && (defined(CONFIG_X86_64) || \
			     (defined(WG_USERSPACE) && defined(__x86_64__)))
#define WG_CRYPTO_X86 1
#endif

/*
 * Hide a value from the optimiser so that mask arithmetic written to be
 * branch-free is not turned back into a branch.
 */
#define wg_value_barrier(var) ({ __asm__ ("" : "+r" (var)); })

/* Constant-time comparison: 0 when equal, non-zero otherwise. */
static inline unsigned long wg_memneq(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	unsigned long acc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		acc |= x[i] ^ y[i];
		wg_value_barrier(acc);
	}
	return acc;
}

#endif /* WG_CRYPTO_COMPAT_H */
