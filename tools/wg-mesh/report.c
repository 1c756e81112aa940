// SPDX-License-Identifier: GPL-2.0
/*
 * What wg-mesh check reports besides blocked pairs, each with file:line:
 * duplicate addresses, duplicate or overlapping AllowedIPs, asymmetric
 * peerings, public keys that are no node's, a missing PersistentKeepalive
 * on a node nobody can reach first, MTU mismatches between peers, and
 * private keys readable by others.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

bool mesh_add_finding(struct mesh_report *r, const char *kind, const char *file,
		      unsigned int line, const char *fmt, ...)
{
	struct mesh_finding *f = realloc(r->findings, (r->nfindings + 1) * sizeof(*f));
	va_list ap;

	if (!f)
		return false;
	r->findings = f;
	f += r->nfindings++;
	f->kind = kind;
	f->file = file;
	f->line = line;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	return true;
}

static void key_files(const struct mesh *m, struct mesh_report *r)
{
	for (size_t i = 0; i < m->nnodes; ++i) {
		const struct mesh_node *n = &m->nodes[i];

		if (!n->key_line)
			mesh_add_finding(r, "no-private-key", n->path, n->iface_line,
					 "%s has no PrivateKey: no peer can be matched to it", n->name);
		else if (n->mode & 077)
			mesh_add_finding(r, "key-file-mode", n->path, n->key_line,
					 "the file holds a private key and is readable by others (mode %04o); chmod 600",
					 (unsigned int)n->mode);
	}
}

static void duplicate_addresses(const struct mesh *m, struct mesh_report *r)
{
	for (size_t i = 0; i < m->nnodes; ++i)
		for (size_t a = 0; a < m->nodes[i].naddrs; ++a)
			for (size_t j = i + 1; j < m->nnodes; ++j)
				for (size_t b = 0; b < m->nodes[j].naddrs; ++b) {
					const struct mesh_prefix *x = &m->nodes[i].addrs[a], *y = &m->nodes[j].addrs[b];
					char s[64];

					if (x->family != y->family || memcmp(x->addr, y->addr, 16))
						continue;
					mesh_add_finding(r, "duplicate-address", m->nodes[j].path, y->line,
							 "%s's Address %s is also %s's (%s:%u)", m->nodes[j].name,
							 mesh_prefix_str(y, false, s, sizeof(s)), m->nodes[i].name,
							 m->nodes[i].path, x->line);
				}
}

/* The entries of two different peers of one node that are equal or nest. */
static void aip_pair(const struct mesh *m, struct mesh_report *r, const struct mesh_node *n,
		     size_t k, size_t l)
{
	const struct mesh_peer *p = &n->peers[k], *q = &n->peers[l];

	for (size_t a = 0; a < p->wp->naips; ++a) {
		for (size_t b = 0; b < q->wp->naips; ++b) {
			struct mesh_prefix x, y;
			char sx[64], sy[64];
			bool same;

			mesh_prefix_from_aip(&x, &p->wp->aips[a]);
			mesh_prefix_from_aip(&y, &q->wp->aips[b]);
			if (!mesh_prefix_overlap(&x, &y))
				continue;
			same = mesh_prefix_equal(&x, &y);
			mesh_add_finding(r, same ? "duplicate-allowedips" : "overlapping-allowedips", n->path,
					 q->aip_line[b], "%s %s %s on line %u (%s): %s",
					 mesh_prefix_str(&y, true, sy, sizeof(sy)),
					 same ? "is given again; it was" : "overlaps",
					 mesh_prefix_str(&x, true, sx, sizeof(sx)), p->aip_line[a],
					 p->node >= 0 ? m->nodes[p->node].name : "another peer",
					 same ? "only the last peer keeps it" : "the longest prefix wins");
		}
	}
}

