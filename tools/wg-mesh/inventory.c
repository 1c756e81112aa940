// SPDX-License-Identifier: GPL-2.0
/*
 * The inventory parser.  Lines are "Key = value" (keys in any case, "#"
 * starts a comment) under [Mesh] or [Node] headers.  Every error names the
 * line; nothing is written by the commands unless the whole file parses
 * and its topology can be routed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inventory.h"
#include "parse.h"

struct inv_parser {
	struct inventory *inv;
	unsigned int line;
	enum { IN_NONE, IN_MESH, IN_NODE } section;
	unsigned int mesh_line;
};

static bool err(const struct inv_parser *p, unsigned int line, const char *what, const char *value)
{
	fprintf(stderr, "%s:%u: %s%s%s%s\n", p->inv->path, line, what, value ? ": `" : "",
		value ? value : "", value ? "'" : "");
	return false;
}

/* Strips the comment and the white space around the text. */
static char *trim(char *s)
{
	char *hash = strchr(s, '#'), *end;

	if (hash)
		*hash = '\0';
	while (*s == ' ' || *s == '\t' || *s == '\r')
		++s;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

static bool number(const char *v, unsigned long lo, unsigned long hi, unsigned int *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*end || errno || n < lo || n > hi)
		return false;
	*out = (unsigned int)n;
	return true;
}

