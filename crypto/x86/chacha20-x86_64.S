/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ChaCha20 keystream XOR for x86-64: AVX2 (8 blocks per pass in ymm) and
 * AVX-512F/VL (16 blocks per pass in zmm, and a short-input path).
 *
 * Every function has the C prototype
 *	void fn(const u32 state[16], u8 *dst, const u8 *src, size_t len);
 * and XORs len bytes of keystream (any length, dst may equal src) starting
 * at block counter state[12]; state is read only, the caller advances the
 * counter.
 *
 * Long inputs use a "vertical" layout: register i holds state word i of 8
 * (ymm) or 16 (zmm) consecutive blocks, so a round is plain lane-wise
 * arithmetic and a transpose at the end turns word-major registers into
 * block-major output.  Below 1 KiB the AVX-512 code switches to rows: one
 * zmm holds one row of four blocks, two sets side by side, which is bound
 * by latency and so costs the same for 1 block as for 8.  A trailing partial
 * block goes through a small stack buffer that is wiped afterwards.
 */

#ifdef __KERNEL__
#include <linux/linkage.h>
#else
#include "linkage-user.h"
#endif

	.section .rodata, "a"
	.align 64
.Lctr_inc:
	.long 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
.Lh_ctr0:
	.long 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0
.Lh_ctr4:
	.long 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0
.Lh_ctr8:
	.long 8, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0
.Lh_noctr:
	.long 0, -1, -1, -1, 0, -1, -1, -1, 0, -1, -1, -1, 0, -1, -1, -1
.Lrot16:
	.byte 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
	.byte 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
.Lrot8:
	.byte 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14
	.byte 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14

	.text

/* ---------------------------------------------------------------------- */
/* shared pieces                                                           */

/* 4x4 dword transpose inside every 128-bit lane of a, b, c, d. */
.macro TRANSPOSE4 a, b, c, d, t0, t1, t2, t3
	vpunpckldq	\b, \a, \t0
	vpunpckhdq	\b, \a, \t1
	vpunpckldq	\d, \c, \t2
	vpunpckhdq	\d, \c, \t3
	vpunpcklqdq	\t2, \t0, \a
	vpunpckhqdq	\t2, \t0, \b
	vpunpcklqdq	\t3, \t1, \c
	vpunpckhqdq	\t3, \t1, \d
.endm

/*
 * XOR the first rcx (< 512) bytes of the keystream at (%rsp) into
 * src (%rdx) -> dst (%rsi), then wipe 512 bytes of keystream.
 * Clobbers rax, r10, ymm0.
 */
.macro XOR_TAIL_AND_WIPE p, n32
	xor	%r10, %r10
.L\p\()_t32:
	cmp	$32, %rcx
	jb	.L\p\()_t8
	vmovdqu	(%rsp, %r10), %ymm0
	vpxor	(%rdx, %r10), %ymm0, %ymm0
	vmovdqu	%ymm0, (%rsi, %r10)
	add	$32, %r10
	sub	$32, %rcx
	jmp	.L\p\()_t32
.L\p\()_t8:
	cmp	$8, %rcx
	jb	.L\p\()_t1
	mov	(%rsp, %r10), %rax
	xor	(%rdx, %r10), %rax
	mov	%rax, (%rsi, %r10)
	add	$8, %r10
	sub	$8, %rcx
	jmp	.L\p\()_t8
.L\p\()_t1:
	test	%rcx, %rcx
	jz	.L\p\()_wipe
	movzbl	(%rsp, %r10), %eax
	xorb	(%rdx, %r10), %al
	movb	%al, (%rsi, %r10)
	inc	%r10
	dec	%rcx
	jmp	.L\p\()_t1
.L\p\()_wipe:
	vpxor	%xmm0, %xmm0, %xmm0
	.set	.L\p\()_off, 0
	.rept	\n32
	vmovdqu	%ymm0, .L\p\()_off(%rsp)
	.set	.L\p\()_off, .L\p\()_off + 32
	.endr
.endm

/* ---------------------------------------------------------------------- */
/* AVX-512                                                                 */

