// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests against libsodium and OpenSSL: random keys, nonces,
 * lengths 0..9000, misaligned buffers, random splits through the streaming
 * interfaces.  Usage: diff PRIMITIVE COUNT, PRIMITIVE one of chacha20,
 * poly1305, aead, xaead, blake2s, curve25519, curve25519-base.  Prints
 * one TAP line.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <sodium.h>

#include "common.h"
#include "chacha20.h"
#include "poly1305.h"
#include "chacha20poly1305.h"
#include "blake2s.h"
#include "curve25519.h"

#define MAXLEN 9000
#define SLACK 64

static u8 *in_buf, *out_buf, *ref_buf, *tmp_buf;
static unsigned long failures;

static void fail(const char *what, unsigned long i, size_t len)
{
	if (failures++ < 10)
		diag("mismatch: %s, case %lu, length %zu", what, i, len);
}

/* Half the cases up to MAXLEN, half short (packets, handshakes). */
static size_t rand_len(void)
{
	switch (rng_below(4)) {
	case 0:
		return rng_below(MAXLEN + 1);
	case 1:
		return rng_below(1501);
	case 2:
		return rng_below(257);
	default:
		return rng_below(65);
	}
}

static u8 *misalign(u8 *base)
{
	return base + rng_below(16);
}

static void oracle_evp_seal(u8 *out, const u8 *in, size_t len, const u8 *ad,
			    size_t adlen, const u8 nonce[12], const u8 key[32])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n;

	EVP_EncryptInit_ex(c, EVP_chacha20_poly1305(), NULL, key, nonce);
	if (adlen)
		EVP_EncryptUpdate(c, NULL, &n, ad, adlen);
	if (len)
		EVP_EncryptUpdate(c, out, &n, in, len);
	EVP_EncryptFinal_ex(c, out + len, &n);
	EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out + len);
	EVP_CIPHER_CTX_free(c);
}

static void test_chacha20(unsigned long count)
{
	u8 key[32], nonce[12];
	u32 state[16];
	unsigned long i;

	for (i = 0; i < count; i++) {
		size_t len = rand_len(), done, n;
		u32 ctr = rng_below(2) ? rng_below(1000) : 0xffff0000U;
		u8 *src = misalign(in_buf), *dst = misalign(out_buf);

		rng_bytes(key, 32);
		rng_bytes(nonce, 12);
		rng_bytes(src, len);
		crypto_stream_chacha20_ietf_xor_ic(ref_buf, src, len, nonce,
						   ctr, key);
		if (rng_below(4) == 0) {	/* in place */
			memcpy(dst, src, len);
			src = dst;
		}
		wg_chacha20_init(state, key, ctr, nonce);
		/* whole blocks in random runs, then the rest */
		for (done = 0; done < len; done += n) {
			n = len - done;
			if (rng_below(2))
				n = min_t(size_t, n, 64 * rng_below(40));
			wg_chacha20(state, dst + done, src + done, n);
		}
		if (memcmp(dst, ref_buf, len) ||
		    state[12] != ctr + (u32)((len + 63) / 64))
			fail("chacha20 vs libsodium", i, len);
	}
	tap(!failures, "ChaCha20 vs libsodium: %lu random cases [%s]", count,
	    impl_label());
}

static void test_poly1305(unsigned long count)
{
	struct wg_poly1305_ctx ctx;
	u8 key[32], mac[16], ref[16];
	unsigned long i;

	for (i = 0; i < count; i++) {
		size_t len = rand_len(), done, n;
		u8 *src = misalign(in_buf);

		rng_bytes(key, 32);
		if (rng_below(8) == 0)	/* extremes of the accumulator */
			memset(src, 0xff, len);
		else
			rng_bytes(src, len);
		if (rng_below(8) == 0)
			memset(key, 0xff, 32);
		crypto_onetimeauth_poly1305(ref, src, len, key);
		wg_poly1305_init(&ctx, key);
		for (done = 0; done < len; done += n) {
			n = min_t(size_t, len - done, rng_below(2) ?
				  rng_below(40) : rng_below(3000));
			wg_poly1305_update(&ctx, src + done, n);
		}
		wg_poly1305_final(&ctx, mac);
		if (memcmp(mac, ref, 16))
			fail("poly1305 vs libsodium", i, len);
	}
	tap(!failures, "Poly1305 vs libsodium: %lu random cases, random splits [%s]",
	    count, impl_label());
}

