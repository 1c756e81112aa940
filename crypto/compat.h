/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Environment shim for crypto/: the same sources build inside the kernel
 * module (__KERNEL__) and in userspace (-DWG_USERSPACE) for the tests, the
 * benchmark and tools/wg.  Only types and helpers the crypto code needs.
 */
#ifndef WG_CRYPTO_COMPAT_H
#define WG_CRYPTO_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/bitops.h>
#include <linux/printk.h>
#include "../drivers/net/wireguard/compat.h"

#define wg_pr_info(fmt, ...) pr_info("wireguard: " fmt, ##__VA_ARGS__)

#else /* userspace */

#ifndef WG_USERSPACE
#define WG_USERSPACE 1
#endif

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline __attribute__((__noinline__))
#endif
#ifndef __must_check
#define __must_check __attribute__((__warn_unused_result__))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((__aligned__(x)))
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef min
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a > _b ? _a : _b; })
#endif
#ifndef min_t
#define min_t(type, a, b) ({ type _a = (a); type _b = (b); \
			     _a < _b ? _a : _b; })
#endif
#ifndef BUILD_BUG_ON
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#endif

#define wg_pr_info(fmt, ...) printf(fmt, ##__VA_ARGS__)

void explicit_bzero(void *s, size_t n);

static inline void memzero_explicit(void *p, size_t n)
{
	explicit_bzero(p, n);
}

static inline u32 rol32(u32 w, unsigned int s)
{
	return (w << (s & 31)) | (w >> ((-s) & 31));
}

static inline u32 ror32(u32 w, unsigned int s)
{
	return (w >> (s & 31)) | (w << ((-s) & 31));
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] | ((u32)b[1] << 8) | ((u32)b[2] << 16) |
	       ((u32)b[3] << 24);
}

static inline u64 get_unaligned_le64(const void *p)
{
	const u8 *b = p;

	return (u64)get_unaligned_le32(b) |
	       ((u64)get_unaligned_le32(b + 4) << 32);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	put_unaligned_le32((u32)v, p);
	put_unaligned_le32((u32)(v >> 32), (u8 *)p + 4);
}

#endif /* __KERNEL__ */

/*
 * sparse (0.6.4 in Debian 12) does not know __has_include, which the SIMD
 * hooks use to find the x86 glue: it checks the portable code alone.
 */
#if defined(__CHECKER__) && !defined(WG_NO_ARCH)
#define WG_NO_ARCH 1
#endif

/*
 * Hide a value from the optimiser so that mask arithmetic written to be
 * branch-free is not turned back into a branch.
 */
#define wg_value_barrier(var) __asm__ ("" : "+r" (var))

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
