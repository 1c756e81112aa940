// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of our primitives against OpenSSL's EVP in the same process.
 * The two sides alternate (order swapped every round) and the median of
 * the rounds is reported, one line per case:
 *   <primitive> <size> project <figure> openssl <figure> ratio <p/o>
 * Figures are MB/s (10^6 bytes) or op/s for curve25519.
 * WG_BENCH_ROUNDS (default 7) and WG_BENCH_MS (per measurement, default 60)
 * tune the run.  Time is the thread's CPU time, so other load on a shared
 * host does not land on one side only.
 */
#include <openssl/evp.h>
#include <time.h>

#include "common.h"
#include "chacha20poly1305.h"
#include "blake2s.h"
#include "curve25519.h"

static u8 *in, *out;
static u8 key[32], nonce12[12], secret[32], point[32];
static EVP_CIPHER_CTX *cctx;
static EVP_MD_CTX *mctx;
static EVP_MD *b2s_md;
static EVP_PKEY_CTX *dctx;
static size_t cur_size;
static volatile u8 sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void ours_seal(u64 i)
{
	wg_chacha20poly1305_encrypt(out, in, cur_size, NULL, 0, i, key);
}

static void ossl_seal(u64 i)
{
	int n;

	wg_put_le64(i, nonce12 + 4);
	EVP_EncryptInit_ex(cctx, NULL, NULL, NULL, nonce12);
	EVP_EncryptUpdate(cctx, out, &n, in, cur_size);
	EVP_EncryptFinal_ex(cctx, out + cur_size, &n);
	EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_GET_TAG, 16, out + cur_size);
}

static void ours_b2s(u64 i)
{
	wg_blake2s(out, in, NULL, 32, cur_size, 0);
}

static void ossl_b2s(u64 i)
{
	unsigned int n;

	EVP_DigestInit_ex(mctx, b2s_md, NULL);
	EVP_DigestUpdate(mctx, in, cur_size);
	EVP_DigestFinal_ex(mctx, out, &n);
}

static void ours_x25519(u64 i)
{
	secret[0] = (u8)i;
	sink ^= wg_curve25519(out, secret, point);
}

static void ossl_x25519(u64 i)
{
	size_t n = 32;

	EVP_PKEY_derive(dctx, out, &n);
}

/* X25519 public key from a given private key: ours through the table */
static void ours_x25519_base(u64 i)
{
	secret[0] = (u8)i;
	sink ^= wg_curve25519_generate_public(out, secret);
}

/* the same through our ladder on u = 9, for the speedup line */
static void ours_x25519_ladder(u64 i)
{
	static const u8 nine[32] = { 9 };

	secret[0] = (u8)i;
	sink ^= wg_curve25519(out, secret, nine);
}

/*
 * OpenSSL: a raw X25519 private key becomes an EVP_PKEY, which computes
 * its public key (the work of key generation less the random draw), and
 * the public key is read back.
 */
static void ossl_x25519_base(u64 i)
{
	EVP_PKEY *k;
	size_t n = 32;

	secret[0] = (u8)i;
	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, secret, 32);
	EVP_PKEY_get_raw_public_key(k, out, &n);
	EVP_PKEY_free(k);
}

