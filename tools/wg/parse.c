// SPDX-License-Identifier: GPL-2.0
/*
 * The parsers of parse.h: configuration files (setconf, addconf,
 * syncconf) and `wg set' arguments into a struct wg_dev, with the
 * name-resolution and key-file hooks the fuzzers replace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encoding.h"
#include "parse.h"

static bool is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; ++s)
		if (!is_digit((unsigned char)*s))
			return false;
	return true;
}

/*
 * glibc's getaddrinfo() treats a service string as a port number whenever
 * strtoul() consumes all of it, silently truncating it to 16 bits (so
 * "70000" is port 4464 and "-1" is 65535).  Returns true if `s' would be
 * taken as a number that way.
 */
static bool looks_numeric(const char *s)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	(void)strtoul(s, &end, 10);
	return *end == '\0' && end != s;
}

/* Port numbers: plain decimal 0-65535.  Returns -1 if not. */
static long strict_port(const char *s)
{
	unsigned long v;

	if (!all_digits(s) || strlen(s) > 5)
		return -1;
	v = strtoul(s, NULL, 10);
	return v > 65535 ? -1 : (long)v;
}

static int dns_retries(void)
{
	const char *env = getenv("WG_ENDPOINT_RESOLUTION_RETRIES");
	unsigned long v;
	char *end;

	if (!env)
		return 15;
	if (!strcmp(env, "infinity"))
		return -1;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (*end || !*env || errno || v > INT_MAX) {
		fprintf(stderr, "Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `%s'\n", env);
		exit(1);
	}
	return (int)v;
}

static const char *gai_message(int err)
{
	return err == EAI_SYSTEM ? strerror(errno) : gai_strerror(err);
}

static bool real_resolve_endpoint(const char *host, const char *service, const char *whole,
				  union wg_endpoint *out)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_DGRAM,
		.ai_protocol = IPPROTO_UDP,
	};
	struct addrinfo *res = NULL;
	int retries = dns_retries(), err;
	unsigned int delay_us = 1000000;

	for (;;) {
		err = getaddrinfo(host, service, &hints, &res);
		if (!err)
			break;
		/* Permanent failures are not worth waiting for. */
		if (err == EAI_NONAME || err == EAI_FAIL ||
#ifdef EAI_NODATA
		    err == EAI_NODATA ||
#endif
		    retries == 0) {
			fprintf(stderr, "%s: `%s'\n", gai_message(err), whole);
			return false;
		}
		if (retries > 0)
			--retries;
		fprintf(stderr, "%s: `%s'. Trying again in %.2f seconds...\n",
			gai_message(err), whole, delay_us / 1000000.0);
		usleep(delay_us);
		delay_us = delay_us * 6 / 5;
		if (delay_us > 20000000)
			delay_us = 20000000;
	}
	if (res->ai_family == AF_INET && res->ai_addrlen == sizeof(out->in4))
		memcpy(&out->in4, res->ai_addr, sizeof(out->in4));
	else if (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(out->in6))
		memcpy(&out->in6, res->ai_addr, sizeof(out->in6));
	else {
		freeaddrinfo(res);
		fprintf(stderr, "Neither IPv4 nor IPv6 address found: `%s'\n", whole);
		return false;
	}
	freeaddrinfo(res);
	return true;
}

static bool real_resolve_service(const char *service, uint16_t *port)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_DGRAM,
		.ai_protocol = IPPROTO_UDP,
		.ai_flags = AI_PASSIVE,
	};
	struct addrinfo *res = NULL;
	int err = getaddrinfo(NULL, service, &hints, &res);
	bool ok = true;

	if (err) {
		fprintf(stderr, "%s: `%s'\n", gai_message(err), service);
		return false;
	}
	if (res->ai_family == AF_INET && res->ai_addrlen == sizeof(struct sockaddr_in))
		*port = ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port);
	else if (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(struct sockaddr_in6))
		*port = ntohs(((struct sockaddr_in6 *)res->ai_addr)->sin6_port);
	else {
		fprintf(stderr, "Neither IPv4 nor IPv6 address found: `%s'\n", service);
		ok = false;
	}
	freeaddrinfo(res);
	return ok;
}

