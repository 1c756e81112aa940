// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of wg-exporter's exposition, health rule and friendly-name
 * comments (tools/wg-exporter/metrics.c), printing TAP.  With an argument,
 * also writes the sample exposition there (for promtool).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/wg-exporter/metrics.h"

static int n, failed;

static void ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	if (!cond)
		++failed;
}

static char *render(const struct wgx_snapshot *s, bool health, bool *healthy)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (health)
		*healthy = wgx_health(f, s);
	else
		wgx_write_metrics(f, s);
	fclose(f);
	return buf;
}

static int has_line(const char *text, const char *line)
{
	size_t l = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p += l)
		if ((p == text || p[-1] == '\n') && (p[l] == '\n' || !p[l]))
			return 1;
	return 0;
}

#define K1 "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
#define K2 "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="

static void sample(struct wgx_snapshot *s, struct wgx_device *d, struct wgx_peer *p)
{
	memset(s, 0, sizeof(*s));
	memset(d, 0, 2 * sizeof(*d));
	memset(p, 0, 2 * sizeof(*p));
	strcpy(p[0].public_key, K1);
	p[0].allowed_ips = strdup("10.0.0.2/32,fd00::2/128");
	p[0].friendly_name = "hub \"hkg\"\\1";
	p[0].rx_bytes = 1234;
	p[0].tx_bytes = 5678;
	p[0].latest_handshake = 1000000;
	p[0].has_figures = true;
	p[0].handshakes = 3;
	p[0].has_rtt = true;
	p[0].rtt_ns = 49123456;
	p[0].srtt_ns = 1500000000;
	strcpy(p[1].public_key, K2);
	p[1].allowed_ips = strdup("");
	strcpy(d[0].name, "wg0");
	d[0].present = d[0].up = true;
	d[0].peers = p;
	d[0].npeers = 2;
	d[0].has_drops = true;
	d[0].drops[WGEV_DROP_REPLAY] = 7;
	d[0].trains[WGEV_TRAIN_TX] = 5;
	d[0].trains[WGEV_TRAIN_TX_MESSAGES] = 90;
	d[0].trains[WGEV_TRAIN_RX] = 4;
	d[0].trains[WGEV_TRAIN_RX_MESSAGES] = 61;
	d[0].events[WGEV_EVENT_HANDSHAKE] = 2;
	strcpy(d[1].name, "wg9");
	s->devs = d;
	s->ndevs = 2;
	s->now = 1000100;
	s->peer_timeout = 300;
	s->events_ok = true;
}

