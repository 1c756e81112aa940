// SPDX-License-Identifier: GPL-2.0
/*
 * `wg show': the human-readable listing (colours through term.c, peers by
 * latest handshake), one field at a time (`wg show wg0 endpoints', ...),
 * and the tab-separated `dump' for scripts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encoding.h"
#include "ipc.h"
#include "term.h"
#include "wg.h"

static const char *show_cmd = "show";

static void show_usage(void)
{
	fprintf(stderr, "Usage: %s %s { <interface> | all | interfaces } [public-key | private-key | listen-port | fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer | persistent-keepalive | dump]\n",
		wg_prog_name, show_cmd);
}

static const char *b64(const uint8_t key[WG_KEY_LEN])
{
	static char buf[WG_B64_KEY_LEN + 1];

	wg_key_to_base64(buf, key);
	return buf;
}

static const char *key_or_none(const uint8_t key[WG_KEY_LEN], bool present)
{
	return present ? b64(key) : "(none)";
}

static const char *secret_key(const uint8_t key[WG_KEY_LEN])
{
	const char *env = getenv("WG_HIDE_KEYS");

	return env && !strcmp(env, "never") ? b64(key) : "(hidden)";
}

static const char *aip_addr(const struct wg_aip *a)
{
	static char buf[INET6_ADDRSTRLEN + 1];

	buf[0] = '\0';
	if (a->family == AF_INET || a->family == AF_INET6)
		inet_ntop(a->family, &a->addr, buf, sizeof(buf));
	return buf;
}

static const char *endpoint(const union wg_endpoint *ep)
{
	static char buf[1200];

	return wg_endpoint_str(ep, buf, sizeof(buf), NULL);
}

/* "1 day, 2 hours, 3 seconds" with the units in cyan. */
static size_t duration(char *buf, size_t len, unsigned long long secs)
{
	static const struct {
		const char *unit;
		unsigned long long size;
	} units[] = {
		{ "year", 365ULL * 24 * 3600 }, { "day", 24 * 3600 }, { "hour", 3600 },
		{ "minute", 60 }, { "second", 1 },
	};
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); ++i) {
		unsigned long long n = secs / units[i].size;
		int w;

		secs %= units[i].size;
		if (!n)
			continue;
		w = snprintf(buf + off, len - off, "%s%llu " C_CYAN "%s%s" C_RESET, off ? ", " : "", n,
			     units[i].unit, n == 1 ? "" : "s");
		if (w > 0 && (size_t)w < len - off)
			off += (size_t)w;
	}
	return off;
}

static const char *ago(const struct wg_peer *p)
{
	static char buf[512];
	time_t now = time(NULL);

	if (now == p->handshake_sec)
		snprintf(buf, sizeof(buf), "Now");
	else if (now < p->handshake_sec)
		snprintf(buf, sizeof(buf), "(" C_RED "System clock wound backward; connection problems may ensue." C_RESET ")");
	else {
		size_t off = duration(buf, sizeof(buf), (unsigned long long)(now - p->handshake_sec));

		snprintf(buf + off, sizeof(buf) - off, " ago");
	}
	return buf;
}

static const char *every(uint16_t secs)
{
	static char buf[256];
	size_t off = (size_t)snprintf(buf, sizeof(buf), "every ");

	duration(buf + off, sizeof(buf) - off, secs);
	return buf;
}

static const char *size(uint64_t b)
{
	static char buf[64];
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	unsigned int u;

	if (b < 1024) {
		snprintf(buf, sizeof(buf), "%u " C_CYAN "B" C_RESET, (unsigned int)b);
		return buf;
	}
	/* Same thresholds and divisions as wg(8): TiB is the last unit. */
	if (b < (1ULL << 20)) {
		u = 0;
		v = (double)b / 1024;
	} else if (b < (1ULL << 30)) {
		u = 1;
		v = (double)b / (1024 * 1024);
	} else if (b < (1ULL << 40)) {
		u = 2;
		v = (double)b / (1024 * 1024 * 1024);
	} else {
		u = 3;
		v = (double)b / (1024 * 1024 * 1024) / 1024;
	}
	snprintf(buf, sizeof(buf), "%.2f " C_CYAN "%s" C_RESET, v, units[u]);
	return buf;
}

static bool handshake_set(const struct wg_peer *p)
{
	return p->handshake_sec || p->handshake_nsec;
}

/* Most recent handshake first; peers that never had one go last. */
static int by_handshake(const void *x, const void *y)
{
	const struct wg_peer *a = *(const struct wg_peer *const *)x, *b = *(const struct wg_peer *const *)y;
	int64_t d;

	if (!handshake_set(a) && handshake_set(b))
		return 1;
	if (!handshake_set(b) && handshake_set(a))
		return -1;
	d = a->handshake_sec - b->handshake_sec;
	if (!d)
		d = a->handshake_nsec - b->handshake_nsec;
	return d < 0 ? 1 : d > 0 ? -1 : 0;
}

