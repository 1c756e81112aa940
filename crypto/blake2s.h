/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BLAKE2s (RFC 7693): plain and keyed hashing, and HMAC-BLAKE2s-256 as
 * used by WireGuard's HKDF.
 */
#ifndef WG_CRYPTO_BLAKE2S_H
#define WG_CRYPTO_BLAKE2S_H

#include "compat.h"

#define BLAKE2S_HASH_SIZE	32
#define BLAKE2S_BLOCK_SIZE	64
#define BLAKE2S_KEY_SIZE	32

/*
 * t[] counts message bytes (low, high), f[] holds the finalisation flags.
 * buf keeps up to one whole block back, since only the last block is
 * compressed with the final flag set.
 */
struct wg_blake2s_state {
	u32 h[8];
	u32 t[2];
	u32 f[2];
	u8 buf[BLAKE2S_BLOCK_SIZE];
	unsigned int buflen;
	unsigned int outlen;
};

/* @outlen: 1..BLAKE2S_HASH_SIZE; @keylen: 1..BLAKE2S_KEY_SIZE. */
void wg_blake2s_init(struct wg_blake2s_state *state, size_t outlen);
void wg_blake2s_init_key(struct wg_blake2s_state *state, size_t outlen,
			 const void *key, size_t keylen);
void wg_blake2s_update(struct wg_blake2s_state *state, const u8 *in,
		       size_t inlen);
/* Writes state->outlen bytes and wipes the state. */
void wg_blake2s_final(struct wg_blake2s_state *state, u8 *out);

/* One-shot; @key may be NULL when @keylen is 0. */
void wg_blake2s(u8 *out, const u8 *in, const u8 *key, size_t outlen,
		size_t inlen, size_t keylen);

/*
 * HMAC (RFC 2104) over BLAKE2s-256 with its 64-byte block; writes
 * min(@outlen, BLAKE2S_HASH_SIZE) bytes of the MAC.
 */
void wg_blake2s_hmac(u8 *out, const u8 *in, const u8 *key, size_t outlen,
		     size_t inlen, size_t keylen);

/* The portable compression function (for the tests and the arch code). */
void wg_blake2s_compress_generic(struct wg_blake2s_state *state,
				 const u8 *block, size_t nblocks, u32 inc);

#endif /* WG_CRYPTO_BLAKE2S_H */
