/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client side of the module's "wireguard-event" Generic Netlink family
 * (include/uapi/linux/wireguard_events.h): joining the event group,
 * decoding events, and reading the per-peer RTTs and per-device drop
 * counters.  Used by `wg monitor' and by wg-exporter.  Functions return
 * 0 or a negative errno value.
 */
#ifndef WG_TOOL_EVENTS_H
#define WG_TOOL_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "device.h"
#include "../../include/uapi/linux/wireguard_events.h"

struct wgev_sock {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t group;		/* multicast group id of "peers" */
	unsigned int portid, seq;
	char *buf;
};

/* One decoded message: an event, or one peer / the device of a GET. */
struct wgev_msg {
	uint8_t cmd;
	uint32_t event;		/* enum wgev_event */
	uint32_t ifindex;
	char ifname[IFNAMSIZ];
	bool has_key;
	uint8_t public_key[WG_KEY_LEN];
	uint64_t timestamp_ns;
	uint32_t role;		/* enum wgev_role */
	uint64_t rtt_ns, srtt_ns;	/* 0: not present */
	bool has_endpoint;
	union wg_endpoint endpoint;
	uint64_t suppressed, handshakes, rtt_samples;
	uint64_t drops[__WGEV_DROP_MAX];
	uint64_t trains[__WGEV_TRAIN_MAX];
};

/* -EPROTONOSUPPORT when the module (family) is not there. */
int wgev_open(struct wgev_sock *s);
void wgev_close(struct wgev_sock *s);
/* -EPERM without CAP_NET_ADMIN in our network namespace. */
int wgev_join(struct wgev_sock *s);
/*
 * Waits for and decodes the events of one datagram, calling cb for each;
 * -ENOBUFS means events were lost (the socket overran), and the caller
 * may go on.
 */
typedef void (*wgev_cb)(const struct wgev_msg *m, void *data);
int wgev_recv(struct wgev_sock *s, wgev_cb cb, void *data);
/* cb once per peer of the device. */
int wgev_get_peers(struct wgev_sock *s, const char *ifname, wgev_cb cb, void *data);
/* The device's drop and train counters into m->drops and m->trains. */
int wgev_get_device(struct wgev_sock *s, const char *ifname, struct wgev_msg *m);

const char *wgev_event_name(uint32_t event);
const char *wgev_role_name(uint32_t role);
const char *wgev_drop_name(unsigned int reason);

#endif