static void test_exposition(const char *dump)
{
	struct wgx_snapshot s;
	struct wgx_device d[2];
	struct wgx_peer p[2];
	bool healthy;
	char *t;

	sample(&s, d, p);
	t = render(&s, false, NULL);
	if (dump) {
		FILE *f = fopen(dump, "w");

		if (f) {
			fputs(t, f);
			fclose(f);
		}
	}
#define L1 "{interface=\"wg0\",public_key=\"" K1 "\",allowed_ips=\"10.0.0.2/32,fd00::2/128\",friendly_name=\"hub \\\"hkg\\\"\\\\1\"}"
#define L2 "{interface=\"wg0\",public_key=\"" K2 "\",allowed_ips=\"\"}"
	ok(has_line(t, "wireguard_sent_bytes_total" L1 " 5678"), "sent bytes, labels escaped (quote, backslash)");
	ok(has_line(t, "wireguard_received_bytes_total" L1 " 1234"), "received bytes");
	ok(has_line(t, "wireguard_latest_handshake_seconds" L1 " 1000000"), "latest handshake (unix seconds)");
	ok(has_line(t, "wireguard_latest_handshake_seconds" L2 " 0"), "never: 0, no friendly_name label");
	ok(has_line(t, "wireguard_peer_up" L1 " 1"), "peer up: handshake 100 s old, timeout 300");
	ok(has_line(t, "wireguard_peer_up" L2 " 0"), "peer down: no handshake");
	ok(has_line(t, "wireguard_handshakes_total" L1 " 3"), "handshakes");
	ok(!strstr(t, "wireguard_handshakes_total" L2), "no handshake count without figures");
	ok(has_line(t, "wireguard_handshake_rtt_seconds{interface=\"wg0\",public_key=\"" K1
		    "\",allowed_ips=\"10.0.0.2/32,fd00::2/128\",friendly_name=\"hub \\\"hkg\\\"\\\\1\",estimate=\"last\"} 0.049123456"),
	   "RTT last, seconds with ns precision");
	ok(strstr(t, ",estimate=\"smoothed\"} 1.500000000\n") != NULL, "RTT smoothed");
	ok(!strstr(t, "wireguard_handshake_rtt_seconds" L2), "no RTT series before a sample");
	ok(has_line(t, "wireguard_dropped_packets_total{interface=\"wg0\",reason=\"replay\"} 7"), "drops by reason");
	ok(has_line(t, "wireguard_dropped_packets_total{interface=\"wg0\",reason=\"decrypt\"} 0"), "zero drops shown");
	ok(has_line(t, "wireguard_trains_total{interface=\"wg0\",direction=\"tx\"} 5") &&
	   has_line(t, "wireguard_trains_total{interface=\"wg0\",direction=\"rx\"} 4"),
	   "trains by direction");
	ok(has_line(t, "wireguard_train_messages_total{interface=\"wg0\",direction=\"tx\"} 90") &&
	   has_line(t, "wireguard_train_messages_total{interface=\"wg0\",direction=\"rx\"} 61"),
	   "messages in trains by direction");
	ok(!strstr(t, "wireguard_trains_total{interface=\"wg9\""), "no trains for a device not read");
	ok(has_line(t, "wireguard_events_total{interface=\"wg0\",event=\"handshake\"} 2"), "events counted");
	ok(has_line(t, "wireguard_interface_up{interface=\"wg0\"} 1"), "interface up");
	ok(has_line(t, "wireguard_interface_up{interface=\"wg9\"} 0"), "missing interface: 0");
	ok(!strstr(t, "wireguard_peers{interface=\"wg9\"}"), "missing interface: no peer count");
	ok(has_line(t, "wireguard_peers{interface=\"wg0\"} 2"), "peer count");
	ok(has_line(t, "# TYPE wireguard_sent_bytes_total counter") &&
	   has_line(t, "# TYPE wireguard_handshake_rtt_seconds gauge"), "TYPE lines");
	ok(t[strlen(t) - 1] == '\n', "ends with a newline");
	free(t);

	t = render(&s, true, &healthy);
	ok(!healthy && strstr(t, "wg9: interface does not exist") &&
	   strstr(t, "peer " K2 " never completed a handshake") && strstr(t, "wg0: 1/2 peers healthy"),
	   "health: missing interface and a peer without handshake -> unhealthy");
	free(t);
	s.ndevs = 1;
	d[0].npeers = 1;
	t = render(&s, true, &healthy);
	ok(healthy, "health: one interface, its peer 100 s old -> healthy");
	free(t);
	s.now = 1000301;
	t = render(&s, true, &healthy);
	ok(!healthy && strstr(t, "handshake too old (301 s ago)"), "health: 301 s > 300 -> unhealthy");
	free(t);
	d[0].up = false;
	s.now = 1000100;
	t = render(&s, true, &healthy);
	ok(!healthy && strstr(t, "wg0: interface is down"), "health: interface down -> unhealthy");
	free(t);
	d[0].npeers = 2;
	free(p[0].allowed_ips);
	free(p[1].allowed_ips);
}

static void test_names(void)
{
	const char *conf =
		"[Interface]\n"
		"# friendly_name = not a peer\n"
		"PrivateKey = x\n"
		"\n"
		"[Peer]\n"
		"# friendly_name = laptop\n"
		"PublicKey = " K1 "\n"
		"[Peer]\n"
		"PublicKey = " K2 "\n"
		"#friendly_name=  after key  \n"
		"# friendly_name broken\n"
		"# friendly_name = \n"
		"# friendly_namex = x\n";
	struct wgx_names names = { 0 };
	char *err = NULL;
	size_t errlen = 0;
	FILE *in = fmemopen((void *)conf, strlen(conf), "r"), *e = open_memstream(&err, &errlen);
	int ret = wgx_names_load(&names, in, "wg0.conf", e);

	fclose(in);
	fclose(e);
	ok(ret == 0, "names: loaded");
	ok(names.n == 2, "names: two entries");
	ok(wgx_names_find(&names, K1) && !strcmp(wgx_names_find(&names, K1), "laptop"),
	   "names: comment before PublicKey");
	ok(wgx_names_find(&names, K2) && !strcmp(wgx_names_find(&names, K2), "after key"),
	   "names: comment after PublicKey, spaces trimmed");
	ok(strstr(err, "wg0.conf:2: friendly_name outside a [Peer] section") != NULL,
	   "names: outside [Peer] reported with its line");
	ok(strstr(err, "wg0.conf:11: malformed friendly_name comment") != NULL,
	   "names: malformed comment reported with its line");
	ok(strstr(err, "wg0.conf:12: friendly_name is empty") != NULL, "names: empty name reported");
	ok(!strstr(err, ":13:"), "names: other comments ignored silently");
	ok(!wgx_names_find(&names, "nope"), "names: unknown key");
	wgx_names_free(&names);
	free(err);
}

static void test_escape(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	wgx_escape_label(f, "a\"b\\c\nd");
	fclose(f);
	ok(!strcmp(buf, "a\\\"b\\\\c\\nd"), "label escaping: quote, backslash, newline");
	free(buf);
}

int main(int argc, char *argv[])
{
	test_exposition(argc > 1 ? argv[1] : NULL);
	test_names();
	test_escape();
	printf("1..%d\n", n);
	return failed != 0;
}
