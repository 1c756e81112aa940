/* SPDX-License-Identifier: GPL-2.0 */
/*
 * X25519 field arithmetic and Montgomery ladder for x86-64 with BMI2
 * (mulx) and ADX (adcx/adox).  General-purpose registers only, so no FPU
 * section is needed in the kernel.
 *
 * A field element is four 64-bit limbs, little-endian, holding any value
 * below 2^256 that is congruent to the element mod p = 2^255 - 19.  Since
 * 2^256 = 38 (mod p), a carry out of the top limb is worth 38 at the
 * bottom: products are folded from 512 to 256 bits by multiplying the high
 * half by 38, sums and differences fold their carry or borrow the same way.
 * Only the C glue brings a value into canonical form, once, at the end.
 *
 *	void wg_curve25519_ladder_adx(u64 xz[8], const u8 scalar[32],
 *				      const u64 x1[4]);
 *	void wg_curve25519_mul_adx(u64 out[4], const u64 a[4],
 *				   const u64 b[4]);
 *	void wg_curve25519_sqrn_adx(u64 out[4], const u64 a[4],
 *				    unsigned long n);
 *
 * The ladder runs over scalar bits 254..0 (RFC 7748 section 5) and writes
 * the projective result, X2 to xz[0..3] and Z2 to xz[4..7].  The scalar
 * bits only ever become a mask used to exchange the two working points; no
 * branch and no address depends on them.  mul stores a * b; sqrn squares a
 * n >= 1 times.  out may alias the inputs.
 *
 * For the fixed-base multiplication (curve25519-base.c), two operations
 * on the twisted Edwards form in extended coordinates, p = (X, Y, Z, T)
 * in p[0..15]:
 *
 *	void wg_curve25519_ge_madd_adx(u64 p[16], const u64 q[12]);
 *	void wg_curve25519_ge_dbl_adx(u64 p[16]);
 *
 * madd adds an affine point q = (y + x, y - x, 2 d x y); dbl doubles.
 * The formulas are those of the portable code, whose comments derive them.
 */

#ifdef __KERNEL__
#include <linux/linkage.h>
#else
#include "linkage-user.h"
#endif

#define T0	%rbx
#define T1	%rcx

/* ladder frame, all offsets from %rsp */
#define X2	0
#define Z2	32
#define X3	64
#define Z3	96
#define X1	128
#define VA	160
#define VB	192
#define VC	224
#define VD	256
#define AA	288
#define BB	320
#define DA	352
#define CB	384
#define VE	416
#define VT	448
#define SCAL	480
#define FRAME	512

/* r0..r3 = the element at \o(\b) */
.macro LOAD b, o, r0, r1, r2, r3
	mov	0+\o(\b), \r0
	mov	8+\o(\b), \r1
	mov	16+\o(\b), \r2
	mov	24+\o(\b), \r3
.endm

.macro STORE b, o, r0=%r8, r1=%r9, r2=%r10, r3=%r11
	mov	\r0, 0+\o(\b)
	mov	\r1, 8+\o(\b)
	mov	\r2, 16+\o(\b)
	mov	\r3, 24+\o(\b)
.endm

/* r0..r3 += the element at \o(\b), a carry folded back in as 38 */
.macro ADDM b, o, r0, r1, r2, r3
	add	0+\o(\b), \r0
	adc	8+\o(\b), \r1
	adc	16+\o(\b), \r2
	adc	24+\o(\b), \r3
	sbb	%rax, %rax
	and	$38, %eax
	add	%rax, \r0
	adc	$0, \r1
	adc	$0, \r2
	adc	$0, \r3
	/* a second carry leaves r0 < 38 * 39, so the last add cannot carry */
	sbb	%rax, %rax
	and	$38, %eax
	add	%rax, \r0
.endm

/* r0..r3 -= the element at \o(\b), a borrow taken back out as 38 */
.macro SUBM b, o, r0, r1, r2, r3
	sub	0+\o(\b), \r0
	sbb	8+\o(\b), \r1
	sbb	16+\o(\b), \r2
	sbb	24+\o(\b), \r3
	sbb	%rax, %rax
	and	$38, %eax
	sub	%rax, \r0
	sbb	$0, \r1
	sbb	$0, \r2
	sbb	$0, \r3
	/* a second borrow leaves r0 >= 2^64 - 38, so the last sub cannot */
	sbb	%rax, %rax
	and	$38, %eax
	sub	%rax, \r0
