// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a device from a userspace implementation (ipc-uapi.c has the
 * socket): the answer to `get=1', parsed by one table of keys.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "ipc-backend.h"
#include "keys.h"

/* Decimal without sign, at most max; false otherwise. */
static bool uapi_num(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !*end && !errno && *out <= max;
}

static bool uapi_endpoint(union wg_endpoint *ep, char *value)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM,
				  .ai_protocol = IPPROTO_UDP, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *res;
	char *host, *port;
	bool ok = false;

	if (value[0] == '[') {
		char *close = strchr(value, ']');

		if (!close || close[1] != ':' || !close[2])
			return false;
		*close = '\0';
		host = value + 1;
		port = close + 2;
	} else {
		char *colon = strrchr(value, ':');

		if (!colon || !colon[1])
			return false;
		*colon = '\0';
		host = value;
		port = colon + 1;
	}
	if (getaddrinfo(host, port, &hints, &res))
		return false;
	if (res->ai_family == AF_INET && res->ai_addrlen == sizeof(ep->in4)) {
		memcpy(&ep->in4, res->ai_addr, sizeof(ep->in4));
		ok = true;
	} else if (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(ep->in6)) {
		memcpy(&ep->in6, res->ai_addr, sizeof(ep->in6));
		ok = true;
	}
	freeaddrinfo(res);
	return ok;
}

static bool uapi_aip(struct wg_peer *peer, char *value)
{
	char *slash = strchr(value, '/');
	struct wg_aip aip = { 0 }, *slot;
	unsigned long long cidr;

	if (!slash)
		return false;
	*slash++ = '\0';
	if (strchr(value, ':')) {
		if (inet_pton(AF_INET6, value, &aip.addr.v6) == 1)
			aip.family = AF_INET6;
	} else if (inet_pton(AF_INET, value, &aip.addr.v4) == 1)
		aip.family = AF_INET;
	if (!aip.family || !uapi_num(slash, aip.family == AF_INET ? 32 : 128, &cidr))
		return false;
	aip.cidr = (uint8_t)cidr;
	slot = wg_peer_add_aip(peer);
	if (!slot)
		return false;
	*slot = aip;
	return true;
}

/*
 * Reading a `get=1' answer: one key=value a line, the device's keys first,
 * then each peer's, opened by its public_key; errno=N and an empty line
 * end it.  One table says which keys there are, where each belongs and
 * what reads it; a key this tool does not know, or one out of its place,
 * is skipped, and a value its reader refuses makes the answer unusable.
 */
struct uapi_answer {
	struct wg_dev *dev;
	int err;		/* the errno=N line's value, negative */
	bool have_errno;
	bool no_memory;
};

static struct wg_peer *last_peer(struct uapi_answer *a)
{
	return &a->dev->peers[a->dev->npeers - 1];
}

static bool read_private_key(struct uapi_answer *a, char *v)
{
	struct wg_dev *dev = a->dev;

	if (!wg_key_from_hex(dev->private_key, v))
		return false;
	wg_public_from_private(dev->public_key, dev->private_key);
	dev->flags |= DEV_HAS_PRIVATE_KEY | DEV_HAS_PUBLIC_KEY;
	return true;
}

static bool read_listen_port(struct uapi_answer *a, char *v)
{
	unsigned long long n;

	if (!uapi_num(v, 0xffff, &n))
		return false;
	a->dev->listen_port = (uint16_t)n;
	a->dev->flags |= DEV_HAS_LISTEN_PORT;
	return true;
}

static bool read_fwmark(struct uapi_answer *a, char *v)
{
	unsigned long long n;

	if (!uapi_num(v, 0xffffffffULL, &n))
		return false;
	a->dev->fwmark = (uint32_t)n;
	a->dev->flags |= DEV_HAS_FWMARK;
	return true;
}

static bool read_public_key(struct uapi_answer *a, char *v)
{
	struct wg_peer *peer = wg_dev_add_peer(a->dev);

	if (!peer) {
		a->no_memory = true;
		return false;
	}
	if (!wg_key_from_hex(peer->public_key, v))
		return false;
	peer->flags |= PEER_HAS_PUBLIC_KEY;
	return true;
}

static bool read_preshared_key(struct uapi_answer *a, char *v)
{
	struct wg_peer *peer = last_peer(a);

	if (!wg_key_from_hex(peer->preshared_key, v))
		return false;
	if (!wg_key_is_zero(peer->preshared_key))
		peer->flags |= PEER_HAS_PSK;
	return true;
}

static bool read_endpoint(struct uapi_answer *a, char *v)
{
	return uapi_endpoint(&last_peer(a)->endpoint, v);
}

