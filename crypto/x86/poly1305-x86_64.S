/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Poly1305 block function for x86-64 with AVX-512 IFMA (vpmadd52luq/huq):
 * eight blocks in parallel, one per 64-bit lane of a zmm register, the
 * accumulator in three limbs of 44, 44 and 42 bits.
 *
 *	void wg_poly1305_blocks_ifma(u64 acc[3], const u8 *in, size_t nblocks,
 *				     const u64 pow[24], u64 padbit);
 *
 * nblocks is a non-zero multiple of 8.  acc holds the accumulator limbs on
 * entry; on return the limbs of the eight lanes, each multiplied by its
 * remaining power of r, summed per limb (not carried: each < 2^48).
 * pow[8 * j + i] is limb j of r^(8 - i), reduced below 2^130.
 *
 * Lane i takes blocks i, i + 8, i + 16, ...: the loop multiplies every lane
 * by r^8 and adds the next eight blocks; the last step multiplies lane i by
 * r^(8 - i) instead, which lines every block up with its power of r.
 */

#ifdef __KERNEL__
#include <linux/linkage.h>
#else
#include "linkage-user.h"
#endif

	.section .rodata, "a"
	.align 64
.Lidx_lo:
	.quad 0, 2, 4, 6, 8, 10, 12, 14
.Lidx_hi:
	.quad 1, 3, 5, 7, 9, 11, 13, 15
.Lmask44:
	.quad 0xfffffffffff
.Lmask42:
	.quad 0x3ffffffffff

	.text

#define H0	%zmm0
#define H1	%zmm1
#define H2	%zmm2
#define L0	%zmm3
#define L1	%zmm4
#define L2	%zmm5
#define X0	%zmm6
#define X1	%zmm7
#define X2	%zmm8
#define T0	%zmm9
#define M0	%zmm10
#define M1	%zmm11
#define M2	%zmm12
#define T1	%zmm13
#define La0	%zmm14
#define La1	%zmm15
#define La2	%zmm16
#define Xa0	%zmm17
#define Xa1	%zmm18
#define Xa2	%zmm19
#define R0	%zmm20
#define R1	%zmm21
#define R2	%zmm22
#define S1	%zmm23
#define S2	%zmm24
#define MASK44	%zmm25
#define MASK42	%zmm26
#define PAD	%zmm27
#define IDXLO	%zmm28
#define IDXHI	%zmm29

/* eight blocks at (%rsi) -> limbs m0, m1, m2 (block i in lane i) */
.macro LOADMSG m0, m1, m2
	vmovdqu64	(%rsi), T0
	vmovdqu64	64(%rsi), T1
	vmovdqa64	IDXLO, \m0
	vpermi2q	T1, T0, \m0		/* low 64 bits of each block */
	vmovdqa64	IDXHI, \m2
	vpermi2q	T1, T0, \m2		/* high 64 bits */
	vpsrlq		$44, \m0, \m1
	vpsllq		$20, \m2, T0
	vpternlogq	$0xa8, MASK44, T0, \m1	/* (m1 | T0) & mask */
	vpandq		MASK44, \m0, \m0
	vpsrlq		$24, \m2, \m2
	vporq		PAD, \m2, \m2
.endm

/* r*20 for the limbs that wrap past 2^130 */
.macro TIMES20 src, dst
	vpsllq		$2, \src, \dst
	vpsllq		$4, \src, T0
	vpaddq		T0, \dst, \dst
.endm

/*
 * H = H * R mod p, partially carried.  Every product sum is split over two
 * accumulators (L/X and La/Xa) to halve the vpmadd52 dependency chains, and
 * the carries are taken from all three limbs at once: limbs end below
 * 2^44 + 2^17, comfortably inside the 52 bits vpmadd52 reads.
 */
