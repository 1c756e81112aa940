/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive trains: the other half of train.h.  The UDP socket's GRO hooks
 * couple consecutive transport messages of one session, arriving from one
 * outer address and port with one outer DS field, into one GRO skb, so
 * that the IP and UDP layers, netfilter and the socket lookup run once per
 * train.  The encapsulation hook (wg_receive) then cuts the train back
 * into one skb per message; decryption, the replay window, the endpoint
 * update and ECN all still work per message.
 *
 * Everything here runs in the NAPI context of the underlay device, on
 * skbs the stack owns; nothing here touches a device, peer or key.
 */
#ifndef _WG_GRO_H
#define _WG_GRO_H

#include <linux/skbuff.h>
#include <net/sock.h>

/* Module parameter rx_trains: false lets every message up on its own. */
extern bool wg_rx_trains;

/* The udp_tunnel_sock_cfg hooks of the device's sockets. */
struct sk_buff *wg_gro_receive(struct sock *sk, struct list_head *head,
			       struct sk_buff *skb);
int wg_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff);

/* Cut a train that reached the encapsulation hook (skb->data at its UDP
 * header) into a list of datagrams, each with skb->data at its own UDP
 * header.  NULL if it could not be cut (then it is freed and counted as
 * a UDP receive error).
 */
struct sk_buff *wg_gro_cut(struct sock *sk, struct sk_buff *skb);

#endif /* _WG_GRO_H */
