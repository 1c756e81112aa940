// SPDX-License-Identifier: GPL-2.0
/*
 * Statistical constant-time test in the style of dudect (Reparaz, Balasch,
 * Verbauwhede, "Dude, is my code constant time?", 2017), on the real CPU,
 * for the paths valgrind cannot emulate (BMI2/ADX, AVX-512) as well as the
 * others.
 *
 *   timing TARGET COUNT
 *
 * Each measurement times one operation with the time-stamp counter
 * (lfence; rdtsc ... rdtscp; lfence).  Its secret input belongs to one of
 * two classes, chosen at random for every measurement: a fixed value
 * (zeros, or for aead-open a tag wrong only in its last byte) or a fresh
 * random one.  All inputs of a batch are prepared first, in one array
 * slot per measurement, so both classes read memory the same way.
 *
 * Welch's t-test compares the classes' cycle counts: on all measurements,
 * on 100 subsets cropped at percentiles 1 - 0.5^(10 (k + 1) / 100) of the
 * first (discarded) batch, as dudect does, to strip the long tail that
 * interrupts and neighbours add, and a second-order test on the centred
 * squares.  The verdict is the largest |t| over the tests that hold at
 * least MIN_PER_CLASS measurements per class; under the null hypothesis
 * each t is about N(0, 1), and |t| >= 4.5 (dudect's threshold) fails.
 * A failing run is measured once more before it counts, since a noisy
 * neighbour can also skew a run; the t-values are printed as comments.
 *
 * TARGET: ladder (wg_curve25519, secret scalar), base
 * (wg_curve25519_generate_public), chacha20 (secret key, 1420 bytes),
 * poly1305 (secret key, 1420 bytes), aead (seal, secret key), aead-open
 * (tag check: near-miss against random tags), canary (branches on the
 * secret on purpose: must fail).  WG_CRYPTO_DISABLE picks the level.
 */
#include <math.h>

#include "common.h"
#include "chacha20.h"
#include "poly1305.h"
#include "chacha20poly1305.h"
#include "curve25519.h"

#define SLOT		32	/* secret bytes per measurement */
#define MSG_LEN		1420
#define BATCH		10000
#define CROPS		100
#define TESTS		(CROPS + 2)	/* crops, uncropped, second order */
#define MIN_PER_CLASS	1000
#define THRESHOLD	4.5

struct welch {
	double n[2], mean[2], m2[2];
};

struct target {
	const char *name;
	void (*prepare)(u8 slot[SLOT], int cls);
	void (*run)(const u8 slot[SLOT]);
};

static u8 msg[MSG_LEN + 16], dst[MSG_LEN + 16];
static u8 point[32], aead_key[32], valid_tag[16];
static volatile u8 sink;

static inline u64 tsc_begin(void)
{
	u32 lo, hi;

	__asm__ volatile ("lfence; rdtsc; lfence" : "=a" (lo), "=d" (hi) ::
			  "memory");
	return ((u64)hi << 32) | lo;
}

static inline u64 tsc_end(void)
{
	u32 lo, hi;

	__asm__ volatile ("rdtscp; lfence" : "=a" (lo), "=d" (hi) :: "rcx",
			  "memory");
	return ((u64)hi << 32) | lo;
}

/* class 0: all zero; class 1: random */
static void prep_zero_or_random(u8 slot[SLOT], int cls)
{
	if (cls)
		rng_bytes(slot, SLOT);
	else
		memset(slot, 0, SLOT);
}

static void run_ladder(const u8 slot[SLOT])
{
	sink ^= wg_curve25519(dst, slot, point);
}

static void run_base(const u8 slot[SLOT])
{
	sink ^= wg_curve25519_generate_public(dst, slot);
}

static void run_chacha20(const u8 slot[SLOT])
{
	u32 state[16];

	wg_chacha20_init_u64(state, slot, 0, 7);
	wg_chacha20(state, dst, msg, MSG_LEN);
}

static void run_poly1305(const u8 slot[SLOT])
{
	wg_poly1305(dst, msg, MSG_LEN, slot);
}

static void run_aead(const u8 slot[SLOT])
{
	wg_chacha20poly1305_encrypt(dst, msg, MSG_LEN, NULL, 0, 7, slot);
}

/* class 0: the valid tag with its last byte changed; class 1: random */
static void prep_tag(u8 slot[SLOT], int cls)
{
	rng_bytes(slot, SLOT);
	if (!cls) {
		memcpy(slot, valid_tag, 16);
		slot[15] ^= 1 + rng_below(255);
	}
}

static void run_aead_open(const u8 slot[SLOT])
{
	memcpy(msg + MSG_LEN, slot, 16);
	sink ^= wg_chacha20poly1305_decrypt(dst, msg, MSG_LEN + 16, NULL, 0, 7,
					    aead_key);
}

/* Not constant time on purpose: extra work when the secret is zero. */
static void run_canary(const u8 slot[SLOT])
{
	volatile int x = 0;
	int i;

	if (!slot[0])
		for (i = 0; i < 50; i++)
			x += i;
	wg_poly1305(dst, msg, MSG_LEN, slot);
}

static const struct target targets[] = {
	{ "ladder", prep_zero_or_random, run_ladder },
	{ "base", prep_zero_or_random, run_base },
	{ "chacha20", prep_zero_or_random, run_chacha20 },
	{ "poly1305", prep_zero_or_random, run_poly1305 },
	{ "aead", prep_zero_or_random, run_aead },
	{ "aead-open", prep_tag, run_aead_open },
	{ "canary", prep_zero_or_random, run_canary },
};

