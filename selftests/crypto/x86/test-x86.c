// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests of the crypto/x86 implementations against libsodium
 * and OpenSSL, one implementation at a time, plus a quick benchmark mode.
 *
 *   test-x86 PRIM IMPL CASES      -> "ok|fail|skip <text>" on one line
 *   test-x86 bench PRIM IMPL      -> throughput lines
 * PRIM: chacha20 poly1305 blake2s curve25519; IMPL: avx2 avx512 ssse3 adx ...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cpuid.h>
#include <sodium.h>
#include <openssl/evp.h>

#include "../../../crypto/x86/chacha20-glue.h"
#include "../../../crypto/x86/poly1305-glue.h"
#include "../../../crypto/x86/blake2s-glue.h"
#include "../../../crypto/x86/curve25519-glue.h"
#include <openssl/core_names.h>

u32 wg_cpu_features;

static u64 rng_state = 0x9e3779b97f4a7c15ull;
static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}
static void rnd_bytes(u8 *p, size_t n)
{
	while (n--)
		*p++ = (u8)rnd();
}
static size_t rnd_len(size_t max)
{
	switch (rnd() % 4) {
	case 0: return rnd() % 129;
	case 1: return rnd() % 1500;
	default: return rnd() % (max + 1);
	}
}

static unsigned int cpu_caps(void)
{
	unsigned int a, b, c, d, f = 0;
	unsigned long long xcr0 = 0;

	__cpuid(1, a, b, c, d);
	if (c & bit_SSSE3)
		f |= WG_CPU_SSSE3;
	if (!(c & bit_OSXSAVE))
		return f;
	__asm__ volatile("xgetbv" : "=A"(xcr0) : "c"(0) : "rdx");
	{
		unsigned int lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = ((unsigned long long)hi << 32) | lo;
	}
	__cpuid_count(7, 0, a, b, c, d);
	if ((b & bit_BMI2) && (b & bit_ADX))
		f |= WG_CPU_BMI2_ADX;
	if ((xcr0 & 6) == 6 && (b & bit_AVX2))
		f |= WG_CPU_AVX2;
	if ((xcr0 & 0xe6) == 0xe6 && (b & bit_AVX512F) && (b & bit_AVX512VL))
		f |= WG_CPU_AVX512;
	return f;
}

static unsigned int impl_bits(const char *impl)
{
	if (!strcmp(impl, "avx2")) return WG_CPU_AVX2;
	if (!strcmp(impl, "avx512")) return WG_CPU_AVX512 | WG_CPU_AVX2;
	if (!strcmp(impl, "ifma")) return WG_CPU_AVX512;
	if (!strcmp(impl, "ssse3")) return WG_CPU_SSSE3;
	if (!strcmp(impl, "adx")) return WG_CPU_BMI2_ADX;
	return 0;
}

static u32 le32(const u8 *p) { return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24; }

static void chacha_state(u32 st[16], const u8 key[32], const u8 nonce[12], u32 ctr)
{
	st[0] = 0x61707865; st[1] = 0x3320646e; st[2] = 0x79622d32; st[3] = 0x6b206574;
	for (int i = 0; i < 8; i++)
		st[4 + i] = le32(key + 4 * i);
	st[12] = ctr;
	for (int i = 0; i < 3; i++)
		st[13 + i] = le32(nonce + 4 * i);
}

#define MAXLEN 9000
static u8 bin[MAXLEN + 128], bout[MAXLEN + 128], bref[MAXLEN + 128];

