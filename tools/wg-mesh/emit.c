// SPDX-License-Identifier: GPL-2.0
/*
 * The text of each node's configuration: a wg-quick file, or a
 * systemd-networkd .netdev/.network pair.  A peer's AllowedIPs hold the
 * addresses of every node reached through it (its own included), which
 * are also the sources it may send from, and no other node's; transit
 * nodes get forwarding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "encoding.h"
#include "generate.h"

static void host(FILE *f, const struct mesh_prefix *p)
{
	char s[64];

	fputs(mesh_prefix_str(p, true, s, sizeof(s)) , f);
}

/* Node d's address as a host prefix (/32, /128). */
static struct mesh_prefix node_host(const struct inventory *inv, size_t d)
{
	struct mesh_prefix p = inv->nodes[d].addr;

	p.cidr = p.family == AF_INET ? 32 : 128;
	return p;
}

/* Node d's traffic from i goes through peer j. */
static bool through(const struct inventory *inv, size_t i, size_t j, size_t d)
{
	return d != i && inv->next[i * inv->nnodes + d] == (int)j;
}

/* The longest prefix holding every node address of this family. */
static unsigned int overlay_len(const struct inventory *inv, const struct mesh_prefix *a)
{
	struct mesh_prefix p = *a;

	for (size_t d = 0; d < inv->nnodes; ++d) {
		struct mesh_prefix h = node_host(inv, d);

		while (h.family == p.family && !mesh_prefix_contains(&p, &h))
			--p.cidr;
	}
	return p.cidr;
}

/* Widens d's host prefix while it holds no node that i reaches otherwise. */
static struct mesh_prefix widest(const struct inventory *inv, size_t i, size_t j, size_t d)
{
	struct mesh_prefix p = node_host(inv, d), q;
	unsigned int floor;