static FILE *real_open_keyfile(const char *path, bool secret)
{
	struct stat st;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "Unable to open key file `%s': %s\n", path, strerror(errno));
		return NULL;
	}
	if (secret && !fstat(fileno(f), &st) && S_ISREG(st.st_mode) && (st.st_mode & S_IRWXO))
		fprintf(stderr, "Warning: `%s' is world accessible\n", path);
	return f;
}

bool (*wg_resolve_endpoint_hook)(const char *, const char *, const char *, union wg_endpoint *) = real_resolve_endpoint;
bool (*wg_resolve_service_hook)(const char *, uint16_t *) = real_resolve_service;
FILE *(*wg_open_keyfile_hook)(const char *, bool) = real_open_keyfile;

bool wg_parse_key(uint8_t key[WG_KEY_LEN], const char *value)
{
	if (!wg_key_from_base64(key, value)) {
		fprintf(stderr, "Key is not the correct length or format: `%s'\n", value);
		memset(key, 0, WG_KEY_LEN);
		return false;
	}
	return true;
}

bool wg_parse_keyfile(uint8_t key[WG_KEY_LEN], const char *path, bool secret)
{
	char text[WG_B64_KEY_LEN + 1];
	size_t got;
	bool ok = false;
	int c;
	FILE *f = wg_open_keyfile_hook(path, secret);

	if (!f)
		return false;
	got = fread(text, 1, WG_B64_KEY_LEN, f);
	if (got != WG_B64_KEY_LEN) {
		/* An empty file (or /dev/null) means "no key". */
		if (got == 0 && !ferror(f)) {
			memset(key, 0, WG_KEY_LEN);
			ok = true;
		} else
			fprintf(stderr, "Invalid length key in key file `%s'\n", path);
		goto out;
	}
	text[WG_B64_KEY_LEN] = '\0';
	while ((c = getc(f)) != EOF) {
		if (!is_space(c)) {
			fprintf(stderr, "Found trailing character in key file `%s': `%c'\n", path, c);
			goto out;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "Unable to read key file `%s': %s\n", path, strerror(errno));
		goto out;
	}
	if (!wg_key_from_base64(key, text)) {
		fprintf(stderr, "Key in key file `%s' is not the correct length or format\n", path);
		memset(key, 0, WG_KEY_LEN);
		goto out;
	}
	ok = true;
out:
	memset(text, 0, sizeof(text));
	fclose(f);
	return ok;
}

bool wg_parse_listen_port(struct wg_dev *dev, const char *value)
{
	uint16_t port;

	if (!*value) {
		fprintf(stderr, "Unable to parse empty port\n");
		return false;
	}
	if (looks_numeric(value)) {
		long p = strict_port(value);

		if (p < 0) {
			fprintf(stderr, "Listen port is not a number in 0-65535: `%s'\n", value);
			return false;
		}
		port = (uint16_t)p;
	} else if (!wg_resolve_service_hook(value, &port))
		return false;
	dev->listen_port = port;
	dev->flags |= DEV_HAS_LISTEN_PORT;
	return true;
}

bool wg_parse_fwmark(struct wg_dev *dev, const char *value)
{
	unsigned long v;
	char *end;
	int base = 10;

	if (!strcasecmp(value, "off")) {
		dev->fwmark = 0;
		dev->flags |= DEV_HAS_FWMARK;
		return true;
	}
	if (!is_digit((unsigned char)value[0]))
		goto err;
	if (strlen(value) > 2 && value[0] == '0' && value[1] == 'x')
		base = 16;
	errno = 0;
	v = strtoul(value, &end, base);
	if (*end || errno || v > UINT32_MAX)
		goto err;
	dev->fwmark = (uint32_t)v;
	dev->flags |= DEV_HAS_FWMARK;
	return true;
err:
	fprintf(stderr, "Fwmark is neither 0/off nor 0-0xffffffff: `%s'\n", value);
	return false;
}