static void allowed_ips(const struct mesh *m, struct mesh_report *r)
{
	for (size_t i = 0; i < m->nnodes; ++i)
		for (size_t k = 0; k < m->nodes[i].npeers; ++k)
			for (size_t l = k + 1; l < m->nodes[i].npeers; ++l)
				aip_pair(m, r, &m->nodes[i], k, l);
}

static int peer_for(const struct mesh_node *n, const struct mesh_node *of)
{
	for (size_t k = 0; of->has_key && k < n->npeers; ++k)
		if (!memcmp(n->peers[k].wp->public_key, of->pub, WG_KEY_LEN))
			return (int)k;
	return -1;
}

static void peerings(const struct mesh *m, struct mesh_report *r)
{
	for (size_t i = 0; i < m->nnodes; ++i) {
		const struct mesh_node *n = &m->nodes[i];

		for (size_t k = 0; k < n->npeers; ++k) {
			const struct mesh_peer *p = &n->peers[k];

			if (p->node < 0)
				mesh_add_finding(r, "unknown-key", n->path, p->key_line,
						 "%s has a peer whose public key is no node's in this set", n->name);
			else if (peer_for(&m->nodes[p->node], n) < 0)
				mesh_add_finding(r, "asymmetric-peering", n->path, p->key_line,
						 "%s peers with %s, but %s (%s) has no [Peer] for %s", n->name,
						 m->nodes[p->node].name, m->nodes[p->node].name,
						 m->nodes[p->node].path, n->name);
		}
	}
}

/* Some other node has an Endpoint for node i. */
static bool reachable_first(const struct mesh *m, size_t i)
{
	for (size_t j = 0; j < m->nnodes; ++j) {
		int k = j == i ? -1 : peer_for(&m->nodes[j], &m->nodes[i]);

		if (k >= 0 && m->nodes[j].peers[k].endpoint_line)
			return true;
	}
	return false;
}

static void keepalives(const struct mesh *m, struct mesh_report *r)
{
	for (size_t i = 0; i < m->nnodes; ++i) {
		const struct mesh_node *n = &m->nodes[i];

		if (!n->has_key || reachable_first(m, i))
			continue;
		for (size_t k = 0; k < n->npeers; ++k)
			if (n->peers[k].endpoint_line && !n->peers[k].wp->keepalive)
				mesh_add_finding(r, "missing-keepalive", n->path, n->peers[k].key_line,
						 "no node has an Endpoint for %s, so only %s can open the tunnel to %s; add PersistentKeepalive = 25",
						 n->name, n->name,
						 n->peers[k].node >= 0 ? m->nodes[n->peers[k].node].name : "this peer");
	}
}

static const char *mtu_text(char *buf, size_t len, unsigned int mtu)
{
	if (mtu)
		snprintf(buf, len, "%u", mtu);
	else
		snprintf(buf, len, "automatic");
	return buf;
}

static void mtus(const struct mesh *m, struct mesh_report *r)
{
	for (size_t i = 0; i < m->nnodes; ++i) {
		const struct mesh_node *n = &m->nodes[i];

		for (size_t k = 0; k < n->npeers; ++k) {
			int j = n->peers[k].node;
			const struct mesh_node *o = j >= 0 ? &m->nodes[j] : NULL;
			char a[16], b[16];

			if (!o || (size_t)j < i || n->mtu == o->mtu)
				continue;
			mesh_add_finding(r, "mtu-mismatch", n->path, n->mtu_line ? n->mtu_line : n->iface_line,
					 "%s's MTU is %s, its peer %s's is %s (%s:%u)", n->name,
					 mtu_text(a, sizeof(a), n->mtu), o->name, mtu_text(b, sizeof(b), o->mtu),
					 o->path, o->mtu_line ? o->mtu_line : o->iface_line);
		}
	}
}

bool mesh_findings(const struct mesh *m, struct mesh_report *r)
{
	key_files(m, r);
	duplicate_addresses(m, r);
	allowed_ips(m, r);
	peerings(m, r);
	keepalives(m, r);
	mtus(m, r);
	return true;
}
