// SPDX-License-Identifier: GPL-2.0
/*
 * wg-mesh check --json: nodes, every ordered pair, findings and a summary,
 * in one object.
 */
#include <stdio.h>

#include "check.h"
#include "encoding.h"

static void str(const char *s)
{
	putchar('"');
	for (; s && *s; ++s) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void node_json(const struct mesh_node *n)
{
	char b64[WG_B64_KEY_LEN + 1], ip[64];
	const struct mesh_prefix *a = mesh_node_ip(n);

	printf("{\"name\":");
	str(n->name);
	printf(",\"file\":");
	str(n->path);
	printf(",\"address\":");
	if (a)
		str(mesh_prefix_str(a, false, ip, sizeof(ip)));
	else
		printf("null");
	printf(",\"public_key\":");
	if (n->has_key) {
		wg_key_to_base64(b64, n->pub);
		str(b64);
	} else
		printf("null");
	printf(",\"forwards\":%s}", n->forward4 || n->forward6 ? "true" : "false");
}

static void pair_json(const struct mesh *m, const struct mesh_pair *p)
{
	printf("{\"from\":");
	str(m->nodes[p->src].name);
	printf(",\"to\":");
	str(m->nodes[p->dst].name);
	printf(",\"status\":\"%s\",\"expected\":%s,\"path\":[",
	       !p->ok ? "blocked" : p->nhops <= 2 ? "direct" : "via", p->expected ? "true" : "false");
	for (int h = 0; h < p->nhops; ++h) {
		printf(h ? "," : "");
		str(m->nodes[p->hops[h]].name);
	}
	putchar(']');
	if (!p->ok) {
		printf(",\"reason\":\"%s\",\"leg\":\"%s\",\"at\":", mesh_reason_name[p->reason],
		       p->reply ? "reply" : "request");
		str(m->nodes[p->at].name);
		printf(",\"file\":");
		str(p->file);
		printf(",\"line\":%u,\"why\":", p->line);
		str(p->why);
		printf(",\"address\":");
		str(p->what);
	}
	putchar('}');
}

void mesh_print_json(const struct mesh *m, const struct mesh_report *r)
{
	size_t ok = 0, missed = 0;

	printf("{\"nodes\":[");
	for (size_t i = 0; i < m->nnodes; ++i) {
		printf(i ? ",\n" : "\n");
		node_json(&m->nodes[i]);
	}
	printf("],\n\"pairs\":[");
	for (size_t i = 0; i < r->npairs; ++i) {
		printf(i ? ",\n" : "\n");
		pair_json(m, &r->pairs[i]);
		ok += r->pairs[i].ok;
		missed += r->pairs[i].expected && !r->pairs[i].ok;
	}
	printf("],\n\"findings\":[");
	for (size_t i = 0; i < r->nfindings; ++i) {
		printf(i ? ",\n{\"kind\":" : "\n{\"kind\":");
		str(r->findings[i].kind);
		printf(",\"file\":");
		str(r->findings[i].file);
		printf(",\"line\":%u,\"text\":", r->findings[i].line);
		str(r->findings[i].text);
		putchar('}');
	}
	printf("],\n\"summary\":{\"nodes\":%zu,\"pairs\":%zu,\"reachable\":%zu,\"blocked\":%zu,"
	       "\"expected_blocked\":%zu,\"findings\":%zu}}\n",
	       m->nnodes, r->npairs, ok, r->npairs - ok, missed, r->nfindings);
}