static void test_aead(unsigned long count)
{
	struct wg_chacha20poly1305_ctx ctx;
	u8 key[32], nonce12[12] = { 0 }, ad[300];
	unsigned long long clen;
	unsigned long i;
	u64 nonce;

	for (i = 0; i < count; i++) {
		size_t len = rand_len(), adlen, done, n;
		u8 *src = misalign(in_buf), *dst = misalign(out_buf);

		adlen = rng_below(3) ? rng_below(33) : rng_below(sizeof(ad));
		rng_bytes(key, 32);
		rng_bytes(ad, adlen);
		nonce = rng64();
		wg_put_le64(nonce, nonce12 + 4);
		rng_bytes(src, len);

		/* one-shot encryption, against both oracles */
		crypto_aead_chacha20poly1305_ietf_encrypt(ref_buf, &clen, src,
			len, ad, adlen, NULL, nonce12, key);
		wg_chacha20poly1305_encrypt(dst, src, len, ad, adlen, nonce,
					    key);
		if (memcmp(dst, ref_buf, len + 16))
			fail("aead encrypt vs libsodium", i, len);
		if (i % 4 == 0) {
			oracle_evp_seal(tmp_buf, src, len, ad, adlen, nonce12,
					key);
			if (memcmp(tmp_buf, ref_buf, len + 16))
				fail("aead encrypt vs OpenSSL", i, len);
		}

		/* one-shot decryption of the oracle's output, in place */
		memcpy(dst, ref_buf, len + 16);
		if (!wg_chacha20poly1305_decrypt(dst, dst, len + 16, ad,
						 adlen, nonce, key) ||
		    memcmp(dst, src, len))
			fail("aead decrypt", i, len);

		/* streaming encryption in random segments */
		wg_chacha20poly1305_begin(&ctx, key, nonce, ad, adlen);
		for (done = 0; done < len; done += n) {
			n = min_t(size_t, len - done, rng_below(2) ?
				  rng_below(80) : rng_below(2000));
			wg_chacha20poly1305_encrypt_update(&ctx, dst + done,
							   src + done, n);
		}
		wg_chacha20poly1305_encrypt_final(&ctx, dst + len);
		if (memcmp(dst, ref_buf, len + 16))
			fail("aead streaming encrypt", i, len);

		/* streaming decryption in place, in random segments */
		wg_chacha20poly1305_begin(&ctx, key, nonce, ad, adlen);
		for (done = 0; done < len; done += n) {
			n = min_t(size_t, len - done, rng_below(2) ?
				  rng_below(80) : rng_below(2000));
			wg_chacha20poly1305_decrypt_update(&ctx, dst + done,
							   dst + done, n);
		}
		if (!wg_chacha20poly1305_decrypt_final(&ctx, dst + len) ||
		    memcmp(dst, src, len))
			fail("aead streaming decrypt", i, len);

		/* a corrupted message is refused and leaves zeros */
		if (len + adlen && rng_below(8) == 0) {
			size_t at = rng_below(len + 16);

			memcpy(dst, ref_buf, len + 16);
			dst[at] ^= 1 << rng_below(8);
			if (wg_chacha20poly1305_decrypt(tmp_buf, dst, len + 16,
							ad, adlen, nonce, key) ||
			    !sodium_is_zero(tmp_buf, len))
				fail("aead forgery", i, len);
		}
	}
	tap(!failures, "ChaCha20-Poly1305 vs libsodium and OpenSSL: %lu random cases, streaming splits [%s]",
	    count, impl_label());
}

