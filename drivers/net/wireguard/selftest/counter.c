// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the anti-replay window, included by counter.c in debug
 * builds: scripted sequences (in order, reordered, duplicates, the window's
 * edges, jumps, the REJECT_AFTER_MESSAGES limit), then whole-window fills
 * and a sliding run checked counter by counter.
 */

struct counter_step {
	u64 value;
	bool expect;
};

static bool counter_run(struct noise_replay_counter *c, const char *name,
			const struct counter_step *steps, size_t n)
{
	bool ok = true;
	size_t i;

	wg_replay_counter_init(c);
	for (i = 0; i < n; ++i) {
		if (wg_replay_counter_validate(c, steps[i].value) !=
		    steps[i].expect) {
			pr_err("counter self-test %s step %zu (%llu): expected %s\n",
			       name, i + 1, steps[i].value,
			       steps[i].expect ? "accept" : "reject");
			ok = false;
		}
	}
	return ok;
}

/*
 * Random arrivals around the highest counter (late, early, duplicated,
 * far jumps) against a naive reference: a bitmap of every counter ever
 * accepted.  A counter is acceptable when it was never accepted and is at
 * most COUNTER_WINDOW_SIZE below the highest accepted one.
 */
enum {
	COUNTER_RANDOM_SPACE = 1 << 24,	/* counters tried stay below this */
	COUNTER_RANDOM_OPS = 40000
};

static bool counter_random(struct noise_replay_counter *c)
{
	const u64 W = COUNTER_WINDOW_SIZE;
	u64 rng = 0x853c49e6748fea9bULL, highest = 0, value, r;
	unsigned long *seen;
	unsigned int op, n, accepted = 0;
	bool any = false, want, got, ok = true;

	seen = kvzalloc(BITS_TO_LONGS(COUNTER_RANDOM_SPACE) * sizeof(long),
			GFP_KERNEL);
	if (!seen)
		return false;
	wg_replay_counter_init(c);
	for (op = 0; op < COUNTER_RANDOM_OPS; ++op) {
		/* xorshift64*: reproducible. */
		rng ^= rng >> 12;
		rng ^= rng << 25;
		rng ^= rng >> 27;
		r = rng * 0x2545f4914f6cdd1dULL;
		n = (r >> 58) & 63;
		if (n == 0)		/* a jump ahead, up to two rings */
			value = highest + (u32)r % (2 * COUNTER_BITS_TOTAL);
		else if (n < 4)		/* on the window's edge, or just out */
			value = highest - W - (r & 1);
		else if (n < 10)	/* a replay of something recent */
			value = highest - (u32)r % 64;
		else			/* reordering in and around the window */
			value = highest + 200 - (u32)r % (u32)(W + 400);
		if (value >= COUNTER_RANDOM_SPACE) {
			if ((s64)value < 0)
				continue;	/* below zero early on */
			break;
		}
		want = !test_bit(value, seen) &&
		       (!any || value + W >= highest);
		got = wg_replay_counter_validate(c, value);
		if (got != want) {
			pr_err("counter self-test random op %u: %llu (highest %llu) %s, expected %s\n",
			       op, value, highest, got ? "accepted" : "rejected",
			       want ? "accept" : "reject");
			ok = false;
			break;
		}
		if (got) {
			__set_bit(value, seen);
			++accepted;
			if (!any || value > highest)
				highest = value;
			any = true;
		}
	}
	/* The run must have gone somewhere for its verdict to mean much. */
	if (ok && (op < COUNTER_RANDOM_OPS / 2 || accepted < op / 4)) {
		pr_err("counter self-test random: only %u ops, %u accepted\n",
		       op, accepted);
		ok = false;
	}
	kvfree(seen);
	return ok;
}

#define RUN(name, ...) ({						\
	const struct counter_step steps_[] = { __VA_ARGS__ };	\
	counter_run(c, name, steps_, ARRAY_SIZE(steps_));		\
})

