// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay window for the counters (nonces) of received data messages.
 *
 * The window is a ring of COUNTER_BITS_TOTAL bits; bit n of the ring
 * (word n / BITS_PER_LONG modulo the ring size) says whether counter n was
 * seen.  When a higher counter arrives, the words between the old highest
 * counter's word and the new one are cleared, at most the whole ring, so
 * the work per packet is bounded whatever the jump.  One word is kept as
 * slack so that a counter exactly COUNTER_WINDOW_SIZE below the highest
 * still maps to its own word and never aliases the newest one.
 */

#include "counter.h"

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/slab.h>

enum {
	COUNTER_WORDS = COUNTER_BITS_TOTAL / BITS_PER_LONG
};

static_assert((COUNTER_WORDS & (COUNTER_WORDS - 1)) == 0);

void wg_replay_counter_init(struct noise_replay_counter *counter)
{
	counter->counter = 0;
	memset(counter->backtrack, 0, sizeof(counter->backtrack));
	spin_lock_init(&counter->lock);
}

static inline unsigned int counter_word(u64 n)
{
	return (n / BITS_PER_LONG) & (COUNTER_WORDS - 1);
}

bool wg_replay_counter_validate(struct noise_replay_counter *counter,
				u64 their_counter)
{
	unsigned int shift = their_counter % BITS_PER_LONG;
	bool accepted = false;
	u64 old_word, new_word, i, n;

	if (unlikely(their_counter >= REJECT_AFTER_MESSAGES))
		return false;

	spin_lock_bh(&counter->lock);

	/* counter->counter is one past the highest counter accepted. */
	if (their_counter >= counter->counter) {
		if (counter->counter) {
			old_word = (counter->counter - 1) / BITS_PER_LONG;
			new_word = their_counter / BITS_PER_LONG;
			n = min_t(u64, new_word - old_word, COUNTER_WORDS);
			for (i = 1; i <= n; ++i)
				counter->backtrack[counter_word((old_word + i) *
								BITS_PER_LONG)] = 0;
		}
		counter->counter = their_counter + 1;
	} else if (their_counter + COUNTER_WINDOW_SIZE + 1 < counter->counter) {
		/* More than COUNTER_WINDOW_SIZE below the highest. */
		goto out;
	}

	accepted = !__test_and_set_bit(shift,
				       &counter->backtrack[counter_word(their_counter)]);
out:
	spin_unlock_bh(&counter->lock);
	return accepted;
}

#ifdef WG_DEBUG

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
			pr_err("wireguard: counter self-test %s step %zu (%llu): expected %s\n",
			       name, i + 1, steps[i].value,
			       steps[i].expect ? "accept" : "reject");
			ok = false;
		}
	}
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
			pr_err("wireguard: counter self-test reverse fill %llu\n",
			       i);
			ok = false;
			break;
		}
	}
	if (wg_replay_counter_validate(c, base - W - 1))
		ok = false;
	for (i = 0; i <= W; ++i) {
		if (wg_replay_counter_validate(c, base - i)) {
			pr_err("wireguard: counter self-test reverse replay %llu\n",
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
			pr_err("wireguard: counter self-test slide at %llu\n",
			       i);
			ok = false;
			break;
		}
	}

	kfree(c);
	pr_info("wireguard: counter self-tests: %s\n", ok ? "pass" : "FAIL");
	return ok;
}
#undef RUN

#endif /* WG_DEBUG */