static void pretty_print(const struct wg_dev *dev)
{
	const struct wg_peer **order = NULL;

	term_printf(C_RESET);
	term_printf(C_GREEN C_BOLD "interface" C_RESET ": " C_GREEN "%s" C_RESET "\n", dev->name);
	if (dev->flags & DEV_HAS_PUBLIC_KEY)
		term_printf("  " C_BOLD "public key" C_RESET ": %s\n", b64(dev->public_key));
	if (dev->flags & DEV_HAS_PRIVATE_KEY)
		term_printf("  " C_BOLD "private key" C_RESET ": %s\n", secret_key(dev->private_key));
	if (dev->listen_port)
		term_printf("  " C_BOLD "listening port" C_RESET ": %u\n", dev->listen_port);
	if (dev->fwmark)
		term_printf("  " C_BOLD "fwmark" C_RESET ": 0x%x\n", dev->fwmark);
	if (!dev->npeers)
		return;
	order = calloc(dev->npeers, sizeof(*order));
	if (!order) {
		perror("calloc");
		return;
	}
	for (size_t i = 0; i < dev->npeers; ++i)
		order[i] = &dev->peers[i];
	qsort(order, dev->npeers, sizeof(*order), by_handshake);
	term_printf("\n");
	for (size_t i = 0; i < dev->npeers; ++i) {
		const struct wg_peer *p = order[i];

		term_printf(C_YELLOW C_BOLD "peer" C_RESET ": " C_YELLOW "%s" C_RESET "\n", b64(p->public_key));
		if (p->flags & PEER_HAS_PSK)
			term_printf("  " C_BOLD "preshared key" C_RESET ": %s\n", secret_key(p->preshared_key));
		if (wg_endpoint_is_set(&p->endpoint))
			term_printf("  " C_BOLD "endpoint" C_RESET ": %s\n", endpoint(&p->endpoint));
		term_printf("  " C_BOLD "allowed ips" C_RESET ": ");
		if (!p->naips)
			term_printf("(none)\n");
		for (size_t j = 0; j < p->naips; ++j)
			term_printf("%s" C_CYAN "/" C_RESET "%u%s", aip_addr(&p->aips[j]), p->aips[j].cidr,
				    j + 1 < p->naips ? ", " : "\n");
		if (p->handshake_sec)
			term_printf("  " C_BOLD "latest handshake" C_RESET ": %s\n", ago(p));
		if (p->rx_bytes || p->tx_bytes) {
			term_printf("  " C_BOLD "transfer" C_RESET ": ");
			term_printf("%s received, ", size(p->rx_bytes));
			term_printf("%s sent\n", size(p->tx_bytes));
		}
		if (p->keepalive)
			term_printf("  " C_BOLD "persistent keepalive" C_RESET ": %s\n", every(p->keepalive));
		if (i + 1 < dev->npeers)
			term_printf("\n");
	}
	free(order);
}

static void prefix(const struct wg_dev *dev, bool with_name)
{
	if (with_name)
		printf("%s\t", dev->name);
}

static void print_aips(const struct wg_peer *p, char sep, char end)
{
	if (!p->naips) {
		printf("(none)%c", end);
		return;
	}
	for (size_t j = 0; j < p->naips; ++j)
		printf("%s/%u%c", aip_addr(&p->aips[j]), p->aips[j].cidr, j + 1 < p->naips ? sep : end);
}

static void dump(const struct wg_dev *dev, bool with_name)
{
	prefix(dev, with_name);
	printf("%s\t", key_or_none(dev->private_key, dev->flags & DEV_HAS_PRIVATE_KEY));
	printf("%s\t", key_or_none(dev->public_key, dev->flags & DEV_HAS_PUBLIC_KEY));
	printf("%u\t", dev->listen_port);
	if (dev->fwmark)
		printf("0x%x\n", dev->fwmark);
	else
		printf("off\n");
	for (size_t i = 0; i < dev->npeers; ++i) {
		const struct wg_peer *p = &dev->peers[i];

		prefix(dev, with_name);
		printf("%s\t", b64(p->public_key));
		printf("%s\t", key_or_none(p->preshared_key, p->flags & PEER_HAS_PSK));
		printf("%s\t", wg_endpoint_is_set(&p->endpoint) ? endpoint(&p->endpoint) : "(none)");
		print_aips(p, ',', '\t');
		printf("%llu\t", (unsigned long long)p->handshake_sec);
		printf("%" PRIu64 "\t%" PRIu64 "\t", p->rx_bytes, p->tx_bytes);
		if (p->keepalive)
			printf("%u\n", p->keepalive);
		else
			printf("off\n");
	}
}

