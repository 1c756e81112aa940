/* SPDX-License-Identifier: GPL-2.0 */
/* The wg-mesh subcommands (wg-mesh.c dispatches). */
#ifndef WG_MESH_CMD_H
#define WG_MESH_CMD_H

#include <stdbool.h>

struct mesh;
struct mesh_report;
struct gen;

int gen_options(struct gen *g, int argc, char *argv[]);

int check_main(int argc, char *argv[]);
int generate_main(int argc, char *argv[]);
int rotate_main(int argc, char *argv[]);
int plan_main(int argc, char *argv[]);
bool mesh_expect(const struct mesh *m, struct mesh_report *r, const char *spec);

#endif