bool wg_parse_keepalive(struct wg_peer *peer, const char *value)
{
	unsigned long v;
	char *end;

	if (!strcasecmp(value, "off")) {
		peer->keepalive = 0;
		peer->flags |= PEER_HAS_KEEPALIVE;
		return true;
	}
	if (!is_digit((unsigned char)value[0]))
		goto err;
	errno = 0;
	v = strtoul(value, &end, 10);
	if (*end || errno || v > 65535)
		goto err;
	peer->keepalive = (uint16_t)v;
	peer->flags |= PEER_HAS_KEEPALIVE;
	return true;
err:
	fprintf(stderr, "Persistent keepalive interval is neither 0/off nor 1-65535: `%s'\n", value);
	return false;
}

bool wg_parse_endpoint(struct wg_peer *peer, const char *value)
{
	char *copy, *host, *port;
	union wg_endpoint ep;
	bool ok = false;

	if (!*value) {
		fprintf(stderr, "Unable to parse empty endpoint\n");
		return false;
	}
	copy = strdup(value);
	if (!copy) {
		perror("strdup");
		return false;
	}
	if (copy[0] == '[') {
		char *close = strchr(copy, ']');

		if (!close) {
			fprintf(stderr, "Unable to find matching brace of endpoint: `%s'\n", value);
			goto out;
		}
		*close = '\0';
		host = copy + 1;
		if (close[1] != ':' || !close[2]) {
			fprintf(stderr, "Unable to find port of endpoint: `%s'\n", value);
			goto out;
		}
		port = close + 2;
	} else {
		char *colon = strrchr(copy, ':');

		if (!colon || !colon[1]) {
			fprintf(stderr, "Unable to find port of endpoint: `%s'\n", value);
			goto out;
		}
		*colon = '\0';
		host = copy;
		port = colon + 1;
	}
	if (looks_numeric(port) && strict_port(port) < 0) {
		fprintf(stderr, "Endpoint port is not a number in 0-65535: `%s'\n", value);
		goto out;
	}
	memset(&ep, 0, sizeof(ep));
	if (!wg_resolve_endpoint_hook(host, port, value, &ep))
		goto out;
	peer->endpoint = ep;
	ok = true;
out:
	free(copy);
	return ok;
}

/* True if the address has no bits set beyond the prefix length. */
static bool host_part_is_zero(const struct wg_aip *aip)
{
	unsigned int bytes = aip->family == AF_INET ? 4 : 16;

	for (unsigned int i = 0; i < bytes; ++i) {
		unsigned int bit = i * 8;
		uint8_t mask;

		if (aip->cidr >= bit + 8)
			continue;
		mask = aip->cidr <= bit ? 0xff : (uint8_t)(0xff >> (aip->cidr - bit));
		if (aip->addr.raw[i] & mask)
			return false;
	}
	return true;
}

static bool parse_one_aip(struct wg_peer *peer, char *entry)
{
	uint32_t flags = 0;
	struct wg_aip aip = { 0 };
	char *slash, *ip;
	const char *shown;

	if (entry[0] == '-' || entry[0] == '+') {
		if (entry[0] == '-')
			flags |= AIP_REMOVE;
		peer->flags &= ~PEER_REPLACE_AIPS;
		++entry;
	}
	shown = entry;
	ip = strdup(entry);
	if (!ip) {
		perror("strdup");
		return false;
	}
	slash = strchr(ip, '/');
	if (slash)
		*slash++ = '\0';
	if (strchr(ip, ':')) {
		if (inet_pton(AF_INET6, ip, &aip.addr.v6) == 1)
			aip.family = AF_INET6;
	} else if (inet_pton(AF_INET, ip, &aip.addr.v4) == 1)
		aip.family = AF_INET;
	if (!aip.family) {
		fprintf(stderr, "Unable to parse IP address: `%s'\n", ip);
		free(ip);
		return false;
	}
	if (slash) {
		unsigned long cidr;
		char *end;

		if (!is_digit((unsigned char)slash[0]))
			goto bad;
		errno = 0;
		cidr = strtoul(slash, &end, 10);
		if (*end || errno || cidr > (aip.family == AF_INET ? 32U : 128U))
			goto bad;
		aip.cidr = (uint8_t)cidr;
	} else
		aip.cidr = aip.family == AF_INET ? 32 : 128;
	aip.flags = flags;
	if (!host_part_is_zero(&aip))
		fprintf(stderr, "Warning: AllowedIP has nonzero host part: %s/%s\n", ip, slash ? slash : "(null)");
	free(ip);
	{
		struct wg_aip *slot = wg_peer_add_aip(peer);

		if (!slot)
			return false;
		*slot = aip;
	}
	return true;
bad:
	fprintf(stderr, "AllowedIP is not in the correct format: `%s'\n", shown);
	free(ip);
	return false;
}

