// SPDX-License-Identifier: GPL-2.0
/*
 * wg-mesh plan OLD_DIR NEW_DIR
 *
 * Per node (matched by name), what changes between two generated sets,
 * as the commands that apply it on the running interface: wg set for
 * peers and the listen port, wg syncconf when the private key changes
 * (the key itself is never printed), ip route for the prefixes the
 * interface gains or loses, and a note when Address, MTU or hooks change, which only
 * wg-quick down/up applies.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "encoding.h"
#include "mesh.h"

struct planner {
	const char *iface;
	int changes;
};

static void say(struct planner *pl, const char *fmt, const char *a, const char *b)
{
	printf(fmt, pl->iface, a, b);
	putchar('\n');
	pl->changes++;
}

static int peer_by_key(const struct mesh_node *n, const uint8_t key[WG_KEY_LEN])
{
	for (size_t k = 0; k < n->npeers; ++k)
		if (!memcmp(n->peers[k].wp->public_key, key, WG_KEY_LEN))
			return (int)k;
	return -1;
}

static bool has_aip(const struct wg_peer *p, const struct wg_aip *a)
{
	struct mesh_prefix x, y;

	mesh_prefix_from_aip(&x, a);
	for (size_t i = 0; i < p->naips; ++i) {
		mesh_prefix_from_aip(&y, &p->aips[i]);
		if (mesh_prefix_equal(&x, &y))
			return true;
	}
	return false;
}

static void aip_list(char *buf, size_t len, const struct wg_peer *p)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->naips && o < len; ++i) {
		struct mesh_prefix x;
		char s[64];

		mesh_prefix_from_aip(&x, &p->aips[i]);
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", mesh_prefix_str(&x, true, s, sizeof(s)));
	}
}

static bool node_has_aip(const struct mesh_node *n, const struct wg_aip *a)
{
	for (size_t k = 0; k < n->npeers; ++k)
		if (has_aip(n->peers[k].wp, a))
			return true;
	return false;
}

/* ip route add/del for the prefixes routed into the interface by `from' and not by `to'. */
static void routes(struct planner *pl, const struct mesh_node *from, const struct mesh_node *to, const char *verb)
{
	for (size_t k = 0; k < from->npeers; ++k) {
		const struct wg_peer *p = from->peers[k].wp;

		for (size_t i = 0; i < p->naips; ++i) {
			struct mesh_prefix x;
			char s[64];

			if (node_has_aip(to, &p->aips[i]))
				continue;
			mesh_prefix_from_aip(&x, &p->aips[i]);
			printf("ip route %s %s dev %s\n", verb, mesh_prefix_str(&x, true, s, sizeof(s)), pl->iface);
			pl->changes++;
		}
	}
}

static void peer_changes(struct planner *pl, const struct mesh_peer *o, const struct mesh_peer *n)
{
	char key[WG_B64_KEY_LEN + 1], list[4096], ka[16];
	bool aips_differ = o->wp->naips != n->wp->naips;

	wg_key_to_base64(key, n->wp->public_key);
	for (size_t i = 0; !aips_differ && i < n->wp->naips; ++i)
		aips_differ = !has_aip(o->wp, &n->wp->aips[i]);
	if (strcmp(o->endpoint, n->endpoint) && n->endpoint[0])
		say(pl, "wg set %s peer %s endpoint %s", key, n->endpoint);
	if (aips_differ) {
		aip_list(list, sizeof(list), n->wp);
		say(pl, "wg set %s peer %s allowed-ips %s", key, list);
	}
	if (o->wp->keepalive != n->wp->keepalive) {
		snprintf(ka, sizeof(ka), "%u", n->wp->keepalive);
		say(pl, "wg set %s peer %s persistent-keepalive %s", key, n->wp->keepalive ? ka : "off");
	}
}

