// SPDX-License-Identifier: GPL-2.0
/*
 * Terminal output for `wg show': printf that keeps or drops the colour
 * escape sequences (a terminal, or WG_COLOR_MODE=always|never).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term.h"

static bool colours(void)
{
	static int mode = -1;

	if (mode < 0) {
		const char *env = getenv("WG_COLOR_MODE");

		if (env && !strcmp(env, "always"))
			mode = 1;
		else if (env && !strcmp(env, "never"))
			mode = 0;
		else
			mode = isatty(STDOUT_FILENO) ? 1 : 0;
	}
	return mode;
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void term_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	if (colours()) {
		vprintf(fmt, ap);
		va_end(ap);
		return;
	}
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* Drop "ESC [ ... <letter>" sequences, print everything else. */
	for (int i = 0; i < n; ++i) {
		if (s[i] == '\x1b' && i + 2 < n && s[i + 1] == '[') {
			int j = i + 2;

			while (j < n && !is_letter(s[j]))
				++j;
			i = j;
			continue;
		}
		putchar(s[i]);
	}
	free(s);
}
