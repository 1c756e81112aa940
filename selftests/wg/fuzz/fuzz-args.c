// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: tools/wg's command-line parsing for `wg set'.  The
 * input is split at NUL bytes into an argument vector (the interface name
 * first, as after `wg set').  Key files are faked (hooks.h): "key:<text>"
 * reads <text>, so key-file parsing is fuzzed too without touching files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "parse.h"

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	wg_test_hooks_install(true);
	stderr = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[MAX_ARGS + 1];
	char *copy = malloc(size + 1);
	struct wg_dev *dev;
	int argc = 0;
	size_t start = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size && argc < MAX_ARGS; ++i) {
		if (copy[i] == '\0') {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	dev = wg_dev_new();
	if (dev && argc > 0 && wg_dev_set_name(dev, argv[0])) {
		if (wg_parse_set_args(dev, argc - 1, argv + 1)) {
			/* Accepted: every peer is keyed and holds sane prefixes. */
			for (size_t i = 0; i < dev->npeers; ++i) {
				if (!(dev->peers[i].flags & PEER_HAS_PUBLIC_KEY))
					abort();
				for (size_t j = 0; j < dev->peers[i].naips; ++j)
					if (dev->peers[i].aips[j].cidr > (dev->peers[i].aips[j].family == AF_INET ? 32 : 128))
						abort();
			}
		}
	}
	wg_dev_free(dev);
	free(copy);
	return 0;
}