bool wg_parse_allowedips(struct wg_peer *peer, const char *value)
{
	char *copy, *cursor, *entry;
	bool ok = true;

	peer->flags |= PEER_REPLACE_AIPS;
	if (!*value)
		return true;
	copy = strdup(value);
	if (!copy) {
		perror("strdup");
		return false;
	}
	cursor = copy;
	while (ok && (entry = strsep(&cursor, ",")))
		ok = parse_one_aip(peer, entry);
	free(copy);
	return ok;
}

static char *without_spaces(const char *in)
{
	size_t len = strlen(in), o = 0;
	char *out = malloc(len + 1);

	if (!out) {
		perror("malloc");
		return NULL;
	}
	for (size_t i = 0; i < len; ++i)
		if (!is_space((unsigned char)in[i]))
			out[o++] = in[i];
	out[o] = '\0';
	return out;
}

bool wg_parse_set_args(struct wg_dev *dev, int argc, const char *const argv[])
{
	struct wg_peer *peer = NULL;

	while (argc > 0) {
		const char *opt = argv[0], *val = argc >= 2 ? argv[1] : NULL;
		int used = 2;

		if (!peer && val && !strcmp(opt, "listen-port")) {
			if (!wg_parse_listen_port(dev, val))
				return false;
		} else if (!peer && val && !strcmp(opt, "fwmark")) {
			if (!wg_parse_fwmark(dev, val))
				return false;
		} else if (!peer && val && !strcmp(opt, "private-key")) {
			if (!wg_parse_keyfile(dev->private_key, val, true))
				return false;
			dev->flags |= DEV_HAS_PRIVATE_KEY;
		} else if (val && !strcmp(opt, "peer")) {
			peer = wg_dev_add_peer(dev);
			if (!peer)
				return false;
			if (!wg_parse_key(peer->public_key, val))
				return false;
			peer->flags |= PEER_HAS_PUBLIC_KEY;
		} else if (peer && !strcmp(opt, "remove")) {
			peer->flags |= PEER_REMOVE;
			used = 1;
		} else if (peer && val && !strcmp(opt, "endpoint")) {
			if (!wg_parse_endpoint(peer, val))
				return false;
		} else if (peer && val && !strcmp(opt, "allowed-ips")) {
			char *stripped = without_spaces(val);
			bool ok;

			if (!stripped)
				return false;
			ok = wg_parse_allowedips(peer, stripped);
			free(stripped);
			if (!ok)
				return false;
		} else if (peer && val && !strcmp(opt, "persistent-keepalive")) {
			if (!wg_parse_keepalive(peer, val))
				return false;
		} else if (peer && val && !strcmp(opt, "preshared-key")) {
			if (!wg_parse_keyfile(peer->preshared_key, val, true))
				return false;
			peer->flags |= PEER_HAS_PSK;
		} else {
			fprintf(stderr, "Invalid argument: %s\n", opt);
			return false;
		}
		/* dev->peers may have moved: re-derive the current peer. */
		if (peer)
			peer = &dev->peers[dev->npeers - 1];
		argv += used;
		argc -= used;
	}
	return true;
}

void wg_config_init(struct wg_config *cfg, struct wg_dev *dev, bool append)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->dev = dev;
	if (!append)
		dev->flags |= DEV_REPLACE_PEERS | DEV_HAS_PRIVATE_KEY | DEV_HAS_FWMARK | DEV_HAS_LISTEN_PORT;
}

/* If `line' is "<key>=<non-empty value>" (key case-insensitive), the value. */
static const char *value_of(const char *line, const char *key)
{
	size_t klen = strlen(key);

	if (strlen(line) <= klen + 1 || strncasecmp(line, key, klen) || line[klen] != '=')
		return NULL;
	return line + klen + 1;
}

