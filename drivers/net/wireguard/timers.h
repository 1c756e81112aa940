/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol's timers, driven by events of the data path.
 */
#ifndef _WG_TIMERS_H
#define _WG_TIMERS_H

#include <linux/types.h>

struct wg_peer;

void wg_timers_init(struct wg_peer *peer);
/* Delete every timer synchronously; peer->is_dead or the device down. */
void wg_timers_stop(struct wg_peer *peer);

void wg_timers_data_sent(struct wg_peer *peer);
void wg_timers_data_received(struct wg_peer *peer);
void wg_timers_any_authenticated_packet_sent(struct wg_peer *peer);
void wg_timers_any_authenticated_packet_received(struct wg_peer *peer);
void wg_timers_handshake_initiated(struct wg_peer *peer);
void wg_timers_handshake_complete(struct wg_peer *peer);
void wg_timers_session_derived(struct wg_peer *peer);
void wg_timers_any_authenticated_packet_traversal(struct wg_peer *peer);

#endif /* _WG_TIMERS_H */
