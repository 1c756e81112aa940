// SPDX-License-Identifier: GPL-2.0
/*
 * Coupling received transport messages into GRO trains (gro.h).
 *
 * What may share a train, checked in wg_gro_receive():
 *   - the same outer addresses and ports (the UDP GRO layer's same_flow);
 *   - transport messages only: handshake messages pass alone, at once;
 *   - the same receiver index, so one session: the keypair lookup and
 *     the replay window stay per message, but a train never spans two
 *     sessions;
 *   - the same outer DS field, since each message's ECN bits are decided
 *     from the outer header the cut copies to it;
 *   - every message the length of the first (gso_size), but the last,
 *     which may be shorter: that is what lets the GSO layer cut the train
 *     back into exactly the datagrams that arrived.
 * At most WG_GRO_MAX_CARS messages, and no more than the GRO layer lets
 * one skb hold.  A train held in the GRO list is completed when it is
 * full, when a message that cannot join arrives, or at the end of the
 * NAPI poll, like any other GRO flow.
 *
 * The checksums: the UDP GRO layer validated each datagram's checksum
 * before calling us, so the completed train is marked CHECKSUM_PARTIAL
 * from its UDP header, as the kernel's own UDP GRO does, and the cut gives
 * every datagram a consistent state without summing anything again.
 */

#include "gro.h"
#include "messages.h"

#include <linux/moduleparam.h>
#include <linux/udp.h>
#include <net/gro.h>
#include <net/udp.h>

bool wg_rx_trains = true;
module_param_named(rx_trains, wg_rx_trains, bool, 0644);
MODULE_PARM_DESC(rx_trains, "receive runs of transport messages as UDP GRO trains");

#define WG_GRO_MAX_CARS 64

/* The DS field of an IPv4 or IPv6 header, from its first two bytes. */
static u8 ds_field(const u8 *nh)
{
	if ((nh[0] >> 4) == 6)
		return (u8)(nh[0] << 4) | (nh[1] >> 4);
	return nh[1];
}

/* What identifies a car: its receiver index and its outer DS field. */
struct car {
	__le32 receiver;
	u8 ds;
};

/* The car at the GRO position of skb, the datagram being offered: false
 * if it is not a transport message.  Its headers may still be in frag0.
 */
static bool offered_car(struct sk_buff *skb, struct car *car)
{
	unsigned int off = skb_gro_offset(skb);
	unsigned int noff = skb_network_offset(skb);
	const struct wg_msg_transport *msg;
	const u8 *nh;

	if (skb_gro_len(skb) < MESSAGE_MINIMUM_LENGTH)
		return false;
	msg = skb_gro_header(skb, off + sizeof(*msg), off);
	if (!msg || msg->hdr.type != cpu_to_le32(WG_MSG_TRANSPORT))
		return false;
	car->receiver = msg->receiver;
	nh = skb_gro_header(skb, noff + 2, noff);
	if (!nh)
		return false;
	car->ds = ds_field(nh);
	return true;
}

/* The first car of held, a train in the GRO list whose outer headers
 * start at the same offsets as the offered datagram's (the IP and UDP
 * GRO layers only call a flow the same if they do).
 */
static bool held_car(struct sk_buff *held, unsigned int off, struct car *car)
{
	struct wg_msg_transport mbuf, *msg;
	u8 nbuf[2], *nh;

	msg = skb_header_pointer(held, off, sizeof(mbuf), &mbuf);
	nh = skb_header_pointer(held, skb_network_offset(held), 2, nbuf);
	if (!msg || !nh)
		return false;
	car->receiver = msg->receiver;
	car->ds = ds_field(nh);
	return true;
}

/* Hang skb, the datagram offered, at the end of the train held: its
 * outer headers stay in its headroom and its message rides whole in
 * held's frag_list (the kernel's own merge is not exported to modules,
 * and frag_list is all a cut needs).  Whatever keeps the two apart
 * leaves skb to be held on its own: memory of another kind (page pool,
 * zero copy), an owner to account to, outer headers outside the linear
 * part, or a train that would outgrow one IP datagram or the device's
 * GRO limit, or a datagram still owned by a local sender (veth hands
 * them over unorphaned; the GRO layer keeps each sender's datagrams a
 * flow of their own, and the train's truesize must not grow past what
 * a sender was charged).
 */