/* Four quarter rounds side by side (EVEX: vprold does the rotates). */
.macro QR4E a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3
	vpaddd	\b0, \a0, \a0;	vpaddd	\b1, \a1, \a1
	vpaddd	\b2, \a2, \a2;	vpaddd	\b3, \a3, \a3
	vpxord	\a0, \d0, \d0;	vpxord	\a1, \d1, \d1
	vpxord	\a2, \d2, \d2;	vpxord	\a3, \d3, \d3
	vprold	$16, \d0, \d0;	vprold	$16, \d1, \d1
	vprold	$16, \d2, \d2;	vprold	$16, \d3, \d3
	vpaddd	\d0, \c0, \c0;	vpaddd	\d1, \c1, \c1
	vpaddd	\d2, \c2, \c2;	vpaddd	\d3, \c3, \c3
	vpxord	\c0, \b0, \b0;	vpxord	\c1, \b1, \b1
	vpxord	\c2, \b2, \b2;	vpxord	\c3, \b3, \b3
	vprold	$12, \b0, \b0;	vprold	$12, \b1, \b1
	vprold	$12, \b2, \b2;	vprold	$12, \b3, \b3
	vpaddd	\b0, \a0, \a0;	vpaddd	\b1, \a1, \a1
	vpaddd	\b2, \a2, \a2;	vpaddd	\b3, \a3, \a3
	vpxord	\a0, \d0, \d0;	vpxord	\a1, \d1, \d1
	vpxord	\a2, \d2, \d2;	vpxord	\a3, \d3, \d3
	vprold	$8, \d0, \d0;	vprold	$8, \d1, \d1
	vprold	$8, \d2, \d2;	vprold	$8, \d3, \d3
	vpaddd	\d0, \c0, \c0;	vpaddd	\d1, \c1, \c1
	vpaddd	\d2, \c2, \c2;	vpaddd	\d3, \c3, \c3
	vpxord	\c0, \b0, \b0;	vpxord	\c1, \b1, \b1
	vpxord	\c2, \b2, \b2;	vpxord	\c3, \b3, \b3
	vprold	$7, \b0, \b0;	vprold	$7, \b1, \b1
	vprold	$7, \b2, \b2;	vprold	$7, \b3, \b3
.endm

.macro DOUBLEROUND_E w
	QR4E	%\w\()0, %\w\()4, %\w\()8, %\w\()12, %\w\()1, %\w\()5, %\w\()9, %\w\()13, \
		%\w\()2, %\w\()6, %\w\()10, %\w\()14, %\w\()3, %\w\()7, %\w\()11, %\w\()15
	QR4E	%\w\()0, %\w\()5, %\w\()10, %\w\()15, %\w\()1, %\w\()6, %\w\()11, %\w\()12, \
		%\w\()2, %\w\()7, %\w\()8, %\w\()13, %\w\()3, %\w\()4, %\w\()9, %\w\()14
.endm

/* Broadcast the state into w0..w15 (counter lanes +0, +1, ...), run 20
 * rounds and add the input back; the counter vector is kept in \ctr. */
.macro CORE_E w, n, ctr, p
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15
	vpbroadcastd	(4 * \i)(%rdi), %\w\i
	.endr
	vpbroadcastd	%r8d, \ctr
	vpaddd		.Lctr_inc(%rip), \ctr, \ctr
	vmovdqa64	\ctr, %\w\()12
	mov		$10, %eax
.L\p\()_rounds:
	DOUBLEROUND_E	\w
	dec		%eax
	jnz		.L\p\()_rounds
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15
	vpaddd		(4 * \i)(%rdi){1to\n}, %\w\i, %\w\i
	.endr
	vpaddd		\ctr, %\w\()12, %\w\()12
.endm

/* 128-bit lane regroup of g0..g3 = (words of) x_m, x_4+m, x_8+m, x_12+m */
.macro LANES4 g0, g1, g2, g3
	vshufi32x4	$0x44, \g1, \g0, %zmm16
	vshufi32x4	$0xee, \g1, \g0, %zmm17
	vshufi32x4	$0x44, \g3, \g2, %zmm18
	vshufi32x4	$0xee, \g3, \g2, %zmm19
	vshufi32x4	$0x88, %zmm18, %zmm16, \g0
	vshufi32x4	$0xdd, %zmm18, %zmm16, \g1
	vshufi32x4	$0x88, %zmm19, %zmm17, \g2
	vshufi32x4	$0xdd, %zmm19, %zmm17, \g3
.endm

/*
 * "Horizontal" layout for short inputs: one zmm row register holds the same
 * row of four blocks (one per 128-bit lane); two such sets run side by
 * side, eight blocks in all.  Latency rather than width bounds this, so it
 * beats the 16-wide code below 1 KiB.
 */
