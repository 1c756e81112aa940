/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol's timers (timers.c describes each) are not driven from
 * outside: the data path reports what just happened to a peer, and the
 * timers arm or disarm themselves in response.  The reports are grouped
 * below by which side of the conversation they come from.  All are cheap,
 * may be called from softirq context, and arm nothing once the peer is dead
 * or the device down.
 */
#ifndef _WG_TIMERS_H
#define _WG_TIMERS_H

struct wg_peer;

/* Set up (stopped) when the peer is created. */
void wg_timers_init(struct wg_peer *peer);

/* We sent something to the peer.
 *  - a handshake initiation: expect a response within REKEY_TIMEOUT,
 *    else retransmit
 *  - any authenticated message (handshake or transport): no keepalive is
 *    owed anymore
 *  - transport data: expect to hear back within KEEPALIVE_TIMEOUT +
 *    REKEY_TIMEOUT, else start a new handshake
 */
void wg_timers_handshake_initiated(struct wg_peer *peer);
void wg_timers_any_authenticated_packet_sent(struct wg_peer *peer);
void wg_timers_data_sent(struct wg_peer *peer);

/* We heard from the peer.
 *  - any authenticated message: it is alive, no new handshake needed
 *  - transport data (not a keepalive): owe it a keepalive if we send
 *    nothing within KEEPALIVE_TIMEOUT
 *  - our handshake completed (response consumed, or our response
 *    confirmed by data): stop retransmitting
 */
void wg_timers_any_authenticated_packet_received(struct wg_peer *peer);
void wg_timers_data_received(struct wg_peer *peer);
void wg_timers_handshake_complete(struct wg_peer *peer);

/* Either way.
 *  - a new session was derived: all keys are wiped 3 * REJECT_AFTER_TIME
 *    later unless another session is derived first
 *  - any authenticated message went in or out: postpone the persistent
 *    keepalive, if configured
 */
void wg_timers_session_derived(struct wg_peer *peer);
void wg_timers_any_authenticated_packet_traversal(struct wg_peer *peer);

/* Delete every timer and wait for running handlers; called after
 * peer->is_dead is set or the device went down, so none re-arms.
 */
void wg_timers_stop(struct wg_peer *peer);

#endif /* _WG_TIMERS_H */