static int test_chacha20(long cases)
{
	for (long i = 0; i < cases; i++) {
		u8 key[32], nonce[12];
		u32 st[16], ctr = (u32)rnd() % 0xffff0000u;
		size_t len = rnd_len(MAXLEN), ai = rnd() % 64, ao = rnd() % 64;
		int inplace = rnd() % 4 == 0;
		u8 *in = bin + ai, *out = inplace ? in : bout + ao;

		if (i < 2000)
			len = i % 1100;
		rnd_bytes(key, 32); rnd_bytes(nonce, 12); rnd_bytes(in, len);
		crypto_stream_chacha20_ietf_xor_ic(bref, in, len, nonce, ctr, key);
		memset(bout, 0xaa, sizeof(bout));
		chacha_state(st, key, nonce, ctr);
		if (!wg_chacha20_arch(st, out, in, len)) {
			printf("fail chacha20: not handled\n");
			return 1;
		}
		if (memcmp(out, bref, len) || st[12] != ctr + (u32)((len + 63) / 64)) {
			printf("fail chacha20 case %ld len %zu ai %zu ao %zu inplace %d\n", i, len, ai, ao, inplace);
			return 1;
		}
		if (!inplace && ((ao && bout[ao - 1] != 0xaa) || bout[ao + len] != 0xaa)) {
			printf("fail chacha20 case %ld len %zu: wrote outside dst\n", i, len);
			return 1;
		}
	}
	printf("ok chacha20 %ld cases vs libsodium\n", cases);
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void bench_chacha20(void)
{
	static const size_t sizes[] = { 64, 128, 1420, 16384 };
	static u8 buf[16384];
	u32 st[16] = { 0 };

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		double best = 0;
		for (int rep = 0; rep < 5; rep++) {
			long iters = 0;
			double t0 = now(), t;
			do {
				for (int k = 0; k < 100; k++)
					wg_chacha20_arch(st, buf, buf, n);
				iters += 100;
			} while ((t = now() - t0) < 0.1);
			double mbs = iters * n / t / 1e6;
			if (mbs > best)
				best = mbs;
		}
		printf("chacha20 %zu %.0f MB/s\n", n, best);
	}
}


static void p1305_init(struct wg_poly1305_ctx *ctx, const u8 key[32])
{
	memset(ctx, 0x5c, sizeof(*ctx));
	ctx->r[0] = le32(key + 0) & 0x0fffffff;
	ctx->r[1] = le32(key + 4) & 0x0ffffffc;
	ctx->r[2] = le32(key + 8) & 0x0ffffffc;
	ctx->r[3] = le32(key + 12) & 0x0ffffffc;
	for (int i = 0; i < 4; i++)
		ctx->s[i] = le32(key + 16 + 4 * i);
	memset(&ctx->state, 0, sizeof(ctx->state));
	ctx->buflen = 0;
	ctx->impl = 0;
}

/* whole message through the arch hooks, in random full-block pieces */
static int p1305_arch(u8 mac[16], const u8 *in, size_t len, const u8 key[32])
{
	struct wg_poly1305_ctx ctx;
	size_t full = len & ~(size_t)15;

	p1305_init(&ctx, key);
	while (full) {
		size_t n = full;
		if (rnd() % 3 == 0)
			n = (rnd() % (full / 16 + 1)) * 16;
		if (n && !wg_poly1305_arch_blocks(&ctx, in, n, 1))
			return -1;
		in += n;
		full -= n;
		len -= n;
	}
	if (len) {
		u8 b[16] = { 0 };
		memcpy(b, in, len);
		b[len] = 1;
		if (!wg_poly1305_arch_blocks(&ctx, b, 16, 0))
			return -1;
	}
	if (ctx.impl == 0) {
		/* nothing absorbed: claim happens on the first block only */
		u8 b[16] = { 0 };
		(void)b;
	}
	if (!wg_poly1305_arch_emit(&ctx, mac))
		return len == 0 && ctx.impl == 0 ? 1 : -1;
	return 0;
}

static int test_poly1305(long cases)
{
	for (long i = 0; i < cases; i++) {
		u8 key[32], mac[16], ref[16];
		size_t len = rnd_len(MAXLEN), ai = rnd() % 64;
		u8 *in = bin + ai;
		int r;

		if (i < 3000)
			len = i % 1500;
		rnd_bytes(key, 32);
		if (i % 1000 == 1)
			memset(key, 0xff, 16);	/* largest r */
		rnd_bytes(in, len);
		if (i % 7 == 3)
			memset(in, 0xff, len);	/* largest blocks */
		crypto_onetimeauth_poly1305(ref, in, len, key);
		r = p1305_arch(mac, in, len, key);
		if (r == 1)
			continue;	/* empty message: nothing claimed */
		if (r < 0) {
			printf("fail poly1305 case %ld len %zu: not handled\n", i, len);
			return 1;
		}
		if (memcmp(mac, ref, 16)) {
			printf("fail poly1305 case %ld len %zu ai %zu\n", i, len, ai);
			return 1;
		}
	}
	printf("ok poly1305 %ld cases vs libsodium\n", cases);
	return 0;
}

