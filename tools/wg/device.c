// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory device of device.h: allocating it, growing its peer and
 * allowed-IP arrays (wiping keys when freeing), and small helpers on keys,
 * names and endpoints shared by the parsers, ipc and show.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"

struct wg_dev *wg_dev_new(void)
{
	struct wg_dev *dev = calloc(1, sizeof(*dev));

	if (!dev)
		perror("calloc");
	return dev;
}

void wg_dev_free(struct wg_dev *dev)
{
	if (!dev)
		return;
	for (size_t i = 0; i < dev->npeers; ++i)
		free(dev->peers[i].aips);
	/* Keys live in these buffers: clear them before handing them back. */
	if (dev->peers)
		memset(dev->peers, 0, dev->peers_cap * sizeof(*dev->peers));
	free(dev->peers);
	memset(dev, 0, sizeof(*dev));
	free(dev);
}

struct wg_peer *wg_dev_add_peer(struct wg_dev *dev)
{
	if (dev->npeers == dev->peers_cap) {
		size_t cap = dev->peers_cap ? dev->peers_cap * 2 : 8;
		struct wg_peer *p = calloc(cap, sizeof(*p));

		if (!p) {
			perror("calloc");
			return NULL;
		}
		if (dev->peers) {
			memcpy(p, dev->peers, dev->npeers * sizeof(*p));
			memset(dev->peers, 0, dev->peers_cap * sizeof(*p));
			free(dev->peers);
		}
		dev->peers = p;
		dev->peers_cap = cap;
	}
	memset(&dev->peers[dev->npeers], 0, sizeof(dev->peers[0]));
	return &dev->peers[dev->npeers++];
}

struct wg_aip *wg_peer_add_aip(struct wg_peer *peer)
{
	if (peer->naips == peer->aips_cap) {
		size_t cap = peer->aips_cap ? peer->aips_cap * 2 : 4;
		struct wg_aip *a = realloc(peer->aips, cap * sizeof(*a));

		if (!a) {
			perror("realloc");
			return NULL;
		}
		peer->aips = a;
		peer->aips_cap = cap;
	}
	memset(&peer->aips[peer->naips], 0, sizeof(peer->aips[0]));
	return &peer->aips[peer->naips++];
}

bool wg_key_is_zero(const uint8_t key[WG_KEY_LEN])
{
	uint8_t acc = 0;

	for (size_t i = 0; i < WG_KEY_LEN; ++i)
		acc |= key[i];
	return acc == 0;
}

bool wg_dev_set_name(struct wg_dev *dev, const char *name)
{
	size_t len = strlen(name);

	if (len >= sizeof(dev->name))
		return false;
	memcpy(dev->name, name, len + 1);
	return true;
}

bool wg_endpoint_is_set(const union wg_endpoint *ep)
{
	return ep->sa.sa_family == AF_INET || ep->sa.sa_family == AF_INET6;
}

const char *wg_endpoint_str(const union wg_endpoint *ep, char *buf, size_t len, bool *ok)
{
	char host[1025], serv[32];
	socklen_t salen = ep->sa.sa_family == AF_INET ? sizeof(ep->in4) :
			  ep->sa.sa_family == AF_INET6 ? sizeof(ep->in6) : 0;
	int err = getnameinfo(&ep->sa, salen, host, sizeof(host), serv, sizeof(serv),
			      NI_DGRAM | NI_NUMERICHOST | NI_NUMERICSERV);

	if (err) {
		snprintf(buf, len, "%s", gai_strerror(err));
		if (ok)
			*ok = false;
		return buf;
	}
	if (ep->sa.sa_family == AF_INET6 && strchr(host, ':'))
		snprintf(buf, len, "[%s]:%s", host, serv);
	else
		snprintf(buf, len, "%s:%s", host, serv);
	if (ok)
		*ok = true;
	return buf;
}