static const char *const cfg_names[CFG_NKEYS] = {
	[CFG_PRIVATE_KEY] = "PrivateKey", [CFG_LISTEN_PORT] = "ListenPort",
	[CFG_FWMARK] = "FwMark", [CFG_PUBLIC_KEY] = "PublicKey",
	[CFG_PRESHARED_KEY] = "PresharedKey", [CFG_ENDPOINT] = "Endpoint",
	[CFG_KEEPALIVE] = "PersistentKeepalive",
};

/*
 * Records that setting k is given on this line.  A second one would
 * silently override the first, which is almost certainly a mistake:
 * refuse it, naming both lines (but never echoing a secret).
 */
static bool first_time(struct wg_config *cfg, unsigned int k, const char *value)
{
	if (cfg->seen[k]) {
		if (k == CFG_PRIVATE_KEY || k == CFG_PRESHARED_KEY)
			fprintf(stderr, "%s given twice: first on line %u, again on line %u\n",
				cfg_names[k], cfg->seen[k], cfg->lineno);
		else
			fprintf(stderr, "%s given twice: first on line %u, again on line %u: `%s'\n",
				cfg_names[k], cfg->seen[k], cfg->lineno, value);
		return false;
	}
	cfg->seen[k] = cfg->lineno;
	return true;
}

/* Closes the current [Peer] section, which must have named its key. */
static bool end_peer(struct wg_config *cfg)
{
	if (cfg->section != SECTION_PEER)
		return true;
	if (!cfg->seen[CFG_PUBLIC_KEY]) {
		fprintf(stderr, "The [Peer] section on line %u has no PublicKey\n", cfg->peer_line);
		cfg->error_line = cfg->peer_line;
		return false;
	}
	for (unsigned int k = CFG_PUBLIC_KEY; k < CFG_NKEYS; ++k)
		cfg->seen[k] = 0;
	return true;
}

static bool config_statement(struct wg_config *cfg, const char *line)
{
	struct wg_dev *dev = cfg->dev;
	struct wg_peer *peer = cfg->section == SECTION_PEER ? &dev->peers[dev->npeers - 1] : NULL;
	const char *v;

	if (!strcasecmp(line, "[Interface]")) {
		if (!end_peer(cfg))
			return false;
		cfg->section = SECTION_INTERFACE;
		return true;
	}
	if (!strcasecmp(line, "[Peer]")) {
		if (!end_peer(cfg))
			return false;
		peer = wg_dev_add_peer(dev);
		if (!peer)
			return false;
		peer->flags |= PEER_REPLACE_AIPS;
		cfg->section = SECTION_PEER;
		cfg->peer_line = cfg->lineno;
		return true;
	}
	if (cfg->section == SECTION_INTERFACE) {
		if ((v = value_of(line, "ListenPort")))
			return first_time(cfg, CFG_LISTEN_PORT, v) && wg_parse_listen_port(dev, v);
		if ((v = value_of(line, "FwMark")))
			return first_time(cfg, CFG_FWMARK, v) && wg_parse_fwmark(dev, v);
		if ((v = value_of(line, "PrivateKey"))) {
			cfg->has_secret = true;
			if (!first_time(cfg, CFG_PRIVATE_KEY, v) || !wg_parse_key(dev->private_key, v))
				return false;
			dev->flags |= DEV_HAS_PRIVATE_KEY;
			return true;
		}
	} else if (peer) {
		if ((v = value_of(line, "Endpoint")))
			return first_time(cfg, CFG_ENDPOINT, v) && wg_parse_endpoint(peer, v);
		if ((v = value_of(line, "PublicKey"))) {
			if (!first_time(cfg, CFG_PUBLIC_KEY, v) || !wg_parse_key(peer->public_key, v))
				return false;
			peer->flags |= PEER_HAS_PUBLIC_KEY;
			peer->config_line = cfg->lineno;
			return true;
		}
		/* Several AllowedIPs lines add up. */
		if ((v = value_of(line, "AllowedIPs")))
			return wg_parse_allowedips(peer, v);
		if ((v = value_of(line, "PersistentKeepalive")))
			return first_time(cfg, CFG_KEEPALIVE, v) && wg_parse_keepalive(peer, v);
		if ((v = value_of(line, "PresharedKey"))) {
			cfg->has_secret = true;
			if (!first_time(cfg, CFG_PRESHARED_KEY, v) || !wg_parse_key(peer->preshared_key, v))
				return false;
			peer->flags |= PEER_HAS_PSK;
			return true;
		}
	}
	if (cfg->section == SECTION_NONE && line[0] != '[')
		fprintf(stderr, "Line unrecognized (not in an [Interface] or [Peer] section): `%s'\n", line);
	else
		fprintf(stderr, "Line unrecognized: `%s'\n", line);
	return false;
}

