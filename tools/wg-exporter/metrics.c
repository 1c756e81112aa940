// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition of wg-exporter, the health rule, and
 * the friendly names read from configuration comments.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static const char *const drop_names[__WGEV_DROP_MAX] = {
	[WGEV_DROP_MALFORMED] = "malformed",
	[WGEV_DROP_HANDSHAKE_QUEUE_FULL] = "handshake_queue_full",
	[WGEV_DROP_HANDSHAKE_MAC] = "handshake_mac",
	[WGEV_DROP_UNDER_LOAD] = "under_load",
	[WGEV_DROP_HANDSHAKE_INVALID] = "handshake_invalid",
	[WGEV_DROP_NO_SESSION] = "no_session",
	[WGEV_DROP_DECRYPT] = "decrypt",
	[WGEV_DROP_REPLAY] = "replay",
	[WGEV_DROP_ALLOWED_IPS] = "allowed_ips",
	[WGEV_DROP_RX_QUEUE_FULL] = "rx_queue_full",
};

static const char *const event_names[__WGEV_EVENT_MAX] = {
	[WGEV_EVENT_HANDSHAKE] = "handshake",
	[WGEV_EVENT_KEYS_ZEROED] = "keys_zeroed",
	[WGEV_EVENT_ENDPOINT] = "endpoint",
	[WGEV_EVENT_PEER_ADDED] = "peer_added",
	[WGEV_EVENT_PEER_REMOVED] = "peer_removed",
};

