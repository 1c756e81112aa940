// SPDX-License-Identifier: GPL-2.0
/*
 * Following a ping through a set of configurations the way the kernel and
 * wg-quick would treat it: wg-quick routes every AllowedIPs prefix into the
 * interface; the peer is the longest AllowedIPs match for the destination;
 * a handshake needs one side to know the other's Endpoint; the receiver
 * keeps a packet only if the source address's longest match among its
 * AllowedIPs is the peer it came from (cryptokey routing); a node that is
 * not the destination passes it on only if its hooks turn forwarding on.
 * The echo reply makes the same trip back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"

const char *const mesh_reason_name[R_NREASONS] = {
	[R_NONE] = "none", [R_NO_ADDRESS] = "no-address", [R_NO_ROUTE] = "no-route",
	[R_NOT_ADMITTED] = "not-admitted", [R_NOT_FORWARDING] = "not-forwarding",
	[R_UNKNOWN_KEY] = "unknown-key", [R_UNKNOWN_SENDER] = "unknown-sender",
	[R_NO_ENDPOINT] = "no-endpoint", [R_LOOP] = "loop",
};

const struct mesh_prefix *mesh_node_ip(const struct mesh_node *n)
{
	return n->naddrs ? &n->addrs[0] : NULL;
}

/* The peer whose AllowedIPs hold ip most specifically, or -1. */
static int lookup(const struct mesh_node *n, const struct mesh_prefix *ip, size_t *aip)
{
	int best = -1, blen = -1;

	for (size_t k = 0; k < n->npeers; ++k) {
		const struct wg_peer *wp = n->peers[k].wp;

		for (size_t a = 0; a < wp->naips; ++a) {
			struct mesh_prefix net;

			mesh_prefix_from_aip(&net, &wp->aips[a]);
			if (mesh_prefix_contains(&net, ip) && net.cidr > blen) {
				best = (int)k;
				blen = net.cidr;
				if (aip)
					*aip = a;
			}
		}
	}
	return best;
}

static bool owns(const struct mesh_node *n, const struct mesh_prefix *ip)
{
	for (size_t i = 0; i < n->naddrs; ++i)
		if (n->addrs[i].family == ip->family && !memcmp(n->addrs[i].addr, ip->addr, 16))
			return true;
	return false;
}

static int peer_with_key(const struct mesh_node *n, const struct mesh_node *of)
{
	for (size_t k = 0; of->has_key && k < n->npeers; ++k)
		if (!memcmp(n->peers[k].wp->public_key, of->pub, WG_KEY_LEN))
			return (int)k;
	return -1;
}

static void aips_text(char *buf, size_t len, const struct wg_peer *wp)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t a = 0; a < wp->naips && o + 48 < len; ++a) {
		struct mesh_prefix p;
		char s[64];

		mesh_prefix_from_aip(&p, &wp->aips[a]);
		o += (size_t)snprintf(buf + o, len - o, "%s%s", a ? ", " : "",
				      mesh_prefix_str(&p, true, s, sizeof(s)));
	}
	if (!wp->naips)
		snprintf(buf, len, "nothing");
}

struct trip {
	const struct mesh *m;
	struct mesh_pair *pair;
	const struct mesh_prefix *src_ip, *dst_ip;
	int *hops, *nhops;
};

/* Records where the packet is lost; returns -1 (no next node). */
static int block(struct trip *t, enum mesh_reason why, int at, unsigned int line)
{
	t->pair->reason = why;
	t->pair->at = at;
	t->pair->file = t->m->nodes[at].path;
	t->pair->line = line;
	return -1;
}

/* The peer at n to name when n has no route to ip: a direct one, else a forwarder. */
static int route_candidate(const struct mesh *m, const struct mesh_node *n,
			   const struct mesh_prefix *ip)
{
	int fwd = -1;

	for (size_t k = 0; k < n->npeers; ++k) {
		int j = n->peers[k].node;

		if (j >= 0 && owns(&m->nodes[j], ip))
			return (int)k;
		if (j >= 0 && fwd < 0 && m->nodes[j].forward4 && lookup(&m->nodes[j], ip, NULL) >= 0)
			fwd = (int)k;
	}
	return fwd;
}

static int no_route(struct trip *t, int cur)
{
	const struct mesh_node *n = &t->m->nodes[cur];
	int k = route_candidate(t->m, n, t->dst_ip);
	struct mesh_pair *p = t->pair;
	char ip[64];

	mesh_prefix_str(t->dst_ip, false, ip, sizeof(ip));
	snprintf(p->what, sizeof(p->what), "%s", ip);
	if (k < 0) {
		snprintf(p->why, sizeof(p->why), "%s has no route: no peer's AllowedIPs hold the destination; give it a [Peer] for it",
			 n->name);
		return block(t, R_NO_ROUTE, cur, n->iface_line);
	}
	snprintf(p->why, sizeof(p->why), "%s has no route: no peer's AllowedIPs hold the destination; add it to the AllowedIPs of its peer %s",
		 n->name, t->m->nodes[n->peers[k].node].name);
	return block(t, R_NO_ROUTE, cur,
		     n->peers[k].aips_line ? n->peers[k].aips_line : n->peers[k].key_line);
}

