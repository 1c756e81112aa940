// SPDX-License-Identifier: GPL-2.0
/*
 * wg-mesh check's three outputs: a table for people (matrix, blocked pairs
 * grouped by the line to change, findings), one line per ordered pair for
 * scripts (--pairs), and JSON (--json).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

static size_t count_ok(const struct mesh_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->npairs; ++i)
		n += r->pairs[i].ok;
	return n;
}

static const struct mesh_pair *pair_of(const struct mesh_report *r, int src, int dst)
{
	for (size_t i = 0; i < r->npairs; ++i)
		if (r->pairs[i].src == src && r->pairs[i].dst == dst)
			return &r->pairs[i];
	return NULL;
}

static void cell(char *buf, size_t len, const struct mesh *m, const struct mesh_pair *p)
{
	if (!p)
		snprintf(buf, len, ".");
	else if (p->ok && p->nhops <= 2)
		snprintf(buf, len, "d");
	else if (p->ok)
		snprintf(buf, len, "%s", m->nodes[p->hops[1]].name);
	else if (p->reason == R_NO_ROUTE && p->at == (p->reply ? p->dst : p->src))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s%s", p->reply ? "~" : "x", m->nodes[p->at].name);
}

static void matrix(const struct mesh *m, const struct mesh_report *r)
{
	int w = 4;
	char c[MESH_NAME_LEN + 2];

	for (size_t i = 0; i < m->nnodes; ++i)
		if ((int)strlen(m->nodes[i].name) + 2 > w)
			w = (int)strlen(m->nodes[i].name) + 2;
	printf("  %-*s", w + 1, "from\\to");
	for (size_t j = 0; j < m->nnodes; ++j)
		printf("%*s", w, m->nodes[j].name);
	putchar('\n');
	for (size_t i = 0; i < m->nnodes; ++i) {
		printf("  %-*s", w + 1, m->nodes[i].name);
		for (size_t j = 0; j < m->nnodes; ++j) {
			cell(c, sizeof(c), m, pair_of(r, (int)i, (int)j));
			printf("%*s", w, c);
		}
		putchar('\n');
	}
	printf("  d: direct; NODE: through NODE first; -: no route at the source;\n"
	       "  xNODE: the request is lost at NODE; ~NODE: the reply is lost at NODE\n");
}

static bool same_group(const struct mesh_pair *a, const struct mesh_pair *b)
{
	return !b->ok && a->reason == b->reason && a->at == b->at && a->line == b->line &&
	       !strcmp(a->why, b->why);
}

static void group(const struct mesh *m, const struct mesh_report *r, size_t first, bool *done)
{
	const struct mesh_pair *g = &r->pairs[first];
	char whats[512] = "";
	size_t o = 0;

	printf("  %s:%u: %s: %s\n     ", g->file, g->line, mesh_reason_name[g->reason], g->why);
	for (size_t i = first; i < r->npairs; ++i) {
		const struct mesh_pair *p = &r->pairs[i];

		if (done[i] || !same_group(g, p))
			continue;
		done[i] = true;
		printf(" %s%s>%s", p->reply ? "reply of " : "", m->nodes[p->src].name, m->nodes[p->dst].name);
		if (p->what[0] && !strstr(whats, p->what) && o + strlen(p->what) + 2 < sizeof(whats))
			o += (size_t)snprintf(whats + o, sizeof(whats) - o, " %s", p->what);
	}
	putchar('\n');
	if (whats[0])
		printf("      (addresses:%s)\n", whats);
}

void mesh_print_table(const struct mesh *m, const struct mesh_report *r)
{
	size_t ok = count_ok(r);
	bool done[r->npairs ? r->npairs : 1];

	memset(done, 0, sizeof(done));
	printf("%zu nodes, %zu ordered pairs: %zu reachable, %zu blocked\n\n", m->nnodes, r->npairs, ok,
	       r->npairs - ok);
	matrix(m, r);
	if (ok < r->npairs)
		printf("\nblocked pairs, by the line to change:\n");
	for (size_t i = 0; i < r->npairs; ++i)
		if (!r->pairs[i].ok && !done[i])
			group(m, r, i, done);
	if (r->nfindings)
		printf("\nfindings:\n");
	for (size_t i = 0; i < r->nfindings; ++i)
		printf("  %s:%u: %s: %s\n", r->findings[i].file, r->findings[i].line, r->findings[i].kind,
		       r->findings[i].text);
}

static void path_text(char *buf, size_t len, const struct mesh *m, const struct mesh_pair *p)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int h = 0; h < p->nhops && o < len; ++h)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", h ? ">" : "", m->nodes[p->hops[h]].name);
}

void mesh_print_pairs(const struct mesh *m, const struct mesh_report *r)
{
	char path[MESH_MAX_HOPS * (MESH_NAME_LEN + 1)];

	for (size_t i = 0; i < r->npairs; ++i) {
		const struct mesh_pair *p = &r->pairs[i];

		path_text(path, sizeof(path), m, p);
		if (p->ok)
			printf("%s %s ok %s - -\n", m->nodes[p->src].name, m->nodes[p->dst].name, path);
		else
			printf("%s %s blocked %s %s %s %s:%u\n", m->nodes[p->src].name, m->nodes[p->dst].name,
			       path, m->nodes[p->at].name, mesh_reason_name[p->reason], p->file, p->line);
	}
}
