// SPDX-License-Identifier: GPL-2.0
/*
 * Reading one wg-quick configuration into a mesh node.  The WireGuard
 * settings go through tools/wg's own parser (wg_config_line), line by line,
 * exactly as `wg setconf' reads them; the settings only wg-quick knows
 * (Address, MTU, DNS, Table, hooks, SaveConfig) are taken out first, as
 * wg-quick does, and handed to the parser as blank lines so that its line
 * numbers stay the file's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "mesh.h"
#include "parse.h"

struct loader {
	struct mesh_node *node;
	struct wg_config cfg;
	const char *path;
};

/* The line without its comment and without any white space. */
static char *squeeze(const char *line)
{
	char *out = malloc(strlen(line) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *line && *line != '#'; ++line)
		if (*line != ' ' && (*line < '\t' || *line > '\r'))
			*o++ = *line;
	*o = '\0';
	return out;
}

/* "Key=value" with the given key (any case): the value, else NULL. */
static const char *keyed(const char *sq, const char *key)
{
	size_t n = strlen(key);

	return !strncasecmp(sq, key, n) && sq[n] == '=' ? sq + n + 1 : NULL;
}

static bool is_hook(const char *sq, bool *up)
{
	*up = keyed(sq, "PreUp") || keyed(sq, "PostUp");
	return *up || keyed(sq, "PreDown") || keyed(sq, "PostDown");
}

static void note_forwarding(struct mesh_node *n, const char *sq, unsigned int line)
{
	bool v4 = strstr(sq, "ipv4.ip_forward=1") || strstr(sq, "ipv4/ip_forward=1") ||
		  strstr(sq, "1>/proc/sys/net/ipv4/ip_forward") ||
		  strstr(sq, "ipv4.conf.all.forwarding=1");
	bool v6 = strstr(sq, "ipv6.conf.all.forwarding=1") ||
		  strstr(sq, "1>/proc/sys/net/ipv6/conf/all/forwarding");

	if ((v4 && !n->forward4) || (v6 && !n->forward6))
		n->forward_line = line;
	n->forward4 |= v4;
	n->forward6 |= v6;
}

static bool add_addresses(struct loader *l, const char *value, unsigned int line)
{
	char *copy = strdup(value), *cur = copy, *item;
	struct mesh_node *n = l->node;
	bool ok = true;

	while (copy && ok && (item = strsep(&cur, ","))) {
		struct mesh_prefix *a = realloc(n->addrs, (n->naddrs + 1) * sizeof(*a));

		if (!a)
			break;
		n->addrs = a;
		ok = mesh_prefix_parse(&a[n->naddrs], item);
		if (!ok)
			fprintf(stderr, "%s:%u: Address is not an IP address with an optional prefix length: `%s'\n",
				l->path, line, item);
		else
			a[n->naddrs++].line = line;
	}
	free(copy);
	return ok;
}

static bool set_mtu(struct loader *l, const char *value, unsigned int line)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (*value < '0' || *value > '9' || *end || errno || v < 68 || v > 65535) {
		fprintf(stderr, "%s:%u: MTU is not a number from 68 to 65535: `%s'\n", l->path, line, value);
		return false;
	}
	l->node->mtu = (unsigned int)v;
	l->node->mtu_line = line;
	return true;
}

/* A setting of wg-quick's: true if `sq' was one (and *ok says if valid). */
static bool wg_quick_setting(struct loader *l, const char *sq, unsigned int line, bool *ok)
{
	const char *v;
	bool up;

	*ok = true;
	if (l->cfg.section != SECTION_INTERFACE)
		return false;
	if ((v = keyed(sq, "Address")))
		*ok = add_addresses(l, v, line);
	else if ((v = keyed(sq, "MTU")))
		*ok = set_mtu(l, v, line);
	else if (is_hook(sq, &up)) {
		if (up)
			note_forwarding(l->node, sq, line);
	} else if (!keyed(sq, "DNS") && !keyed(sq, "Table") && !keyed(sq, "SaveConfig"))
		return false;
	return true;
}

static struct mesh_peer *current_peer(struct loader *l)
{
	struct mesh_node *n = l->node;

