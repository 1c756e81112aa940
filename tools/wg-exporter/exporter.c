// SPDX-License-Identifier: GPL-2.0
/*
 * wg-exporter: Prometheus metrics of the kernel's WireGuard interfaces,
 * read at each scrape from the module over Generic Netlink (the
 * "wireguard" family for configuration and counters, the module's own
 * "wireguard-event" family for handshake RTTs, handshake counts and drop
 * counters), plus the module's events, followed as they happen.  HTTP is
 * libmicrohttpd's.
 *
 *   GET /metrics  Prometheus text format 0.0.4
 *   GET /health   200 or 503 by the rule of the guide's health check
 *
 * Threads: libmicrohttpd's one polling thread answers requests (so the
 * request-side netlink socket is used by it alone); the event thread
 * counts events under events_lock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "../wg/device.h"
#include "../wg/encoding.h"
#include "../wg/events.h"
#include "../wg/ipc.h"
#include "metrics.h"

#define MAX_IFACES 64

/* tools/wg's objects name the program in their messages. */
const char *wg_prog_name = "wg-exporter";

static struct {
	const char *listen;
	const char *config_dir;
	const char *ifaces[MAX_IFACES];
	size_t nifaces;
	int peer_timeout;
} opt = {
	.listen = ":9586",
	.config_dir = "/etc/wireguard",
	.peer_timeout = 300,
};

/* Friendly names per interface, loaded when the interface is first seen. */
static struct names_entry {
	char ifname[IFNAMSIZ];
	struct wgx_names names;
} names_cache[MAX_IFACES];
static size_t names_cached;
static volatile sig_atomic_t reload_names;

/* Event counts per interface name, written by the event thread. */
static pthread_mutex_t events_lock = PTHREAD_MUTEX_INITIALIZER;
static struct event_counts {
	char ifname[IFNAMSIZ];
	uint64_t n[__WGEV_EVENT_MAX];
} event_counts[MAX_IFACES];
static size_t nevent_counts;
static bool events_ok;

static struct wgev_sock req_sock;	/* the HTTP thread's */
static bool req_sock_ok;

static const struct wgx_names *names_for(const char *ifname)
{
	char path[4096];
	FILE *f;

	if (reload_names) {
		reload_names = 0;
		for (size_t i = 0; i < names_cached; ++i)
			wgx_names_free(&names_cache[i].names);
		names_cached = 0;
	}
	for (size_t i = 0; i < names_cached; ++i)
		if (!strcmp(names_cache[i].ifname, ifname))
			return &names_cache[i].names;
	if (names_cached == MAX_IFACES)
		return NULL;
	struct names_entry *e = &names_cache[names_cached++];

	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
	memset(&e->names, 0, sizeof(e->names));
	snprintf(path, sizeof(path), "%s/%s.conf", opt.config_dir, ifname);
	f = fopen(path, "r");
	if (!f) {
		if (errno != ENOENT)
			fprintf(stderr, "wg-exporter: %s: %s (no friendly names)\n", path, strerror(errno));
		return &e->names;
	}
	if (wgx_names_load(&e->names, f, path, stderr) < 0)
		fprintf(stderr, "wg-exporter: %s: read error (names kept so far)\n", path);
	fclose(f);
	return &e->names;
}

static bool iface_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool up = false;

	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr))
		up = ifr.ifr_flags & IFF_UP;
	close(fd);
	return up;
}

static char *aips_text(const struct wg_peer *p)
{
	size_t cap = p->naips * 48 + 1, n = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < p->naips; ++i) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(p->aips[i].family, &p->aips[i].addr, a, sizeof(a));
		n += (size_t)snprintf(s + n, cap - n, "%s%s/%u", i ? "," : "", a, p->aips[i].cidr);
	}
	return s;
}

struct figures_ctx {
	struct wgx_device *d;
	const struct wg_dev *dev;
};

static void on_figures(const struct wgev_msg *m, void *data)
{
	struct figures_ctx *ctx = data;

	for (size_t i = 0; i < ctx->dev->npeers && m->has_key; ++i) {
		struct wgx_peer *p = &ctx->d->peers[i];

		if (memcmp(ctx->dev->peers[i].public_key, m->public_key, WG_KEY_LEN))
			continue;
		p->has_figures = true;
		p->handshakes = m->handshakes;
		p->has_rtt = m->rtt_samples > 0;
		p->rtt_ns = m->rtt_ns;
		p->srtt_ns = m->srtt_ns;
	}
}

