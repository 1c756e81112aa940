/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-memory description of a WireGuard device, used both for what the
 * kernel (or a userspace implementation) reports and for what a command
 * line or configuration file asks to change.
 */
#ifndef WG_TOOL_DEVICE_H
#define WG_TOOL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../../include/uapi/linux/wireguard.h"

#define WG_B64_KEY_LEN 44	/* base64 characters, without the NUL */
#define WG_HEX_KEY_LEN 64	/* hex characters, without the NUL */

enum {
	DEV_HAS_PRIVATE_KEY = 1U << 0,
	DEV_HAS_PUBLIC_KEY = 1U << 1,
	DEV_HAS_LISTEN_PORT = 1U << 2,
	DEV_HAS_FWMARK = 1U << 3,
	DEV_REPLACE_PEERS = 1U << 4,
};

enum {
	PEER_REMOVE = 1U << 0,
	PEER_REPLACE_AIPS = 1U << 1,
	PEER_HAS_PUBLIC_KEY = 1U << 2,
	PEER_HAS_PSK = 1U << 3,
	PEER_HAS_KEEPALIVE = 1U << 4,
	PEER_UPDATE_ONLY = 1U << 5,
};

enum {
	AIP_REMOVE = 1U << 0,
};

struct wg_aip {
	uint16_t family;
	uint8_t cidr;
	uint32_t flags;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t raw[16];
	} addr;
};

union wg_endpoint {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

struct wg_peer {
	uint32_t flags;
	uint8_t public_key[WG_KEY_LEN];
	uint8_t preshared_key[WG_KEY_LEN];
	union wg_endpoint endpoint;
	int64_t handshake_sec, handshake_nsec;
	uint64_t rx_bytes, tx_bytes;
	uint16_t keepalive;
	unsigned int config_line;	/* its PublicKey line in a config file */
	struct wg_aip *aips;
	size_t naips, aips_cap;
};

struct wg_dev {
	char name[IFNAMSIZ];
	uint32_t ifindex;
	uint32_t flags;
	uint8_t private_key[WG_KEY_LEN];
	uint8_t public_key[WG_KEY_LEN];
	uint16_t listen_port;
	uint32_t fwmark;
	struct wg_peer *peers;
	size_t npeers, peers_cap;
};

struct wg_dev *wg_dev_new(void);
void wg_dev_free(struct wg_dev *dev);
/* Appends a zeroed peer; returns NULL (after perror) on allocation failure. */
struct wg_peer *wg_dev_add_peer(struct wg_dev *dev);
struct wg_aip *wg_peer_add_aip(struct wg_peer *peer);
bool wg_key_is_zero(const uint8_t key[WG_KEY_LEN]);
/* Copies name into dev->name; false if it does not fit in IFNAMSIZ - 1. */
bool wg_dev_set_name(struct wg_dev *dev, const char *name);
bool wg_endpoint_is_set(const union wg_endpoint *ep);
/* "host:port" / "[v6]:port" text, as shown by wg; returns buf. */
const char *wg_endpoint_str(const union wg_endpoint *ep, char *buf, size_t len, bool *ok);

#endif