.endm

/*
 * r8..r15 (512 bits) -> r8..r11 (256 bits) by adding 38 times the high
 * half to the low half.  The first pass leaves a carry limb of at most 39;
 * 38 times that is added back, and should that carry out once more the
 * low limb is tiny, so the final 38 is added without a carry chain.
 */
.macro REDUCE
	mov	$38, %edx
	xor	%eax, %eax
	mulx	%r12, T0, T1
	adcx	T0, %r8
	adox	T1, %r9
	mulx	%r13, T0, T1
	adcx	T0, %r9
	adox	T1, %r10
	mulx	%r14, T0, T1
	adcx	T0, %r10
	adox	T1, %r11
	mulx	%r15, T0, %r12
	adcx	T0, %r11
	adox	%rax, %r12
	adcx	%rax, %r12
	imul	$38, %r12, %r12
	add	%r12, %r8
	adc	%rax, %r9
	adc	%rax, %r10
	adc	%rax, %r11
	sbb	%rax, %rax
	and	$38, %eax
	add	%rax, %r8
.endm

/*
 * One row of the schoolbook product: p0..p4 += b_i * a, where p4 is
 * written fresh.  Low halves ride the CF chain (adcx), high halves the OF
 * chain (adox); both end in p4, which cannot overflow because the partial
 * product fits in i + 5 limbs.
 */
.macro MULROW bo, bb, ao, ab, p0, p1, p2, p3, p4
	mov	\bo(\bb), %rdx
	xor	%eax, %eax
	mulx	0+\ao(\ab), T0, T1
	adcx	T0, \p0
	adox	T1, \p1
	mulx	8+\ao(\ab), T0, T1
	adcx	T0, \p1
	adox	T1, \p2
	mulx	16+\ao(\ab), T0, T1
	adcx	T0, \p2
	adox	T1, \p3
	mulx	24+\ao(\ab), T0, \p4
	adcx	T0, \p3
	adox	%rax, \p4
	adcx	%rax, \p4
.endm

/* r8..r11 = a * b (mod p, partially reduced) */
.macro MUL ab, ao, bb, bo
	mov	0+\bo(\bb), %rdx
	mulx	0+\ao(\ab), %r8, %r9
	mulx	8+\ao(\ab), T0, %r10
	add	T0, %r9
	mulx	16+\ao(\ab), T0, %r11
	adc	T0, %r10
	mulx	24+\ao(\ab), T0, %r12
	adc	T0, %r11
	adc	$0, %r12
	MULROW	8+\bo, \bb, \ao, \ab, %r9, %r10, %r11, %r12, %r13
	MULROW	16+\bo, \bb, \ao, \ab, %r10, %r11, %r12, %r13, %r14
	MULROW	24+\bo, \bb, \ao, \ab, %r11, %r12, %r13, %r14, %r15
	REDUCE
.endm

/*
 * r8..r11 = a^2: the six cross products a_i a_j (i < j) once, doubled,
 * plus the four squares a_i^2 on the diagonal.
 */
.macro SQR ab, ao
	xor	%eax, %eax
	mov	0+\ao(\ab), %rdx
	mulx	8+\ao(\ab), %r9, %r10		/* a0 a1: 1, 2 */
	mulx	16+\ao(\ab), T0, %r11		/* a0 a2: 2, 3 */
	adcx	T0, %r10
	mulx	24+\ao(\ab), T0, %r12		/* a0 a3: 3, 4 */
	adcx	T0, %r11
	mov	8+\ao(\ab), %rdx
	mulx	16+\ao(\ab), T0, T1		/* a1 a2: 3, 4 */
	adox	T0, %r11
	adox	T1, %r12
	mulx	24+\ao(\ab), T0, %r13		/* a1 a3: 4, 5 */
	adcx	T0, %r12
	mov	16+\ao(\ab), %rdx
	mulx	24+\ao(\ab), T0, %r14		/* a2 a3: 5, 6 */
	adcx	T0, %r13
	adox	%rax, %r13
	adcx	%rax, %r14
	adox	%rax, %r14
	/* double (CF chain) and add the squares (OF chain) */
	xor	%eax, %eax
	mov	0+\ao(\ab), %rdx
	mulx	%rdx, %r8, T1			/* a0^2: 0, 1 */
	adcx	%r9, %r9
	adox	T1, %r9
	mov	8+\ao(\ab), %rdx
	mulx	%rdx, T0, T1			/* a1^2: 2, 3 */
	adcx	%r10, %r10
	adox	T0, %r10
	adcx	%r11, %r11
	adox	T1, %r11
	mov	16+\ao(\ab), %rdx
	mulx	%rdx, T0, T1			/* a2^2: 4, 5 */
	adcx	%r12, %r12
	adox	T0, %r12
	adcx	%r13, %r13
	adox	T1, %r13
	mov	24+\ao(\ab), %rdx
	mulx	%rdx, T0, %r15			/* a3^2: 6, 7 */
	adcx	%r14, %r14
	adox	T0, %r14
	adcx	%rax, %r15
	adox	%rax, %r15
	REDUCE
