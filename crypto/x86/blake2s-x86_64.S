/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BLAKE2s compression for x86-64: SSSE3 (byte shuffles for the rotations
 * by 16 and 8) and AVX-512VL (vprord, message words permuted in registers
 * with vpermi2d).
 *
 *	void fn(u32 *state, const u8 *block, size_t nblocks, u32 inc);
 *
 * state points at struct wg_blake2s_state: h[8], then t[2] and f[2].  For
 * each 64-byte block the 64-bit counter t is increased by inc, then the
 * block is compressed into h.
 *
 * The 4x4 work matrix sits in four xmm rows (a, b, c, d); a column step
 * runs the four G functions lane-wise, then b, c and d are rotated by one,
 * two and three lanes so that the same code processes the diagonals.
 * The rounds are unrolled; the message schedule of each round is fixed
 * here at assembly time.
 */

#ifdef __KERNEL__
#include <linux/linkage.h>
#else
#include "linkage-user.h"
#endif

	.section .rodata, "a"
	.align 64
.Lb2s_iv:
	.long 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a
	.long 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
.Lb2s_ror16:
	.byte 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
.Lb2s_ror8:
	.byte 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12
.Lb2s_perm:
	.long 0, 2, 4, 6, 1, 3, 5, 7
	.long 8, 10, 12, 14, 9, 11, 13, 15
	.long 14, 4, 9, 13, 10, 8, 15, 6
	.long 1, 0, 11, 5, 12, 2, 7, 3
	.long 11, 12, 5, 15, 8, 0, 2, 13
	.long 10, 3, 7, 9, 14, 6, 1, 4
	.long 7, 3, 13, 11, 9, 1, 12, 14
	.long 2, 5, 4, 15, 6, 10, 0, 8
	.long 9, 5, 2, 10, 0, 7, 4, 15
	.long 14, 11, 6, 3, 1, 12, 8, 13
	.long 2, 6, 0, 8, 12, 10, 11, 3
	.long 4, 7, 15, 1, 13, 5, 14, 9
	.long 12, 1, 14, 4, 5, 15, 13, 10
	.long 0, 6, 9, 8, 7, 3, 2, 11
	.long 13, 7, 12, 3, 11, 14, 1, 9
	.long 5, 15, 8, 2, 0, 4, 6, 10
	.long 6, 14, 11, 0, 15, 9, 3, 8
	.long 12, 13, 1, 10, 2, 7, 4, 5
	.long 10, 8, 7, 1, 2, 4, 6, 5
	.long 15, 9, 3, 13, 11, 14, 12, 0

	.text

SYM_FUNC_START(wg_blake2s_compress_ssse3)
	test	%rdx, %rdx
	jz	.Lb2s_s_none
	movdqu	(%rdi), %xmm0
	movdqu	16(%rdi), %xmm1
	movdqu	32(%rdi), %xmm14		/* t0 t1 f0 f1 */
	movl	%ecx, %ecx
	movq	%rcx, %xmm15			/* inc as a 64-bit lane */
	movdqa	.Lb2s_ror16(%rip), %xmm12
	movdqa	.Lb2s_ror8(%rip), %xmm13
	movdqa	.Lb2s_iv + 16(%rip), %xmm11