static void peer_add(struct planner *pl, const struct mesh_peer *n)
{
	char key[WG_B64_KEY_LEN + 1], list[4096], ep[160] = "";

	wg_key_to_base64(key, n->wp->public_key);
	aip_list(list, sizeof(list), n->wp);
	if (n->endpoint[0])
		snprintf(ep, sizeof(ep), " endpoint %s", n->endpoint);
	printf("wg set %s peer %s%s allowed-ips %s", pl->iface, key, ep, list);
	if (n->wp->keepalive)
		printf(" persistent-keepalive %u", n->wp->keepalive);
	putchar('\n');
	pl->changes++;
}

static bool same_addresses(const struct mesh_node *a, const struct mesh_node *b)
{
	if (a->naddrs != b->naddrs)
		return false;
	for (size_t i = 0; i < a->naddrs; ++i)
		if (!mesh_prefix_equal(&a->addrs[i], &b->addrs[i]) || memcmp(a->addrs[i].addr, b->addrs[i].addr, 16))
			return false;
	return true;
}

static void interface_changes(struct planner *pl, const struct mesh_node *o, const struct mesh_node *n)
{
	char port[16];

	if (memcmp(o->dev->private_key, n->dev->private_key, WG_KEY_LEN))
		say(pl, "wg syncconf %s <(wg-quick strip %s)%s  # a new private key (not shown)", pl->iface, "");
	if (o->dev->listen_port != n->dev->listen_port) {
		snprintf(port, sizeof(port), "%u", n->dev->listen_port);
		say(pl, "wg set %s listen-port %s%s", port, "");
	}
	if (!same_addresses(o, n) || o->mtu != n->mtu || o->forward4 != n->forward4 || o->forward6 != n->forward6)
		say(pl, "# Address, MTU or hooks change: only wg-quick down %s && wg-quick up %s%s applies them", pl->iface, "");
}

static void node_plan(const struct mesh_node *o, const struct mesh_node *n)
{
	char iface[MESH_NAME_LEN], key[WG_B64_KEY_LEN + 1];
	const char *base = strrchr(n->path, '/') ? strrchr(n->path, '/') + 1 : n->path;
	struct planner pl = { iface, 0 };

	snprintf(iface, sizeof(iface), "%.*s", (int)strcspn(base, "."), base);
	printf("## %s (%s)\n", n->name, n->path);
	if (!o) {
		printf("new node: install the file, then wg-quick up %s\n", iface);
		return;
	}
	interface_changes(&pl, o, n);
	/* New peers first: they take over the AllowedIPs of the ones they replace. */
	for (size_t k = 0; k < n->npeers; ++k) {
		int ok = peer_by_key(o, n->peers[k].wp->public_key);

		if (ok < 0)
			peer_add(&pl, &n->peers[k]);
		else
			peer_changes(&pl, &o->peers[ok], &n->peers[k]);
	}
	for (size_t k = 0; k < o->npeers; ++k)
		if (peer_by_key(n, o->peers[k].wp->public_key) < 0) {
			wg_key_to_base64(key, o->peers[k].wp->public_key);
			say(&pl, "wg set %s peer %s remove%s", key, "");
		}
	routes(&pl, n, o, "add");
	routes(&pl, o, n, "del");
	if (!pl.changes)
		printf("no change\n");
}

int plan_main(int argc, char *argv[])
{
	struct mesh old = { 0 }, new = { 0 };
	int rc = 1;

	if (argc != 3) {
		fprintf(stderr, "Usage: wg-mesh plan OLD_DIR NEW_DIR\n");
		return 2;
	}
	if (mesh_load_args(&old, 1, argv + 1) && mesh_load_args(&new, 1, argv + 2)) {
		mesh_link(&old);
		mesh_link(&new);
		for (size_t i = 0; i < new.nnodes; ++i) {
			int j = mesh_find(&old, new.nodes[i].name);

			node_plan(j < 0 ? NULL : &old.nodes[j], &new.nodes[i]);
		}
		for (size_t j = 0; j < old.nnodes; ++j)
			if (mesh_find(&new, old.nodes[j].name) < 0)
				printf("## %s (%s)\nremoved: wg-quick down it there\n", old.nodes[j].name, old.nodes[j].path);
		rc = 0;
	}
	mesh_free(&old);
	mesh_free(&new);
	return rc;
}