static int hitch(struct sk_buff *held, struct sk_buff *skb)
{
	unsigned int off = skb_gro_offset(skb), len = skb_gro_len(skb);
	unsigned int limit = min_t(unsigned int, GRO_LEGACY_MAX_SIZE,
				   READ_ONCE(held->dev->gro_max_size));

	if (held->pp_recycle != skb->pp_recycle || skb_zcopy(held) ||
	    skb_zcopy(skb) || held->destructor || skb->destructor ||
	    off > skb_headlen(skb))
		return -EINVAL;
	if (held->len + len >= limit)
		return -E2BIG;

	__skb_pull(skb, off);
	if (NAPI_GRO_CB(held)->last == held)
		skb_shinfo(held)->frag_list = skb;
	else
		NAPI_GRO_CB(held)->last->next = skb;
	NAPI_GRO_CB(held)->last = skb;
	NAPI_GRO_CB(held)->count++;
	held->len += len;
	held->data_len += len;
	held->truesize += skb->truesize;
	/* Tells the GRO layer that skb is now part of held. */
	NAPI_GRO_CB(skb)->same_flow = 1;
	return 0;
}

/* Couple skb to the train held, as its last car if it is shorter.  The
 * train to complete now, or NULL to keep collecting.
 */
static struct sk_buff *couple(struct sk_buff *held, struct sk_buff *skb)
{
	unsigned int len = skb_gro_len(skb);
	unsigned int car_len = skb_shinfo(held)->gso_size;

	/* Longer than the train's cars: it starts a train of its own. */
	if (NAPI_GRO_CB(held)->flush || len > car_len)
		return held;
	/* Cannot be coupled: the same, skb is held on its own. */
	if (hitch(held, skb))
		return held;
	if (len < car_len || NAPI_GRO_CB(held)->count >= WG_GRO_MAX_CARS)
		return held;
	return NULL;
}

struct sk_buff *wg_gro_receive(struct sock *sk, struct list_head *head,
			       struct sk_buff *skb)
{
	unsigned int off = skb_gro_offset(skb);
	struct car offered, car;
	struct sk_buff *held;

	if (!READ_ONCE(wg_rx_trains) || NAPI_GRO_CB(skb)->flush ||
	    !offered_car(skb, &offered))
		goto alone;

	list_for_each_entry(held, head, list) {
		if (!NAPI_GRO_CB(held)->same_flow)
			continue;
		if (!held_car(held, off, &car) ||
		    car.receiver != offered.receiver || car.ds != offered.ds) {
			NAPI_GRO_CB(held)->same_flow = 0;
			continue;
		}
		return couple(held, skb);
	}
	/* The first car of a new train: the GRO layer holds it. */
	return NULL;

alone:
	NAPI_GRO_CB(skb)->flush = 1;
	return NULL;
}

/* Called by the UDP GRO layer on a train of two or more cars, with nhoff
 * at the first message and the UDP header's length and checksum field
 * already fixed up for the whole train (gso_type is SKB_GSO_UDP_TUNNEL*,
 * which is what gets it past the UDP layer to wg_receive uncut).
 */
int wg_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + nhoff) - 1;

	skb->csum_start = (unsigned char *)uh - skb->head;
	skb->csum_offset = offsetof(struct udphdr, check);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb_shinfo(skb)->gso_segs = NAPI_GRO_CB(skb)->count;
	return 0;
}

struct sk_buff *wg_gro_cut(struct sock *sk, struct sk_buff *skb)
{
	bool ipv4 = skb->protocol == htons(ETH_P_IP);
	struct sk_buff *segs, *seg, *next;

	/* The GSO layer cuts from the link-layer header, as the UDP layer
	 * does with the UDP GRO trains it did not expect.  The train is
	 * relabelled as what it is, datagrams of gso_size: a tunnel
	 * label would make the GSO layer look for inner headers.
	 */
	__skb_push(skb, -skb_mac_offset(skb));
	skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	skb->encapsulation = 0;
	segs = udp_rcv_segment(sk, skb, ipv4);
	skb_list_walk_safe(segs, seg, next)
		__skb_pull(seg, skb_transport_offset(seg));
	return segs;
}