bool wg_config_line(struct wg_config *cfg, const char *input)
{
	const char *hash = strchr(input, '#');
	size_t len = hash ? (size_t)(hash - input) : strlen(input), o = 0;
	char *line;
	bool ok = true;

	cfg->error_line = ++cfg->lineno;
	line = malloc(len + 1);
	if (!line) {
		perror("malloc");
		return false;
	}
	for (size_t i = 0; i < len; ++i)
		if (!is_space((unsigned char)input[i]))
			line[o++] = input[i];
	line[o] = '\0';
	if (o)
		ok = config_statement(cfg, line);
	memset(line, 0, len + 1);
	free(line);
	return ok;
}

static int peer_key_cmp(const void *x, const void *y)
{
	const struct wg_peer *a = *(const struct wg_peer *const *)x, *b = *(const struct wg_peer *const *)y;
	int c = memcmp(a->public_key, b->public_key, WG_KEY_LEN);

	if (c)
		return c;
	return a->config_line < b->config_line ? -1 : a->config_line > b->config_line;
}

bool wg_config_finish(struct wg_config *cfg)
{
	struct wg_dev *dev = cfg->dev;
	const struct wg_peer **order;
	bool ok = true;

	cfg->error_line = cfg->lineno;
	if (!end_peer(cfg))
		return false;
	cfg->section = SECTION_NONE;
	if (dev->npeers < 2)
		return true;
	/* The same peer twice: the second would silently rewrite the first. */
	order = malloc(dev->npeers * sizeof(*order));
	if (!order) {
		perror("malloc");
		return false;
	}
	for (size_t i = 0; i < dev->npeers; ++i)
		order[i] = &dev->peers[i];
	qsort(order, dev->npeers, sizeof(*order), peer_key_cmp);
	for (size_t i = 1; i < dev->npeers && ok; ++i) {
		char b64[WG_B64_KEY_LEN + 1];

		if (memcmp(order[i - 1]->public_key, order[i]->public_key, WG_KEY_LEN))
			continue;
		wg_key_to_base64(b64, order[i]->public_key);
		fprintf(stderr, "Peer %s given twice: on line %u and on line %u\n", b64,
			order[i - 1]->config_line, order[i]->config_line);
		cfg->error_line = order[i]->config_line;
		ok = false;
	}
	free(order);
	return ok;
}

bool wg_config_parse_buffer(struct wg_dev *dev, const char *buf, size_t len, bool append,
			    const char *source)
{
	struct wg_config cfg;
	size_t pos = 0;
	char *line = NULL;
	bool ok = true;

	wg_config_init(&cfg, dev, append);
	while (ok && pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		line = malloc(llen + 1);
		if (!line) {
			perror("malloc");
			return false;
		}
		memcpy(line, buf + pos, llen);
		line[llen] = '\0';
		if (memchr(buf + pos, '\0', llen)) {
			/* Not a text file, or a truncated value: refuse. */
			cfg.error_line = ++cfg.lineno;
			fprintf(stderr, "Line contains a NUL byte\n");
			ok = false;
		} else
			ok = wg_config_line(&cfg, line);
		memset(line, 0, llen);
		free(line);
		pos += llen + 1;
	}
	if (ok)
		ok = wg_config_finish(&cfg);
	if (!ok)
		fprintf(stderr, "Configuration parsing error in `%s' on line %u\n", source, cfg.error_line);
	return ok;
}
