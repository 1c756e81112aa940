/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wg-mesh's picture of a set of wg-quick configurations: one node per
 * file, with what tools/wg's parser made of it (struct wg_dev) plus what
 * only wg-quick reads (Address, MTU, hooks) and the line of every setting,
 * so that each finding can name the line to change.
 */
#ifndef WG_MESH_H
#define WG_MESH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "device.h"

#define MESH_NAME_LEN 64

/* An address or prefix: family (AF_INET/AF_INET6), bytes, prefix length. */
struct mesh_prefix {
	uint16_t family;
	uint8_t cidr;
	uint8_t addr[16];
	unsigned int line;
};

struct mesh_peer {
	struct wg_peer *wp;		/* in node->dev->peers */
	unsigned int line;		/* its [Peer] header */
	unsigned int key_line, endpoint_line, keepalive_line;
	char endpoint[128];		/* as written, without spaces */
	unsigned int aips_line;		/* first AllowedIPs line */
	unsigned int *aip_line;		/* per entry of wp->aips */
	int node;			/* index of the node holding its key, or -1 */
};

struct mesh_node {
	char name[MESH_NAME_LEN];
	char *path;
	struct wg_dev *dev;
	uint8_t pub[WG_KEY_LEN];
	bool has_key;
	unsigned int iface_line, key_line;
	struct mesh_prefix *addrs;
	size_t naddrs;
	unsigned int mtu, mtu_line;	/* mtu 0: not set */
	bool forward4, forward6;	/* a hook turns forwarding on */
	unsigned int forward_line;
	mode_t mode;
	struct mesh_peer *peers;	/* parallel to dev->peers */
	size_t npeers;
};

struct mesh {
	struct mesh_node *nodes;
	size_t nnodes;
};

/* Loading (load.c): false after a message naming the file and line. */
bool mesh_load_file(struct mesh *m, const char *path);
bool mesh_load_args(struct mesh *m, int argc, char *const argv[]);
/* Names nodes, derives public keys, links peers to nodes. */
void mesh_link(struct mesh *m);
void mesh_free(struct mesh *m);
int mesh_find(const struct mesh *m, const char *name);

/* Prefixes (prefix.c). */
bool mesh_prefix_parse(struct mesh_prefix *p, const char *text);
void mesh_prefix_from_aip(struct mesh_prefix *p, const struct wg_aip *aip);
bool mesh_prefix_contains(const struct mesh_prefix *net, const struct mesh_prefix *addr);
bool mesh_prefix_overlap(const struct mesh_prefix *a, const struct mesh_prefix *b);
bool mesh_prefix_equal(const struct mesh_prefix *a, const struct mesh_prefix *b);
/* "10.1.2.3", or with_len "10.1.2.3/32". */
const char *mesh_prefix_str(const struct mesh_prefix *p, bool with_len, char *buf, size_t len);

#endif
