/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) with WireGuard's 64-bit nonce,
 * and XChaCha20-Poly1305 (24-byte nonce through HChaCha20).
 */
#ifndef WG_CRYPTO_CHACHA20POLY1305_H
#define WG_CRYPTO_CHACHA20POLY1305_H

#include "compat.h"
#include "chacha20.h"
#include "poly1305.h"

#define CHACHA20POLY1305_KEY_SIZE	32
#define CHACHA20POLY1305_AUTHTAG_SIZE	16
#define XCHACHA20POLY1305_NONCE_SIZE	24

/*
 * The 64-bit @nonce is the RFC 8439 96-bit nonce whose first four bytes are
 * zero and whose last eight are @nonce in little-endian order.
 */

/* @dst receives @src_len + CHACHA20POLY1305_AUTHTAG_SIZE bytes. */
void wg_chacha20poly1305_encrypt(u8 *dst, const u8 *src, size_t src_len,
				 const u8 *ad, size_t ad_len, u64 nonce,
				 const u8 key[CHACHA20POLY1305_KEY_SIZE]);

/*
 * @src_len includes the tag.  Returns false on a forgery (or a message
 * shorter than a tag); @dst then holds zeros, never unauthenticated
 * plaintext.
 */
bool __must_check
wg_chacha20poly1305_decrypt(u8 *dst, const u8 *src, size_t src_len,
			    const u8 *ad, size_t ad_len, u64 nonce,
			    const u8 key[CHACHA20POLY1305_KEY_SIZE]);

void wg_xchacha20poly1305_encrypt(u8 *dst, const u8 *src, size_t src_len,
				  const u8 *ad, size_t ad_len,
				  const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
				  const u8 key[CHACHA20POLY1305_KEY_SIZE]);

bool __must_check
wg_xchacha20poly1305_decrypt(u8 *dst, const u8 *src, size_t src_len,
			     const u8 *ad, size_t ad_len,
			     const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
			     const u8 key[CHACHA20POLY1305_KEY_SIZE]);

/*
 * Streaming form for data in several pieces: begin, any number of updates
 * of any length (dst may equal src), then final.  A context is used for
 * one direction only.
 */
struct wg_chacha20poly1305_ctx {
	u32 chacha[16];
	struct wg_poly1305_ctx poly;
	u8 ks[CHACHA20_BLOCK_SIZE];	/* keystream of a partly used block */
	unsigned int ks_left;		/* its unused bytes, at the end */
	u64 ad_len;
	u64 ct_len;
};

void wg_chacha20poly1305_begin(struct wg_chacha20poly1305_ctx *ctx,
			       const u8 key[CHACHA20POLY1305_KEY_SIZE],
			       u64 nonce, const u8 *ad, size_t ad_len);
/* As begin, with a full RFC 8439 96-bit nonce (for the RFC vectors). */
void wg_chacha20poly1305_begin_nonce96(struct wg_chacha20poly1305_ctx *ctx,
				       const u8 key[CHACHA20POLY1305_KEY_SIZE],
				       const u8 nonce[CHACHA20_NONCE_SIZE],
				       const u8 *ad, size_t ad_len);
void wg_chacha20poly1305_encrypt_update(struct wg_chacha20poly1305_ctx *ctx,
					u8 *dst, const u8 *src, size_t len);
void wg_chacha20poly1305_encrypt_final(struct wg_chacha20poly1305_ctx *ctx,
				       u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE]);
void wg_chacha20poly1305_decrypt_update(struct wg_chacha20poly1305_ctx *ctx,
					u8 *dst, const u8 *src, size_t len);
/* Constant-time tag check; wipes the context. */
bool __must_check
wg_chacha20poly1305_decrypt_final(struct wg_chacha20poly1305_ctx *ctx,
				  const u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE]);

#ifdef __KERNEL__
struct scatterlist;

/*
 * Encrypt the first @src_len bytes of @src in place and store the tag in
 * the CHACHA20POLY1305_AUTHTAG_SIZE bytes that follow them.  False when
 * the list is too short.
 */
bool wg_chacha20poly1305_encrypt_sg_inplace(struct scatterlist *src,
					    size_t src_len, const u8 *ad,
					    size_t ad_len, u64 nonce,
					    const u8 key[CHACHA20POLY1305_KEY_SIZE]);

/*
 * @src_len includes the tag.  On failure the would-be plaintext is wiped
 * and false is returned.
 */
bool __must_check
wg_chacha20poly1305_decrypt_sg_inplace(struct scatterlist *src,
				       size_t src_len, const u8 *ad,
				       size_t ad_len, u64 nonce,
				       const u8 key[CHACHA20POLY1305_KEY_SIZE]);
#endif

#endif /* WG_CRYPTO_CHACHA20POLY1305_H */