static void collect_device(struct wgx_device *d)
{
	const struct wgx_names *names;
	struct wg_dev *dev = NULL;
	struct wgev_msg msg;
	int ret;

	ret = wg_ipc_get(&dev, d->name);
	if (ret) {
		fprintf(stderr, "wg-exporter: interface %s: %s\n", d->name, strerror(-ret));
		return;
	}
	d->present = true;
	d->up = iface_up(d->name);
	d->peers = calloc(dev->npeers ? dev->npeers : 1, sizeof(*d->peers));
	if (!d->peers) {
		wg_dev_free(dev);
		return;
	}
	d->npeers = dev->npeers;
	names = names_for(d->name);
	for (size_t i = 0; i < dev->npeers; ++i) {
		struct wgx_peer *p = &d->peers[i];
		const struct wg_peer *wp = &dev->peers[i];

		wg_key_to_base64(p->public_key, wp->public_key);
		p->allowed_ips = aips_text(wp);
		p->friendly_name = names ? wgx_names_find(names, p->public_key) : NULL;
		p->rx_bytes = wp->rx_bytes;
		p->tx_bytes = wp->tx_bytes;
		p->latest_handshake = wp->handshake_sec;
	}
	if (!req_sock_ok)
		req_sock_ok = !wgev_open(&req_sock);
	if (req_sock_ok) {
		struct figures_ctx ctx = { .d = d, .dev = dev };

		ret = wgev_get_peers(&req_sock, d->name, on_figures, &ctx);
		if (!ret && !wgev_get_device(&req_sock, d->name, &msg)) {
			d->has_drops = true;
			memcpy(d->drops, msg.drops, sizeof(d->drops));
			memcpy(d->trains, msg.trains, sizeof(d->trains));
		}
		if (ret == -EPROTONOSUPPORT || ret == -EBADF) {
			wgev_close(&req_sock);
			req_sock_ok = false;
		}
	}
	wg_dev_free(dev);
}

static void collect(struct wgx_snapshot *s)
{
	const char *list[MAX_IFACES];
	char *all = NULL;
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	s->now = time(NULL);
	s->peer_timeout = opt.peer_timeout;
	if (opt.nifaces) {
		for (size_t i = 0; i < opt.nifaces; ++i)
			list[n++] = opt.ifaces[i];
	} else {
		all = wg_ipc_list();
		for (const char *p = all; p && *p && n < MAX_IFACES; p += strlen(p) + 1)
			list[n++] = p;
	}
	s->devs = calloc(n ? n : 1, sizeof(*s->devs));
	if (!s->devs) {
		free(all);
		return;
	}
	s->ndevs = n;
	for (size_t i = 0; i < n; ++i) {
		snprintf(s->devs[i].name, sizeof(s->devs[i].name), "%s", list[i]);
		collect_device(&s->devs[i]);
	}
	pthread_mutex_lock(&events_lock);
	s->events_ok = events_ok;
	for (size_t i = 0; i < n; ++i)
		for (size_t j = 0; j < nevent_counts; ++j)
			if (!strcmp(event_counts[j].ifname, s->devs[i].name))
				memcpy(s->devs[i].events, event_counts[j].n, sizeof(event_counts[j].n));
	pthread_mutex_unlock(&events_lock);
	free(all);
}

static void on_event(const struct wgev_msg *m, void *data)
{
	size_t i;

	(void)data;
	if (m->cmd != WGEV_CMD_EVENT || !m->event || m->event >= __WGEV_EVENT_MAX)
		return;
	pthread_mutex_lock(&events_lock);
	for (i = 0; i < nevent_counts; ++i)
		if (!strcmp(event_counts[i].ifname, m->ifname))
			break;
	if (i == nevent_counts && nevent_counts < MAX_IFACES) {
		memset(&event_counts[i], 0, sizeof(event_counts[i]));
		snprintf(event_counts[i].ifname, IFNAMSIZ, "%s", m->ifname);
		++nevent_counts;
	}
	if (i < nevent_counts)
		++event_counts[i].n[m->event];
	pthread_mutex_unlock(&events_lock);
}

