// SPDX-License-Identifier: GPL-2.0
/*
 * wg-mesh: check a set of wg-quick configurations before they are
 * deployed; generate, re-key and plan a multi-site overlay from one
 * inventory.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "parse.h"

const char *wg_prog_name = "wg-mesh";

/*
 * wg-mesh never resolves names: an Endpoint is recorded as given; only a
 * numeric address is filled in.
 */
static bool no_resolve(const char *host, const char *service, const char *whole,
		       union wg_endpoint *out)
{
	(void)service;
	(void)whole;
	if (inet_pton(AF_INET, host, &out->in4.sin_addr) == 1)
		out->in4.sin_family = AF_INET;
	else if (inet_pton(AF_INET6, host, &out->in6.sin6_addr) == 1)
		out->in6.sin6_family = AF_INET6;
	return true;
}

static bool no_service(const char *service, uint16_t *port)
{
	(void)service;
	*port = 0;
	return true;
}

static const struct {
	const char *name;
	int (*main)(int argc, char *argv[]);
	const char *what;
} commands[] = {
	{ "check", check_main, "reachability and findings of a set of wg-quick configs" },
	{ "generate", generate_main, "every node's configuration from an inventory" },
	{ "rotate", rotate_main, "a new key for one node, and the commands that apply it" },
	{ "plan", plan_main, "what changes between two sets of configs, as wg set/syncconf commands" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: wg-mesh COMMAND [ARGS...]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\nSee wg-mesh(8).\n");
}

int main(int argc, char *argv[])
{
	wg_resolve_endpoint_hook = no_resolve;
	wg_resolve_service_hook = no_service;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "wg-mesh: unknown command `%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
