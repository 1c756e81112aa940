/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's UDP sockets and sending to a peer's endpoint.
 */
#ifndef _WG_SOCKET_H
#define _WG_SOCKET_H

#include <linux/types.h>
#include <linux/skbuff.h>

struct wg_device;
struct wg_peer;
struct endpoint;

/* Bind (or rebind) both sockets to port; 0 picks one.  socket_update_lock. */
int wg_socket_init(struct wg_device *wg, u16 port);
/* Release both sockets (device going down). */
void wg_socket_uninit(struct wg_device *wg);

int wg_socket_send_skb_to_peer(struct wg_peer *peer, struct sk_buff *skb,
			       u8 ds);
int wg_socket_send_buffer_to_peer(struct wg_peer *peer, void *buffer,
				  size_t len, u8 ds);
int wg_socket_send_buffer_as_reply_to_skb(struct wg_device *wg,
					  struct sk_buff *in_skb, void *buffer,
					  size_t len);

/* The outer source of a received packet, and our address it reached. */
int wg_socket_endpoint_from_skb(struct endpoint *endpoint,
				const struct sk_buff *skb);
/* True when the remote address or port changed (not only our source). */
bool wg_socket_set_peer_endpoint(struct wg_peer *peer,
				 const struct endpoint *endpoint);
/* For an authenticated handshake message only: learn where it came from,
 * and emit an endpoint event if the peer moved.
 */
void wg_socket_set_peer_endpoint_from_skb(struct wg_peer *peer,
					  const struct sk_buff *skb);
void wg_socket_clear_peer_endpoint_src(struct wg_peer *peer);

#endif /* _WG_SOCKET_H */