static void test_xaead(unsigned long count)
{
	u8 key[32], nonce[24], ad[64];
	unsigned long long clen;
	unsigned long i;

	for (i = 0; i < count; i++) {
		size_t len = rand_len(), adlen = rng_below(sizeof(ad));
		u8 *src = misalign(in_buf), *dst = misalign(out_buf);

		rng_bytes(key, 32);
		rng_bytes(nonce, 24);
		rng_bytes(ad, adlen);
		rng_bytes(src, len);
		crypto_aead_xchacha20poly1305_ietf_encrypt(ref_buf, &clen, src,
			len, ad, adlen, NULL, nonce, key);
		wg_xchacha20poly1305_encrypt(dst, src, len, ad, adlen, nonce,
					     key);
		if (memcmp(dst, ref_buf, len + 16))
			fail("xaead encrypt vs libsodium", i, len);
		if (!wg_xchacha20poly1305_decrypt(tmp_buf, ref_buf, len + 16,
						  ad, adlen, nonce, key) ||
		    memcmp(tmp_buf, src, len))
			fail("xaead decrypt", i, len);
	}
	tap(!failures, "XChaCha20-Poly1305 vs libsodium: %lu random cases [%s]",
	    count, impl_label());
}

static void test_blake2s(unsigned long count)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "BLAKE2SMAC", NULL);
	struct wg_blake2s_state st;
	u8 key[64], out[32], ref[32];
	unsigned long i;
	unsigned int rl;

	for (i = 0; i < count; i++) {
		size_t len = rand_len(), done, n, keylen, outlen;
		u8 *src = misalign(in_buf);
		int mode = rng_below(4);

		rng_bytes(src, len);
		keylen = mode == 0 ? 0 : 1 + rng_below(32);
		outlen = rng_below(2) ? 32 : 1 + rng_below(32);
		rng_bytes(key, sizeof(key));

		if (mode == 3) {	/* HMAC, every key length up to 64 */
			keylen = rng_below(65);
			wg_blake2s_hmac(out, src, key, 32, len, keylen);
			HMAC(EVP_blake2s256(), key, keylen, src, len, ref, &rl);
			outlen = 32;
		} else {
			if (keylen || outlen != 32) {
				EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac);
				OSSL_PARAM p[2];
				size_t ml;

				p[0] = OSSL_PARAM_construct_size_t("size",
								   &outlen);
				p[1] = OSSL_PARAM_construct_end();
				/* OpenSSL's MAC wants a key: unkeyed via digest */
				if (keylen) {
					EVP_MAC_init(c, key, keylen, p);
					EVP_MAC_update(c, src, len);
					EVP_MAC_final(c, ref, &ml, 32);
				} else {
					keylen = 1 + rng_below(32);
					EVP_MAC_init(c, key, keylen, p);
					EVP_MAC_update(c, src, len);
					EVP_MAC_final(c, ref, &ml, 32);
				}
				EVP_MAC_CTX_free(c);
			} else {
				EVP_Digest(src, len, ref, &rl,
					   EVP_blake2s256(), NULL);
			}
			if (keylen)
				wg_blake2s_init_key(&st, outlen, key, keylen);
			else
				wg_blake2s_init(&st, outlen);
			for (done = 0; done < len; done += n) {
				n = min_t(size_t, len - done, rng_below(2) ?
					  rng_below(130) : rng_below(3000));
				wg_blake2s_update(&st, src + done, n);
			}
			wg_blake2s_final(&st, out);
		}
		if (memcmp(out, ref, outlen))
			fail("blake2s vs OpenSSL", i, len);
	}
	EVP_MAC_free(mac);
	tap(!failures, "BLAKE2s (keyed, unkeyed, all output lengths, HMAC) vs OpenSSL: %lu random cases, random splits [%s]",
	    count, impl_label());
}