.macro MULR
	vpxorq		L0, L0, L0
	vpxorq		L1, L1, L1
	vpxorq		L2, L2, L2
	vpxorq		X0, X0, X0
	vpxorq		X1, X1, X1
	vpxorq		X2, X2, X2
	vpxorq		La0, La0, La0
	vpxorq		La1, La1, La1
	vpxorq		La2, La2, La2
	vpxorq		Xa0, Xa0, Xa0
	vpxorq		Xa1, Xa1, Xa1
	vpxorq		Xa2, Xa2, Xa2
	vpmadd52luq	R0, H0, L0
	vpmadd52luq	R1, H0, L1
	vpmadd52luq	R2, H0, L2
	vpmadd52huq	R0, H0, X0
	vpmadd52huq	R1, H0, X1
	vpmadd52huq	R2, H0, X2
	vpmadd52luq	S2, H1, La0
	vpmadd52luq	R0, H1, La1
	vpmadd52luq	R1, H1, La2
	vpmadd52huq	S2, H1, Xa0
	vpmadd52huq	R0, H1, Xa1
	vpmadd52huq	R1, H1, Xa2
	vpmadd52luq	S1, H2, L0
	vpmadd52luq	S2, H2, L1
	vpmadd52luq	R0, H2, L2
	vpmadd52huq	S1, H2, X0
	vpmadd52huq	S2, H2, X1
	vpmadd52huq	R0, H2, X2
	vpaddq		La0, L0, L0
	vpaddq		La1, L1, L1
	vpaddq		La2, L2, L2
	vpaddq		Xa0, X0, X0
	vpaddq		Xa1, X1, X1
	vpaddq		Xa2, X2, X2
	/* high halves weigh 2^52 = 2^8 * 2^44 more than their low halves;
	 * the top one (2^140) wraps to 5 * 2^10 = 2^10 + 2^12 */
	vpsllq		$8, X0, X0
	vpsllq		$8, X1, X1
	vpsllq		$10, X2, Xa2
	vpsllq		$12, X2, X2
	vpaddq		X0, L1, L1
	vpaddq		X1, L2, L2
	vpaddq		Xa2, L0, L0
	vpaddq		X2, L0, L0
	/* carry out of every limb at once */
	vpsrlq		$44, L0, X0
	vpsrlq		$44, L1, X1
	vpsrlq		$42, L2, X2
	vpandq		MASK44, L0, H0
	vpandq		MASK44, L1, H1
	vpandq		MASK42, L2, H2
	vpaddq		X0, H1, H1
	vpaddq		X1, H2, H2
	vpaddq		X2, H0, H0
	vpsllq		$2, X2, X2
	vpaddq		X2, H0, H0
.endm

SYM_FUNC_START(wg_poly1305_blocks_ifma)
	vpbroadcastq	.Lmask44(%rip), MASK44
	vpbroadcastq	.Lmask42(%rip), MASK42
	shl		$40, %r8
	vpbroadcastq	%r8, PAD
	vmovdqa64	.Lidx_lo(%rip), IDXLO
	vmovdqa64	.Lidx_hi(%rip), IDXHI
	vpbroadcastq	0(%rcx), R0
	vpbroadcastq	64(%rcx), R1
	vpbroadcastq	128(%rcx), R2
	TIMES20		R1, S1
	TIMES20		R2, S2

	LOADMSG		H0, H1, H2
	vmovq		0(%rdi), %xmm10
	vmovq		8(%rdi), %xmm11
	vmovq		16(%rdi), %xmm12
	vpaddq		M0, H0, H0
	vpaddq		M1, H1, H1
	vpaddq		M2, H2, H2
	add		$128, %rsi
	sub		$8, %rdx
	jz		.Lp_final
.Lp_loop:
	LOADMSG		M0, M1, M2
	MULR
	vpaddq		M0, H0, H0
	vpaddq		M1, H1, H1
	vpaddq		M2, H2, H2
	add		$128, %rsi
	sub		$8, %rdx
	jnz		.Lp_loop
.Lp_final:
	vmovdqu64	0(%rcx), R0
	vmovdqu64	64(%rcx), R1
	vmovdqu64	128(%rcx), R2
	TIMES20		R1, S1
	TIMES20		R2, S2
	MULR
	vextracti64x4	$1, H0, %ymm30
	vpaddq		%ymm30, %ymm0, %ymm30
	vextracti32x4	$1, %ymm30, %xmm31
	vpaddq		%xmm31, %xmm30, %xmm30
	vpshufd		$0x4e, %xmm30, %xmm31
	vpaddq		%xmm31, %xmm30, %xmm30
	vmovq		%xmm30, 0(%rdi)
	vextracti64x4	$1, H1, %ymm30
	vpaddq		%ymm30, %ymm1, %ymm30
	vextracti32x4	$1, %ymm30, %xmm31
	vpaddq		%xmm31, %xmm30, %xmm30
	vpshufd		$0x4e, %xmm30, %xmm31
	vpaddq		%xmm31, %xmm30, %xmm30
	vmovq		%xmm30, 8(%rdi)
	vextracti64x4	$1, H2, %ymm30
	vpaddq		%ymm30, %ymm2, %ymm30
	vextracti32x4	$1, %ymm30, %xmm31
	vpaddq		%xmm31, %xmm30, %xmm30
	vpshufd		$0x4e, %xmm30, %xmm31
	vpaddq		%xmm31, %xmm30, %xmm30
	vmovq		%xmm30, 16(%rdi)
	vzeroupper
	RET
SYM_FUNC_END(wg_poly1305_blocks_ifma)
