// SPDX-License-Identifier: GPL-2.0
/*
 * wg: configure WireGuard interfaces.  Command-line compatible with wg(8).
 */
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "keys.h"
#include "wg.h"

#ifndef WG_TOOLS_VERSION
#error "WG_TOOLS_VERSION is set by the Makefile (from the top-level VERSION file)"
#endif

const char *wg_prog_name = "wg";

static const struct {
	const char *name;
	int (*run)(int argc, const char *argv[]);
	const char *help;
} commands[] = {
	{ "show", show_main, "Shows the current configuration and device information" },
	{ "showconf", showconf_main, "Shows the current configuration of a given WireGuard interface, for use with `setconf'" },
	{ "set", set_main, "Change the current configuration, add peers, remove peers, or change peers" },
	{ "setconf", setconf_main, "Applies a configuration file to a WireGuard interface" },
	{ "addconf", setconf_main, "Appends a configuration file to a WireGuard interface" },
	{ "syncconf", setconf_main, "Synchronizes a configuration file to a WireGuard interface" },
	{ "genkey", genkey_main, "Generates a new private key and writes it to stdout" },
	{ "genpsk", genkey_main, "Generates a new preshared key and writes it to stdout" },
	{ "pubkey", pubkey_main, "Reads a private key from stdin and writes a public key to stdout" },
};

/*
 * This project's own subcommands: not in the usage list, which stays the
 * reference wg's word for word (selftests compare them); see wg(8).
 */
static const struct {
	const char *name;
	int (*run)(int argc, const char *argv[]);
} extra_commands[] = {
	{ "monitor", monitor_main },
};

bool wg_interface_name_ok(const char *name)
{
	if (strlen(name) >= IFNAMSIZ) {
		fprintf(stderr, "Interface name is longer than %d characters: `%s'\n", IFNAMSIZ - 1, name);
		return false;
	}
	return true;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: %s <cmd> [<args>]\n\n", wg_prog_name);
	fprintf(out, "Available subcommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
		fprintf(out, "  %s: %s\n", commands[i].name, commands[i].help);
	fprintf(out, "You may pass `--help' to any of these subcommands to view usage.\n");
}

int main(int argc, const char *argv[])
{
	wg_prog_name = argv[0];
	wg_keys_init();

	if (argc == 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
		printf("wg (wireguard-oot) %s\n", WG_TOOLS_VERSION);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 1) {
		const char *show_all[] = { "show", NULL };

		return show_main(1, show_all);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(extra_commands) / sizeof(extra_commands[0]); ++i)
		if (!strcmp(argv[1], extra_commands[i].name))
			return extra_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "Invalid subcommand: `%s'\n", argv[1]);
	usage(stderr);
	return 1;
}
