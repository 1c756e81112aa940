/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 X25519 with BMI2 + ADX (curve25519-x86_64.S), included by
 * crypto/curve25519.c.  The assembly runs the ladder; the inversion and
 * the final reduction are in curve25519-fe-glue.h.  Only general-purpose
 * registers are used, so there is no FPU section.
 */
#ifndef WG_X86_CURVE25519_GLUE_H
#define WG_X86_CURVE25519_GLUE_H

#include "../cpu.h"
#include "curve25519-fe-glue.h"

void wg_curve25519_ladder_adx(u64 xz[8], const u8 scalar[32],
			      const u64 x1[4]);

static bool wg_curve25519_arch(u8 out[32], const u8 scalar[32],
			       const u8 point[32])
{
	u64 x1[4], xz[8], zi[4];
	int i;

	if (!(wg_cpu_features & WG_CPU_BMI2_ADX))
		return false;
	for (i = 0; i < 4; i++)
		x1[i] = wg_get_le64(point + 8 * i);
	x1[3] &= 0x7fffffffffffffffULL;	/* RFC 7748: ignore bit 255 */

	wg_curve25519_ladder_adx(xz, scalar, x1);
	wg_curve25519_invert_adx(zi, xz + 4);
	wg_curve25519_mul_adx(xz, xz, zi);
	wg_curve25519_tobytes_adx(out, xz);

	memzero_explicit(xz, sizeof(xz));
	memzero_explicit(zi, sizeof(zi));
	return true;
}

#endif
