/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of `wg set' arguments and of configuration files into a
 * struct wg_dev describing the requested change.  Nothing here talks to
 * the kernel or to a userspace implementation; the only outside effects
 * go through the hooks below (name resolution, opening key files), which
 * the fuzzers replace.
 */
#ifndef WG_TOOL_PARSE_H
#define WG_TOOL_PARSE_H

#include <stdbool.h>
#include <stdio.h>
#include "device.h"

/* Resolve host/service into *out; report failures on stderr naming `whole'. */
extern bool (*wg_resolve_endpoint_hook)(const char *host, const char *service,
					const char *whole, union wg_endpoint *out);
/* Resolve a non-numeric port (a service name). */
extern bool (*wg_resolve_service_hook)(const char *service, uint16_t *port);
/* Open a key file for reading; NULL (after a message) on failure. */
extern FILE *(*wg_open_keyfile_hook)(const char *path, bool secret);

bool wg_parse_key(uint8_t key[WG_KEY_LEN], const char *value);
bool wg_parse_keyfile(uint8_t key[WG_KEY_LEN], const char *path, bool secret);
bool wg_parse_listen_port(struct wg_dev *dev, const char *value);
bool wg_parse_fwmark(struct wg_dev *dev, const char *value);
bool wg_parse_keepalive(struct wg_peer *peer, const char *value);
bool wg_parse_endpoint(struct wg_peer *peer, const char *value);
bool wg_parse_allowedips(struct wg_peer *peer, const char *value);

/* `wg set <if>' arguments after the interface name. */
bool wg_parse_set_args(struct wg_dev *dev, int argc, const char *const argv[]);

/* Single-valued settings: each may appear once per file (or per peer). */
enum {
	CFG_PRIVATE_KEY, CFG_LISTEN_PORT, CFG_FWMARK,			/* [Interface] */
	CFG_PUBLIC_KEY, CFG_PRESHARED_KEY, CFG_ENDPOINT, CFG_KEEPALIVE,	/* [Peer] */
	CFG_NKEYS
};

struct wg_config {
	struct wg_dev *dev;
	enum { SECTION_NONE, SECTION_INTERFACE, SECTION_PEER } section;
	unsigned int lineno;
	/* Line of the error; differs from lineno for errors found later. */
	unsigned int error_line;
	/* Line on which each single-valued setting was given (0: not yet). */
	unsigned int seen[CFG_NKEYS];
	unsigned int peer_line;	/* the current [Peer] header */
	bool has_secret;	/* a PrivateKey or PresharedKey was seen */
};

/* append: addconf semantics (no replacing of peers or unset fields). */
void wg_config_init(struct wg_config *cfg, struct wg_dev *dev, bool append);
bool wg_config_line(struct wg_config *cfg, const char *line);
/*
 * Checks what only the whole file shows (every peer has a public key, no
 * public key twice); on failure cfg->error_line names the line.
 */
bool wg_config_finish(struct wg_config *cfg);
/*
 * Parses a whole configuration held in memory (a line holding a NUL byte
 * is refused).  Errors name `source' and the line.
 */
bool wg_config_parse_buffer(struct wg_dev *dev, const char *buf, size_t len,
			    bool append, const char *source);

#endif