static bool name_ok(const char *v)
{
	size_t n = strlen(v);

	if (!n || n > 32 || v[0] == '.' || v[0] == '-')
		return false;
	return strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static bool copy(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return false;
	strcpy(dst, v);
	return true;
}

static bool mesh_key(struct inv_parser *p, const char *k, const char *v)
{
	struct inventory *inv = p->inv;

	if (!strcasecmp(k, "Topology")) {
		inv->topology_line = p->line;
		if (!strcasecmp(v, "hub-and-spoke"))
			inv->topology = TOPO_HUB;
		else if (!strcasecmp(v, "full-mesh"))
			inv->topology = TOPO_FULL;
		else if (!strcasecmp(v, "regional"))
			inv->topology = TOPO_REGIONAL;
		else
			return err(p, p->line, "Topology is none of hub-and-spoke, full-mesh, regional", v);
	} else if (!strcasecmp(k, "Hub")) {
		inv->hub_line = p->line;
		if (!name_ok(v) || !copy(inv->hub, sizeof(inv->hub), v))
			return err(p, p->line, "Hub is not a node name", v);
	} else if (!strcasecmp(k, "RegionalMesh")) {
		if (!copy(inv->meshes, sizeof(inv->meshes), v))
			return err(p, p->line, "RegionalMesh is too long", NULL);
	} else if (!strcasecmp(k, "Interface")) {
		if (!name_ok(v) || !copy(inv->iface, sizeof(inv->iface), v))
			return err(p, p->line, "Interface is not an interface name (1-15 characters)", v);
	} else if (!strcasecmp(k, "ListenPort")) {
		if (!number(v, 1, 65535, &inv->listen_port))
			return err(p, p->line, "ListenPort is not a port number 1-65535", v);
	} else if (!strcasecmp(k, "PersistentKeepalive")) {
		if (!number(v, 0, 65535, &inv->keepalive))
			return err(p, p->line, "PersistentKeepalive is not 0-65535", v);
	} else if (!strcasecmp(k, "MTU")) {
		if (!number(v, 1280, 65535, &inv->mtu))
			return err(p, p->line, "MTU is not 1280-65535", v);
	} else
		return err(p, p->line, "unknown key in [Mesh]", k);
	return true;
}

/* Endpoint syntax is tools/wg's: its parser checks it (names are not resolved). */
static bool endpoint_ok(const char *v)
{
	struct wg_peer scratch;

	memset(&scratch, 0, sizeof(scratch));
	return wg_parse_endpoint(&scratch, v);
}

static bool node_key(struct inv_parser *p, const char *k, const char *v)
{
	struct inv_node *n = &p->inv->nodes[p->inv->nnodes - 1];

	if (!strcasecmp(k, "Name")) {
		n->name_line = p->line;
		if (!name_ok(v) || !copy(n->name, sizeof(n->name), v))
			return err(p, p->line, "Name must be 1-32 letters, digits, '_', '.' or '-'", v);
	} else if (!strcasecmp(k, "Region")) {
		if (!name_ok(v) || !copy(n->region, sizeof(n->region), v))
			return err(p, p->line, "Region must be 1-32 letters, digits, '_', '.' or '-'", v);
	} else if (!strcasecmp(k, "Address")) {
		n->addr_line = p->line;
		if (!mesh_prefix_parse(&n->addr, v) || !copy(n->addr_text, sizeof(n->addr_text), v))
			return err(p, p->line, "Address is not an IP address with an optional prefix length", v);
		n->addr.line = p->line;
	} else if (!strcasecmp(k, "Endpoint")) {
		n->endpoint_line = p->line;
		if (!copy(n->endpoint, sizeof(n->endpoint), v) || !endpoint_ok(v))
			return err(p, p->line, "Endpoint is not host:port", v);
	} else if (!strcasecmp(k, "ListenPort")) {
		if (!number(v, 1, 65535, &n->listen_port))
			return err(p, p->line, "ListenPort is not a port number 1-65535", v);
	} else if (!strcasecmp(k, "Hub")) {
		if (strcasecmp(v, "yes") && strcasecmp(v, "no"))
			return err(p, p->line, "Hub is neither yes nor no", v);
		n->region_hub = !strcasecmp(v, "yes");
	} else
		return err(p, p->line, "unknown key in [Node]", k);
	return true;
}

static bool header(struct inv_parser *p, const char *s)
{
	struct inventory *inv = p->inv;

	if (!strcasecmp(s, "[Mesh]")) {
		if (p->mesh_line)
			return err(p, p->line, "a second [Mesh] section; the first is on an earlier line", NULL);
		p->mesh_line = p->line;
		p->section = IN_MESH;
		return true;
	}
	if (strcasecmp(s, "[Node]"))
		return err(p, p->line, "unknown section (not [Mesh] or [Node])", s);
	if (inv->nnodes >= 1024)
		return err(p, p->line, "more than 1024 nodes", NULL);
	{
		struct inv_node *nodes = realloc(inv->nodes, (inv->nnodes + 1) * sizeof(*nodes));

		if (!nodes)
			return err(p, p->line, "out of memory", NULL);
		inv->nodes = nodes;
		memset(&nodes[inv->nnodes], 0, sizeof(*nodes));
		nodes[inv->nnodes++].line = p->line;
	}
	p->section = IN_NODE;
	return true;
}

static bool statement(struct inv_parser *p, char *raw)
{
	char *s = trim(raw), *eq, *k, *v;

	if (!*s)
		return true;
	if (*s == '[')
		return header(p, s);
	eq = strchr(s, '=');
	if (!eq)
		return err(p, p->line, "not a [Section] or Key = value line", s);
	*eq = '\0';
	k = trim(s);
	v = trim(eq + 1);
	if (!*v)
		return err(p, p->line, "empty value", k);
	if (p->section == IN_MESH)
		return mesh_key(p, k, v);
	if (p->section == IN_NODE)
		return node_key(p, k, v);
	return err(p, p->line, "setting outside a [Mesh] or [Node] section", k);
}

static bool node_complete(const struct inv_parser *p, const struct inv_node *n)
{
	if (!n->name[0])
		return err(p, n->line, "this [Node] has no Name", NULL);
	if (!n->addr.family)
		return err(p, n->line, "this [Node] has no Address", n->name);
	return true;
}

static bool nodes_distinct(const struct inv_parser *p, size_t i)
{
	const struct inventory *inv = p->inv;
	const struct inv_node *a = &inv->nodes[i];

	for (size_t j = 0; j < i; ++j) {
		const struct inv_node *b = &inv->nodes[j];
		char msg[128];

		if (!strcmp(a->name, b->name)) {
			snprintf(msg, sizeof(msg), "a second node named %s (the first is on line %u)", a->name,
				 b->name_line);
			return err(p, a->name_line, msg, NULL);
		}
		if (a->addr.family == b->addr.family && !memcmp(a->addr.addr, b->addr.addr, 16)) {
			snprintf(msg, sizeof(msg), "%s's Address is %s's too (line %u)", a->name, b->name,
				 b->addr_line);
			return err(p, a->addr_line, msg, a->addr_text);
		}
	}
	return true;
}

/* Whole-file checks and defaults. */
static bool finish(struct inv_parser *p)
{
	struct inventory *inv = p->inv;

	if (!p->mesh_line)
		return err(p, 1, "no [Mesh] section (it gives the Topology)", NULL);
	if (inv->topology == TOPO_NONE)
		return err(p, p->mesh_line, "[Mesh] has no Topology (hub-and-spoke, full-mesh or regional)", NULL);
	if (inv->nnodes < 2)
		return err(p, p->line, "fewer than two [Node] sections", NULL);
	for (size_t i = 0; i < inv->nnodes; ++i)
		if (!node_complete(p, &inv->nodes[i]) || !nodes_distinct(p, i))
			return false;
	inv->hub_index = -1;
	if (inv->topology != TOPO_FULL) {
		if (!inv->hub[0])
			return err(p, inv->topology_line, "this Topology needs a Hub = NODE in [Mesh]", NULL);
		inv->hub_index = inv_find(inv, inv->hub);
		if (inv->hub_index < 0)
			return err(p, inv->hub_line, "Hub names no [Node]", inv->hub);
	}
	if (!inv->iface[0])
		strcpy(inv->iface, "wg0");
	if (!inv->listen_port)
		inv->listen_port = 51820;
	return true;
}

bool inv_parse(struct inventory *inv, FILE *f, const char *path)
{
	struct inv_parser p = { .inv = inv };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool ok = true;

	memset(inv, 0, sizeof(*inv));
	inv->path = path;
	inv->keepalive = 25;
	while (ok && (len = getline(&line, &cap, f)) >= 0) {
		++p.line;
		if (strlen(line) != (size_t)len)
			ok = err(&p, p.line, "line contains a NUL byte", NULL);
		else
			ok = statement(&p, line);
	}
	free(line);
	return ok && finish(&p);
}

bool inv_load(struct inventory *inv, const char *path)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f) {
		memset(inv, 0, sizeof(*inv));
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return false;
	}
	ok = inv_parse(inv, f, path);
	fclose(f);
	return ok;
}

int inv_find(const struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->nnodes; ++i)
		if (!strcmp(inv->nodes[i].name, name))
			return (int)i;
	return -1;
}

void inv_free(struct inventory *inv)
{
	free(inv->nodes);
	free(inv->peer);
	free(inv->next);
	free(inv->transit);
	memset(inv, 0, sizeof(*inv));
}