	if (l->cfg.section != SECTION_PEER)
		return NULL;
	while (n->npeers < n->dev->npeers) {
		struct mesh_peer *p = realloc(n->peers, (n->npeers + 1) * sizeof(*p));

		if (!p)
			return NULL;
		n->peers = p;
		memset(&p[n->npeers], 0, sizeof(*p));
		p[n->npeers].line = l->cfg.lineno;
		p[n->npeers++].node = -1;
	}
	return &n->peers[n->npeers - 1];
}

/* Remembers where the peer's settings are, after the parser took them. */
static bool note_lines(struct loader *l, const char *sq, size_t aips_before)
{
	struct mesh_peer *p = current_peer(l);
	struct wg_peer *wp;
	unsigned int line = l->cfg.lineno;

	if (l->cfg.section == SECTION_INTERFACE && keyed(sq, "PrivateKey"))
		l->node->key_line = line;
	if (l->cfg.section == SECTION_INTERFACE && !strcasecmp(sq, "[Interface]"))
		l->node->iface_line = line;
	if (!p)
		return l->cfg.section != SECTION_PEER;
	wp = &l->node->dev->peers[l->node->npeers - 1];
	if (keyed(sq, "PublicKey"))
		p->key_line = line;
	else if (keyed(sq, "Endpoint")) {
		p->endpoint_line = line;
		snprintf(p->endpoint, sizeof(p->endpoint), "%s", keyed(sq, "Endpoint"));
	}
	else if (keyed(sq, "PersistentKeepalive"))
		p->keepalive_line = line;
	else if (keyed(sq, "AllowedIPs") && wp->naips > aips_before) {
		unsigned int *al = realloc(p->aip_line, wp->naips * sizeof(*al));

		if (!al)
			return false;
		p->aip_line = al;
		for (size_t i = aips_before; i < wp->naips; ++i)
			al[i] = line;
		if (!p->aips_line)
			p->aips_line = line;
	}
	return true;
}

static bool load_line(struct loader *l, const char *raw)
{
	char *sq = squeeze(raw);
	struct mesh_node *n = l->node;
	size_t aips = 0;
	bool ok = true;

	if (!sq)
		return false;
	if (wg_quick_setting(l, sq, l->cfg.lineno + 1, &ok)) {
		/* The parser sees a blank line: its count goes on. */
		ok = ok && wg_config_line(&l->cfg, "");
	} else {
		if (l->cfg.section == SECTION_PEER && n->dev->npeers)
			aips = n->dev->peers[n->dev->npeers - 1].naips;
		ok = wg_config_line(&l->cfg, raw) && note_lines(l, sq, aips);
	}
	free(sq);
	return ok;
}

static bool load_stream(struct loader *l, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool ok = true;

	while (ok && (len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strlen(line) != (size_t)len) {
			fprintf(stderr, "%s:%u: line contains a NUL byte\n", l->path, l->cfg.lineno + 1);
			ok = false;
		} else if (!load_line(l, line)) {
			fprintf(stderr, "%s:%u: configuration error (above)\n", l->path, l->cfg.error_line);
			ok = false;
		}
	}
	if (line)
		memset(line, 0, cap);
	free(line);
	if (ok && !wg_config_finish(&l->cfg)) {
		fprintf(stderr, "%s:%u: configuration error (above)\n", l->path, l->cfg.error_line);
		ok = false;
	}
	return ok;
}

bool mesh_load_file(struct mesh *m, const char *path)
{
	struct mesh_node *nodes = realloc(m->nodes, (m->nnodes + 1) * sizeof(*nodes));
	struct loader l = { .path = path };
	struct stat st;
	FILE *f;
	bool ok;

	if (!nodes)
		return false;
	m->nodes = nodes;
	l.node = &nodes[m->nnodes];
	memset(l.node, 0, sizeof(*l.node));
	f = fopen(path, "r");
	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return false;
	}
	l.node->path = strdup(path);
	l.node->mode = st.st_mode & 07777;
	l.node->dev = wg_dev_new();
	m->nnodes++;
	if (!l.node->path || !l.node->dev) {
		fclose(f);
		return false;
	}
	wg_config_init(&l.cfg, l.node->dev, false);
	ok = load_stream(&l, f);
	fclose(f);
	return ok;
}