.macro HQR2 a0, b0, c0, d0, a1, b1, c1, d1
	vpaddd	\b0, \a0, \a0;	vpaddd	\b1, \a1, \a1
	vpxord	\a0, \d0, \d0;	vpxord	\a1, \d1, \d1
	vprold	$16, \d0, \d0;	vprold	$16, \d1, \d1
	vpaddd	\d0, \c0, \c0;	vpaddd	\d1, \c1, \c1
	vpxord	\c0, \b0, \b0;	vpxord	\c1, \b1, \b1
	vprold	$12, \b0, \b0;	vprold	$12, \b1, \b1
	vpaddd	\b0, \a0, \a0;	vpaddd	\b1, \a1, \a1
	vpxord	\a0, \d0, \d0;	vpxord	\a1, \d1, \d1
	vprold	$8, \d0, \d0;	vprold	$8, \d1, \d1
	vpaddd	\d0, \c0, \c0;	vpaddd	\d1, \c1, \c1
	vpxord	\c0, \b0, \b0;	vpxord	\c1, \b1, \b1
	vprold	$7, \b0, \b0;	vprold	$7, \b1, \b1
.endm

.macro HSHUF2 b0, c0, d0, b1, c1, d1, ib, id
	vpshufd	$\ib, \b0, \b0;	vpshufd	$\ib, \b1, \b1
	vpshufd	$0x4e, \c0, \c0;	vpshufd	$0x4e, \c1, \c1
	vpshufd	$\id, \d0, \d0;	vpshufd	$\id, \d1, \d1
.endm

SYM_FUNC_START(wg_chacha20_avx512)
	test		%rcx, %rcx
	jz		.Lz_nothing
	sub		$64, %rsp
	mov		48(%rdi), %r8d

.Lz_loop16:
	cmp		$1024, %rcx
	jb		.Lz_short
	CORE_E		zmm, 16, %zmm31, z16
	TRANSPOSE4	%zmm0, %zmm1, %zmm2, %zmm3, %zmm16, %zmm17, %zmm18, %zmm19
	TRANSPOSE4	%zmm4, %zmm5, %zmm6, %zmm7, %zmm16, %zmm17, %zmm18, %zmm19
	TRANSPOSE4	%zmm8, %zmm9, %zmm10, %zmm11, %zmm16, %zmm17, %zmm18, %zmm19
	TRANSPOSE4	%zmm12, %zmm13, %zmm14, %zmm15, %zmm16, %zmm17, %zmm18, %zmm19
	LANES4		%zmm0, %zmm4, %zmm8, %zmm12
	LANES4		%zmm1, %zmm5, %zmm9, %zmm13
	LANES4		%zmm2, %zmm6, %zmm10, %zmm14
	LANES4		%zmm3, %zmm7, %zmm11, %zmm15
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vpxord		(64 * \i)(%rdx), %zmm\i, %zmm\i
	vmovdqu64	%zmm\i, (64 * \i)(%rsi)
	.endr
	add		$16, %r8d
	add		$1024, %rdx
	add		$1024, %rsi
	sub		$1024, %rcx
	test		%rcx, %rcx
	jz		.Lz_done
	jmp		.Lz_loop16

.Lz_short:
	/* rows 0..2 in every lane; row 3 with the counter word replaced */
	vbroadcasti32x4	(%rdi), %zmm8
	vbroadcasti32x4	16(%rdi), %zmm9
	vbroadcasti32x4	32(%rdi), %zmm10
	vbroadcasti32x4	48(%rdi), %zmm11
	vpandd		.Lh_noctr(%rip), %zmm11, %zmm11
	vmovd		%r8d, %xmm12
	vshufi32x4	$0, %zmm12, %zmm12, %zmm12
	vpaddd		%zmm12, %zmm11, %zmm11
	vpaddd		.Lh_ctr0(%rip), %zmm11, %zmm11
.Lh_loop:
	vpaddd		.Lh_ctr4(%rip), %zmm11, %zmm12
	vmovdqa64	%zmm8, %zmm0
	vmovdqa64	%zmm9, %zmm1
	vmovdqa64	%zmm10, %zmm2
	vmovdqa64	%zmm11, %zmm3
	vmovdqa64	%zmm8, %zmm4
	vmovdqa64	%zmm9, %zmm5
	vmovdqa64	%zmm10, %zmm6
	vmovdqa64	%zmm12, %zmm7
	mov		$10, %eax
