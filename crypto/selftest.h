/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-answer self-tests of every crypto implementation.
 */
#ifndef WG_CRYPTO_SELFTEST_H
#define WG_CRYPTO_SELFTEST_H

#include "compat.h"

/*
 * Run the vectors once for each implementation level the CPU supports
 * (restricting wg_cpu_features in turn, then restoring it), printing one
 * line per primitive and level and a line naming the levels this CPU
 * cannot run.  Not reentrant with other crypto users: call it before the
 * device carries traffic.
 */
bool wg_crypto_selftest(void);

/* The vectors under the current wg_cpu_features only; @label is printed. */
bool wg_crypto_selftest_impl(const char *label);

#endif /* WG_CRYPTO_SELFTEST_H */