static void bench_poly1305(void)
{
	static const size_t sizes[] = { 64, 1420, 16384 };
	static u8 buf[16384];
	u8 key[32] = { 1, 2, 3 }, mac[16];

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		double best = 0;
		for (int rep = 0; rep < 5; rep++) {
			long iters = 0;
			double t0 = now(), t;
			do {
				for (int k = 0; k < 100; k++)
					p1305_arch(mac, buf, n, key);
				iters += 100;
			} while ((t = now() - t0) < 0.1);
			double mbs = iters * n / t / 1e6;
			if (mbs > best)
				best = mbs;
		}
		printf("poly1305 %zu %.0f MB/s\n", n, best);
	}
}

static const u32 b2s_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* unkeyed BLAKE2s-256 over the arch compression function */
static int b2s_arch(u8 out[32], const u8 *in, size_t len)
{
	struct wg_blake2s_state st;
	u8 last[64] = { 0 };
	size_t nfull = len ? (len - 1) / 64 : 0, rem;

	memset(&st, 0, sizeof(st));
	memcpy(st.h, b2s_iv, sizeof(st.h));
	st.h[0] ^= 0x01010020;
	while (nfull) {
		size_t n = nfull;
		if (rnd() % 2)
			n = 1 + rnd() % nfull;
		if (!wg_blake2s_compress_arch(&st, in, n, 64))
			return -1;
		in += n * 64;
		nfull -= n;
		len -= n * 64;
	}
	rem = len;
	memcpy(last, in, rem);
	st.f[0] = 0xffffffff;
	if (!wg_blake2s_compress_arch(&st, last, 1, (u32)rem))
		return -1;
	for (int i = 0; i < 8; i++) {
		out[4 * i] = st.h[i];
		out[4 * i + 1] = st.h[i] >> 8;
		out[4 * i + 2] = st.h[i] >> 16;
		out[4 * i + 3] = st.h[i] >> 24;
	}
	return 0;
}

static int test_blake2s(long cases)
{
	const EVP_MD *md = EVP_blake2s256();

	for (long i = 0; i < cases; i++) {
		u8 out[32], ref[32];
		unsigned int rl;
		size_t len = rnd_len(MAXLEN), ai = rnd() % 64;
		u8 *in = bin + ai;

		if (i < 2000)
			len = i % 600;
		rnd_bytes(in, len);
		EVP_Digest(in, len, ref, &rl, md, NULL);
		if (b2s_arch(out, in, len)) {
			printf("fail blake2s: not handled\n");
			return 1;
		}
		if (memcmp(out, ref, 32)) {
			printf("fail blake2s case %ld len %zu ai %zu\n", i, len, ai);
			return 1;
		}
	}
	/* counter carry into t[1] */
	{
		struct wg_blake2s_state a, b;
		memset(&a, 0, sizeof(a));
		a.t[0] = 0xffffffc0;
		a.t[1] = 7;
		b = a;
		rnd_bytes(bin, 192);
		wg_blake2s_compress_arch(&a, bin, 3, 64);
		wg_cpu_features = 0;
		if (wg_blake2s_compress_arch(&b, bin, 3, 64)) {
			printf("fail blake2s: handled with no features\n");
			return 1;
		}
		if (a.t[0] != 0x80 || a.t[1] != 8) {
			printf("fail blake2s counter carry\n");
			return 1;
		}
	}
	printf("ok blake2s %ld cases vs OpenSSL BLAKE2S256\n", cases);
	return 0;
}

