// SPDX-License-Identifier: GPL-2.0
/*
 * Coupling encrypted transport messages into UDP GSO trains (train.h).
 *
 * Invariants of a train (what the GSO layer needs to cut it back into
 * the same datagrams, and what keeps the wire identical):
 *   - every message but the last has the length of the first, which is
 *     gso_size; the last is no longer;
 *   - the messages are linear, not GSO, not clones: the first keeps its
 *     data in the head, each further one rides whole in frag_list, so a
 *     segment is always exactly one message;
 *   - one outer DS field for all (it goes in the one outer header);
 *   - at most WG_TRAIN_MAX_CARS messages and, with the UDP and IPv4
 *     headers, no more than an IP datagram can hold;
 *   - the order of the messages is the order of their counters.
 * A message may still belong to the socket that sent its plaintext (a
 * TCP segment keeps tcp_wfree): each keeps its own truesize and
 * destructor, so that freeing the train, or the GSO layer freeing it
 * once cut, returns to each socket exactly what it was charged.  The
 * head's truesize is its own message's only.
 */

#include "train.h"
#include "queueing.h"

#include <linux/moduleparam.h>
#include <linux/ip.h>
#include <linux/udp.h>

bool wg_tx_trains = true;
module_param_named(tx_trains, wg_tx_trains, bool, 0644);
MODULE_PARM_DESC(tx_trains, "send runs of transport messages as UDP GSO trains");

#define WG_TRAIN_MAX_CARS 64
#define WG_TRAIN_MAX_BYTES \
	(IP_MAX_MTU - sizeof(struct iphdr) - sizeof(struct udphdr))

static bool may_ride(const struct sk_buff *skb)
{
	return !skb_is_nonlinear(skb) && !skb_is_gso(skb) && !skb_cloned(skb);
}

/* Make head, with the messages chained behind it on ->next, one GSO skb. */
static void couple(struct sk_buff *head, unsigned int cars)
{
	struct skb_shared_info *shinfo = skb_shinfo(head);
	unsigned int car_len = head->len;
	struct sk_buff *car;

	shinfo->frag_list = head->next;
	head->next = NULL;
	skb_walk_frags(head, car) {
		head->len += car->len;
		head->data_len += car->len;
	}
	shinfo->gso_size = car_len;
	shinfo->gso_type = SKB_GSO_UDP_L4;
	shinfo->gso_segs = cars;
}

struct sk_buff *wg_train_cut(struct sk_buff **rest, unsigned int *count)
{
	struct sk_buff *head = *rest, *last = head, *next;
	unsigned int car_len = head->len, bytes = head->len, cars = 1;

	if (READ_ONCE(wg_tx_trains) && may_ride(head)) {
		while ((next = last->next) && cars < WG_TRAIN_MAX_CARS &&
		       next->len <= car_len &&
		       bytes + next->len <= WG_TRAIN_MAX_BYTES &&
		       PACKET_CB(next)->ds == PACKET_CB(head)->ds &&
		       may_ride(next)) {
			last = next;
			bytes += next->len;
			++cars;
			/* A shorter message can only be the last one. */
			if (next->len < car_len)
				break;
		}
	}
	*rest = last->next;
	last->next = NULL;
	if (cars > 1)
		couple(head, cars);
	*count = cars;
	return head;
}