static int oracle_evp_x25519(u8 out[32], const u8 s[32], const u8 p[32])
{
	EVP_PKEY *priv, *peer;
	EVP_PKEY_CTX *c;
	size_t len = 32;
	int ok;

	priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, s, 32);
	peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, p, 32);
	c = EVP_PKEY_CTX_new(priv, NULL);
	ok = EVP_PKEY_derive_init(c) > 0 && EVP_PKEY_derive_set_peer(c, peer) > 0 &&
	     EVP_PKEY_derive(c, out, &len) > 0;
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(priv);
	EVP_PKEY_free(peer);
	return ok;
}

static void test_curve25519(unsigned long count)
{
	u8 s[32], p[32], out[32], ref[32], clamped[32];
	unsigned long i;

	for (i = 0; i < count; i++) {
		bool ok, base = false;
		int rok;

		rng_bytes(s, 32);
		rng_bytes(p, 32);
		switch (rng_below(16)) {
		case 0:		/* non-canonical u: p .. 2^255-1, top bit */
			memset(p, 0xff, 32);
			p[0] = 0xed + rng_below(0x13);
			p[31] = 0x7f | (rng_below(2) << 7);
			break;
		case 1:		/* random u with the top bit set */
			p[31] |= 0x80;
			break;
		case 2:		/* the base point: public key derivation */
			memset(p, 0, 32);
			p[0] = 9;
			base = true;
			break;
		}
		ok = wg_curve25519(out, s, p);
		if (i % 4 == 0) {
			rok = oracle_evp_x25519(ref, s, p);
		} else {
			rok = crypto_scalarmult(ref, s, p) == 0;
		}
		if (ok != rok || (ok && memcmp(out, ref, 32)))
			fail("curve25519", i, 32);
		if (base) {
			/* clamping is idempotent, and done inside anyway */
			memcpy(clamped, s, 32);
			wg_curve25519_clamp_secret(clamped);
			if (!wg_curve25519_generate_public(ref, clamped) ||
			    memcmp(ref, out, 32))
				fail("curve25519 generate_public", i, 32);
		}
	}
	tap(!failures, "Curve25519 vs libsodium and OpenSSL: %lu random cases [%s]",
	    count, impl_label());
}

/* the order of the base point, 2^252 + 27742317777372353535851937790883648493 */
static const u8 ell[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
	0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	[31] = 0x10,
};

/* r = a * k + add (mod 2^256), little-endian */
static void scalar_mul_add(u8 r[32], const u8 a[32], unsigned int k, int add)
{
	int carry = add, i;

	for (i = 0; i < 32; i++) {
		int v = a[i] * k + carry;

		r[i] = (u8)v;
		carry = v >> 8;
	}
}

/*
 * Edge scalars first: 0, small values, multiples of the order and their
 * neighbours (0 is the right answer for k * order), the clamping bounds,
 * all ones (bit 255 ignored), digit patterns that carry through every
 * signed radix-16 digit, and every single bit.
 */
static int base_edge_scalar(unsigned long i, u8 s[32])
{
	static const u8 fills[] = { 0x00, 0xff, 0x88, 0x77, 0x80, 0x08, 0xf8,
				    0x8f, 0x7f, 0x11 };
	unsigned long n = i;

	memset(s, 0, 32);
	if (n < 16) {			/* 0..15 */
		s[0] = n;
		return 1;
	}
	n -= 16;
	if (n < 3 * 7) {		/* k * order - 1, + 0, + 1 for k = 1..7 */
		scalar_mul_add(s, ell, n / 3 + 1, 0);
		if (n % 3 == 0) {
			int j = 0;

			while (s[j] == 0)
				s[j++] = 0xff;
			s[j]--;
		} else if (n % 3 == 2) {
			scalar_mul_add(s, s, 1, 1);
		}
		return 1;
	}
	n -= 3 * 7;
	if (n < 4) {			/* clamping bounds */
		if (n & 1)
			memset(s, 0xff, 32);
		s[0] &= 248;
		s[31] = (s[31] & 127) | 64;
		if (n & 2)
			s[31] |= 128;
		return 1;
	}
	n -= 4;
	if (n < ARRAY_SIZE(fills) * 2) {	/* patterns, bit 255 both ways */
		memset(s, fills[n / 2], 32);
		s[31] = (s[31] & 127) | ((n & 1) << 7);
		return 1;
	}
	n -= ARRAY_SIZE(fills) * 2;
	if (n < 256) {			/* single bits */
		s[n / 8] = 1 << (n % 8);
		return 1;
	}
	return 0;
}

