/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ChaCha20 (RFC 8439) and HChaCha20.
 */
#ifndef WG_CRYPTO_CHACHA20_H
#define WG_CRYPTO_CHACHA20_H

#include "compat.h"

#define CHACHA20_KEY_SIZE	32
#define CHACHA20_BLOCK_SIZE	64
#define CHACHA20_NONCE_SIZE	12
#define HCHACHA20_NONCE_SIZE	16

/*
 * Set up the 16-word state: constants, key, 32-bit block counter and the
 * 96-bit nonce.
 */
void wg_chacha20_init(u32 state[16], const u8 key[CHACHA20_KEY_SIZE],
		      u32 counter, const u8 nonce[CHACHA20_NONCE_SIZE]);

/*
 * As above with WireGuard's nonce form: four zero bytes, then the 64-bit
 * little-endian @nonce.
 */
void wg_chacha20_init_u64(u32 state[16], const u8 key[CHACHA20_KEY_SIZE],
			  u32 counter, u64 nonce);

/*
 * XOR @len bytes of keystream into @dst from @src (which may be equal),
 * starting at the block counter in state[12]; the counter advances by the
 * number of blocks started, so a call with a partial last block must be the
 * final one for that state.
 */
void wg_chacha20(u32 state[16], u8 *dst, const u8 *src, size_t len);

/* The portable code alone, for the tests and the arch fallback. */
void wg_chacha20_generic(u32 state[16], u8 *dst, const u8 *src, size_t len);

/* One 64-byte keystream block; advances state[12]. */
void wg_chacha20_block_generic(u32 state[16], u8 out[CHACHA20_BLOCK_SIZE]);

void wg_hchacha20(u32 derived_key[8], const u8 nonce[HCHACHA20_NONCE_SIZE],
		  const u8 key[CHACHA20_KEY_SIZE]);

#endif /* WG_CRYPTO_CHACHA20_H */