.endm

/* r8..r11 = 121666 * a, (A + 2) / 4 for the curve's A = 486662 */
.macro MUL121666 ab, ao
	mov	$121666, %edx
	mulx	0+\ao(\ab), %r8, T0
	mulx	8+\ao(\ab), %r9, T1
	add	T0, %r9
	mulx	16+\ao(\ab), %r10, T0
	adc	T1, %r10
	mulx	24+\ao(\ab), %r11, %r12
	adc	T0, %r11
	adc	$0, %r12
	imul	$38, %r12, %r12
	xor	%eax, %eax
	add	%r12, %r8
	adc	%rax, %r9
	adc	%rax, %r10
	adc	%rax, %r11
	sbb	%rax, %rax
	and	$38, %eax
	add	%rax, %r8
.endm

/*
 * Exchange (X2, Z2) and (X3, Z3) where the mask in %rdi is all ones,
 * leave them where it is zero.
 */
.macro CSWAP
.irp i, 0, 8, 16, 24, 32, 40, 48, 56
	mov	X2+\i(%rsp), %r8
	mov	X3+\i(%rsp), %r9
	mov	%r8, %r10
	xor	%r9, %r10
	and	%rdi, %r10
	xor	%r10, %r8
	xor	%r10, %r9
	mov	%r8, X2+\i(%rsp)
	mov	%r9, X3+\i(%rsp)
.endr
.endm

	.text

SYM_FUNC_START(wg_curve25519_ladder_adx)
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$FRAME + 8, %rsp
	mov	%rdi, FRAME(%rsp)

	/* X1 = X3 = u, X2 = 1, Z2 = 0, Z3 = 1; the scalar to the frame */
	LOAD	%rdx, 0, %r8, %r9, %r10, %r11
	STORE	%rsp, X1
	STORE	%rsp, X3
	LOAD	%rsi, 0, %r8, %r9, %r10, %r11
	STORE	%rsp, SCAL
	xor	%eax, %eax
	mov	$1, %ecx
	mov	%rcx, X2(%rsp)
	mov	%rax, X2+8(%rsp)
	mov	%rax, X2+16(%rsp)
	mov	%rax, X2+24(%rsp)
	mov	%rax, Z2(%rsp)
	mov	%rax, Z2+8(%rsp)
	mov	%rax, Z2+16(%rsp)
	mov	%rax, Z2+24(%rsp)
	mov	%rcx, Z3(%rsp)
	mov	%rax, Z3+8(%rsp)
	mov	%rax, Z3+16(%rsp)
	mov	%rax, Z3+24(%rsp)

	mov	$254, %esi		/* bit index, public */
	xor	%edi, %edi		/* the bit of the previous step */
