/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the subcommand files share with wg.c: the program name for usage
 * messages, the subcommands' entry points and the interface-name check.
 */
#ifndef WG_TOOL_WG_H
#define WG_TOOL_WG_H

extern const char *wg_prog_name;

int show_main(int argc, const char *argv[]);
int showconf_main(int argc, const char *argv[]);
int set_main(int argc, const char *argv[]);
int setconf_main(int argc, const char *argv[]);
int monitor_main(int argc, const char *argv[]);

#include <stdbool.h>
/* Refuses (with a message) names that cannot be an interface name. */
bool wg_interface_name_ok(const char *name);

#endif