static bool read_keepalive(struct uapi_answer *a, char *v)
{
	unsigned long long n;

	if (!uapi_num(v, 0xffff, &n))
		return false;
	last_peer(a)->keepalive = (uint16_t)n;
	last_peer(a)->flags |= PEER_HAS_KEEPALIVE;
	return true;
}

static bool read_allowed_ip(struct uapi_answer *a, char *v)
{
	return uapi_aip(last_peer(a), v);
}

/* The peer's counters and handshake time: plain numbers in a field. */
#define READ_NUMBER(fn, field, type, max)				\
	static bool fn(struct uapi_answer *a, char *v)			\
	{								\
		unsigned long long n;					\
									\
		if (!uapi_num(v, max, &n))				\
			return false;					\
		last_peer(a)->field = (type)n;				\
		return true;						\
	}
READ_NUMBER(read_handshake_sec, handshake_sec, int64_t, INT64_MAX)
READ_NUMBER(read_handshake_nsec, handshake_nsec, int64_t, INT64_MAX)
READ_NUMBER(read_rx_bytes, rx_bytes, uint64_t, UINT64_MAX)
READ_NUMBER(read_tx_bytes, tx_bytes, uint64_t, UINT64_MAX)

static bool read_errno(struct uapi_answer *a, char *v)
{
	unsigned long long n;

	if (!uapi_num(v, INT_MAX, &n))
		return false;
	a->err = -(int)n;
	a->have_errno = true;
	return true;
}

enum uapi_place { IN_DEVICE, IN_PEER, ANYWHERE };

static const struct uapi_key {
	const char *name;
	enum uapi_place place;
	bool (*read)(struct uapi_answer *a, char *value);
} uapi_keys[] = {
	{ "private_key", IN_DEVICE, read_private_key },
	{ "listen_port", IN_DEVICE, read_listen_port },
	{ "fwmark", IN_DEVICE, read_fwmark },
	{ "public_key", ANYWHERE, read_public_key },
	{ "preshared_key", IN_PEER, read_preshared_key },
	{ "endpoint", IN_PEER, read_endpoint },
	{ "persistent_keepalive_interval", IN_PEER, read_keepalive },
	{ "allowed_ip", IN_PEER, read_allowed_ip },
	{ "last_handshake_time_sec", IN_PEER, read_handshake_sec },
	{ "last_handshake_time_nsec", IN_PEER, read_handshake_nsec },
	{ "rx_bytes", IN_PEER, read_rx_bytes },
	{ "tx_bytes", IN_PEER, read_tx_bytes },
	{ "errno", ANYWHERE, read_errno },
};

/* One "key=value" line (newline removed); false: the answer is unusable. */
static bool uapi_read_line(struct uapi_answer *a, char *line)
{
	char *value = strchr(line, '=');
	bool in_peer = a->dev->npeers > 0;

	if (!value)
		return false;
	*value++ = '\0';
	for (size_t i = 0; i < sizeof(uapi_keys) / sizeof(uapi_keys[0]); ++i) {
		const struct uapi_key *k = &uapi_keys[i];

		if (strcmp(line, k->name))
			continue;
		if ((k->place == IN_DEVICE && in_peer) || (k->place == IN_PEER && !in_peer))
			return true;
		return k->read(a, value);
	}
	return true;
}

/* Reads the answer to `get=1' into a->dev; 0 or a negative errno value. */
static int uapi_read_answer(struct uapi_answer *a, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = -EPROTO;

	while ((n = getline(&line, &cap, f)) > 0) {
		if (n == 1 && line[0] == '\n') {
			if (a->have_errno)
				ret = a->err;
			break;
		}
		if (line[n - 1] != '\n')
			break;
		line[n - 1] = '\0';
		if (!uapi_read_line(a, line)) {
			if (a->no_memory)
				ret = -ENOMEM;
			break;
		}
	}
	free(line);
	return ret;
}

int wg_uapi_get(struct wg_dev **out, const char *name)
{
	struct uapi_answer a = { 0 };
	FILE *f;
	int ret;

	*out = NULL;
	a.dev = wg_dev_new();
	if (!a.dev)
		return wg_ipc_fail(-ENOMEM);
	if (!wg_dev_set_name(a.dev, name)) {
		wg_dev_free(a.dev);
		return wg_ipc_fail(-EINVAL);
	}
	f = wg_uapi_open(name);
	if (!f) {
		ret = -errno;
		wg_dev_free(a.dev);
		return wg_ipc_fail(ret);
	}
	fputs("get=1\n\n", f);
	fflush(f);
	ret = uapi_read_answer(&a, f);
	fclose(f);
	if (ret) {
		wg_dev_free(a.dev);
		return wg_ipc_fail(ret);
	}
	*out = a.dev;
	errno = 0;
	return 0;
}