.Lc_ladder:
	mov	%esi, %ecx
	shr	$6, %ecx
	mov	SCAL(%rsp, %rcx, 8), %rax
	shrx	%rsi, %rax, %rax
	and	$1, %eax
	xor	%rax, %rdi
	neg	%rdi			/* all ones when the bit changed */
	mov	%rax, %r15
	CSWAP
	mov	%r15, %rdi

	/* A = X2 + Z2, B = X2 - Z2, C = X3 + Z3, D = X3 - Z3 */
	LOAD	%rsp, X2, %r8, %r9, %r10, %r11
	mov	%r8, %r12
	mov	%r9, %r13
	mov	%r10, %r14
	mov	%r11, %r15
	ADDM	%rsp, Z2, %r8, %r9, %r10, %r11
	STORE	%rsp, VA
	SUBM	%rsp, Z2, %r12, %r13, %r14, %r15
	STORE	%rsp, VB, %r12, %r13, %r14, %r15
	LOAD	%rsp, X3, %r8, %r9, %r10, %r11
	mov	%r8, %r12
	mov	%r9, %r13
	mov	%r10, %r14
	mov	%r11, %r15
	ADDM	%rsp, Z3, %r8, %r9, %r10, %r11
	STORE	%rsp, VC
	SUBM	%rsp, Z3, %r12, %r13, %r14, %r15
	STORE	%rsp, VD, %r12, %r13, %r14, %r15

	SQR	%rsp, VA
	STORE	%rsp, AA
	SQR	%rsp, VB
	STORE	%rsp, BB
	MUL	%rsp, VD, %rsp, VA
	STORE	%rsp, DA
	MUL	%rsp, VC, %rsp, VB
	STORE	%rsp, CB

	/* X3 = (DA + CB)^2, Z3 = X1 (DA - CB)^2 */
	LOAD	%rsp, DA, %r8, %r9, %r10, %r11
	mov	%r8, %r12
	mov	%r9, %r13
	mov	%r10, %r14
	mov	%r11, %r15
	ADDM	%rsp, CB, %r8, %r9, %r10, %r11
	STORE	%rsp, VA
	SUBM	%rsp, CB, %r12, %r13, %r14, %r15
	STORE	%rsp, VB, %r12, %r13, %r14, %r15
	SQR	%rsp, VA
	STORE	%rsp, X3
	SQR	%rsp, VB
	STORE	%rsp, VT
	MUL	%rsp, VT, %rsp, X1
	STORE	%rsp, Z3

	/* X2 = AA BB, E = AA - BB, Z2 = E (BB + 121666 E) */
	MUL	%rsp, AA, %rsp, BB
	STORE	%rsp, X2
	LOAD	%rsp, AA, %r8, %r9, %r10, %r11
	SUBM	%rsp, BB, %r8, %r9, %r10, %r11
	STORE	%rsp, VE
	MUL121666 %rsp, VE
	ADDM	%rsp, BB, %r8, %r9, %r10, %r11
	STORE	%rsp, VT
	MUL	%rsp, VE, %rsp, VT
	STORE	%rsp, Z2

	sub	$1, %esi
	jns	.Lc_ladder

	neg	%rdi
	CSWAP

	mov	FRAME(%rsp), %rsi
	LOAD	%rsp, X2, %r8, %r9, %r10, %r11
	STORE	%rsi, 0
	LOAD	%rsp, Z2, %r8, %r9, %r10, %r11
	STORE	%rsi, 32

	/* wipe the frame: it held the scalar and secret intermediates */
	xor	%eax, %eax
	mov	$FRAME / 8, %ecx
.Lc_wipe:
	mov	%rax, -8(%rsp, %rcx, 8)
	sub	$1, %ecx
	jnz	.Lc_wipe
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	add	$FRAME + 8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	RET
SYM_FUNC_END(wg_curve25519_ladder_adx)

SYM_FUNC_START(wg_curve25519_mul_adx)
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi
	mov	%rdx, %rdi
	MUL	%rsi, 0, %rdi, 0
	pop	%rdi
	STORE	%rdi, 0
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	RET
SYM_FUNC_END(wg_curve25519_mul_adx)

SYM_FUNC_START(wg_curve25519_sqrn_adx)
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdx
	SQR	%rsi, 0
	STORE	%rdi, 0
	subq	$1, (%rsp)
	jz	.Lc_sqrn_done
.Lc_sqrn:
	SQR	%rdi, 0
	STORE	%rdi, 0
	subq	$1, (%rsp)
	jnz	.Lc_sqrn
.Lc_sqrn_done:
	pop	%rdx
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	RET
SYM_FUNC_END(wg_curve25519_sqrn_adx)

/* madd/dbl frame: six temporaries */
#define S0	0
#define S1	32
#define S2	64
#define S3	96
#define S4	128
#define S5	160
#define GFRAME	192
/* p */
#define PX	0
#define PY	32
#define PZ	64
#define PT	96
/* q */
#define QYPX	0
#define QYMX	32
#define QXY2D	64

/* zero the six temporaries: they held secret-dependent values */
.macro GWIPE
	xor	%eax, %eax
.irp i, 0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88
	mov	%rax, \i(%rsp)
	mov	%rax, 96+\i(%rsp)
.endr
.endm

/* r8..r11 -> r12..r15 */
.macro COPY
	mov	%r8, %r12
	mov	%r9, %r13
	mov	%r10, %r14
	mov	%r11, %r15
.endm

