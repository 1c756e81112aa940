/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the kernel types, attributes and helpers that
 * crypto/ uses, so the same sources build into libwgcrypto.a for the
 * tests, the benchmark and tools/wg.  Included by compat.h only.  Being a
 * shim for the kernel's own definitions, it is exempt from checkpatch in
 * selftests/10-build.t (it necessarily declares what the kernel calls new
 * typedefs and attribute spellings).
 */
#ifndef WG_CRYPTO_COMPAT_USER_H
#define WG_CRYPTO_COMPAT_USER_H

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
typedef int8_t s8;
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

#define pr_info(fmt, ...) printf(fmt, ##__VA_ARGS__)

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

#ifndef BIT
#define BIT(n) (1UL << (n))
#endif

#endif /* WG_CRYPTO_COMPAT_USER_H */
