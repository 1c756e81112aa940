/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Poly1305 block function for x86-64 with AVX2: four blocks in parallel,
 * one per 64-bit lane of a ymm register, the accumulator in five limbs of
 * 26 bits so that vpmuludq (32 x 32 -> 64) products and their sums fit.
 *
 *	void wg_poly1305_blocks_avx2(u64 acc[5], const u8 *in, size_t nblocks,
 *				     const u32 pow[20], u32 padbit);
 *
 * nblocks is a non-zero multiple of 4.  acc holds the accumulator in 26-bit
 * limbs on entry (each below 2^27); on return, per limb, the sum over the
 * four lanes of (lane * its last power of r), not carried (each < 2^62).
 * pow[4 * j + i] is limb j (26 bits) of the power of r lane i ends with:
 * r^4, r^2, r^3, r^1, since unpacking two loads of two blocks each puts
 * blocks 0, 2, 1, 3 of a group into lanes 0, 1, 2, 3.
 *
 * Every lane is multiplied by r^4 between groups (Horner's rule with
 * stride 4); the last group is multiplied by the lane's own power instead,
 * which leaves block k of the message weighted by r^(nblocks - k).
 */

#ifdef __KERNEL__
#include <linux/linkage.h>
#else
#include "linkage-user.h"
#endif

	.section .rodata, "a"
	.align 8
.Lp2_mask26:
	.quad 0x3ffffff

	.text

#define H0	%ymm0
#define H1	%ymm1
#define H2	%ymm2
#define H3	%ymm3
#define H4	%ymm4
#define D0	%ymm5
#define D1	%ymm6
#define D2	%ymm7
#define D3	%ymm8
#define D4	%ymm9
#define T	%ymm10
#define T2	%ymm11
#define MASK	%ymm12
#define PAD	%ymm13

/*
 * The frame, 32-byte aligned at %r9: slots 0-4 hold r^4 limbs 0-4 and
 * slots 5-8 5 * r^4 limbs 1-4, each broadcast; slots 9-17 the same for the
 * per-lane final powers.
 */
#define SLOT(n)		((n) * 32)
#define FINAL		SLOT(9)
#define FRAMESZ		(SLOT(18) + 32)

/* H += the four 16-byte blocks at (%rsi), split into 26-bit limbs */
.macro ADDMSG
	vmovdqu		(%rsi), D0		/* lo0 hi0 lo1 hi1 */
	vmovdqu		32(%rsi), D1		/* lo2 hi2 lo3 hi3 */
	vpunpcklqdq	D1, D0, D2		/* lo0 lo2 lo1 lo3 */
	vpunpckhqdq	D1, D0, D3		/* hi0 hi2 hi1 hi3 */
	vpand		MASK, D2, T
	vpaddq		T, H0, H0
	vpsrlq		$26, D2, T
	vpand		MASK, T, T
	vpaddq		T, H1, H1
	vpsrlq		$52, D2, T
	vpsllq		$12, D3, T2
	vpor		T2, T, T
	vpand		MASK, T, T
	vpaddq		T, H2, H2
	vpsrlq		$14, D3, T
	vpand		MASK, T, T
	vpaddq		T, H3, H3
	vpsrlq		$40, D3, T
	vpor		PAD, T, T
	vpaddq		T, H4, H4
.endm

/* d += h * the table slot */
.macro MACC h, slot, d
	vpmuludq	\slot(%r10), \h, T
	vpaddq		T, \d, \d
.endm

/*
 * D = H * R for the table at %r10 (R limbs in slots 0-4, 5R in 5-8):
 *	d_k = sum over i <= k of h_i r_(k-i) + sum over i > k of h_i 5r_(5+k-i)
 */
.macro MULH
	vpmuludq	SLOT(0)(%r10), H0, D0
	vpmuludq	SLOT(1)(%r10), H0, D1
	vpmuludq	SLOT(2)(%r10), H0, D2
	vpmuludq	SLOT(3)(%r10), H0, D3
	vpmuludq	SLOT(4)(%r10), H0, D4
	MACC		H1, SLOT(8), D0
	MACC		H1, SLOT(0), D1
	MACC		H1, SLOT(1), D2
	MACC		H1, SLOT(2), D3
	MACC		H1, SLOT(3), D4
	MACC		H2, SLOT(7), D0
	MACC		H2, SLOT(8), D1
	MACC		H2, SLOT(0), D2
	MACC		H2, SLOT(1), D3
	MACC		H2, SLOT(2), D4
	MACC		H3, SLOT(6), D0
	MACC		H3, SLOT(7), D1
	MACC		H3, SLOT(8), D2
	MACC		H3, SLOT(0), D3
	MACC		H3, SLOT(1), D4
	MACC		H4, SLOT(5), D0
	MACC		H4, SLOT(6), D1
	MACC		H4, SLOT(7), D2
	MACC		H4, SLOT(8), D3
	MACC		H4, SLOT(0), D4