	floor = overlay_len(inv, &p);
	while (p.cidr > floor) {
		bool clean = true;

		q = p;
		--q.cidr;
		for (size_t o = 0; clean && o < inv->nnodes; ++o) {
			struct mesh_prefix h = node_host(inv, o);

			clean = through(inv, i, j, o) || !mesh_prefix_contains(&q, &h);
		}
		if (!clean)
			break;
		p = q;
	}
	/* Host bits cleared, as wg shows prefixes. */
	for (unsigned int b = p.cidr; b < (p.family == AF_INET ? 32U : 128U); ++b)
		p.addr[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
	return p;
}

/*
 * The AllowedIPs of i's peer j: the addresses of the nodes reached through
 * it, each widened to the shortest prefix (within the overlay's) that holds
 * no other node, so that wg-quick adds few routes.
 */
static void allowed(FILE *f, const struct inventory *inv, size_t i, size_t j, const char *sep)
{
	struct mesh_prefix done[256];
	size_t ndone = 0;
	bool first = true;

	for (size_t d = 0; d < inv->nnodes; ++d) {
		struct mesh_prefix p, h = node_host(inv, d);
		bool covered = false;

		if (!through(inv, i, j, d))
			continue;
		for (size_t k = 0; k < ndone && !covered; ++k)
			covered = mesh_prefix_contains(&done[k], &h);
		if (covered)
			continue;
		p = widest(inv, i, j, d);
		if (ndone < sizeof(done) / sizeof(done[0]))
			done[ndone++] = p;
		fputs(first ? "" : sep, f);
		host(f, &p);
		first = false;
	}
}

static bool uses(const struct inventory *inv, int family)
{
	for (size_t i = 0; i < inv->nnodes; ++i)
		if (inv->nodes[i].addr.family == family)
			return true;
	return false;
}

static bool keepalive(const struct inventory *inv, size_t i, size_t j)
{
	return inv->keepalive && !inv->nodes[i].endpoint[0] && inv->nodes[j].endpoint[0];
}

static void forwarding_hooks(FILE *f, const struct inventory *inv)
{
	fputs("# This node forwards between its peers\n", f);
	if (uses(inv, AF_INET))
		fprintf(f, "PostUp = sysctl -w net.ipv4.ip_forward=1\n"
			   "PostUp = iptables -A FORWARD -i %%i -o %%i -j ACCEPT\n"
			   "PostDown = iptables -D FORWARD -i %%i -o %%i -j ACCEPT\n");
	if (uses(inv, AF_INET6))
		fprintf(f, "PostUp = sysctl -w net.ipv6.conf.all.forwarding=1\n"
			   "PostUp = ip6tables -A FORWARD -i %%i -o %%i -j ACCEPT\n"
			   "PostDown = ip6tables -D FORWARD -i %%i -o %%i -j ACCEPT\n");
}

static unsigned int port_of(const struct inventory *inv, size_t i)
{
	return inv->nodes[i].listen_port ? inv->nodes[i].listen_port : inv->listen_port;
}

static void wg_quick_peer(FILE *f, const struct gen *g, size_t i, size_t j)
{
	const struct inv_node *p = &g->inv.nodes[j];
	char b64[WG_B64_KEY_LEN + 1];

	wg_key_to_base64(b64, g->pub[j]);
	fprintf(f, "\n# %s%s%s\n[Peer]\nPublicKey = %s\n", p->name, p->region[0] ? " - " : "", p->region, b64);
	if (p->endpoint[0])
		fprintf(f, "Endpoint = %s\n", p->endpoint);
	fputs("AllowedIPs = ", f);
	allowed(f, &g->inv, i, j, ", ");
	fputc('\n', f);
	if (keepalive(&g->inv, i, j))
		fprintf(f, "PersistentKeepalive = %u\n", g->inv.keepalive);
}

static char *done(FILE *f, char **buf)
{
	if (fclose(f)) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

char *emit_wg_quick(const struct gen *g, size_t i, size_t *len)
{
	const struct inventory *inv = &g->inv;
	const struct inv_node *n = &inv->nodes[i];
	char b64[WG_B64_KEY_LEN + 1], *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	wg_key_to_base64(b64, g->priv[i]);
	fprintf(f, "# %s%s%s: written by wg-mesh from %s; edit the inventory, not this file\n"
		   "[Interface]\nPrivateKey = %s\nAddress = %s\nListenPort = %u\n",
		n->name, n->region[0] ? " - " : "", n->region, inv->path, b64, n->addr_text, port_of(inv, i));
	memset(b64, 0, sizeof(b64));
	if (inv->mtu)
		fprintf(f, "MTU = %u\n", inv->mtu);
	if (inv->transit[i])
		forwarding_hooks(f, inv);
	for (size_t j = 0; j < inv->nnodes; ++j)
		if (inv->peer[i * inv->nnodes + j])
			wg_quick_peer(f, g, i, j);
	return done(f, &buf);
}

char *emit_netdev(const struct gen *g, size_t i, size_t *len)
{
	const struct inventory *inv = &g->inv;
	char b64[WG_B64_KEY_LEN + 1], *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	wg_key_to_base64(b64, g->priv[i]);
	fprintf(f, "# %s: written by wg-mesh from %s; install as /etc/systemd/network/%s.netdev,\n"
		   "# mode 0640, owner root:systemd-network\n[NetDev]\nName = %s\nKind = wireguard\n",
		inv->nodes[i].name, inv->path, inv->iface, inv->iface);
	if (inv->mtu)
		fprintf(f, "MTUBytes = %u\n", inv->mtu);
	fprintf(f, "\n[WireGuard]\nPrivateKey = %s\nListenPort = %u\nRouteTable = main\n", b64, port_of(inv, i));
	memset(b64, 0, sizeof(b64));
	for (size_t j = 0; j < inv->nnodes; ++j) {
		if (!inv->peer[i * inv->nnodes + j])
			continue;
		wg_key_to_base64(b64, g->pub[j]);
		fprintf(f, "\n# %s\n[WireGuardPeer]\nPublicKey = %s\n", inv->nodes[j].name, b64);
		if (inv->nodes[j].endpoint[0])
			fprintf(f, "Endpoint = %s\n", inv->nodes[j].endpoint);
		fputs("AllowedIPs = ", f);
		allowed(f, inv, i, j, ", ");
		fputc('\n', f);
		if (keepalive(inv, i, j))
			fprintf(f, "PersistentKeepalive = %u\n", inv->keepalive);
	}
	return done(f, &buf);
}

char *emit_network(const struct gen *g, size_t i, size_t *len)
{
	const struct inventory *inv = &g->inv;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fprintf(f, "# %s: written by wg-mesh from %s\n[Match]\nName = %s\n\n[Network]\nAddress = %s\n",
		inv->nodes[i].name, inv->path, inv->iface, inv->nodes[i].addr_text);
	if (inv->transit[i])
		fprintf(f, "# This node forwards between its peers\nIPForward = yes\n");
	return done(f, &buf);
}