/* Operations per second of fn over about ms milliseconds. */
static double measure(void (*fn)(u64), double ms)
{
	u64 ops = 0, batch = 1;
	double t0 = now(), t;

	for (;;) {
		u64 k;

		for (k = 0; k < batch; k++)
			fn(ops + k);
		ops += batch;
		t = now() - t0;
		if (t * 1000 >= ms)
			break;
		if (t * 1000 < ms / 8)
			batch *= 2;
	}
	sink ^= out[0];
	return ops / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Medians over @rounds alternated measurements of a and b, in op/s. */
static void run_pair(void (*fa)(u64), void (*fb)(u64), int rounds, double ms,
		     double *ma, double *mb)
{
	double a[64], b[64];
	int r;

	measure(fa, ms / 4);	/* warm up both */
	measure(fb, ms / 4);
	for (r = 0; r < rounds; r++) {
		if (r & 1) {
			b[r] = measure(fb, ms);
			a[r] = measure(fa, ms);
		} else {
			a[r] = measure(fa, ms);
			b[r] = measure(fb, ms);
		}
	}
	qsort(a, rounds, sizeof(double), cmp_double);
	qsort(b, rounds, sizeof(double), cmp_double);
	*ma = a[rounds / 2];
	*mb = b[rounds / 2];
}

static void run_case(const char *name, size_t size, void (*ours)(u64),
		     void (*ossl)(u64), int rounds, double ms)
{
	double scale = size ? size / 1e6 : 1, ma, mb;
	const char *only = getenv("WG_BENCH_ONLY");

	if (only && *only && strcmp(only, name))
		return;
	cur_size = size;
	run_pair(ours, ossl, rounds, ms, &ma, &mb);
	ma *= scale;
	mb *= scale;
	if (size)
		printf("%s %zu project %.1f openssl %.1f ratio %.2f\n", name,
		       size, ma, mb, ma / mb);
	else
		printf("%s - project %.0f openssl %.0f ratio %.2f\n", name, ma,
		       mb, ma / mb);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *s, *only;
	int rounds = 7;
	double ms = 60;
	EVP_PKEY *priv, *peer;
	u8 peer_secret[32];

	crypto_test_init();
	s = getenv("WG_BENCH_ROUNDS");
	if (s && atoi(s) >= 5)
		rounds = atoi(s) > 63 ? 63 : atoi(s);
	s = getenv("WG_BENCH_MS");
	if (s && atof(s) > 0)
		ms = atof(s);

	in = aligned_alloc(64, 16384 + 64);
	out = aligned_alloc(64, 16384 + 64);
	rng_state = 1;
	rng_bytes(in, 16384);
	rng_bytes(key, 32);
	rng_bytes(secret, 32);
	rng_bytes(peer_secret, 32);

	cctx = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(cctx, EVP_chacha20_poly1305(), NULL, key, nonce12);
	mctx = EVP_MD_CTX_new();
	b2s_md = EVP_MD_fetch(NULL, "BLAKE2S-256", NULL);

	/* X25519: our peer point is OpenSSL's public key for peer_secret */
	priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, secret, 32);
	peer = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL,
					    peer_secret, 32);
	{
		size_t n = 32;

		EVP_PKEY_get_raw_public_key(peer, point, &n);
	}
	dctx = EVP_PKEY_CTX_new(priv, NULL);
	EVP_PKEY_derive_init(dctx);
	EVP_PKEY_derive_set_peer(dctx, peer);

	run_case("chacha20poly1305", 64, ours_seal, ossl_seal, rounds, ms);
	run_case("chacha20poly1305", 1420, ours_seal, ossl_seal, rounds, ms);
	run_case("chacha20poly1305", 16384, ours_seal, ossl_seal, rounds, ms);
	run_case("blake2s", 64, ours_b2s, ossl_b2s, rounds, ms);
	run_case("blake2s", 1420, ours_b2s, ossl_b2s, rounds, ms);
	run_case("curve25519", 0, ours_x25519, ossl_x25519, rounds, ms);
	run_case("curve25519-base", 0, ours_x25519_base, ossl_x25519_base,
		 rounds, ms);
	only = getenv("WG_BENCH_ONLY");
	if (!only || !*only || !strcmp(only, "curve25519-base")) {
		double mb, ml;

		run_pair(ours_x25519_base, ours_x25519_ladder, rounds, ms,
			 &mb, &ml);
		printf("# curve25519 public key, ours: fixed base %.0f op/s, ladder %.0f op/s, speedup %.2fx\n",
		       mb, ml, mb / ml);
	}

	EVP_PKEY_CTX_free(dctx);
	EVP_PKEY_free(priv);
	EVP_PKEY_free(peer);
	EVP_MD_free(b2s_md);
	EVP_MD_CTX_free(mctx);
	EVP_CIPHER_CTX_free(cctx);
	return 0;
}
