// SPDX-License-Identifier: GPL-2.0
/*
 * Constant-time check (the ctgrind technique): secret inputs are marked
 * undefined for valgrind's memcheck, so any branch or memory index that
 * depends on them is reported as a use of uninitialised data.  Run as
 *   valgrind -q --error-exitcode=1 ./ctgrind [PRIMITIVE...]
 * Outputs are marked defined again before they are compared.
 * "./ctgrind canary" branches on a secret on purpose, to show that the
 * harness does catch it.  "./ctgrind features" prints what the CPU (as
 * valgrind presents it) offers after WG_CRYPTO_DISABLE.
 */
#include <valgrind/memcheck.h>
#include <sodium.h>

#include "common.h"
#include "chacha20.h"
#include "poly1305.h"
#include "chacha20poly1305.h"
#include "blake2s.h"
#include "curve25519.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED(p, n)
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED(p, n)

static const size_t lens[] = { 0, 1, 16, 63, 64, 65, 200, 1420, 4096 };
static u8 in[4200], out[4200 + 16], out2[4200 + 16];
static int bad;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("# %s: wrong result\n", what);
		bad = 1;
	}
}

static void ct_chacha20(void)
{
	u8 key[32], nonce[12];
	u32 state[16], dk[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		randombytes_buf(key, 32);
		randombytes_buf(nonce, 12);
		randombytes_buf(in, lens[i]);
		crypto_stream_chacha20_ietf_xor_ic(out2, in, lens[i], nonce, 1,
						   key);
		SECRET(key, 32);
		SECRET(in, lens[i]);
		wg_chacha20_init(state, key, 1, nonce);
		wg_chacha20(state, out, in, lens[i]);
		PUBLIC(out, lens[i]);
		PUBLIC(key, 32);
		PUBLIC(in, lens[i]);
		check(!memcmp(out, out2, lens[i]), "chacha20");
	}
	SECRET(key, 32);
	wg_hchacha20(dk, in, key);
	PUBLIC(dk, sizeof(dk));
	PUBLIC(key, 32);
	crypto_core_hchacha20(out2, in, key, NULL);
	wg_hchacha20(dk, in, key);
	check(!memcmp(dk, out2, 32), "hchacha20");
}

static void ct_poly1305(void)
{
	struct wg_poly1305_ctx ctx;
	u8 key[32], mac[16], ref[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		randombytes_buf(key, 32);
		randombytes_buf(in, lens[i]);
		crypto_onetimeauth_poly1305(ref, in, lens[i], key);
		SECRET(key, 32);
		SECRET(in, lens[i]);
		wg_poly1305_init(&ctx, key);
		wg_poly1305_update(&ctx, in, lens[i] / 3);
		wg_poly1305_update(&ctx, in + lens[i] / 3,
				   lens[i] - lens[i] / 3);
		wg_poly1305_final(&ctx, mac);
		PUBLIC(mac, 16);
		PUBLIC(key, 32);
		PUBLIC(in, lens[i]);
		check(!memcmp(mac, ref, 16), "poly1305");
	}
}

static void ct_aead(void)
{
	struct wg_chacha20poly1305_ctx ctx;
	u8 key[32], ad[20], n24[24], tag[16];
	unsigned long long cl;
	u8 nonce12[12] = { 0 };
	size_t i;
	bool ok;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		size_t len = lens[i];

		randombytes_buf(key, 32);
		randombytes_buf(ad, sizeof(ad));
		randombytes_buf(in, len);
		nonce12[4] = i;
		crypto_aead_chacha20poly1305_ietf_encrypt(out2, &cl, in, len,
			ad, sizeof(ad), NULL, nonce12, key);

		/* key and plaintext secret when sealing */
		SECRET(key, 32);
		SECRET(in, len);
		wg_chacha20poly1305_encrypt(out, in, len, ad, sizeof(ad), i,
					    key);
		PUBLIC(out, len + 16);
		check(!memcmp(out, out2, len + 16), "aead encrypt");

		/* key secret when opening; the verdict itself is public */
		PUBLIC(in, len);
		wg_chacha20poly1305_begin(&ctx, key, i, ad, sizeof(ad));
		wg_chacha20poly1305_decrypt_update(&ctx, out, out, len);
		ok = wg_chacha20poly1305_decrypt_final(&ctx, out + len);
		PUBLIC(&ok, sizeof(ok));
		PUBLIC(out, len);
		check(ok && !memcmp(out, in, len), "aead decrypt");

		randombytes_buf(n24, 24);
		SECRET(in, len);
		wg_xchacha20poly1305_encrypt(out, in, len, ad, sizeof(ad), n24,
					     key);
		PUBLIC(out, len + 16);
		PUBLIC(key, 32);
		PUBLIC(in, len);
		crypto_aead_xchacha20poly1305_ietf_encrypt(out2, &cl, in, len,
			ad, sizeof(ad), NULL, n24, key);
		check(!memcmp(out, out2, len + 16), "xaead encrypt");
		(void)tag;
	}
}