.Lh_rounds:
	HQR2		%zmm0, %zmm1, %zmm2, %zmm3, %zmm4, %zmm5, %zmm6, %zmm7
	HSHUF2		%zmm1, %zmm2, %zmm3, %zmm5, %zmm6, %zmm7, 0x39, 0x93
	HQR2		%zmm0, %zmm1, %zmm2, %zmm3, %zmm4, %zmm5, %zmm6, %zmm7
	HSHUF2		%zmm1, %zmm2, %zmm3, %zmm5, %zmm6, %zmm7, 0x93, 0x39
	dec		%eax
	jnz		.Lh_rounds
	vpaddd		%zmm8, %zmm0, %zmm0
	vpaddd		%zmm9, %zmm1, %zmm1
	vpaddd		%zmm10, %zmm2, %zmm2
	vpaddd		%zmm11, %zmm3, %zmm3
	vpaddd		%zmm8, %zmm4, %zmm4
	vpaddd		%zmm9, %zmm5, %zmm5
	vpaddd		%zmm10, %zmm6, %zmm6
	vpaddd		%zmm12, %zmm7, %zmm7
	LANES4		%zmm0, %zmm1, %zmm2, %zmm3
	LANES4		%zmm4, %zmm5, %zmm6, %zmm7
	.irp k, 0, 1, 2, 3, 4, 5, 6, 7
	cmp		$64, %rcx
	jb		.Lh_part\k
	vpxord		(%rdx), %zmm\k, %zmm16
	vmovdqu64	%zmm16, (%rsi)
	add		$64, %rdx
	add		$64, %rsi
	sub		$64, %rcx
	.endr
	vpaddd		.Lh_ctr8(%rip), %zmm11, %zmm11
	test		%rcx, %rcx
	jnz		.Lh_loop
	jmp		.Lz_done
	.irp k, 0, 1, 2, 3, 4, 5, 6, 7
.Lh_part\k:
	vmovdqa64	%zmm\k, %zmm16
	jmp		.Lh_part
	.endr
.Lh_part:
	test		%rcx, %rcx
	jz		.Lz_done
	vmovdqu64	%zmm16, (%rsp)
	XOR_TAIL_AND_WIPE zt, 2
.Lz_done:
	vzeroupper
	add		$64, %rsp
.Lz_nothing:
	RET
SYM_FUNC_END(wg_chacha20_avx512)

/* ---------------------------------------------------------------------- */
/* AVX2: 16 ymm registers, so x13/x15 share one register and take turns  */
/* in a stack slot; rotates by 16 and 8 are byte shuffles.                 */

#define KS	0
#define SP13	512
#define SP15	544
#define CTRV	576
#define SAVE	608
#define FRAME	896

.macro QR2V a0, b0, c0, d0, a1, b1, c1, d1, t
	vpaddd	\b0, \a0, \a0;	vpaddd	\b1, \a1, \a1
	vpxor	\a0, \d0, \d0;	vpxor	\a1, \d1, \d1
	vpshufb	.Lrot16(%rip), \d0, \d0
	vpshufb	.Lrot16(%rip), \d1, \d1
	vpaddd	\d0, \c0, \c0;	vpaddd	\d1, \c1, \c1
	vpxor	\c0, \b0, \b0;	vpxor	\c1, \b1, \b1
	vpslld	$12, \b0, \t;	vpsrld	$20, \b0, \b0;	vpor	\t, \b0, \b0
	vpslld	$12, \b1, \t;	vpsrld	$20, \b1, \b1;	vpor	\t, \b1, \b1
	vpaddd	\b0, \a0, \a0;	vpaddd	\b1, \a1, \a1
	vpxor	\a0, \d0, \d0;	vpxor	\a1, \d1, \d1
	vpshufb	.Lrot8(%rip), \d0, \d0
	vpshufb	.Lrot8(%rip), \d1, \d1
	vpaddd	\d0, \c0, \c0;	vpaddd	\d1, \c1, \c1
	vpxor	\c0, \b0, \b0;	vpxor	\c1, \b1, \b1
	vpslld	$7, \b0, \t;	vpsrld	$25, \b0, \b0;	vpor	\t, \b0, \b0
	vpslld	$7, \b1, \t;	vpsrld	$25, \b1, \b1;	vpor	\t, \b1, \b1
.endm

.macro V_OUT reg, off, direct
.if \direct
	vpxor	(\off)(%rdx), \reg, \reg
	vmovdqu	\reg, (\off)(%rsi)
.else
	vmovdqu	\reg, (KS + \off)(%rsp)
.endif
.endm

