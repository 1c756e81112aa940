// SPDX-License-Identifier: GPL-2.0
/*
 * ChaCha20-Poly1305 and XChaCha20-Poly1305 AEADs, one-shot, streaming and
 * (in the kernel) in place over a scatterlist.
 */
#include "chacha20poly1305.h"

#ifdef __KERNEL__
#include <linux/scatterlist.h>
#endif

static const u8 wg_pad0[16];

static void wg_chacha20poly1305_start(struct wg_chacha20poly1305_ctx *ctx,
				      const u8 *ad, size_t ad_len)
{
	u8 block0[CHACHA20_BLOCK_SIZE];

	/* Block 0 keys Poly1305; the message starts at block 1. */
	wg_chacha20_block_generic(ctx->chacha, block0);
	wg_poly1305_init(&ctx->poly, block0);
	memzero_explicit(block0, sizeof(block0));

	ctx->ks_left = 0;
	ctx->ad_len = ad_len;
	ctx->ct_len = 0;
	wg_poly1305_update(&ctx->poly, ad, ad_len);
	wg_poly1305_update(&ctx->poly, wg_pad0, (16 - ad_len) & 15);
}

void wg_chacha20poly1305_begin(struct wg_chacha20poly1305_ctx *ctx,
			       const u8 key[CHACHA20POLY1305_KEY_SIZE],
			       u64 nonce, const u8 *ad, size_t ad_len)
{
	wg_chacha20_init_u64(ctx->chacha, key, 0, nonce);
	wg_chacha20poly1305_start(ctx, ad, ad_len);
}

void wg_chacha20poly1305_begin_nonce96(struct wg_chacha20poly1305_ctx *ctx,
				       const u8 key[CHACHA20POLY1305_KEY_SIZE],
				       const u8 nonce[CHACHA20_NONCE_SIZE],
				       const u8 *ad, size_t ad_len)
{
	wg_chacha20_init(ctx->chacha, key, 0, nonce);
	wg_chacha20poly1305_start(ctx, ad, ad_len);
}

static void wg_chacha20poly1305_crypt(struct wg_chacha20poly1305_ctx *ctx,
				      u8 *dst, const u8 *src, size_t len)
{
	const u8 *ks;
	size_t n, i;

	if (ctx->ks_left) {
		n = min_t(size_t, len, ctx->ks_left);
		ks = ctx->ks + CHACHA20_BLOCK_SIZE - ctx->ks_left;
		for (i = 0; i < n; i++)
			dst[i] = src[i] ^ ks[i];
		ctx->ks_left -= n;
		dst += n;
		src += n;
		len -= n;
	}
	n = len & ~(size_t)(CHACHA20_BLOCK_SIZE - 1);
	if (n) {
		wg_chacha20(ctx->chacha, dst, src, n);
		dst += n;
		src += n;
		len -= n;
	}
	if (len) {
		wg_chacha20_block_generic(ctx->chacha, ctx->ks);
		for (i = 0; i < len; i++)
			dst[i] = src[i] ^ ctx->ks[i];
		ctx->ks_left = CHACHA20_BLOCK_SIZE - len;
	}
}

void wg_chacha20poly1305_encrypt_update(struct wg_chacha20poly1305_ctx *ctx,
					u8 *dst, const u8 *src, size_t len)
{
	wg_chacha20poly1305_crypt(ctx, dst, src, len);
	wg_poly1305_update(&ctx->poly, dst, len);
	ctx->ct_len += len;
}

void wg_chacha20poly1305_decrypt_update(struct wg_chacha20poly1305_ctx *ctx,
					u8 *dst, const u8 *src, size_t len)
{
	/* MAC the ciphertext before dst (possibly src) is overwritten. */
	wg_poly1305_update(&ctx->poly, src, len);
	wg_chacha20poly1305_crypt(ctx, dst, src, len);
	ctx->ct_len += len;
}

