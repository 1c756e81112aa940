/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministic, offline replacements for the parser's outside effects
 * (name resolution, key files), shared by the unit tests and the fuzzers.
 *
 * Names: numeric addresses resolve to themselves; "host.example" to
 * 192.0.2.7 and "host6.example" to 2001:db8::7; anything else fails the
 * way a missing name does.  Services: decimal ports and "domain" (53).
 * Key files (when faked): "/dev/null" is empty, "key:<text>" contains
 * <text>, anything else cannot be opened.
 */
#ifndef WG_TEST_HOOKS_H
#define WG_TEST_HOOKS_H

#include <stdbool.h>

void wg_test_hooks_install(bool fake_keyfiles);

#endif
