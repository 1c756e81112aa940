/* SPDX-License-Identifier: GPL-2.0 */
/* Writing an inventory's configurations (generate.c, emit.c). */
#ifndef WG_MESH_GENERATE_H
#define WG_MESH_GENERATE_H

#include "inventory.h"

enum gen_format { FMT_WG_QUICK, FMT_NETWORKD };

struct gen {
	struct inventory inv;
	const char *dir;
	enum gen_format format;
	uint8_t (*priv)[WG_KEY_LEN];
	uint8_t (*pub)[WG_KEY_LEN];
	bool *fresh;		/* the node's key is new */
};

/* emit.c: one node's files, as text: the wg-quick .conf, or .netdev + .network. */
char *emit_wg_quick(const struct gen *g, size_t i, size_t *len);
char *emit_netdev(const struct gen *g, size_t i, size_t *len);
char *emit_network(const struct gen *g, size_t i, size_t *len);

/* generate.c: parse, route, load or make keys (rotate: a fresh one for node `fresh'). */
bool gen_prepare(struct gen *g, const char *inventory, const char *fresh, bool need_keys);
bool gen_write(const struct gen *g);
void gen_free(struct gen *g);

#endif