.Lb2s_s_block:
	paddq	%xmm15, %xmm14
	movdqa	%xmm0, %xmm8
	movdqa	%xmm1, %xmm9
	movdqa	.Lb2s_iv(%rip), %xmm2
	movdqa	%xmm11, %xmm3
	pxor	%xmm14, %xmm3
	/* round 0 */
	movd	0(%rsi), %xmm4
	movd	8(%rsi), %xmm5
	movd	16(%rsi), %xmm6
	movd	24(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	4(%rsi), %xmm4
	movd	12(%rsi), %xmm5
	movd	20(%rsi), %xmm6
	movd	28(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	32(%rsi), %xmm4
	movd	40(%rsi), %xmm5
	movd	48(%rsi), %xmm6
	movd	56(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	36(%rsi), %xmm4
	movd	44(%rsi), %xmm5
	movd	52(%rsi), %xmm6
	movd	60(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 1 */
	movd	56(%rsi), %xmm4
	movd	16(%rsi), %xmm5
	movd	36(%rsi), %xmm6
	movd	52(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	40(%rsi), %xmm4
	movd	32(%rsi), %xmm5
	movd	60(%rsi), %xmm6
	movd	24(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	4(%rsi), %xmm4
	movd	0(%rsi), %xmm5
	movd	44(%rsi), %xmm6
	movd	20(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	48(%rsi), %xmm4
	movd	8(%rsi), %xmm5
	movd	28(%rsi), %xmm6
	movd	12(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 2 */
	movd	44(%rsi), %xmm4
	movd	48(%rsi), %xmm5
	movd	20(%rsi), %xmm6
	movd	60(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	32(%rsi), %xmm4
	movd	0(%rsi), %xmm5
	movd	8(%rsi), %xmm6
	movd	52(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	40(%rsi), %xmm4
	movd	12(%rsi), %xmm5
	movd	28(%rsi), %xmm6
	movd	36(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	56(%rsi), %xmm4
	movd	24(%rsi), %xmm5
	movd	4(%rsi), %xmm6
	movd	16(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 3 */
	movd	28(%rsi), %xmm4
	movd	12(%rsi), %xmm5
	movd	52(%rsi), %xmm6
	movd	44(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	36(%rsi), %xmm4
	movd	4(%rsi), %xmm5
	movd	48(%rsi), %xmm6
	movd	56(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	8(%rsi), %xmm4
	movd	20(%rsi), %xmm5
	movd	16(%rsi), %xmm6
	movd	60(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	24(%rsi), %xmm4
	movd	40(%rsi), %xmm5
	movd	0(%rsi), %xmm6
	movd	32(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 4 */
	movd	36(%rsi), %xmm4
	movd	20(%rsi), %xmm5
	movd	8(%rsi), %xmm6
	movd	40(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	0(%rsi), %xmm4
	movd	28(%rsi), %xmm5
	movd	16(%rsi), %xmm6
	movd	60(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	56(%rsi), %xmm4
	movd	44(%rsi), %xmm5
	movd	24(%rsi), %xmm6
	movd	12(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	4(%rsi), %xmm4
	movd	48(%rsi), %xmm5
	movd	32(%rsi), %xmm6
	movd	52(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 5 */
	movd	8(%rsi), %xmm4
	movd	24(%rsi), %xmm5
	movd	0(%rsi), %xmm6
	movd	32(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	48(%rsi), %xmm4
	movd	40(%rsi), %xmm5
	movd	44(%rsi), %xmm6
	movd	12(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	16(%rsi), %xmm4
	movd	28(%rsi), %xmm5
	movd	60(%rsi), %xmm6
	movd	4(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	52(%rsi), %xmm4
	movd	20(%rsi), %xmm5
	movd	56(%rsi), %xmm6
	movd	36(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 6 */
	movd	48(%rsi), %xmm4
	movd	4(%rsi), %xmm5
	movd	56(%rsi), %xmm6
	movd	16(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	20(%rsi), %xmm4
	movd	60(%rsi), %xmm5
	movd	52(%rsi), %xmm6
	movd	40(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	0(%rsi), %xmm4
	movd	24(%rsi), %xmm5
	movd	36(%rsi), %xmm6
	movd	32(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	28(%rsi), %xmm4
	movd	12(%rsi), %xmm5
	movd	8(%rsi), %xmm6
	movd	44(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 7 */
	movd	52(%rsi), %xmm4
	movd	28(%rsi), %xmm5
	movd	48(%rsi), %xmm6
	movd	12(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	44(%rsi), %xmm4
	movd	56(%rsi), %xmm5
	movd	4(%rsi), %xmm6
	movd	36(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	20(%rsi), %xmm4
	movd	60(%rsi), %xmm5
	movd	32(%rsi), %xmm6
	movd	8(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	0(%rsi), %xmm4
	movd	16(%rsi), %xmm5
	movd	24(%rsi), %xmm6
	movd	40(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 8 */
	movd	24(%rsi), %xmm4
	movd	56(%rsi), %xmm5
	movd	44(%rsi), %xmm6
	movd	0(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	60(%rsi), %xmm4
	movd	36(%rsi), %xmm5
	movd	12(%rsi), %xmm6
	movd	32(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	48(%rsi), %xmm4
	movd	52(%rsi), %xmm5
	movd	4(%rsi), %xmm6
	movd	40(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	8(%rsi), %xmm4
	movd	28(%rsi), %xmm5
	movd	16(%rsi), %xmm6
	movd	20(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	/* round 9 */
	movd	40(%rsi), %xmm4
	movd	32(%rsi), %xmm5
	movd	28(%rsi), %xmm6
	movd	4(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	8(%rsi), %xmm4
	movd	16(%rsi), %xmm5
	movd	24(%rsi), %xmm6
	movd	20(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x39, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x93, %xmm3, %xmm3
	movd	60(%rsi), %xmm4
	movd	36(%rsi), %xmm5
	movd	12(%rsi), %xmm6
	movd	52(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm12, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$12, %xmm1
	pslld	$20, %xmm5
	por	%xmm5, %xmm1
	movd	44(%rsi), %xmm4
	movd	56(%rsi), %xmm5
	movd	48(%rsi), %xmm6
	movd	0(%rsi), %xmm7
	punpckldq	%xmm5, %xmm4
	punpckldq	%xmm7, %xmm6
	punpcklqdq	%xmm6, %xmm4
	paddd	%xmm4, %xmm0
	paddd	%xmm1, %xmm0
	pxor	%xmm0, %xmm3
	pshufb	%xmm13, %xmm3
	paddd	%xmm3, %xmm2
	pxor	%xmm2, %xmm1
	movdqa	%xmm1, %xmm5
	psrld	$7, %xmm1
	pslld	$25, %xmm5
	por	%xmm5, %xmm1
	pshufd	$0x93, %xmm1, %xmm1
	pshufd	$0x4e, %xmm2, %xmm2
	pshufd	$0x39, %xmm3, %xmm3
	pxor	%xmm2, %xmm0
	pxor	%xmm3, %xmm1
	pxor	%xmm8, %xmm0
	pxor	%xmm9, %xmm1
	add	$64, %rsi
	dec	%rdx
	jnz	.Lb2s_s_block
	movdqu	%xmm0, (%rdi)
	movdqu	%xmm1, 16(%rdi)
	movdqu	%xmm14, 32(%rdi)
.Lb2s_s_none:
	RET
SYM_FUNC_END(wg_blake2s_compress_ssse3)

SYM_FUNC_START(wg_blake2s_compress_avx512)
	test	%rdx, %rdx
	jz	.Lb2s_e_none
	vmovdqu	(%rdi), %xmm0
	vmovdqu	16(%rdi), %xmm1
	vmovdqu	32(%rdi), %xmm14		/* t0 t1 f0 f1 */
	movl	%ecx, %ecx
	vmovq	%rcx, %xmm15			/* inc as a 64-bit lane */
	vmovdqa	.Lb2s_iv + 16(%rip), %xmm11
.Lb2s_e_block:
	vmovdqu32	(%rsi), %ymm16
	vmovdqu32	32(%rsi), %ymm17
	vpaddq	%xmm15, %xmm14, %xmm14
	vmovdqa	%xmm0, %xmm8
	vmovdqa	%xmm1, %xmm9
	vmovdqa	.Lb2s_iv(%rip), %xmm2
	vpxor	%xmm14, %xmm11, %xmm3
	/* round 0 */
	vmovdqa32	.Lb2s_perm + 0(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 32(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 1 */
	vmovdqa32	.Lb2s_perm + 64(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 96(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 2 */
	vmovdqa32	.Lb2s_perm + 128(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 160(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 3 */
	vmovdqa32	.Lb2s_perm + 192(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 224(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 4 */
	vmovdqa32	.Lb2s_perm + 256(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 288(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 5 */
	vmovdqa32	.Lb2s_perm + 320(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 352(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 6 */
	vmovdqa32	.Lb2s_perm + 384(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 416(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 7 */
	vmovdqa32	.Lb2s_perm + 448(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 480(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 8 */
	vmovdqa32	.Lb2s_perm + 512(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 544(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	/* round 9 */
	vmovdqa32	.Lb2s_perm + 576(%rip), %ymm20
	vmovdqa32	.Lb2s_perm + 608(%rip), %ymm22
	vpermi2d	%ymm17, %ymm16, %ymm20
	vpermi2d	%ymm17, %ymm16, %ymm22
	vextracti32x4	$1, %ymm20, %xmm21
	vextracti32x4	$1, %ymm22, %xmm23
	vpaddd	%xmm20, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm21, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x39, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x93, %xmm3, %xmm3
	vpaddd	%xmm22, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$16, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$12, %xmm1, %xmm1
	vpaddd	%xmm23, %xmm0, %xmm0
	vpaddd	%xmm1, %xmm0, %xmm0
	vpxord	%xmm0, %xmm3, %xmm3
	vprord	$8, %xmm3, %xmm3
	vpaddd	%xmm3, %xmm2, %xmm2
	vpxord	%xmm2, %xmm1, %xmm1
	vprord	$7, %xmm1, %xmm1
	vpshufd	$0x93, %xmm1, %xmm1
	vpshufd	$0x4e, %xmm2, %xmm2
	vpshufd	$0x39, %xmm3, %xmm3
	vpternlogd	$0x96, %xmm2, %xmm8, %xmm0	/* a ^ c ^ h0 */
	vpternlogd	$0x96, %xmm3, %xmm9, %xmm1	/* b ^ d ^ h1 */
	add	$64, %rsi
	dec	%rdx
	jnz	.Lb2s_e_block
	vmovdqu	%xmm0, (%rdi)
	vmovdqu	%xmm1, 16(%rdi)
	vmovdqu	%xmm14, 32(%rdi)
	vzeroupper
.Lb2s_e_none:
	RET
SYM_FUNC_END(wg_blake2s_compress_avx512)