static int not_admitted(struct trip *t, int cur, int nxt, int back)
{
	const struct mesh_node *rx = &t->m->nodes[nxt];
	const struct mesh_peer *bp = &rx->peers[back];
	struct mesh_pair *p = t->pair;
	char list[200];
	int owner = lookup(rx, t->src_ip, NULL);

	aips_text(list, sizeof(list), bp->wp);
	mesh_prefix_str(t->src_ip, false, p->what, sizeof(p->what));
	if (owner >= 0 && rx->peers[owner].node >= 0)
		snprintf(p->why, sizeof(p->why), "%s drops the source coming from %s: it admits it only from its peer %s; the peer %s admits %s",
			 rx->name, t->m->nodes[cur].name, t->m->nodes[rx->peers[owner].node].name,
			 t->m->nodes[cur].name, list);
	else
		snprintf(p->why, sizeof(p->why), "%s drops the source: its peer %s admits only %s; add the source to these AllowedIPs",
			 rx->name, t->m->nodes[cur].name, list);
	return block(t, R_NOT_ADMITTED, nxt, bp->aips_line ? bp->aips_line : bp->key_line);
}

/* One hop from cur towards dst_ip: the next node, or -1 (blocked). */
static int hop(struct trip *t, int cur)
{
	const struct mesh *m = t->m;
	const struct mesh_node *n = &m->nodes[cur];
	struct mesh_pair *p = t->pair;
	int k = lookup(n, t->dst_ip, NULL), nxt, back;

	if (k < 0)
		return no_route(t, cur);
	nxt = n->peers[k].node;
	if (nxt < 0) {
		snprintf(p->why, sizeof(p->why), "%s's peer holding the destination has a public key that is no node's",
			 n->name);
		return block(t, R_UNKNOWN_KEY, cur, n->peers[k].key_line);
	}
	back = peer_with_key(&m->nodes[nxt], n);
	if (back < 0) {
		snprintf(p->why, sizeof(p->why), "%s has no [Peer] with %s's public key: it ignores %s's handshakes (%s peers with it on %s:%u)",
			 m->nodes[nxt].name, n->name, n->name, n->name, n->path, n->peers[k].key_line);
		return block(t, R_UNKNOWN_SENDER, nxt, m->nodes[nxt].iface_line);
	}
	if (!n->peers[k].endpoint_line && !m->nodes[nxt].peers[back].endpoint_line) {
		snprintf(p->why, sizeof(p->why), "neither %s nor %s has an Endpoint for the other: neither can start a handshake",
			 n->name, m->nodes[nxt].name);
		return block(t, R_NO_ENDPOINT, cur, n->peers[k].key_line);
	}
	if (lookup(&m->nodes[nxt], t->src_ip, NULL) != back)
		return not_admitted(t, cur, nxt, back);
	return nxt;
}

static bool forwards(const struct mesh_node *n, const struct mesh_prefix *ip)
{
	return ip->family == AF_INET ? n->forward4 : n->forward6;
}

/* Follows one packet from src to dst_ip; false (and the reason) if lost. */
static bool trip(struct trip *t, int src)
{
	const struct mesh *m = t->m;
	int cur = src;

	*t->nhops = 0;
	t->hops[(*t->nhops)++] = src;
	while (*t->nhops < MESH_MAX_HOPS) {
		const struct mesh_node *n = &m->nodes[cur];

		if (owns(n, t->dst_ip))
			return true;
		if (cur != src && !forwards(n, t->dst_ip)) {
			snprintf(t->pair->why, sizeof(t->pair->why), "%s does not forward: no forwarding sysctl in its PreUp/PostUp hooks (add PostUp = sysctl -w net.ipv4.ip_forward=1)",
				 n->name);
			block(t, R_NOT_FORWARDING, cur, n->iface_line);
			return false;
		}
		cur = hop(t, cur);
		if (cur < 0) {
			/* Lost at the next node: the path shows it. */
			if (t->pair->at != t->hops[*t->nhops - 1])
				t->hops[(*t->nhops)++] = t->pair->at;
			return false;
		}
		t->hops[(*t->nhops)++] = cur;
	}
	snprintf(t->pair->why, sizeof(t->pair->why), "routing loop");
	block(t, R_LOOP, cur, m->nodes[cur].iface_line);
	return false;
}

static void follow(const struct mesh *m, struct mesh_pair *p)
{
	int back[MESH_MAX_HOPS], nback;
	const struct mesh_prefix *ia = mesh_node_ip(&m->nodes[p->src]);
	const struct mesh_prefix *ib = mesh_node_ip(&m->nodes[p->dst]);
	struct mesh_prefix ha, hb, *a = ia ? &ha : NULL, *b = ib ? &hb : NULL;
	struct trip t = { m, p, a, b, p->hops, &p->nhops };

	/* The node's address itself, not its subnet. */
	if (a) {
		ha = *ia;
		ha.cidr = ha.family == AF_INET ? 32 : 128;
	}
	if (b) {
		hb = *ib;
		hb.cidr = hb.family == AF_INET ? 32 : 128;
	}
	if (!a || !b) {
		int who = a ? p->dst : p->src;

		snprintf(p->why, sizeof(p->why), "%s has no Address", m->nodes[who].name);
		block(&t, R_NO_ADDRESS, who, m->nodes[who].iface_line);
		return;
	}
	p->ok = trip(&t, p->src);
	if (!p->ok)
		return;
	t = (struct trip){ m, p, b, a, back, &nback };
	p->ok = trip(&t, p->dst);
	p->reply = !p->ok;
	if (p->reply) {
		/* The path shown is the reply's. */
		memcpy(p->hops, back, sizeof(back));
		p->nhops = nback;
	}
}

bool mesh_reach(const struct mesh *m, struct mesh_report *r)
{
	size_t n = m->nnodes;

	r->pairs = calloc(n > 0 ? n * n : 1, sizeof(*r->pairs));
	if (!r->pairs)
		return false;
	for (size_t i = 0; i < n; ++i) {
		for (size_t j = 0; j < n; ++j) {
			struct mesh_pair *p = &r->pairs[r->npairs];

			if (i == j)
				continue;
			p->src = (int)i;
			p->dst = (int)j;
			p->at = -1;
			follow(m, p);
			r->npairs++;
		}
	}
	return true;
}