static void ct_blake2s(void)
{
	u8 key[32], h1[32], h2[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		randombytes_buf(key, 32);
		randombytes_buf(in, lens[i]);
		wg_blake2s(h2, in, key, 32, lens[i], 32);
		SECRET(key, 32);
		SECRET(in, lens[i]);
		wg_blake2s(h1, in, key, 32, lens[i], 32);
		PUBLIC(h1, 32);
		check(!memcmp(h1, h2, 32), "blake2s keyed");
		wg_blake2s_hmac(h1, in, key, 32, lens[i], 32);
		PUBLIC(h1, 32);
		PUBLIC(key, 32);
		PUBLIC(in, lens[i]);
		wg_blake2s_hmac(h2, in, key, 32, lens[i], 32);
		check(!memcmp(h1, h2, 32), "blake2s hmac");
	}
}

static void ct_curve25519(void)
{
	u8 s[32], p[32], o[32], ref[32];
	int i;
	bool ok;

	for (i = 0; i < 4; i++) {
		randombytes_buf(s, 32);
		randombytes_buf(p, 32);
		if (crypto_scalarmult(ref, s, p))
			memset(ref, 0, 32);
		SECRET(s, 32);
		ok = wg_curve25519(o, s, p);
		PUBLIC(&ok, sizeof(ok));
		PUBLIC(o, 32);
		check(ok && !memcmp(o, ref, 32), "curve25519");

		ok = wg_curve25519_generate_public(o, s);
		PUBLIC(&ok, sizeof(ok));
		PUBLIC(o, 32);
		PUBLIC(s, 32);
		crypto_scalarmult_base(ref, s);
		check(ok && !memcmp(o, ref, 32), "curve25519 public");
	}
}

/*
 * The fixed base, unclamped, on scalars whose signed digits take every
 * value (negative, zero, the top digit's carry), against the ladder.
 */
static void ct_curve25519_base(void)
{
	static const u8 nine[32] = { 9 };
	u8 s[32], o[32], ref[32];
	int i;

	for (i = 0; i < 6; i++) {
		randombytes_buf(s, 32);
		if (i < 3)
			memset(s, (u8[]){ 0x00, 0x88, 0xff }[i], 32);
		wg_curve25519_generic(ref, s, nine);
		SECRET(s, 32);
		wg_curve25519_base(o, s);
		PUBLIC(o, 32);
		check(!memcmp(o, ref, 32), "curve25519 base");
		wg_curve25519_base_generic(o, s);
		PUBLIC(o, 32);
		PUBLIC(s, 32);
		check(!memcmp(o, ref, 32), "curve25519 base generic");
	}
}

/* Deliberately not constant time: valgrind must flag this. */
static void canary(void)
{
	volatile u8 x = 0;
	u8 s[1];

	randombytes_buf(s, 1);
	SECRET(s, 1);
	if (s[0] & 1)
		x = 1;
	(void)x;
}

int main(int argc, char **argv)
{
	int i;

	if (sodium_init() < 0)
		return 2;
	crypto_test_init();
	if (argc > 1 && !strcmp(argv[1], "features")) {
		printf("%s\n", impl_label());
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "canary"))
			canary();
		else if (!strcmp(argv[i], "chacha20"))
			ct_chacha20();
		else if (!strcmp(argv[i], "poly1305"))
			ct_poly1305();
		else if (!strcmp(argv[i], "aead"))
			ct_aead();
		else if (!strcmp(argv[i], "blake2s"))
			ct_blake2s();
		else if (!strcmp(argv[i], "curve25519"))
			ct_curve25519();
		else if (!strcmp(argv[i], "curve25519-base"))
			ct_curve25519_base();
		else
			return 2;
	}
	return bad;
}
