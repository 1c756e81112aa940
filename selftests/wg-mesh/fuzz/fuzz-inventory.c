// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: wg-mesh's inventory parser, then the topology's
 * routing and the wg-quick and networkd writers on what it accepts.
 * Whatever is accepted must be a mesh that generate can write: two nodes
 * or more, each named and addressed, names and addresses distinct, and
 * (when routed) a next hop from every node to every other that gets there
 * over peerings in at most n - 1 hops, the same path both ways.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate.h"
#include "hooks.h"

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

static void check_nodes(const struct inventory *inv)
{
	if (inv->nnodes < 2 || !inv->iface[0] || !inv->listen_port)
		abort();
	for (size_t i = 0; i < inv->nnodes; ++i) {
		const struct inv_node *a = &inv->nodes[i];

		if (!a->name[0] || !a->addr.family || inv_find(inv, a->name) != (int)i)
			abort();
		for (size_t j = 0; j < i; ++j)
			if (a->addr.family == inv->nodes[j].addr.family &&
			    !memcmp(a->addr.addr, inv->nodes[j].addr.addr, 16))
				abort();
	}
}

static void check_routes(const struct inventory *inv)
{
	size_t n = inv->nnodes;

	for (size_t s = 0; s < n; ++s)
		for (size_t d = 0; d < n; ++d) {
			size_t cur = s, hops = 0;

			while (s != d && cur != d) {
				int nx = inv->next[cur * n + d];

				if (nx < 0 || !inv->peer[cur * n + (size_t)nx] || ++hops >= n)
					abort();
				cur = (size_t)nx;
			}
		}
}

static void emit_all(struct inventory *inv)
{
	struct gen g = { .inv = *inv };
	uint8_t keys[64][WG_KEY_LEN] = { { 0 } };
	size_t len;

	if (inv->nnodes > 64)
		return;
	g.priv = keys;
	g.pub = keys;
	for (size_t i = 0; i < inv->nnodes; ++i) {
		free(emit_wg_quick(&g, i, &len));
		free(emit_netdev(&g, i, &len));
		free(emit_network(&g, i, &len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inventory inv = { 0 };
	FILE *f = fmemopen((void *)data, size, "r");

	if (!f)
		return 0;
	if (size && inv_parse(&inv, f, "fuzz.inventory")) {
		check_nodes(&inv);
		if (inv.nnodes <= 64 && inv_route(&inv)) {
			check_routes(&inv);
			emit_all(&inv);
		}
	}
	fclose(f);
	inv_free(&inv);
	return 0;
}
