// SPDX-License-Identifier: GPL-2.0
/*
 * From an inventory's topology to peerings and routes.
 *   hub-and-spoke: every node peers with the hub only;
 *   full-mesh:     every node peers with every other;
 *   regional:      every node peers with the hub; the nodes of a region
 *                  listed in RegionalMesh peer with each other; in other
 *                  regions, they peer with the region's own hub (a [Node]
 *                  with Hub = yes), if it has one.
 * Each packet takes a shortest path over the peerings; between paths of
 * equal length, through a node of the destination's region first.  WireGuard routes
 * by destination (a peer's AllowedIPs) and admits by source (the same
 * AllowedIPs), so a node must send towards D through the peer it receives
 * D's packets from: the paths are checked to be the same both ways, and
 * the transit nodes, which need forwarding, are marked.
 */
#include <stdlib.h>
#include <string.h>

#include "inventory.h"

static bool meshed(const struct inventory *inv, const char *region)
{
	size_t n = strlen(region);
	const char *s = inv->meshes;

	if (!n)
		return false;
	while (*s) {
		size_t len = strcspn(s, ",");
		const char *item = s;

		while (len && *item == ' ')
			++item, --len;
		while (len && item[len - 1] == ' ')
			--len;
		if (len == n && !strncmp(item, region, n))
			return true;
		s += strcspn(s, ",");
		s += *s == ',';
	}
	return false;
}

static bool peers(const struct inventory *inv, size_t i, size_t j)
{
	const struct inv_node *a = &inv->nodes[i], *b = &inv->nodes[j];

	if (i == j)
		return false;
	if (inv->topology == TOPO_FULL)
		return true;
	if ((int)i == inv->hub_index || (int)j == inv->hub_index)
		return true;
	if (inv->topology != TOPO_REGIONAL || strcmp(a->region, b->region) || !a->region[0])
		return false;
	return meshed(inv, a->region) || a->region_hub || b->region_hub;
}

/* Between two next hops towards d, the one in d's region; else the first. */
static bool better(const struct inventory *inv, int cur, size_t cand, size_t d)
{
	const char *r = inv->nodes[d].region;

	if (cur < 0)
		return true;
	return r[0] && strcmp(inv->nodes[cur].region, r) && !strcmp(inv->nodes[cand].region, r);
}

/* Breadth-first from d: next[i * n + d] is i's neighbour closer to d. */
static void towards(struct inventory *inv, size_t d, int *dist, size_t *queue)
{
	size_t n = inv->nnodes, head = 0, tail = 0;

	for (size_t i = 0; i < n; ++i) {
		dist[i] = -1;
		inv->next[i * n + d] = -1;
	}
	dist[d] = 0;
	queue[tail++] = d;
	while (head < tail) {
		size_t u = queue[head++];

		for (size_t v = 0; v < n; ++v) {
			if (!inv->peer[u * n + v])
				continue;
			if (dist[v] < 0) {
				dist[v] = dist[u] + 1;
				queue[tail++] = v;
			}
			if (dist[v] == dist[u] + 1 && better(inv, inv->next[v * n + d], u, d))
				inv->next[v * n + d] = (int)u;
		}
	}
}

/* The path s..d, walked by next hops, comes back the same way. */
static bool symmetric(struct inventory *inv, size_t s, size_t d)
{
	size_t n = inv->nnodes, prev = s, cur = (size_t)inv->next[s * n + d];

	while (cur != d) {
		if (inv->next[cur * n + s] != (int)prev)
			return false;
		inv->transit[cur] = true;
		prev = cur;
		cur = (size_t)inv->next[cur * n + d];
	}
	return inv->next[d * n + s] == (int)prev;
}

static bool endpoints(const struct inventory *inv)
{
	size_t n = inv->nnodes;

	for (size_t i = 0; i < n; ++i)
		for (size_t j = i + 1; j < n; ++j) {
			const struct inv_node *a = &inv->nodes[i], *b = &inv->nodes[j];

			if (inv->peer[i * n + j] && !a->endpoint[0] && !b->endpoint[0]) {
				fprintf(stderr, "%s:%u: %s and %s (line %u) peer, but neither has an Endpoint: give one of them an Endpoint\n",
					inv->path, a->line, a->name, b->name, b->line);
				return false;
			}
		}
	return true;
}

static bool routes(struct inventory *inv, int *dist, size_t *queue)
{
	size_t n = inv->nnodes;

	for (size_t d = 0; d < n; ++d) {
		towards(inv, d, dist, queue);
		for (size_t s = 0; s < n; ++s)
			if (s != d && dist[s] < 0) {
				fprintf(stderr, "%s:%u: %s cannot reach %s (line %u) through the topology's peerings\n",
					inv->path, inv->nodes[s].line, inv->nodes[s].name, inv->nodes[d].name,
					inv->nodes[d].line);
				return false;
			}
	}
	for (size_t s = 0; s < n; ++s)
		for (size_t d = 0; d < n; ++d)
			if (s != d && !symmetric(inv, s, d)) {
				fprintf(stderr, "%s:%u: %s and %s (line %u) are joined by paths of equal length that differ each way; WireGuard's AllowedIPs cannot express that\n",
					inv->path, inv->nodes[s].line, inv->nodes[s].name, inv->nodes[d].name,
					inv->nodes[d].line);
				return false;
			}
	return true;
}

bool inv_route(struct inventory *inv)
{
	size_t n = inv->nnodes;
	int *dist = calloc(n, sizeof(*dist));
	size_t *queue = calloc(n, sizeof(*queue));
	bool ok = false;

	inv->peer = calloc(n * n, sizeof(*inv->peer));
	inv->next = calloc(n * n, sizeof(*inv->next));
	inv->transit = calloc(n, sizeof(*inv->transit));
	if (dist && queue && inv->peer && inv->next && inv->transit) {
		for (size_t i = 0; i < n; ++i)
			for (size_t j = 0; j < n; ++j)
				inv->peer[i * n + j] = peers(inv, i, j);
		ok = endpoints(inv) && routes(inv, dist, queue);
	}
	free(dist);
	free(queue);
	return ok;
}