static bool field(const struct wg_dev *dev, const char *what, bool with_name)
{
	if (!strcmp(what, "public-key")) {
		prefix(dev, with_name);
		printf("%s\n", key_or_none(dev->public_key, dev->flags & DEV_HAS_PUBLIC_KEY));
	} else if (!strcmp(what, "private-key")) {
		prefix(dev, with_name);
		printf("%s\n", key_or_none(dev->private_key, dev->flags & DEV_HAS_PRIVATE_KEY));
	} else if (!strcmp(what, "listen-port")) {
		prefix(dev, with_name);
		printf("%u\n", dev->listen_port);
	} else if (!strcmp(what, "fwmark")) {
		prefix(dev, with_name);
		if (dev->fwmark)
			printf("0x%x\n", dev->fwmark);
		else
			printf("off\n");
	} else if (!strcmp(what, "dump")) {
		dump(dev, with_name);
	} else {
		enum { F_ENDPOINTS, F_AIPS, F_HANDSHAKES, F_TRANSFER, F_KEEPALIVE, F_PSKS, F_PEERS } f;

		if (!strcmp(what, "endpoints"))
			f = F_ENDPOINTS;
		else if (!strcmp(what, "allowed-ips"))
			f = F_AIPS;
		else if (!strcmp(what, "latest-handshakes"))
			f = F_HANDSHAKES;
		else if (!strcmp(what, "transfer"))
			f = F_TRANSFER;
		else if (!strcmp(what, "persistent-keepalive"))
			f = F_KEEPALIVE;
		else if (!strcmp(what, "preshared-keys"))
			f = F_PSKS;
		else if (!strcmp(what, "peers"))
			f = F_PEERS;
		else {
			fprintf(stderr, "Invalid parameter: `%s'\n", what);
			show_usage();
			return false;
		}
		for (size_t i = 0; i < dev->npeers; ++i) {
			const struct wg_peer *p = &dev->peers[i];

			prefix(dev, with_name);
			printf("%s", b64(p->public_key));
			switch (f) {
			case F_ENDPOINTS:
				printf("\t%s\n", wg_endpoint_is_set(&p->endpoint) ? endpoint(&p->endpoint) : "(none)");
				break;
			case F_AIPS:
				printf("\t");
				print_aips(p, ' ', '\n');
				break;
			case F_HANDSHAKES:
				printf("\t%llu\n", (unsigned long long)p->handshake_sec);
				break;
			case F_TRANSFER:
				printf("\t%" PRIu64 "\t%" PRIu64 "\n", p->rx_bytes, p->tx_bytes);
				break;
			case F_KEEPALIVE:
				if (p->keepalive)
					printf("\t%u\n", p->keepalive);
				else
					printf("\toff\n");
				break;
			case F_PSKS:
				printf("\t%s\n", key_or_none(p->preshared_key, p->flags & PEER_HAS_PSK));
				break;
			case F_PEERS:
				printf("\n");
				break;
			}
		}
	}
	return true;
}

int show_main(int argc, const char *argv[])
{
	int ret = 0;

	show_cmd = argv[0];
	if (argc > 3) {
		show_usage();
		return 1;
	}
	if (argc == 1 || !strcmp(argv[1], "all")) {
		char *names = wg_ipc_list(), *name;

		if (!names) {
			perror("Unable to list interfaces");
			return 1;
		}
		ret = names[0] ? 1 : 0;
		for (name = names; *name; name += strlen(name) + 1) {
			struct wg_dev *dev = NULL;
			const char *next = name + strlen(name) + 1;

			if (wg_ipc_get(&dev, name) < 0) {
				fprintf(stderr, "Unable to access interface %s: %s\n", name, strerror(errno));
				continue;
			}
			if (argc == 3) {
				if (!field(dev, argv[2], true)) {
					wg_dev_free(dev);
					ret = 1;
					break;
				}
			} else {
				pretty_print(dev);
				if (*next)
					printf("\n");
			}
			wg_dev_free(dev);
			ret = 0;
		}
		free(names);
	} else if (!strcmp(argv[1], "interfaces")) {
		char *names, *name;

		if (argc > 2) {
			show_usage();
			return 1;
		}
		names = wg_ipc_list();
		if (!names) {
			perror("Unable to list interfaces");
			return 1;
		}
		for (name = names; *name; name += strlen(name) + 1)
			printf("%s%c", name, name[strlen(name) + 1] ? ' ' : '\n');
		free(names);
	} else if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		show_usage();
	} else {
		struct wg_dev *dev = NULL;

		if (!wg_interface_name_ok(argv[1]))
			return 1;
		if (wg_ipc_get(&dev, argv[1]) < 0) {
			perror("Unable to access interface");
			return 1;
		}
		if (argc == 3)
			ret = field(dev, argv[2], false) ? 0 : 1;
		else
			pretty_print(dev);
		wg_dev_free(dev);
	}
	return ret;
}
