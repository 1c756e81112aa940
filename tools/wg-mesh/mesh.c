// SPDX-License-Identifier: GPL-2.0
/*
 * A set of configurations as a mesh: which files (a directory is searched
 * for DIR/NAME.conf, DIR/NODE/NAME.conf and DIR/NODE/wireguard/NAME.conf), the name
 * of each node, its public key (from its PrivateKey, with crypto/'s
 * Curve25519) and which node each [Peer] is.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keys.h"
#include "mesh.h"

static bool load_dir(struct mesh *m, const char *dir)
{
	static const char *const patterns[] = { "%s/*.conf", "%s/*/*.conf", "%s/*/wireguard/*.conf" };
	bool ok = true, any = false;

	for (size_t i = 0; ok && i < sizeof(patterns) / sizeof(patterns[0]); ++i) {
		char pat[4096];
		glob_t g;

		snprintf(pat, sizeof(pat), patterns[i], dir);
		if (glob(pat, 0, NULL, &g))
			continue;
		for (size_t k = 0; ok && k < g.gl_pathc; ++k)
			ok = mesh_load_file(m, g.gl_pathv[k]);
		any |= g.gl_pathc > 0;
		globfree(&g);
	}
	if (ok && !any)
		fprintf(stderr, "%s: no configuration (*.conf) found\n", dir);
	return ok && any;
}

bool mesh_load_args(struct mesh *m, int argc, char *const argv[])
{
	struct stat st;

	for (int i = 0; i < argc; ++i) {
		bool ok = !stat(argv[i], &st) && S_ISDIR(st.st_mode) ? load_dir(m, argv[i])
								    : mesh_load_file(m, argv[i]);
		if (!ok)
			return false;
	}
	return true;
}

/*
 * Component `up' levels above the file (0: the file name without
 * ".conf"), skipping directories called "wireguard".
 */
static void name_from(char *out, const char *path, int up)
{
	const char *end = path + strlen(path), *start;
	size_t len;

	for (;;) {
		start = end;
		while (start > path && start[-1] != '/')
			--start;
		len = (size_t)(end - start);
		if (up == 0 || start == path) {
			if (up == 0 && len > 5 && !strncmp(end - 5, ".conf", 5))
				len -= 5;
			break;
		}
		end = start - 1;
		while (end > path && end[-1] == '/')
			--end;
		if (!(end - path >= 9 && !strncmp(end - 9, "wireguard", 9) &&
		      (end - 9 == path || end[-10] == '/')))
			--up;
	}
	if (len >= MESH_NAME_LEN)
		len = MESH_NAME_LEN - 1;
	memcpy(out, start, len);
	out[len] = '\0';
}

static bool names_unique(const struct mesh *m)
{
	for (size_t i = 0; i < m->nnodes; ++i)
		for (size_t j = i + 1; j < m->nnodes; ++j)
			if (!strcmp(m->nodes[i].name, m->nodes[j].name))
				return false;
	return true;
}

static void link_peers(struct mesh *m, struct mesh_node *n)
{
	for (size_t k = 0; k < n->npeers; ++k) {
		struct mesh_peer *p = &n->peers[k];

		p->wp = &n->dev->peers[k];
		p->node = -1;
		for (size_t j = 0; j < m->nnodes; ++j)
			if (m->nodes[j].has_key && !memcmp(m->nodes[j].pub, p->wp->public_key, WG_KEY_LEN))
				p->node = (int)j;
	}
}

void mesh_link(struct mesh *m)
{
	wg_keys_init();
	for (int up = 0; up < 3; ++up) {
		for (size_t i = 0; i < m->nnodes; ++i)
			name_from(m->nodes[i].name, m->nodes[i].path, up);
		if (names_unique(m))
			break;
	}
	for (size_t i = 0; i < m->nnodes; ++i) {
		struct mesh_node *n = &m->nodes[i];

		n->has_key = (n->dev->flags & DEV_HAS_PRIVATE_KEY) && !wg_key_is_zero(n->dev->private_key);
		if (n->has_key)
			wg_public_from_private(n->pub, n->dev->private_key);
	}
	for (size_t i = 0; i < m->nnodes; ++i)
		link_peers(m, &m->nodes[i]);
}

int mesh_find(const struct mesh *m, const char *name)
{
	for (size_t i = 0; i < m->nnodes; ++i)
		if (!strcmp(m->nodes[i].name, name))
			return (int)i;
	return -1;
}

void mesh_free(struct mesh *m)
{
	for (size_t i = 0; i < m->nnodes; ++i) {
		struct mesh_node *n = &m->nodes[i];

		for (size_t k = 0; k < n->npeers; ++k)
			free(n->peers[k].aip_line);
		free(n->peers);
		free(n->addrs);
		free(n->path);
		wg_dev_free(n->dev);
	}
	free(m->nodes);
	memset(m, 0, sizeof(*m));
}