.endm

/*
 * D -> H with limbs back near 26 bits: two interleaved carry chains
 * (0 -> 1 -> 2 -> 3 and 3 -> 4 -> 0 -> 1), the carry out of limb 4 worth
 * 5 (2^130 = 5 mod p).  Limbs end below 2^26 + 2^12.
 */
.macro CARRY
	vpsrlq		$26, D0, T
	vpand		MASK, D0, H0
	vpaddq		T, D1, D1
	vpsrlq		$26, D3, T2
	vpand		MASK, D3, H3
	vpaddq		T2, D4, D4
	vpsrlq		$26, D1, T
	vpand		MASK, D1, H1
	vpaddq		T, D2, D2
	vpsrlq		$26, D4, T2
	vpand		MASK, D4, H4
	vpaddq		T2, H0, H0
	vpsllq		$2, T2, T2
	vpaddq		T2, H0, H0
	vpsrlq		$26, D2, T
	vpand		MASK, D2, H2
	vpaddq		T, H3, H3
	vpsrlq		$26, H0, T
	vpand		MASK, H0, H0
	vpaddq		T, H1, H1
	vpsrlq		$26, H3, T2
	vpand		MASK, H3, H3
	vpaddq		T2, H4, H4
.endm

/* acc[\i] = the sum of the four lanes of \d */
.macro HSUM d, x, i
	vextracti128	$1, \d, %xmm10
	vpaddq		%xmm10, \x, \x
	vpshufd		$0x4e, \x, %xmm10
	vpaddq		%xmm10, \x, \x
	vmovq		\x, 8 * \i(%rdi)
.endm

SYM_FUNC_START(wg_poly1305_blocks_avx2)
	sub		$FRAMESZ, %rsp
	lea		31(%rsp), %r9
	and		$-32, %r9

	vpbroadcastq	.Lp2_mask26(%rip), MASK
	shl		$24, %r8d
	vmovd		%r8d, %xmm13
	vpbroadcastq	%xmm13, PAD

	/* the tables: r^4 broadcast, then the per-lane powers */
	xor		%eax, %eax
.Lp2_tab:
	vpbroadcastd	(%rcx, %rax, 4), D0
	vpmovzxdq	(%rcx, %rax, 4), D1
	vmovdqa		D0, (%r9)
	vmovdqa		D1, FINAL(%r9)
	test		%eax, %eax
	jz		.Lp2_tab_next
	vpslld		$2, D0, T
	vpaddd		T, D0, D0
	vpsllq		$2, D1, T
	vpaddq		T, D1, D1
	vmovdqa		D0, SLOT(4)(%r9)
	vmovdqa		D1, FINAL + SLOT(4)(%r9)
.Lp2_tab_next:
	add		$32, %r9
	add		$4, %eax
	cmp		$20, %eax
	jne		.Lp2_tab
	sub		$SLOT(5), %r9

	vmovq		0(%rdi), %xmm0
	vmovq		8(%rdi), %xmm1
	vmovq		16(%rdi), %xmm2
	vmovq		24(%rdi), %xmm3
	vmovq		32(%rdi), %xmm4
	mov		%r9, %r10
	cmp		$4, %rdx
	je		.Lp2_last
.Lp2_loop:
	ADDMSG
	MULH
	CARRY
	add		$64, %rsi
	sub		$4, %rdx
	cmp		$4, %rdx
	jne		.Lp2_loop
.Lp2_last:
	ADDMSG
	lea		FINAL(%r9), %r10
	MULH
	HSUM		D0, %xmm5, 0
	HSUM		D1, %xmm6, 1
	HSUM		D2, %xmm7, 2
	HSUM		D3, %xmm8, 3
	HSUM		D4, %xmm9, 4

	/* the tables hold powers of the key */
	vpxor		%xmm0, %xmm0, %xmm0
	xor		%eax, %eax
.Lp2_wipe:
	vmovdqa		%ymm0, (%r9, %rax)
	add		$32, %eax
	cmp		$SLOT(18), %eax
	jne		.Lp2_wipe
	vzeroupper
	add		$FRAMESZ, %rsp
	RET
SYM_FUNC_END(wg_poly1305_blocks_avx2)
