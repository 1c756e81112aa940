// SPDX-License-Identifier: GPL-2.0
/*
 * The text of each node's configuration: a wg-quick file, or a
 * systemd-networkd .netdev/.network pair.  A peer's AllowedIPs are the
 * addresses of every node reached through it (its own included), which
 * are also the sources it may send from; transit nodes get forwarding.
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

/* The host prefixes of every node whose next hop from i is j, comma separated. */
static void allowed(FILE *f, const struct inventory *inv, size_t i, size_t j, const char *sep)
{
	size_t n = inv->nnodes;
	bool first = true;

	for (size_t d = 0; d < n; ++d) {
		struct mesh_prefix p;

		if (d == i || inv->next[i * n + d] != (int)j)
			continue;
		p = inv->nodes[d].addr;
		p.cidr = p.family == AF_INET ? 32 : 128;
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