bool wg_replay_counter_selftest(void)
{
	const u64 W = COUNTER_WINDOW_SIZE;
	const u64 R = REJECT_AFTER_MESSAGES;
	struct noise_replay_counter *c;
	bool ok = true;
	u64 i, base;

	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return false;

	ok &= RUN("in-order",
		  { 0, true }, { 1, true }, { 2, true }, { 3, true },
		  { 4, true }, { 5, true });
	ok &= RUN("duplicates",
		  { 0, true }, { 0, false }, { 1, true }, { 1, false },
		  { 0, false }, { 7, true }, { 7, false }, { 1, false });
	ok &= RUN("reordered",
		  { 5, true }, { 3, true }, { 4, true }, { 0, true },
		  { 2, true }, { 1, true }, { 3, false }, { 6, true },
		  { 5, false }, { 100, true }, { 99, true }, { 100, false },
		  { 6, false }, { 64, true }, { 63, true }, { 65, true });
	ok &= RUN("window edges",
		  { W + 10, true },
		  { 10, true },		/* exactly W back: accepted */
		  { 9, false },		/* W + 1 back: too old */
		  { 10, false },	/* and 10 is now a duplicate */
		  { W + 11, true },
		  { 10, false },	/* now W + 1 back */
		  { 11, true },		/* exactly W back */
		  { W + 11, false });
	ok &= RUN("window start from zero",
		  { W, true }, { 0, true }, { 0, false }, { W + 1, true },
		  { 0, false }, { 1, true }, { W + 1, false });
	ok &= RUN("big jumps",
		  { 1, true }, { 2, true },
		  { 10 * W, true },		/* whole ring cleared */
		  { 1, false }, { 10 * W - 1, true }, { 10 * W, false },
		  { 9 * W - 1, false },		/* W + 1 back */
		  { 9 * W, true },		/* exactly W back */
		  { 1ULL << 40, true }, { 10 * W - 2, false },
		  { (1ULL << 40) - 1, true }, { (1ULL << 40) - W, true },
		  { (1ULL << 40) - W - 1, false });
	ok &= RUN("jump by exactly one ring",
		  { 5, true }, { 5 + COUNTER_BITS_TOTAL, true },
		  { 5 + COUNTER_BITS_TOTAL - W, true },
		  { 5, false }, { 6 + COUNTER_BITS_TOTAL, true });
	ok &= RUN("reject-after limit",
		  { R - 2, true }, { R - 1, true }, { R, false },
		  { R + 1, false }, { U64_MAX, false }, { U64_MAX - 1, false },
		  { R - 1, false }, { R - 3, true }, { R - 1 - W, true },
		  { R - 2 - W, false });
	ok &= RUN("wrap-adjacent values",
		  { U64_MAX, false }, { 0, true }, { U64_MAX - W, false },
		  { R, false }, { 1, true });

	/* Every counter in a full window, in reverse, after the highest. */
	wg_replay_counter_init(c);
	base = 3 * COUNTER_BITS_TOTAL + 17;
	for (i = 0; i <= W; ++i) {
		if (!wg_replay_counter_validate(c, base - i)) {
			pr_err("counter self-test reverse fill %llu\n",
			       i);
			ok = false;
			break;
		}
	}
	if (wg_replay_counter_validate(c, base - W - 1))
		ok = false;
	for (i = 0; i <= W; ++i) {
		if (wg_replay_counter_validate(c, base - i)) {
			pr_err("counter self-test reverse replay %llu\n",
			       i);
			ok = false;
			break;
		}
	}

	/* Sliding: every step forward by one word keeps the window exact. */
	wg_replay_counter_init(c);
	for (i = 0; i < 4 * COUNTER_BITS_TOTAL; i += 37) {
		if (!wg_replay_counter_validate(c, i) ||
		    (i > W && wg_replay_counter_validate(c, i - W - 1)) ||
		    (i >= W && wg_replay_counter_validate(c, i - W) !=
				       ((i - W) % 37 != 0))) {
			pr_err("counter self-test slide at %llu\n",
			       i);
			ok = false;
			break;
		}
	}

	ok &= counter_random(c);

	kfree(c);
	pr_info("counter self-tests: %s\n", ok ? "pass" : "FAIL");
	return ok;
}
#undef RUN