void wgx_escape_label(FILE *out, const char *s)
{
	for (; *s; ++s) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '"')
			fputs("\\\"", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

/* The labels of a peer's series, without the closing brace. */
static void peer_labels(FILE *out, const struct wgx_device *d, const struct wgx_peer *p)
{
	fputs("{interface=\"", out);
	wgx_escape_label(out, d->name);
	fputs("\",public_key=\"", out);
	wgx_escape_label(out, p->public_key);
	fputs("\",allowed_ips=\"", out);
	wgx_escape_label(out, p->allowed_ips ? p->allowed_ips : "");
	if (p->friendly_name) {
		fputs("\",friendly_name=\"", out);
		wgx_escape_label(out, p->friendly_name);
	}
	fputc('"', out);
}

static void header(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A per-interface train counter, once with direction="tx", once "rx". */
static void per_direction(FILE *out, const struct wgx_snapshot *s, const char *name,
			  int tx, int rx)
{
	for (size_t i = 0; i < s->ndevs; ++i) {
		if (!s->devs[i].has_drops)
			continue;
		for (int d = 0; d < 2; ++d) {
			fprintf(out, "%s{interface=\"", name);
			wgx_escape_label(out, s->devs[i].name);
			fprintf(out, "\",direction=\"%s\"} %" PRIu64 "\n", d ? "rx" : "tx",
				s->devs[i].trains[d ? rx : tx]);
		}
	}
}

bool wgx_peer_up(const struct wgx_peer *p, int64_t now, int timeout)
{
	return p->latest_handshake > 0 && now - p->latest_handshake <= timeout;
}

enum series { SENT, RECEIVED, HANDSHAKE, UP, HANDSHAKES, RTT_LAST, RTT_SMOOTHED };

/* The sample of one series for one peer, as text; false when it has none. */
static bool peer_value(const struct wgx_snapshot *s, const struct wgx_peer *p, enum series k,
		       char *buf, size_t len)
{
	switch (k) {
	case SENT:
		snprintf(buf, len, "%" PRIu64, p->tx_bytes);
		return true;
	case RECEIVED:
		snprintf(buf, len, "%" PRIu64, p->rx_bytes);
		return true;
	case HANDSHAKE:
		snprintf(buf, len, "%" PRId64, p->latest_handshake);
		return true;
	case UP:
		snprintf(buf, len, "%d", wgx_peer_up(p, s->now, s->peer_timeout));
		return true;
	case HANDSHAKES:
		snprintf(buf, len, "%" PRIu64, p->handshakes);
		return p->has_figures;
	case RTT_LAST:
	case RTT_SMOOTHED: {
		uint64_t ns = k == RTT_LAST ? p->rtt_ns : p->srtt_ns;

		snprintf(buf, len, "%" PRIu64 ".%09" PRIu64, ns / (uint64_t)1000000000, ns % (uint64_t)1000000000);
		return p->has_rtt;
	}
	}
	return false;
}

/* Every peer's sample of one series; extra is more labels (or ""). */
static void per_peer(FILE *out, const struct wgx_snapshot *s, const char *name, enum series k,
		     const char *extra)
{
	char v[64];

	for (size_t i = 0; i < s->ndevs; ++i) {
		const struct wgx_device *d = &s->devs[i];

		for (size_t j = 0; j < d->npeers; ++j) {
			if (!peer_value(s, &d->peers[j], k, v, sizeof(v)))
				continue;
			fputs(name, out);
			peer_labels(out, d, &d->peers[j]);
			fprintf(out, "%s} %s\n", extra, v);
		}
	}
}

void wgx_write_metrics(FILE *out, const struct wgx_snapshot *s)
{
	header(out, "wireguard_interface_up", "gauge",
	       "1 when the WireGuard interface exists and is up, 0 when it is down or missing.");
	for (size_t i = 0; i < s->ndevs; ++i) {
		fputs("wireguard_interface_up{interface=\"", out);
		wgx_escape_label(out, s->devs[i].name);
		fprintf(out, "\"} %d\n", s->devs[i].present && s->devs[i].up);
	}
	header(out, "wireguard_peers", "gauge", "Number of peers of the interface.");
	for (size_t i = 0; i < s->ndevs; ++i) {
		if (!s->devs[i].present)
			continue;
		fputs("wireguard_peers{interface=\"", out);
		wgx_escape_label(out, s->devs[i].name);
		fprintf(out, "\"} %zu\n", s->devs[i].npeers);
	}
	header(out, "wireguard_sent_bytes_total", "counter", "Bytes sent to the peer.");
	per_peer(out, s, "wireguard_sent_bytes_total", SENT, "");
	header(out, "wireguard_received_bytes_total", "counter", "Bytes received from the peer.");
	per_peer(out, s, "wireguard_received_bytes_total", RECEIVED, "");
	header(out, "wireguard_latest_handshake_seconds", "gauge",
	       "Unix time of the latest handshake with the peer (0: never).");
	per_peer(out, s, "wireguard_latest_handshake_seconds", HANDSHAKE, "");
	header(out, "wireguard_peer_up", "gauge",
	       "1 when the latest handshake is at most the peer timeout old.");
	per_peer(out, s, "wireguard_peer_up", UP, "");
	header(out, "wireguard_handshakes_total", "counter",
	       "Handshakes completed with the peer (either role) since it was added.");
	per_peer(out, s, "wireguard_handshakes_total", HANDSHAKES, "");
	header(out, "wireguard_handshake_rtt_seconds", "gauge",
	       "Handshake round-trip time measured by the initiator: last sample and smoothed (EWMA 1/8).");
	per_peer(out, s, "wireguard_handshake_rtt_seconds", RTT_LAST, ",estimate=\"last\"");
	per_peer(out, s, "wireguard_handshake_rtt_seconds", RTT_SMOOTHED, ",estimate=\"smoothed\"");
	header(out, "wireguard_dropped_packets_total", "counter",
	       "Received packets the module dropped, by reason.");
	for (size_t i = 0; i < s->ndevs; ++i) {
		if (!s->devs[i].has_drops)
			continue;
		for (int r = 1; r < __WGEV_DROP_MAX; ++r) {
			fputs("wireguard_dropped_packets_total{interface=\"", out);
			wgx_escape_label(out, s->devs[i].name);
			fprintf(out, "\",reason=\"%s\"} %" PRIu64 "\n", drop_names[r], s->devs[i].drops[r]);
		}
	}
	header(out, "wireguard_trains_total", "counter",
	       "Runs of transport messages sent or received as one UDP GSO or GRO packet.");
	per_direction(out, s, "wireguard_trains_total", WGEV_TRAIN_TX, WGEV_TRAIN_RX);
	header(out, "wireguard_train_messages_total", "counter",
	       "Transport messages carried in those trains.");
	per_direction(out, s, "wireguard_train_messages_total", WGEV_TRAIN_TX_MESSAGES,
		      WGEV_TRAIN_RX_MESSAGES);
	header(out, "wireguard_events_total", "counter",
	       "Peer events received from the module since the exporter started.");
	for (size_t i = 0; i < s->ndevs; ++i) {
		if (!s->devs[i].present)
			continue;
		for (int e = 1; e < __WGEV_EVENT_MAX; ++e) {
			fputs("wireguard_events_total{interface=\"", out);
			wgx_escape_label(out, s->devs[i].name);
			fprintf(out, "\",event=\"%s\"} %" PRIu64 "\n", event_names[e], s->devs[i].events[e]);
		}
	}
	header(out, "wireguard_exporter_events_listening", "gauge",
	       "1 when the exporter follows the module's events.");
	fprintf(out, "wireguard_exporter_events_listening %d\n", s->events_ok);
}

bool wgx_health(FILE *out, const struct wgx_snapshot *s)
{
	bool ok = true;

	for (size_t i = 0; i < s->ndevs; ++i) {
		const struct wgx_device *d = &s->devs[i];
		size_t healthy = 0;

		if (!d->present) {
			fprintf(out, "%s: interface does not exist\n", d->name);
			ok = false;
			continue;
		}
		if (!d->up) {
			fprintf(out, "%s: interface is down\n", d->name);
			ok = false;
			continue;
		}
		for (size_t j = 0; j < d->npeers; ++j) {
			const struct wgx_peer *p = &d->peers[j];

			if (!p->latest_handshake)
				fprintf(out, "%s: peer %s never completed a handshake\n", d->name, p->public_key);
			else if (!wgx_peer_up(p, s->now, s->peer_timeout))
				fprintf(out, "%s: peer %s handshake too old (%" PRId64 " s ago)\n", d->name,
					p->public_key, s->now - p->latest_handshake);
			else
				++healthy;
		}
		fprintf(out, "%s: %zu/%zu peers healthy\n", d->name, healthy, d->npeers);
		if (healthy != d->npeers)
			ok = false;
	}
	if (!s->ndevs) {
		fputs("no WireGuard interface\n", out);
		ok = false;
	}
	return ok;
}

void wgx_snapshot_free(struct wgx_snapshot *s)
{
	for (size_t i = 0; i < s->ndevs; ++i) {
		for (size_t j = 0; j < s->devs[i].npeers; ++j)
			free(s->devs[i].peers[j].allowed_ips);
		free(s->devs[i].peers);
	}
	free(s->devs);
	s->devs = NULL;
	s->ndevs = 0;
}

/* Configuration comments */

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		++s;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		--e;
	*e = '\0';
	return s;
}

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 128)
		return false;
	for (; *s; ++s)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int add_name(struct wgx_names *names, const char *key, const char *name)
{
	struct wgx_name *v = realloc(names->v, (names->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	names->v = v;
	snprintf(v[names->n].public_key, WGX_KEY_B64, "%s", key);
	v[names->n].name = strdup(name);
	if (!v[names->n].name)
		return -ENOMEM;
	++names->n;
	return 0;
}

int wgx_names_load(struct wgx_names *names, FILE *in, const char *path, FILE *err)
{
	char line[1024], key[WGX_KEY_B64] = "", pending[256] = "";
	unsigned int lineno = 0, pending_line = 0;
	bool in_peer = false;
	int ret = 0;

	while (fgets(line, sizeof(line), in)) {
		char *l = trim(line), *eq;

		++lineno;
		if (*l == '[') {
			if (in_peer && pending_line && !*key)
				fprintf(err, "%s:%u: friendly_name in a [Peer] without PublicKey, ignored\n",
					path, pending_line);
			in_peer = !strcasecmp(l, "[Peer]");
			key[0] = pending[0] = '\0';
			pending_line = 0;
			continue;
		}
		if (*l == '#') {
			char *c = trim(l + 1);

			if (strncmp(c, "friendly_name", 13) ||
			    (c[13] && c[13] != '=' && !isspace((unsigned char)c[13])))
				continue;
			c += 13;
			while (isspace((unsigned char)*c))
				++c;
			if (*c != '=') {
				fprintf(err, "%s:%u: malformed friendly_name comment (expected `# friendly_name = NAME'), ignored\n",
					path, lineno);
				continue;
			}
			c = trim(c + 1);
			if (!in_peer || !name_ok(c)) {
				fprintf(err, "%s:%u: %s, ignored\n", path, lineno,
					!in_peer ? "friendly_name outside a [Peer] section" :
					"friendly_name is empty, too long or has control characters");
				continue;
			}
			if (*key) {
				ret = add_name(names, key, c);
				if (ret)
					return ret;
			} else {
				snprintf(pending, sizeof(pending), "%s", c);
				pending_line = lineno;
			}
			continue;
		}
		eq = strchr(l, '=');
		if (!in_peer || !eq)
			continue;
		*eq = '\0';
		if (strcasecmp(trim(l), "PublicKey"))
			continue;
		snprintf(key, sizeof(key), "%s", trim(eq + 1));
		if (pending_line) {
			ret = add_name(names, key, pending);
			if (ret)
				return ret;
			pending_line = 0;
		}
	}
	if (in_peer && pending_line && !*key)
		fprintf(err, "%s:%u: friendly_name in a [Peer] without PublicKey, ignored\n", path,
			pending_line);
	return ferror(in) ? -EIO : 0;
}

const char *wgx_names_find(const struct wgx_names *names, const char *public_key)
{
	for (size_t i = 0; i < names->n; ++i)
		if (!strcmp(names->v[i].public_key, public_key))
			return names->v[i].name;
	return NULL;
}

void wgx_names_free(struct wgx_names *names)
{
	for (size_t i = 0; i < names->n; ++i)
		free(names->v[i].name);
	free(names->v);
	names->v = NULL;
	names->n = 0;
}