/* ymm0..7 hold words 8h..8h+7 of 8 blocks: emit 32-byte half h of each */
.macro V_HALF h, direct
	TRANSPOSE4	%ymm0, %ymm1, %ymm2, %ymm3, %ymm8, %ymm9, %ymm10, %ymm11
	TRANSPOSE4	%ymm4, %ymm5, %ymm6, %ymm7, %ymm8, %ymm9, %ymm10, %ymm11
	vperm2i128	$0x20, %ymm4, %ymm0, %ymm8
	vperm2i128	$0x31, %ymm4, %ymm0, %ymm9
	V_OUT		%ymm8, (64 * 0 + 32 * \h), \direct
	V_OUT		%ymm9, (64 * 4 + 32 * \h), \direct
	vperm2i128	$0x20, %ymm5, %ymm1, %ymm8
	vperm2i128	$0x31, %ymm5, %ymm1, %ymm9
	V_OUT		%ymm8, (64 * 1 + 32 * \h), \direct
	V_OUT		%ymm9, (64 * 5 + 32 * \h), \direct
	vperm2i128	$0x20, %ymm6, %ymm2, %ymm8
	vperm2i128	$0x31, %ymm6, %ymm2, %ymm9
	V_OUT		%ymm8, (64 * 2 + 32 * \h), \direct
	V_OUT		%ymm9, (64 * 6 + 32 * \h), \direct
	vperm2i128	$0x20, %ymm7, %ymm3, %ymm8
	vperm2i128	$0x31, %ymm7, %ymm3, %ymm9
	V_OUT		%ymm8, (64 * 3 + 32 * \h), \direct
	V_OUT		%ymm9, (64 * 7 + 32 * \h), \direct
.endm

.macro V_BLOCKS direct
	V_HALF		0, \direct
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	vmovdqu		(SAVE + 32 * \i)(%rsp), %ymm\i
	.endr
	V_HALF		1, \direct
.endm

SYM_FUNC_START(wg_chacha20_avx2)
	test		%rcx, %rcx
	jz		.Lv_nothing
	sub		$FRAME, %rsp
	mov		48(%rdi), %r8d
.Lv_loop:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14
	vpbroadcastd	(4 * \i)(%rdi), %ymm\i
	.endr
	vpbroadcastd	60(%rdi), %ymm15
	vmovdqu		%ymm15, SP15(%rsp)
	vmovd		%r8d, %xmm12
	vpbroadcastd	%xmm12, %ymm12
	vpaddd		.Lctr_inc(%rip), %ymm12, %ymm12
	vmovdqu		%ymm12, CTRV(%rsp)
	mov		$10, %eax
.Lv_rounds:
	QR2V	%ymm0, %ymm4, %ymm8, %ymm12, %ymm1, %ymm5, %ymm9, %ymm13, %ymm15
	vmovdqu	%ymm13, SP13(%rsp)
	vmovdqu	SP15(%rsp), %ymm13
	QR2V	%ymm2, %ymm6, %ymm10, %ymm14, %ymm3, %ymm7, %ymm11, %ymm13, %ymm15
	QR2V	%ymm0, %ymm5, %ymm10, %ymm13, %ymm1, %ymm6, %ymm11, %ymm12, %ymm15
	vmovdqu	%ymm13, SP15(%rsp)
	vmovdqu	SP13(%rsp), %ymm13
	QR2V	%ymm2, %ymm7, %ymm8, %ymm13, %ymm3, %ymm4, %ymm9, %ymm14, %ymm15
	dec	%eax
	jnz	.Lv_rounds

	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14
	vpbroadcastd	(4 * \i)(%rdi), %ymm15
	vpaddd		%ymm15, %ymm\i, %ymm\i
	.endr
	vpaddd		CTRV(%rsp), %ymm12, %ymm12
	.irp i, 8, 9, 10, 11, 12, 13, 14
	vmovdqu		%ymm\i, (SAVE + 32 * (\i - 8))(%rsp)
	.endr
	vmovdqu		SP15(%rsp), %ymm15
	vpbroadcastd	60(%rdi), %ymm8
	vpaddd		%ymm8, %ymm15, %ymm15
	vmovdqu		%ymm15, (SAVE + 32 * 7)(%rsp)

	cmp		$512, %rcx
	jb		.Lv_partial
	V_BLOCKS	1
	add		$8, %r8d
	add		$512, %rdx
	add		$512, %rsi
	sub		$512, %rcx
	jnz		.Lv_loop
	jmp		.Lv_done
.Lv_partial:
	V_BLOCKS	0
	XOR_TAIL_AND_WIPE vt, 16
.Lv_done:
	vzeroupper
	add		$FRAME, %rsp
.Lv_nothing:
	RET
SYM_FUNC_END(wg_chacha20_avx2)