static void bench_blake2s(void)
{
	static const size_t sizes[] = { 64, 1420, 16384 };
	static u8 buf[16384];
	u8 out[32];

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		double best = 0;
		for (int rep = 0; rep < 5; rep++) {
			long iters = 0;
			double t0 = now(), t;
			do {
				for (int k = 0; k < 100; k++)
					b2s_arch(out, buf, n);
				iters += 100;
			} while ((t = now() - t0) < 0.1);
			double mbs = iters * n / t / 1e6;
			if (mbs > best)
				best = mbs;
		}
		printf("blake2s %zu %.0f MB/s\n", n, best);
	}
}

/* ---------------------------------------------------------------- X25519 */

static int hex2bin(u8 *out, const char *hex, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = v;
	}
	return 0;
}

static void clamp(u8 s[32])
{
	s[0] &= 248;
	s[31] = (s[31] & 127) | 64;
}

/* X25519 through the arch hook, with the caller's clamping */
static int x25519_arch(u8 out[32], const u8 secret[32], const u8 point[32])
{
	u8 sc[32];

	memcpy(sc, secret, 32);
	clamp(sc);
	return wg_curve25519_arch(out, sc, point) ? 0 : -1;
}

/* OpenSSL's X25519 through EVP; 0 on success, -1 when it refuses (0 out) */
static int x25519_openssl(u8 out[32], const u8 secret[32], const u8 point[32])
{
	EVP_PKEY *priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, secret, 32);
	EVP_PKEY *pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, point, 32);
	EVP_PKEY_CTX *ctx = priv ? EVP_PKEY_CTX_new(priv, NULL) : NULL;
	size_t len = 32;
	int ret = -1;

	if (ctx && pub && EVP_PKEY_derive_init(ctx) > 0 &&
	    EVP_PKEY_derive_set_peer(ctx, pub) > 0 &&
	    EVP_PKEY_derive(ctx, out, &len) > 0 && len == 32)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(priv);
	return ret;
}

/* u-coordinates of small order, and their non-canonical twins (+p) */
static const char *const small_order[] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000000",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

