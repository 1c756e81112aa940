// SPDX-License-Identifier: GPL-2.0
/*
 * wg-mesh generate INVENTORY -o DIR [--format wg-quick|networkd]
 *
 * Writes DIR/NODE/IFACE.conf (or IFACE.netdev and IFACE.network) for every
 * node, mode 0600, keeping each node's key in DIR/keys/NODE.key or making
 * one.  The inventory is parsed and routed, and every key read, before
 * anything is written: an error leaves DIR as it was.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "encoding.h"
#include "generate.h"
#include "keys.h"
#include "keystore.h"

static bool node_key(struct gen *g, size_t i, const char *fresh, bool need_keys)
{
	const char *name = g->inv.nodes[i].name;
	int got = fresh && !strcmp(fresh, name) ? 0 : ks_load(g->dir, name, g->priv[i]);

	if (got < 0)
		return false;
	if (!got && need_keys && !(fresh && !strcmp(fresh, name))) {
		fprintf(stderr, "%s/keys/%s.key: no key for %s; run wg-mesh generate first\n", g->dir, name, name);
		return false;
	}
	if (!got) {
		if (!ks_generate(g->priv[i]))
			return false;
		g->fresh[i] = true;
	}
	wg_public_from_private(g->pub[i], g->priv[i]);
	return true;
}

bool gen_prepare(struct gen *g, const char *inventory, const char *fresh, bool need_keys)
{
	size_t n;

	if (!inv_load(&g->inv, inventory) || !inv_route(&g->inv))
		return false;
	if (fresh && inv_find(&g->inv, fresh) < 0) {
		fprintf(stderr, "%s: no [Node] named %s\n", inventory, fresh);
		return false;
	}
	n = g->inv.nnodes;
	g->priv = calloc(n, sizeof(*g->priv));
	g->pub = calloc(n, sizeof(*g->pub));
	g->fresh = calloc(n, sizeof(*g->fresh));
	if (!g->priv || !g->pub || !g->fresh)
		return false;
	wg_keys_init();
	for (size_t i = 0; i < n; ++i)
		if (!node_key(g, i, fresh, need_keys))
			return false;
	return true;
}

static bool write_text(const char *dir, const char *node, const char *iface, const char *ext, char *text,
		       size_t len)
{
	char path[4096];
	bool ok;

	snprintf(path, sizeof(path), "%s/%s/%s.%s", dir, node, iface, ext);
	ok = text && ks_write_private(path, text, len);
	if (text)
		memset(text, 0, len);
	free(text);
	return ok;
}

static bool write_node(const struct gen *g, size_t i)
{
	const char *name = g->inv.nodes[i].name, *iface = g->inv.iface;
	char path[4096], *text;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s", g->dir, name);
	if (!ks_mkdir(path))
		return false;
	if (g->format == FMT_WG_QUICK) {
		text = emit_wg_quick(g, i, &len);
		return write_text(g->dir, name, iface, "conf", text, len);
	}
	text = emit_netdev(g, i, &len);
	if (!write_text(g->dir, name, iface, "netdev", text, len))
		return false;
	text = emit_network(g, i, &len);
	return write_text(g->dir, name, iface, "network", text, len);
}

bool gen_write(const struct gen *g)
{
	char keys[4096];

	snprintf(keys, sizeof(keys), "%s/keys", g->dir);
	if (!ks_mkdir(g->dir) || !ks_mkdir(keys))
		return false;
	for (size_t i = 0; i < g->inv.nnodes; ++i)
		if (g->fresh[i] && !ks_store(g->dir, g->inv.nodes[i].name, g->priv[i]))
			return false;
	for (size_t i = 0; i < g->inv.nnodes; ++i)
		if (!write_node(g, i))
			return false;
	return true;
}

void gen_free(struct gen *g)
{
	if (g->priv)
		memset(g->priv, 0, g->inv.nnodes * sizeof(*g->priv));
	free(g->priv);
	free(g->pub);
	free(g->fresh);
	inv_free(&g->inv);
}

/* Options shared by generate and rotate; returns the index of the first operand or -1. */
int gen_options(struct gen *g, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:f:", opts, NULL)) != -1) {
		if (c == 'o')
			g->dir = optarg;
		else if (c == 'f' && !strcmp(optarg, "wg-quick"))
			g->format = FMT_WG_QUICK;
		else if (c == 'f' && !strcmp(optarg, "networkd"))
			g->format = FMT_NETWORKD;
		else
			return -1;
	}
	return g->dir ? optind : -1;
}

int generate_main(int argc, char *argv[])
{
	struct gen g = { 0 };
	int first = gen_options(&g, argc, argv), rc = 1;

	if (first < 0 || first != argc - 1) {
		fprintf(stderr, "Usage: wg-mesh generate INVENTORY -o DIR [--format wg-quick|networkd]\n");
		return 2;
	}
	if (gen_prepare(&g, argv[first], NULL, false) && gen_write(&g)) {
		for (size_t i = 0; i < g.inv.nnodes; ++i) {
			char b64[WG_B64_KEY_LEN + 1];

			wg_key_to_base64(b64, g.pub[i]);
			printf("%-12s %s  %s key%s\n", g.inv.nodes[i].name, b64, g.fresh[i] ? "new" : "kept",
			       g.inv.transit[i] ? ", forwards" : "");
		}
		printf("wrote %zu nodes' configurations under %s\n", g.inv.nnodes, g.dir);
		rc = 0;
	}
	gen_free(&g);
	return rc;
}
