/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Poly1305 one-time authenticator (RFC 8439 section 2.5).
 */
#ifndef WG_CRYPTO_POLY1305_H
#define WG_CRYPTO_POLY1305_H

#include "compat.h"

#define POLY1305_KEY_SIZE	32
#define POLY1305_MAC_SIZE	16
#define POLY1305_BLOCK_SIZE	16

#define WG_POLY1305_IMPL_GENERIC	0x6e6e

/*
 * state belongs to the implementation recorded in impl: 0 means no block has
 * been absorbed yet, WG_POLY1305_IMPL_GENERIC is the portable code
 * (accumulator in three 44/44/42-bit limbs, followed by r in the same radix),
 * anything else is an arch implementation that owns all of opaque[] for the
 * rest of the message.  The owner is recorded rather than inferred from the
 * accumulator so that choosing one never branches on secret state.  r[] is
 * the clamped r and s[] the pad, both as little-endian words.
 */
struct wg_poly1305_ctx {
	union {
		u8 opaque[24 * 8];
		u64 h[3];
		struct {
			u64 h[3];
			u64 r[3];
		} gen;
	} state;
	u32 r[4];
	u32 s[4];
	u8 buf[POLY1305_BLOCK_SIZE];
	unsigned int buflen;
	unsigned int impl;
};

void wg_poly1305_init(struct wg_poly1305_ctx *ctx,
		      const u8 key[POLY1305_KEY_SIZE]);
void wg_poly1305_update(struct wg_poly1305_ctx *ctx, const u8 *in, size_t len);
void wg_poly1305_final(struct wg_poly1305_ctx *ctx, u8 mac[POLY1305_MAC_SIZE]);

/* One-shot convenience. */
void wg_poly1305(u8 mac[POLY1305_MAC_SIZE], const u8 *in, size_t len,
		 const u8 key[POLY1305_KEY_SIZE]);

#endif /* WG_CRYPTO_POLY1305_H */