static void welch_push(struct welch *w, int cls, double x)
{
	double d = x - w->mean[cls];

	w->n[cls]++;
	w->mean[cls] += d / w->n[cls];
	w->m2[cls] += d * (x - w->mean[cls]);
}

static double welch_t(const struct welch *w)
{
	double v0, v1;

	if (w->n[0] < 2 || w->n[1] < 2)
		return 0;
	v0 = w->m2[0] / (w->n[0] - 1);
	v1 = w->m2[1] / (w->n[1] - 1);
	if (v0 + v1 == 0)
		return 0;
	return (w->mean[0] - w->mean[1]) /
	       sqrt(v0 / w->n[0] + v1 / w->n[1]);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

struct result {
	double max_t, t_all, t_second;
	int max_test;
	unsigned long used;
};

/* One full measurement campaign of @count timed operations. */
static void campaign(const struct target *tg, unsigned long count,
		     struct result *res)
{
	static u8 slots[BATCH][SLOT];
	static u64 dt[BATCH], sorted[BATCH];
	static int cls[BATCH];
	static struct welch w[TESTS];
	u64 thr[CROPS];
	unsigned long done = 0;
	int first = 1, i, k;

	memset(w, 0, sizeof(w));
	memset(res, 0, sizeof(*res));
	while (done < count) {
		for (i = 0; i < BATCH; i++) {
			cls[i] = rng64() & 1;
			tg->prepare(slots[i], cls[i]);
		}
		for (i = 0; i < BATCH; i++) {
			u64 t0 = tsc_begin();

			tg->run(slots[i]);
			dt[i] = tsc_end() - t0;
		}
		if (first) {	/* warm-up: only sets the crop thresholds */
			memcpy(sorted, dt, sizeof(dt));
			qsort(sorted, BATCH, sizeof(u64), cmp_u64);
			for (k = 0; k < CROPS; k++) {
				double p = 1 - pow(0.5, 10.0 * (k + 1) / CROPS);

				thr[k] = sorted[(int)(p * BATCH)];
			}
			first = 0;
			continue;
		}
		for (i = 0; i < BATCH; i++) {
			double x = (double)dt[i], c;

			for (k = 0; k < CROPS; k++)
				if (dt[i] < thr[k])
					welch_push(&w[k], cls[i], x);
			welch_push(&w[CROPS], cls[i], x);
			c = x - w[CROPS].mean[cls[i]];
			welch_push(&w[CROPS + 1], cls[i], c * c);
		}
		done += BATCH;
	}
	res->used = done;
	res->t_all = welch_t(&w[CROPS]);
	res->t_second = welch_t(&w[CROPS + 1]);
	res->max_test = -1;
	for (k = 0; k < TESTS; k++) {
		double t = fabs(welch_t(&w[k]));

		if (w[k].n[0] < MIN_PER_CLASS || w[k].n[1] < MIN_PER_CLASS)
			continue;
		if (res->max_test < 0 || t > res->max_t) {
			res->max_t = t;
			res->max_test = k;
		}
	}
}

static void print_result(const struct target *tg, const struct result *r)
{
	char which[32];

	if (r->max_test == CROPS)
		snprintf(which, sizeof(which), "uncropped");
	else if (r->max_test == CROPS + 1)
		snprintf(which, sizeof(which), "second order");
	else
		snprintf(which, sizeof(which), "crop %d", r->max_test);
	diag("%s [%s]: %lu measurements, max |t| %.2f (%s), uncropped t %.2f, second-order t %.2f",
	     tg->name, impl_label(), r->used, r->max_t, which, r->t_all,
	     r->t_second);
}

static void setup(void)
{
	u8 s[32];
	u64 i;

	rng_bytes(msg, MSG_LEN);
	rng_bytes(s, 32);
	if (!wg_curve25519_generate_public(point, s))
		abort();
	rng_bytes(aead_key, 32);
	wg_chacha20poly1305_encrypt(dst, msg, MSG_LEN, NULL, 0, 7, aead_key);
	memcpy(msg, dst, MSG_LEN);	/* msg is now a ciphertext */
	memcpy(valid_tag, dst + MSG_LEN, 16);
	/* warm up the caches and the clock */
	for (i = 0; i < 2000; i++)
		sink ^= wg_curve25519_generate_public(dst, s);
}

int main(int argc, char **argv)
{
	const struct target *tg = NULL;
	unsigned long count;
	struct result r;
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s TARGET COUNT\n", argv[0]);
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(targets); i++)
		if (!strcmp(argv[1], targets[i].name))
			tg = &targets[i];
	if (!tg)
		return 2;
	count = strtoul(argv[2], NULL, 0);
	if (count < 2 * BATCH)
		count = 2 * BATCH;
	crypto_test_init();
	rng_seed_from_env();
	setup();

	campaign(tg, count, &r);
	print_result(tg, &r);
	if (r.max_t >= THRESHOLD) {
		diag("%s: |t| %.2f >= %.1f, measuring once more", tg->name,
		     r.max_t, THRESHOLD);
		campaign(tg, count, &r);
		print_result(tg, &r);
	}
	tap(r.max_t < THRESHOLD,
	    "timing %s: max |t| %.2f < %.1f over %lu measurements, fixed vs random secret [%s]",
	    tg->name, r.max_t, THRESHOLD, r.used, impl_label());
	return 0;
}
