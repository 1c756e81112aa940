/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wg-exporter's model and its Prometheus text exposition (format 0.0.4),
 * kept free of netlink and HTTP so that the host unit tests can feed it.
 */
#ifndef WG_EXPORTER_METRICS_H
#define WG_EXPORTER_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../include/uapi/linux/wireguard_events.h"

#define WGX_KEY_B64 45		/* 44 characters and the NUL */

struct wgx_peer {
	char public_key[WGX_KEY_B64];
	char *allowed_ips;	/* "10.0.0.2/32,fd00::2/128", malloc'd */
	const char *friendly_name;	/* NULL: none (owned by the config) */
	char endpoint[64];
	uint64_t rx_bytes, tx_bytes;
	int64_t latest_handshake;	/* unix seconds, 0 = never */
	bool has_rtt;
	uint64_t rtt_ns, srtt_ns;
	uint64_t handshakes;
	bool has_figures;	/* the events family answered for this peer */
};

struct wgx_device {
	char name[16];
	bool present;		/* false: asked for, but could not be read */
	bool up;
	struct wgx_peer *peers;
	size_t npeers;
	bool has_drops;		/* drops and trains were read */
	uint64_t drops[__WGEV_DROP_MAX];
	uint64_t trains[__WGEV_TRAIN_MAX];
	uint64_t events[__WGEV_EVENT_MAX];	/* seen by the event listener */
};

struct wgx_snapshot {
	struct wgx_device *devs;
	size_t ndevs;
	int64_t now;		/* unix seconds of the scrape */
	int peer_timeout;	/* seconds: a peer is up within this handshake age */
	bool events_ok;		/* the event listener is joined */
};

/* Appends s to out with Prometheus label-value escaping. */
void wgx_escape_label(FILE *out, const char *s);
/* The whole exposition. */
void wgx_write_metrics(FILE *out, const struct wgx_snapshot *snap);
/*
 * The guide's health rule: every named device exists and is up, and each
 * of its peers had a handshake within peer_timeout.  Writes a short
 * report; returns true for healthy.
 */
bool wgx_health(FILE *out, const struct wgx_snapshot *snap);
bool wgx_peer_up(const struct wgx_peer *p, int64_t now, int timeout);

void wgx_snapshot_free(struct wgx_snapshot *snap);

/*
 * Friendly names: `# friendly_name = NAME' comment lines in a [Peer]
 * section of a wg-quick configuration name that peer.
 */
struct wgx_names {
	struct wgx_name {
		char public_key[WGX_KEY_B64];
		char *name;
	} *v;
	size_t n;
};

/*
 * Reads the names of one configuration.  Returns 0, or -errno when the
 * file cannot be read; problems in it (a malformed friendly_name line)
 * are reported on err with the line number and skipped.
 */
int wgx_names_load(struct wgx_names *names, FILE *in, const char *path, FILE *err);
const char *wgx_names_find(const struct wgx_names *names, const char *public_key);
void wgx_names_free(struct wgx_names *names);

#endif
