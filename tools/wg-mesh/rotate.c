// SPDX-License-Identifier: GPL-2.0
/*
 * wg-mesh rotate INVENTORY NODE -o DIR
 *
 * A new key for NODE; every node's configuration is written again (the
 * others keep their keys, which must exist: rotate never re-keys a mesh
 * by accident).  Prints, per host, the command that applies the new file
 * without taking the interface down: wg syncconf replaces the keys and
 * peers, keeping every other peer's session.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "encoding.h"
#include "generate.h"
#include "keystore.h"

static void commands(const struct gen *g, int node)
{
	const struct inventory *inv = &g->inv;
	size_t n = inv->nnodes;
	char b64[WG_B64_KEY_LEN + 1];

	wg_key_to_base64(b64, g->pub[node]);
	printf("# %s's new public key: %s\n", inv->nodes[node].name, b64);
	printf("# Install DIR/HOST/%s.conf as /etc/wireguard/%s.conf on each host below, then run there:\n",
	       inv->iface, inv->iface);
	printf("%s: wg syncconf %s <(wg-quick strip %s)\n", inv->nodes[node].name, inv->iface, inv->iface);
	for (size_t j = 0; j < n; ++j)
		if (inv->peer[(size_t)node * n + j])
			printf("%s: wg syncconf %s <(wg-quick strip %s)\n", inv->nodes[j].name, inv->iface,
			       inv->iface);
}

int rotate_main(int argc, char *argv[])
{
	struct gen g = { 0 };
	int first = gen_options(&g, argc, argv), rc = 1;

	if (first < 0 || first != argc - 2 || g.format != FMT_WG_QUICK) {
		fprintf(stderr, "Usage: wg-mesh rotate INVENTORY NODE -o DIR\n");
		return 2;
	}
	if (gen_prepare(&g, argv[first], argv[first + 1], true) && gen_write(&g)) {
		commands(&g, inv_find(&g.inv, argv[first + 1]));
		rc = 0;
	}
	gen_free(&g);
	return rc;
}
