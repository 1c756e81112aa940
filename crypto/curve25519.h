/* SPDX-License-Identifier: GPL-2.0 */
/*
 * X25519 Diffie-Hellman (RFC 7748).
 */
#ifndef WG_CRYPTO_CURVE25519_H
#define WG_CRYPTO_CURVE25519_H

#include "compat.h"

#define CURVE25519_KEY_SIZE	32

/*
 * out = clamp(secret) * basepoint.  Returns false when the result is all
 * zeros (a low-order point), which the caller must treat as a failure.
 */
bool __must_check wg_curve25519(u8 out[CURVE25519_KEY_SIZE],
				const u8 secret[CURVE25519_KEY_SIZE],
				const u8 basepoint[CURVE25519_KEY_SIZE]);

void wg_curve25519_clamp_secret(u8 secret[CURVE25519_KEY_SIZE]);

bool __must_check
wg_curve25519_generate_public(u8 pub[CURVE25519_KEY_SIZE],
			      const u8 secret[CURVE25519_KEY_SIZE]);

/* The portable ladder alone; @scalar is used as given (no clamping). */
void wg_curve25519_generic(u8 out[CURVE25519_KEY_SIZE],
			   const u8 scalar[CURVE25519_KEY_SIZE],
			   const u8 point[CURVE25519_KEY_SIZE]);

/*
 * out = scalar * 9 with the fixed-base table (curve25519-base.c), the
 * scalar used as given (bit 255 ignored, no clamping): the same result
 * as the ladder on the base point, about three times faster.
 * wg_curve25519_generate_public() clamps and uses it.
 */
void wg_curve25519_base(u8 out[CURVE25519_KEY_SIZE],
			const u8 scalar[CURVE25519_KEY_SIZE]);

/* The portable fixed-base code alone. */
void wg_curve25519_base_generic(u8 out[CURVE25519_KEY_SIZE],
				const u8 scalar[CURVE25519_KEY_SIZE]);

#endif /* WG_CRYPTO_CURVE25519_H */