/*
 * out (unclamped s times 9) against libsodium's Edwards base point
 * multiplication, mapped to u; libsodium refuses 0 (mod order), for which
 * out must be 0.
 */
static void check_base_ed25519(unsigned long i, const u8 s[32],
			       const u8 out[32])
{
	u8 ed[32], ref[32];

	if (crypto_scalarmult_ed25519_base_noclamp(ed, s) == 0) {
		if (crypto_sign_ed25519_pk_to_curve25519(ref, ed) ||
		    memcmp(out, ref, 32))
			fail("curve25519 base vs libsodium ed25519", i, 32);
	} else if (!sodium_is_zero(out, 32)) {
		fail("curve25519 base: not zero for 0 (mod order)", i, 32);
	}
}

/*
 * The fixed base against the portable ladder on u = 9 and libsodium's
 * Edwards base multiplication mapped to u (both without clamping), and
 * with clamping against libsodium's crypto_scalarmult_base and OpenSSL.
 */
static void test_curve25519_base(unsigned long count)
{
	static const u8 nine[32] = { 9 };
	u8 s[32], out[32], gen[32], ladder[32], ref[32];
	unsigned long i, edges = 0, zeros = 0;

	for (i = 0; i < count + edges; i++) {
		bool ok, edge = base_edge_scalar(i, s);

		if (edge)
			edges++;
		else
			rng_bytes(s, 32);

		wg_curve25519_base(out, s);
		wg_curve25519_base_generic(gen, s);
		wg_curve25519_generic(ladder, s, nine);
		if (memcmp(out, ladder, 32) || memcmp(gen, ladder, 32))
			fail("curve25519 base vs ladder", i, 32);
		/* (the conversion checks the subgroup: slow, so 1 in 4) */
		if (edge || i % 4 == 0)
			check_base_ed25519(i, s, out);
		zeros += sodium_is_zero(ladder, 32);

		ok = wg_curve25519_generate_public(out, s);
		if (crypto_scalarmult_base(ref, s) || !ok || memcmp(out, ref, 32))
			fail("curve25519 generate_public vs libsodium", i, 32);
		if (i % 8 == 0 && (!oracle_evp_x25519(ref, s, nine) ||
				   memcmp(out, ref, 32)))
			fail("curve25519 generate_public vs OpenSSL", i, 32);
	}
	tap(!failures, "Curve25519 fixed base vs ladder, libsodium and OpenSSL: %lu random and %lu edge scalars (%lu with result 0) [%s]",
	    count, edges, zeros, impl_label());
}

int main(int argc, char **argv)
{
	unsigned long count;
	const char *prim;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PRIMITIVE COUNT\n", argv[0]);
		return 2;
	}
	if (sodium_init() < 0)
		return 2;
	crypto_test_init();
	rng_seed_from_env();
	prim = argv[1];
	count = strtoul(argv[2], NULL, 0);

	in_buf = malloc(MAXLEN + SLACK);
	out_buf = malloc(MAXLEN + SLACK);
	ref_buf = malloc(MAXLEN + SLACK);
	tmp_buf = malloc(MAXLEN + SLACK);

	if (!strcmp(prim, "chacha20"))
		test_chacha20(count);
	else if (!strcmp(prim, "poly1305"))
		test_poly1305(count);
	else if (!strcmp(prim, "aead"))
		test_aead(count);
	else if (!strcmp(prim, "xaead"))
		test_xaead(count);
	else if (!strcmp(prim, "blake2s"))
		test_blake2s(count);
	else if (!strcmp(prim, "curve25519"))
		test_curve25519(count);
	else if (!strcmp(prim, "curve25519-base"))
		test_curve25519_base(count);
	else
		return 2;
	return tap_failed;
}
