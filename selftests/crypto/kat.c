// SPDX-License-Identifier: GPL-2.0
/*
 * Known answers and forgery rejection under the current implementation
 * (WG_CRYPTO_DISABLE picks it).  Prints TAP result lines without numbers.
 *
 *   kat --features   print the features this CPU has (for the .t driver)
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <sodium.h>

#include "common.h"
#include "selftest.h"
#include "chacha20poly1305.h"
#include "blake2s.h"
#include "poly1305.h"
#include "curve25519.h"

static void test_selftest(void)
{
	/* The in-module vectors, at this implementation level. */
	tap(wg_crypto_selftest_impl(impl_label()),
	    "in-module known-answer vectors [%s]", impl_label());
}

static void test_x25519_iterated(void)
{
	/* RFC 7748 section 5.2 */
	static const char *want1000 =
		"684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51";
	static const char *want1m =
		"7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424";
	u8 k[32] = { 9 }, u[32] = { 9 }, out[32], want[32];
	unsigned long i, n = slow_tests() ? 1000000 : 1000;
	int ok = 1;

	for (i = 1; i <= n; i++) {
		ok &= wg_curve25519(out, k, u);
		memcpy(u, k, 32);
		memcpy(k, out, 32);
		if (i == 1000) {
			sodium_hex2bin(want, 32, want1000, 64, NULL, NULL, NULL);
			tap(ok && !memcmp(k, want, 32),
			    "RFC 7748 X25519 ladder, 1,000 iterations [%s]",
			    impl_label());
		}
	}
	if (n == 1000000) {
		sodium_hex2bin(want, 32, want1m, 64, NULL, NULL, NULL);
		tap(ok && !memcmp(k, want, 32),
		    "RFC 7748 X25519 ladder, 1,000,000 iterations [%s]",
		    impl_label());
	} else {
		tap_skip("set WG_SLOW_TESTS=1",
			 "RFC 7748 X25519 ladder, 1,000,000 iterations [%s]",
			 impl_label());
	}
}

static void test_x25519_low_order(void)
{
	/*
	 * Points of small order (and their non-canonical encodings): the
	 * shared secret is zero and must be refused.  libsodium's verdict on
	 * the same list keeps the list honest.
	 */
	static const char *pts[] = {
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
		"0000000000000000000000000000000000000000000000000000000000000080",
		"0100000000000000000000000000000000000000000000000000000000000080",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	};
	u8 p[32], s[32], out[32], ref[32];
	size_t i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(pts); i++) {
		sodium_hex2bin(p, 32, pts[i], 64, NULL, NULL, NULL);
		randombytes_buf(s, 32);
		memset(out, 0x55, 32);
		if (wg_curve25519(out, s, p) || !sodium_is_zero(out, 32)) {
			diag("low-order point %zu accepted", i);
			bad++;
		}
		if (crypto_scalarmult(ref, s, p) != -1) {
			diag("libsodium accepts point %zu: list is wrong", i);
			bad++;
		}
	}
	tap(!bad, "X25519 refuses %zu low-order points [%s]",
	    ARRAY_SIZE(pts), impl_label());
}

static void test_blake2s_kat(void)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "BLAKE2SMAC", NULL);
	u8 in[256], key[32], out[32], ref[32];
	unsigned int rl;
	size_t len, bad_u = 0, bad_k = 0, bad_h = 0, kl;
	static const size_t klens[] = { 0, 1, 16, 31, 32, 33, 64, 65, 100 };
	u8 hkey[100];

	for (len = 0; len < 256; len++)
		in[len] = len;
	for (len = 0; len < 32; len++)
		key[len] = len;

	for (len = 0; len < 256; len++) {
		EVP_MAC_CTX *c;
		OSSL_PARAM params[2];
		size_t sz = 32, ml;

		wg_blake2s(out, in, NULL, 32, len, 0);
		EVP_Digest(in, len, ref, &rl, EVP_blake2s256(), NULL);
		bad_u += !!memcmp(out, ref, 32);

		c = EVP_MAC_CTX_new(mac);
		params[0] = OSSL_PARAM_construct_size_t("size", &sz);
		params[1] = OSSL_PARAM_construct_end();
		EVP_MAC_init(c, key, 32, params);
		EVP_MAC_update(c, in, len);
		EVP_MAC_final(c, ref, &ml, 32);
		EVP_MAC_CTX_free(c);
		wg_blake2s(out, in, key, 32, len, 32);
		bad_k += !!memcmp(out, ref, 32);
	}
	tap(!bad_u, "BLAKE2s-256 unkeyed, lengths 0..255 vs OpenSSL [%s]",
	    impl_label());
	tap(!bad_k, "BLAKE2s-256 keyed (00..1f), lengths 0..255 vs OpenSSL [%s]",
	    impl_label());

	for (kl = 0; kl < sizeof(hkey); kl++)
		hkey[kl] = 0xa0 + kl;
	for (kl = 0; kl < ARRAY_SIZE(klens); kl++) {
		for (len = 0; len < 256; len += 3) {
			wg_blake2s_hmac(out, in, hkey, 32, len, klens[kl]);
			HMAC(EVP_blake2s256(), hkey, klens[kl], in, len, ref,
			     &rl);
			bad_h += !!memcmp(out, ref, 32);
		}
	}
	tap(!bad_h, "HMAC-BLAKE2s vs OpenSSL HMAC, key lengths 0..100 [%s]",
	    impl_label());
	EVP_MAC_free(mac);
}

/*
 * Flip every bit of ciphertext, tag and associated data in turn: each
 * must be refused, and the output must hold no plaintext.
 */