SYM_FUNC_START(wg_curve25519_ge_madd_adx)
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$GFRAME, %rsp

	/* S0 = Y + X, S1 = Y - X */
	LOAD	%rdi, PY, %r8, %r9, %r10, %r11
	COPY
	ADDM	%rdi, PX, %r8, %r9, %r10, %r11
	STORE	%rsp, S0
	SUBM	%rdi, PX, %r12, %r13, %r14, %r15
	STORE	%rsp, S1, %r12, %r13, %r14, %r15
	/* A = (Y - X)(y - x) -> S1, B = (Y + X)(y + x) -> S0, C = T 2dxy */
	MUL	%rsp, S1, %rsi, QYMX
	STORE	%rsp, S1
	MUL	%rsp, S0, %rsi, QYPX
	STORE	%rsp, S0
	MUL	%rdi, PT, %rsi, QXY2D
	STORE	%rsp, S2
	/* D = 2Z; G = D + C -> S3, F = D - C -> S2 */
	LOAD	%rdi, PZ, %r8, %r9, %r10, %r11
	ADDM	%rdi, PZ, %r8, %r9, %r10, %r11
	COPY
	ADDM	%rsp, S2, %r8, %r9, %r10, %r11
	STORE	%rsp, S3
	SUBM	%rsp, S2, %r12, %r13, %r14, %r15
	STORE	%rsp, S2, %r12, %r13, %r14, %r15
	/* H = B + A -> S4, E = B - A -> S5 */
	LOAD	%rsp, S0, %r8, %r9, %r10, %r11
	COPY
	ADDM	%rsp, S1, %r8, %r9, %r10, %r11
	STORE	%rsp, S4
	SUBM	%rsp, S1, %r12, %r13, %r14, %r15
	STORE	%rsp, S5, %r12, %r13, %r14, %r15
	/* X = EF, Y = GH, Z = FG, T = EH */
	MUL	%rsp, S5, %rsp, S2
	STORE	%rdi, PX
	MUL	%rsp, S3, %rsp, S4
	STORE	%rdi, PY
	MUL	%rsp, S2, %rsp, S3
	STORE	%rdi, PZ
	MUL	%rsp, S5, %rsp, S4
	STORE	%rdi, PT

	GWIPE
	add	$GFRAME, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	RET
SYM_FUNC_END(wg_curve25519_ge_madd_adx)

SYM_FUNC_START(wg_curve25519_ge_dbl_adx)
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$GFRAME, %rsp

	/* A = X^2 -> S0, B = Y^2 -> S1, C = 2 Z^2 -> S2 */
	SQR	%rdi, PX
	STORE	%rsp, S0
	SQR	%rdi, PY
	STORE	%rsp, S1
	SQR	%rdi, PZ
	STORE	%rsp, S2
	ADDM	%rsp, S2, %r8, %r9, %r10, %r11
	STORE	%rsp, S2
	/* E = (X + Y)^2 - A - B -> S3 */
	LOAD	%rdi, PX, %r8, %r9, %r10, %r11
	ADDM	%rdi, PY, %r8, %r9, %r10, %r11
	STORE	%rsp, S3
	SQR	%rsp, S3
	SUBM	%rsp, S0, %r8, %r9, %r10, %r11
	SUBM	%rsp, S1, %r8, %r9, %r10, %r11
	STORE	%rsp, S3
	/* G = B - A -> S4, F = G - C -> S2, H = -A - B -> S5 */
	LOAD	%rsp, S1, %r8, %r9, %r10, %r11
	SUBM	%rsp, S0, %r8, %r9, %r10, %r11
	STORE	%rsp, S4
	SUBM	%rsp, S2, %r8, %r9, %r10, %r11
	STORE	%rsp, S2
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	SUBM	%rsp, S0, %r8, %r9, %r10, %r11
	SUBM	%rsp, S1, %r8, %r9, %r10, %r11
	STORE	%rsp, S5
	/* X = EF, Y = GH, Z = FG, T = EH */
	MUL	%rsp, S3, %rsp, S2
	STORE	%rdi, PX
	MUL	%rsp, S4, %rsp, S5
	STORE	%rdi, PY
	MUL	%rsp, S2, %rsp, S4
	STORE	%rdi, PZ
	MUL	%rsp, S3, %rsp, S5
	STORE	%rdi, PT

	GWIPE
	add	$GFRAME, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	RET
SYM_FUNC_END(wg_curve25519_ge_dbl_adx)