static void wg_chacha20poly1305_tag(struct wg_chacha20poly1305_ctx *ctx,
				    u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE])
{
	u8 lens[16];

	wg_poly1305_update(&ctx->poly, wg_pad0, (16 - ctx->ct_len) & 15);
	wg_put_le64(ctx->ad_len, lens);
	wg_put_le64(ctx->ct_len, lens + 8);
	wg_poly1305_update(&ctx->poly, lens, sizeof(lens));
	wg_poly1305_final(&ctx->poly, tag);
}

void wg_chacha20poly1305_encrypt_final(struct wg_chacha20poly1305_ctx *ctx,
				       u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE])
{
	wg_chacha20poly1305_tag(ctx, tag);
	memzero_explicit(ctx, sizeof(*ctx));
}

bool wg_chacha20poly1305_decrypt_final(struct wg_chacha20poly1305_ctx *ctx,
				       const u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE])
{
	u8 computed[CHACHA20POLY1305_AUTHTAG_SIZE];
	bool ok;

	wg_chacha20poly1305_tag(ctx, computed);
	ok = !wg_memneq(computed, tag, sizeof(computed));
	memzero_explicit(computed, sizeof(computed));
	memzero_explicit(ctx, sizeof(*ctx));
	return ok;
}

void wg_chacha20poly1305_encrypt(u8 *dst, const u8 *src, size_t src_len,
				 const u8 *ad, size_t ad_len, u64 nonce,
				 const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	struct wg_chacha20poly1305_ctx ctx;

	wg_chacha20poly1305_begin(&ctx, key, nonce, ad, ad_len);
	wg_chacha20poly1305_encrypt_update(&ctx, dst, src, src_len);
	wg_chacha20poly1305_encrypt_final(&ctx, dst + src_len);
}

bool wg_chacha20poly1305_decrypt(u8 *dst, const u8 *src, size_t src_len,
				 const u8 *ad, size_t ad_len, u64 nonce,
				 const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	struct wg_chacha20poly1305_ctx ctx;
	u8 computed[CHACHA20POLY1305_AUTHTAG_SIZE];
	size_t len;
	bool ok;

	if (src_len < CHACHA20POLY1305_AUTHTAG_SIZE)
		return false;
	len = src_len - CHACHA20POLY1305_AUTHTAG_SIZE;

	/* Authenticate first, so a forgery never produces plaintext. */
	wg_chacha20poly1305_begin(&ctx, key, nonce, ad, ad_len);
	wg_poly1305_update(&ctx.poly, src, len);
	ctx.ct_len = len;
	wg_chacha20poly1305_tag(&ctx, computed);
	ok = !wg_memneq(computed, src + len, sizeof(computed));
	memzero_explicit(computed, sizeof(computed));
	if (ok)
		wg_chacha20(ctx.chacha, dst, src, len);
	else
		memzero_explicit(dst, len);
	memzero_explicit(&ctx, sizeof(ctx));
	return ok;
}

static void wg_xchacha20poly1305_subkey(u8 subkey[CHACHA20POLY1305_KEY_SIZE],
					const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
					const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	u32 k[8];
	int i;

	wg_hchacha20(k, nonce, key);
	for (i = 0; i < 8; i++)
		wg_put_le32(k[i], subkey + 4 * i);
	memzero_explicit(k, sizeof(k));
}

void wg_xchacha20poly1305_encrypt(u8 *dst, const u8 *src, size_t src_len,
				  const u8 *ad, size_t ad_len,
				  const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
				  const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	u8 subkey[CHACHA20POLY1305_KEY_SIZE];

	wg_xchacha20poly1305_subkey(subkey, nonce, key);
	wg_chacha20poly1305_encrypt(dst, src, src_len, ad, ad_len,
				    wg_get_le64(nonce + 16), subkey);
	memzero_explicit(subkey, sizeof(subkey));
}

