// SPDX-License-Identifier: GPL-2.0
/*
 * wg monitor [<interface>] [--json]: the module's peer events as they
 * happen, one line each (like `ip monitor'), from the "wireguard-event"
 * multicast group.  Needs CAP_NET_ADMIN in the network namespace.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "encoding.h"
#include "events.h"
#include "wg.h"

struct monitor {
	const char *ifname;	/* only this interface, or NULL */
	bool json;
};

static void format_time(uint64_t ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06uZ", (unsigned int)(ns % 1000000000ULL / 1000));
}

static void print_text(const struct wgev_msg *m)
{
	char when[64], key[WG_B64_KEY_LEN + 1], ep[128];

	format_time(m->timestamp_ns, when, sizeof(when));
	wg_key_to_base64(key, m->public_key);
	printf("%s %s %s peer %s", when, m->ifname, wgev_event_name(m->event), key);
	if (m->role)
		printf(" role %s", wgev_role_name(m->role));
	if (m->rtt_ns)
		printf(" rtt %.3fms srtt %.3fms", m->rtt_ns / 1e6, m->srtt_ns / 1e6);
	if (m->has_endpoint)
		printf(" endpoint %s", wg_endpoint_str(&m->endpoint, ep, sizeof(ep), NULL));
	if (m->suppressed)
		printf(" suppressed %" PRIu64, m->suppressed);
	putchar('\n');
}

static void print_json(const struct wgev_msg *m)
{
	char when[64], key[WG_B64_KEY_LEN + 1], ep[128];

	format_time(m->timestamp_ns, when, sizeof(when));
	wg_key_to_base64(key, m->public_key);
	/* Names, keys and addresses never need JSON escaping. */
	printf("{\"time\":\"%s\",\"timestamp_ns\":%" PRIu64 ",\"interface\":\"%s\",\"ifindex\":%u,"
	       "\"event\":\"%s\",\"public_key\":\"%s\"",
	       when, m->timestamp_ns, m->ifname, m->ifindex, wgev_event_name(m->event), key);
	if (m->role)
		printf(",\"role\":\"%s\"", wgev_role_name(m->role));
	if (m->rtt_ns)
		printf(",\"rtt_ns\":%" PRIu64 ",\"srtt_ns\":%" PRIu64, m->rtt_ns, m->srtt_ns);
	if (m->has_endpoint)
		printf(",\"endpoint\":\"%s\"", wg_endpoint_str(&m->endpoint, ep, sizeof(ep), NULL));
	if (m->suppressed)
		printf(",\"suppressed\":%" PRIu64, m->suppressed);
	printf("}\n");
}

static void on_event(const struct wgev_msg *m, void *data)
{
	const struct monitor *mon = data;

	if (m->cmd != WGEV_CMD_EVENT || !m->has_key)
		return;
	if (mon->ifname && strcmp(mon->ifname, m->ifname))
		return;
	if (mon->json)
		print_json(m);
	else
		print_text(m);
	fflush(stdout);
}

static void usage(FILE *out, const char *cmd)
{
	fprintf(out, "Usage: %s %s [<interface>] [--json]\n", wg_prog_name, cmd);
}

int monitor_main(int argc, const char *argv[])
{
	struct monitor mon = { 0 };
	struct wgev_sock s;
	int ret;

	for (int i = 1; i < argc; ++i) {
		if (!strcmp(argv[i], "--json")) {
			mon.json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout, argv[0]);
			return 0;
		} else if (!mon.ifname && argv[i][0] != '-') {
			if (!wg_interface_name_ok(argv[i]))
				return 1;
			mon.ifname = argv[i];
		} else {
			usage(stderr, argv[0]);
			return 1;
		}
	}

	ret = wgev_open(&s);
	if (ret == -EPROTONOSUPPORT) {
		fprintf(stderr, "%s: the module's event family (%s) is not available: is wireguard (out-of-tree) loaded?\n",
			argv[0], WG_EVENTS_GENL_NAME);
		return 1;
	} else if (ret) {
		fprintf(stderr, "%s: netlink: %s\n", argv[0], strerror(-ret));
		return 1;
	}
	if (mon.ifname) {
		struct wgev_msg dev;

		ret = wgev_get_device(&s, mon.ifname, &dev);
		if (ret) {
			fprintf(stderr, "Unable to access interface %s: %s\n", mon.ifname,
				ret == -EOPNOTSUPP ? "Not a WireGuard interface" : strerror(-ret));
			wgev_close(&s);
			return 1;
		}
	}
	ret = wgev_join(&s);
	if (ret) {
		fprintf(stderr, "%s: cannot listen to WireGuard events: %s%s\n", argv[0], strerror(-ret),
			ret == -EPERM ? " (needs CAP_NET_ADMIN)" : "");
		wgev_close(&s);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		ret = wgev_recv(&s, on_event, &mon);
		if (ret == -ENOBUFS) {
			fprintf(stderr, "%s: events were lost (receive buffer overrun)\n", argv[0]);
			continue;
		}
		if (ret == -EINTR)
			continue;
		if (ret) {
			fprintf(stderr, "%s: netlink: %s\n", argv[0], strerror(-ret));
			break;
		}
	}
	wgev_close(&s);
	return 1;
}