static void test_forgery(void)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 63, 64, 65, 150 };
	static const size_t adlens[] = { 0, 1, 13, 32 };
	u8 key[32], n24[24], ad[32], pt[150], ct[166], out[166];
	size_t li, ai, bit, nbits, flips = 0, bad = 0, leaks = 0;
	u64 nonce = 0x1122334455667788ULL;
	int x;

	rng_bytes(key, 32);
	rng_bytes(n24, 24);
	rng_bytes(ad, sizeof(ad));
	rng_bytes(pt, sizeof(pt));
	for (x = 0; x < 2; x++)
	for (li = 0; li < ARRAY_SIZE(lens); li++) {
		for (ai = 0; ai < ARRAY_SIZE(adlens); ai++) {
			size_t len = lens[li], adl = adlens[ai];

			if (x)
				wg_xchacha20poly1305_encrypt(ct, pt, len, ad,
							     adl, n24, key);
			else
				wg_chacha20poly1305_encrypt(ct, pt, len, ad,
							    adl, nonce, key);
			nbits = (len + 16 + adl) * 8;
			for (bit = 0; bit < nbits; bit++) {
				u8 *p = bit < (len + 16) * 8 ?
					ct + bit / 8 : ad + bit / 8 - len - 16;
				struct wg_chacha20poly1305_ctx ctx;
				bool r;
				size_t i;

				*p ^= 1 << (bit & 7);
				memset(out, 0xa5, sizeof(out));
				if (x)
					r = wg_xchacha20poly1305_decrypt(out,
						ct, len + 16, ad, adl, n24, key);
				else
					r = wg_chacha20poly1305_decrypt(out,
						ct, len + 16, ad, adl, nonce,
						key);
				flips++;
				bad += r;
				for (i = 0; i < len; i++)
					leaks += out[i] != 0;
				if (!x) {
					/* the streaming form as well */
					wg_chacha20poly1305_begin(&ctx, key,
						nonce, ad, adl);
					wg_chacha20poly1305_decrypt_update(&ctx,
						out, ct, len);
					bad += wg_chacha20poly1305_decrypt_final(
						&ctx, ct + len);
				}
				*p ^= 1 << (bit & 7);
			}
			/* and the untouched message still opens */
			if (x)
				bad += !wg_xchacha20poly1305_decrypt(out, ct,
					len + 16, ad, adl, n24, key);
			else
				bad += !wg_chacha20poly1305_decrypt(out, ct,
					len + 16, ad, adl, nonce, key);
			bad += !!memcmp(out, pt, len);
		}
	}
	tap(!bad && !leaks,
	    "AEAD forgery: %zu single-bit flips of ciphertext, tag, AD all refused, no plaintext released [%s]",
	    flips, impl_label());
	if (bad || leaks)
		diag("accepted %zu, leaked bytes %zu", bad, leaks);
}

/*
 * Poly1305's final reduction only matters when the accumulator lands within
 * a few units of p = 2^130 - 5, which random inputs never reach.  With
 * r = 1 the accumulator is the plain sum of the blocks (each plus 2^128),
 * so three blocks can be chosen to hit p + delta exactly.  Also r = 2 and
 * s = 2^128 - 1, and each message through one-shot and split updates.
 */
static void test_poly1305_edges(void)
{
	struct wg_poly1305_ctx ctx;
	u8 key[32], msg[48], mac[16], mac2[16], ref[16];
	int delta, rv, sv, cases = 0, bad = 0;
	size_t split;

	for (rv = 1; rv <= 2; rv++)
	for (sv = 0; sv < 2; sv++)
	for (delta = -8; delta <= 12; delta++) {
		memset(key, 0, 32);
		key[0] = rv;
		memset(key + 16, sv ? 0xff : 0, 16);
		memset(msg, 0, sizeof(msg));
		/* blocks sum to 2^128 - 5 + delta (then each gains 2^128) */
		if (delta >= 4) {
			memset(msg, 0xff, 16);		/* 2^128 - 1 */
			msg[32] = delta - 4;
		} else {
			memset(msg, 0xff, 16);
			msg[0] = (u8)(0xff - 4 + delta);	/* 2^128 - 5 + delta */
		}
		if (rv == 2) {
			/* h = 2 * (2 * (m1 + 2^128) + m2 + 2^128) + ... : just
			 * compare with the oracle, the values still sit near p */
			msg[16] = (u8)delta;
		}
		crypto_onetimeauth_poly1305(ref, msg, sizeof(msg), key);
		wg_poly1305(mac, msg, sizeof(msg), key);
		for (split = 1; split < sizeof(msg); split += 7) {
			wg_poly1305_init(&ctx, key);
			wg_poly1305_update(&ctx, msg, split);
			wg_poly1305_update(&ctx, msg + split,
					   sizeof(msg) - split);
			wg_poly1305_final(&ctx, mac2);
			bad += !!memcmp(mac2, ref, 16);
		}
		bad += !!memcmp(mac, ref, 16);
		/* the same sums reached through a short last block */
		crypto_onetimeauth_poly1305(ref, msg, 33, key);
		wg_poly1305(mac, msg, 33, key);
		bad += !!memcmp(mac, ref, 16);
		cases++;
	}
	tap(!bad, "Poly1305 final reduction: %d accumulators around p vs libsodium [%s]",
	    cases, impl_label());
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 2;
	crypto_test_init();
	if (argc > 1 && !strcmp(argv[1], "--features")) {
		u32 bit;

		for (bit = 1; bit & WG_CPU_ALL; bit <<= 1)
			if (wg_cpu_features_detected & bit)
				printf("%s ", wg_cpu_feature_name(bit));
		printf("\n");
		return 0;
	}
	rng_seed_from_env();
	test_selftest();
	test_x25519_iterated();
	test_x25519_low_order();
	test_poly1305_edges();
	test_blake2s_kat();
	test_forgery();
	return tap_failed;
}