bool wg_xchacha20poly1305_decrypt(u8 *dst, const u8 *src, size_t src_len,
				  const u8 *ad, size_t ad_len,
				  const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
				  const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	u8 subkey[CHACHA20POLY1305_KEY_SIZE];
	bool ok;

	wg_xchacha20poly1305_subkey(subkey, nonce, key);
	ok = wg_chacha20poly1305_decrypt(dst, src, src_len, ad, ad_len,
					 wg_get_le64(nonce + 16),
					 subkey);
	memzero_explicit(subkey, sizeof(subkey));
	return ok;
}

#ifdef __KERNEL__
#define WG_SG_FLAGS (SG_MITER_TO_SG | SG_MITER_FROM_SG | SG_MITER_ATOMIC)

bool wg_chacha20poly1305_encrypt_sg_inplace(struct scatterlist *src,
					    size_t src_len, const u8 *ad,
					    size_t ad_len, u64 nonce,
					    const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	struct wg_chacha20poly1305_ctx ctx;
	u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE];
	struct sg_mapping_iter miter;
	size_t left = src_len, tag_done = 0, n;
	bool have_tag = false;

	wg_chacha20poly1305_begin(&ctx, key, nonce, ad, ad_len);
	sg_miter_start(&miter, src, sg_nents(src), WG_SG_FLAGS);
	while (sg_miter_next(&miter)) {
		u8 *p = miter.addr;
		size_t avail = miter.length;

		if (left) {
			n = min(avail, left);
			wg_chacha20poly1305_encrypt_update(&ctx, p, p, n);
			p += n;
			avail -= n;
			left -= n;
			if (left)
				continue;
		}
		if (!have_tag) {
			wg_chacha20poly1305_encrypt_final(&ctx, tag);
			have_tag = true;
		}
		n = min(avail, sizeof(tag) - tag_done);
		memcpy(p, tag + tag_done, n);
		tag_done += n;
		if (tag_done == sizeof(tag))
			break;
	}
	sg_miter_stop(&miter);
	if (!have_tag)
		memzero_explicit(&ctx, sizeof(ctx));
	memzero_explicit(tag, sizeof(tag));
	return tag_done == sizeof(tag);
}

static void wg_sg_wipe(struct scatterlist *sg, size_t len)
{
	struct sg_mapping_iter miter;
	size_t n;

	sg_miter_start(&miter, sg, sg_nents(sg), WG_SG_FLAGS);
	while (len && sg_miter_next(&miter)) {
		n = min(miter.length, len);
		memzero_explicit(miter.addr, n);
		len -= n;
	}
	sg_miter_stop(&miter);
}

bool wg_chacha20poly1305_decrypt_sg_inplace(struct scatterlist *src,
					    size_t src_len, const u8 *ad,
					    size_t ad_len, u64 nonce,
					    const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	struct wg_chacha20poly1305_ctx ctx;
	u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE] = { 0 };
	struct sg_mapping_iter miter;
	size_t len, left, tag_done = 0, n;
	bool ok;

	if (src_len < CHACHA20POLY1305_AUTHTAG_SIZE)
		return false;
	len = src_len - CHACHA20POLY1305_AUTHTAG_SIZE;
	left = len;

	wg_chacha20poly1305_begin(&ctx, key, nonce, ad, ad_len);
	sg_miter_start(&miter, src, sg_nents(src), WG_SG_FLAGS);
	while (sg_miter_next(&miter)) {
		u8 *p = miter.addr;
		size_t avail = miter.length;

		if (left) {
			n = min(avail, left);
			wg_chacha20poly1305_decrypt_update(&ctx, p, p, n);
			p += n;
			avail -= n;
			left -= n;
			if (left)
				continue;
		}
		n = min(avail, sizeof(tag) - tag_done);
		memcpy(tag + tag_done, p, n);
		tag_done += n;
		if (tag_done == sizeof(tag))
			break;
	}
	sg_miter_stop(&miter);

	ok = wg_chacha20poly1305_decrypt_final(&ctx, tag) &&
	     tag_done == sizeof(tag);
	if (!ok)
		wg_sg_wipe(src, len - left);
	memzero_explicit(tag, sizeof(tag));
	return ok;
}
#endif
