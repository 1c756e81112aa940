/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Colour escape sequences for `wg show' and the printf that honours the
 * colour mode: term.c.
 */
#ifndef WG_TOOL_TERM_H
#define WG_TOOL_TERM_H

#define C_RESET "\x1b[0m"
#define C_BOLD "\x1b[1m"
#define C_RED "\x1b[31m"
#define C_GREEN "\x1b[32m"
#define C_YELLOW "\x1b[33m"
#define C_CYAN "\x1b[36m"

/* printf to stdout; escape sequences are dropped unless colours are on. */
void term_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