static void *event_thread(void *arg)
{
	struct wgev_sock s;
	int ret;

	(void)arg;
	for (;;) {
		ret = wgev_open(&s);
		if (!ret)
			ret = wgev_join(&s);
		if (ret) {
			fprintf(stderr, "wg-exporter: not following events: %s%s; retrying in 10 s\n",
				strerror(-ret), ret == -EPERM ? " (needs CAP_NET_ADMIN)" : "");
			wgev_close(&s);
			sleep(10);
			continue;
		}
		pthread_mutex_lock(&events_lock);
		events_ok = true;
		pthread_mutex_unlock(&events_lock);
		while ((ret = wgev_recv(&s, on_event, NULL)) == 0 || ret == -ENOBUFS || ret == -EINTR)
			;
		pthread_mutex_lock(&events_lock);
		events_ok = false;
		pthread_mutex_unlock(&events_lock);
		fprintf(stderr, "wg-exporter: event socket: %s; reopening\n", strerror(-ret));
		wgev_close(&s);
		sleep(1);
	}
	return NULL;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	struct wgx_snapshot snap;
	char *body = NULL;
	size_t len = 0;
	unsigned int status = MHD_HTTP_OK;
	FILE *out;

	(void)cls, (void)version, (void)upload, (void)upload_len, (void)state;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", strdup("GET only\n"), 9);
	out = open_memstream(&body, &len);
	if (!out)
		return MHD_NO;
	if (!strcmp(url, "/metrics")) {
		collect(&snap);
		wgx_write_metrics(out, &snap);
		wgx_snapshot_free(&snap);
		fclose(out);
		return reply(c, status, "text/plain; version=0.0.4; charset=utf-8", body, len);
	}
	if (!strcmp(url, "/health")) {
		collect(&snap);
		if (!wgx_health(out, &snap))
			status = MHD_HTTP_SERVICE_UNAVAILABLE;
		wgx_snapshot_free(&snap);
	} else if (!strcmp(url, "/")) {
		fputs("wg-exporter: /metrics (Prometheus), /health\n", out);
	} else {
		status = MHD_HTTP_NOT_FOUND;
		fputs("not found\n", out);
	}
	fclose(out);
	return reply(c, status, "text/plain; charset=utf-8", body, len);
}

/* ":9586", "0.0.0.0:9586", "127.0.0.1:9586", "[::1]:9586", "[::]:9586" */
static int parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long port;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (!colon)
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port == 0 || port > 65535)
		return -1;
	hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (!hl || !strcmp(host, "[::]")) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_any;
		a->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return 0;
	}
	if (host[0] == '[' && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	*v6 = false;
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static void on_hup(int sig)
{
	(void)sig;
	reload_names = 1;
}

static void usage(FILE *f)
{
	fputs("Usage: wg-exporter [-l|--listen [ADDR]:PORT] [-c|--config-dir DIR]\n"
	      "                   [-i|--interface NAME]... [-t|--peer-timeout SECONDS]\n"
	      "Serves Prometheus metrics of WireGuard interfaces on /metrics (default :9586)\n"
	      "and their health on /health.  See wg-exporter(8).\n", f);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "config-dir", required_argument, NULL, 'c' },
		{ "interface", required_argument, NULL, 'i' },
		{ "peer-timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	pthread_t thr;
	sigset_t set;
	bool v6 = false;
	int c, sig;

	while ((c = getopt_long(argc, argv, "l:c:i:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			opt.listen = optarg;
			break;
		case 'c':
			opt.config_dir = optarg;
			break;
		case 'i':
			if (strlen(optarg) >= IFNAMSIZ || !*optarg) {
				fprintf(stderr, "wg-exporter: `%s' cannot be an interface name\n", optarg);
				return 1;
			}
			if (opt.nifaces == MAX_IFACES) {
				fprintf(stderr, "wg-exporter: at most %d interfaces\n", MAX_IFACES);
				return 1;
			}
			opt.ifaces[opt.nifaces++] = optarg;
			break;
		case 't':
			opt.peer_timeout = atoi(optarg);
			if (opt.peer_timeout <= 0) {
				fprintf(stderr, "wg-exporter: bad peer timeout `%s'\n", optarg);
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (parse_listen(opt.listen, &ss, &v6)) {
		fprintf(stderr, "wg-exporter: bad listen address `%s' (expected [ADDR]:PORT)\n", opt.listen);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, on_hup);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
			     (v6 ? MHD_USE_IPv6 | MHD_USE_DUAL_STACK : 0),
			     0, NULL, NULL, handle, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
			     MHD_OPTION_END);
	if (!d) {
		int err = errno;

		fprintf(stderr, "wg-exporter: cannot listen on %s: %s\n", opt.listen,
			err ? strerror(err) : "libmicrohttpd failed to start");
		return 1;
	}
	if (pthread_create(&thr, NULL, event_thread, NULL))
		fprintf(stderr, "wg-exporter: cannot start the event thread; not following events\n");
	fprintf(stderr, "wg-exporter: serving %s/metrics\n", opt.listen);

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
