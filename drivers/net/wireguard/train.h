/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trains: consecutive transport messages of one batch sent as one UDP GSO
 * skb (SKB_GSO_UDP_L4), so that routing, netfilter and the IP and UDP
 * layers run once per train instead of once per message.  The stack, or
 * the egress device, cuts the train back into one datagram per message
 * (gso_size is the message length), so the wire carries ordinary
 * WireGuard messages: nothing changes for the receiver.
 *
 * The caller is the serial transmit stage (tx_serial held); the messages
 * are encrypted, in counter order, of one peer and one keypair.
 */
#ifndef _WG_TRAIN_H
#define _WG_TRAIN_H

#include <linux/skbuff.h>

/* Module parameter tx_trains: false sends every message on its own. */
extern bool wg_tx_trains;

/* Detach from the front of *rest the longest run of messages that may
 * travel as one train and return it: a GSO skb carrying *count messages,
 * or a lone message (*count = 1).  *rest moves past it.
 */
struct sk_buff *wg_train_cut(struct sk_buff **rest, unsigned int *count);

#endif /* _WG_TRAIN_H */