static int test_curve25519_kat(void)
{
	/* RFC 7748 section 5.2 and 6.1 */
	static const char *const v[][3] = {
		{ "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
		{ "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
		{ "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		  "0900000000000000000000000000000000000000000000000000000000000000",
		  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a" },
		{ "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
		  "0900000000000000000000000000000000000000000000000000000000000000",
		  "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f" },
		{ "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		  "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		  "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742" },
	};
	u8 k[32], u[32], want[32], got[32], t[32];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		hex2bin(k, v[i][0], 32);
		hex2bin(u, v[i][1], 32);
		hex2bin(want, v[i][2], 32);
		if (x25519_arch(got, k, u) || memcmp(got, want, 32)) {
			printf("fail curve25519 RFC 7748 vector %zu\n", i);
			return 1;
		}
	}
	/* the iterated test of section 5.2: 1,000 rounds */
	memset(k, 0, 32);
	k[0] = 9;
	memcpy(u, k, 32);
	for (int i = 0; i < 1000; i++) {
		x25519_arch(t, k, u);
		memcpy(u, k, 32);
		memcpy(k, t, 32);
	}
	hex2bin(want, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", 32);
	if (memcmp(k, want, 32)) {
		printf("fail curve25519 RFC 7748 1,000 iterations\n");
		return 1;
	}
	return 0;
}

static int test_curve25519(long cases)
{
	long n_sodium = 0, n_openssl = 0, n_small = 0, n_noncanon = 0;

	if (test_curve25519_kat())
		return 1;
	for (long i = 0; i < cases; i++) {
		u8 sk[32], pk[32], out[32], ref[32], ref2[32];
		int kind = rnd() % 16, expect_zero = 0, rs, ro = 0;

		rnd_bytes(sk, 32);
		rnd_bytes(pk, 32);
		if (kind == 0) {
			/* small order, any top bit */
			hex2bin(pk, small_order[rnd() % 7], 32);
			pk[31] |= (u8)(rnd() & 0x80);
			expect_zero = 1;
			n_small++;
		} else if (kind <= 2) {
			/* non-canonical: p <= u < 2^255, or u >= 2^255 */
			memset(pk, 0xff, 32);
			pk[0] = 0xed + rnd() % 0x13;
			pk[31] = 0x7f | (u8)(rnd() & 0x80);
			if (pk[0] > 0xef)
				n_noncanon++;
		} else if (kind == 3) {
			/* sparse limbs: zeros and all-ones words */
			for (int w = 0; w < 4; w++)
				memset(pk + 8 * w, rnd() % 2 ? 0xff : 0, 8);
			pk[rnd() % 32] ^= (u8)rnd();
		} else if (kind == 4) {
			memset(pk, 0, 32);
			pk[0] = 9;
		}
		if (i % 5 == 0)
			memset(sk + 1, rnd() % 2 ? 0xff : 0, 30);
		if (x25519_arch(out, sk, pk)) {
			printf("fail curve25519: not handled\n");
			return 1;
		}
		memset(ref, 0x55, 32);
		rs = crypto_scalarmult(ref, sk, pk);
		if (rs) {
			/* libsodium refuses small-order points and a zero result */
			memset(ref, 0, 32);
		}
		if (expect_zero && !rs) {
			printf("fail curve25519 case %ld: oracle accepted small order\n", i);
			return 1;
		}
		n_sodium++;
		if (memcmp(out, ref, 32)) {
			printf("fail curve25519 case %ld (kind %d) vs libsodium\n", i, kind);
			return 1;
		}
		if (i % 10 == 0 || kind <= 3) {
			ro = x25519_openssl(ref2, sk, pk);
			if (ro)
				memset(ref2, 0, 32);
			n_openssl++;
			if (memcmp(out, ref2, 32)) {
				printf("fail curve25519 case %ld (kind %d) vs OpenSSL\n", i, kind);
				return 1;
			}
		}
	}
	printf("ok curve25519 %ld cases vs libsodium (%ld small-order, %ld non-canonical), "
	       "%ld vs OpenSSL, RFC 7748 vectors + 1,000 iterations\n",
	       n_sodium, n_small, n_noncanon, n_openssl);
	return 0;
}

static void bench_curve25519(void)
{
	u8 sk[32], pk[32] = { 9 }, out[32];
	double best = 0;

	rnd_bytes(sk, 32);
	for (int rep = 0; rep < 7; rep++) {
		long iters = 0;
		double t0 = now(), t;
		do {
			for (int k = 0; k < 100; k++) {
				x25519_arch(out, sk, pk);
				pk[0] ^= out[0];
			}
			iters += 100;
		} while ((t = now() - t0) < 0.2);
		if (iters / t > best)
			best = iters / t;
	}
	printf("curve25519 - %.0f op/s\n", best);
}

int main(int argc, char **argv)
{
	unsigned int caps = cpu_caps(), want;
	int bench = argc > 1 && !strcmp(argv[1], "bench");

	if (bench) {
		argv++;
		argc--;
	}
	if (argc < 3 || sodium_init() < 0) {
		fprintf(stderr, "usage: %s [bench] PRIM IMPL [CASES]\n", argv[0]);
		return 2;
	}
	want = impl_bits(argv[2]);
	if ((caps & want) != want) {
		printf("skip %s %s: CPU lacks it\n", argv[1], argv[2]);
		return 0;
	}
	wg_cpu_features = want;
	if (argc > 4)
		rng_state ^= strtoull(argv[4], NULL, 0);
	long cases = argc > 3 ? atol(argv[3]) : 100000;
	if (!strcmp(argv[1], "chacha20")) {
		if (bench)
			bench_chacha20();
		else
			return test_chacha20(cases);
	}
	if (!strcmp(argv[1], "blake2s")) {
		/* the vector code itself, even where the glue would prefer C */
		wg_blake2s_x86_simd = 1;
		if (bench)
			bench_blake2s();
		else
			return test_blake2s(cases);
	}
	if (!strcmp(argv[1], "curve25519")) {
		if (bench)
			bench_curve25519();
		else
			return test_curve25519(cases);
	}
	if (!strcmp(argv[1], "poly1305")) {
		if (strcmp(argv[2], "ifma") == 0 && !wg_x86_have_ifma()) {
			printf("skip poly1305 ifma: CPU lacks it\n");
			return 0;
		}
		if (bench)
			bench_poly1305();
		else
			return test_poly1305(cases);
	}
	return 0;
}
