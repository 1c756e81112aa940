/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inventory: one human-edited INI file describing an overlay (a [Mesh]
 * section, then one [Node] section per node), and the peerings and routes
 * its topology implies (topology.c).
 */
#ifndef WG_MESH_INVENTORY_H
#define WG_MESH_INVENTORY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mesh.h"

enum topology { TOPO_NONE, TOPO_HUB, TOPO_FULL, TOPO_REGIONAL };

struct inv_node {
	char name[33];
	char region[33];
	struct mesh_prefix addr;
	char addr_text[64];
	char endpoint[256];		/* "" when the node has none */
	unsigned int listen_port;	/* 0: the mesh's */
	bool region_hub;		/* Hub = yes: its region's nodes peer with it */
	unsigned int line;		/* its [Node] header */
	unsigned int name_line, addr_line, endpoint_line;
};

struct inventory {
	const char *path;
	enum topology topology;
	char hub[33];
	unsigned int hub_line, topology_line;
	char meshes[256];		/* regions meshed directly, "," separated */
	char iface[16];
	unsigned int listen_port, keepalive, mtu;
	struct inv_node *nodes;
	size_t nnodes;
	int hub_index;
	/* topology.c: peer[i * n + j], next[i * n + j] (next hop from i to j) */
	bool *peer;
	int *next;
	bool *transit;
};

/* Parses a whole inventory; false after "PATH:LINE: message" on stderr. */
bool inv_parse(struct inventory *inv, FILE *f, const char *path);
bool inv_load(struct inventory *inv, const char *path);
void inv_free(struct inventory *inv);
int inv_find(const struct inventory *inv, const char *name);

/* topology.c: peerings and next hops; false after naming the lines at fault. */
bool inv_route(struct inventory *inv);

#endif
