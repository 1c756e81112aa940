/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet queues of the data path.
 *
 * Transmit and receive run in three stages:
 *
 *  1. Submission (ndo_start_xmit / the UDP encap receive hook, any CPU):
 *     a batch of packets (a GSO super-packet's segments chained by
 *     skb->next, or one received packet) is appended to its peer's ordered
 *     queue and to the device-wide crypt ring, and a per-CPU crypt worker
 *     is kicked on the next online CPU (round robin).
 *  2. Crypt workers (one per CPU per ring) take batches off the ring in any
 *     order, encrypt or decrypt them in place, and flip the batch's state.
 *  3. The serial stage of the peer (transmit: whoever wins the peer's
 *     tx_serial bit, usually the crypt worker that finished; receive: the
 *     peer's NAPI poll) takes finished batches off the head of the peer's
 *     queue, in submission order, and sends or delivers them.
 *
 * So crypto runs in parallel while every peer's packets leave in order.
 */
#ifndef _WG_QUEUEING_H
#define _WG_QUEUEING_H

#include <linux/types.h>
#include <linux/skbuff.h>
#include <linux/ptr_ring.h>
#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip_tunnels.h>
#include <linux/if_vlan.h>

struct wg_device;
struct wg_peer;
struct noise_keypair;

enum packet_state {
	PACKET_STATE_UNCRYPTED,
	PACKET_STATE_CRYPTED,
	PACKET_STATE_DEAD
};

/* Our use of skb->cb while a packet is inside the data path.  state,
 * batch_next, batch_len and keypair are meaningful in the first skb of a
 * batch only; nonce, mtu and ds in every skb.
 */
struct packet_cb {
	/* first skb of a batch */
	struct sk_buff *batch_next;	/* next batch in the peer queue */
	struct noise_keypair *keypair;
	u32 batch_len;			/* skbs in this batch */
	atomic_t state;			/* enum packet_state */
	/* every skb */
	u64 nonce;
	u32 mtu;
	u8 ds;				/* outer ToS/traffic class */
};

#define PACKET_CB(skb) ((struct packet_cb *)((skb)->cb))

static inline void wg_packet_cb_check(void)
{
	BUILD_BUG_ON(sizeof(struct packet_cb) >
		     sizeof_field(struct sk_buff, cb));
}

/* A peer's ordered queue of batches.  lock protects everything; it is
 * taken with BH disabled.  len counts packets (bounded by
 * MAX_QUEUED_PACKETS); dead is set when the peer is removed, after which
 * nothing more is accepted.
 */
struct wg_peer_queue {
	spinlock_t lock;		/* head, tail, len and dead */
	struct sk_buff *head, *tail;
	unsigned int len;
	bool dead;
};

struct wg_crypt_worker {
	struct work_struct work;
	struct wg_device *wg;
};

/* A device-wide multi-producer multi-consumer ring (ptr_ring has a lock
 * for each end) and its per-CPU workers.  last_cpu is only a round-robin
 * hint, raced on without harm.
 */
struct wg_crypt_queue {
	struct ptr_ring ring;
	struct wg_crypt_worker __percpu *worker;
	int last_cpu;
};

int wg_crypt_queue_init(struct wg_crypt_queue *queue, work_func_t function,
			struct wg_device *wg, unsigned int len);
void wg_crypt_queue_free(struct wg_crypt_queue *queue, bool purge);
int wg_crypt_queue_next_cpu(struct wg_crypt_queue *queue);
void wg_crypt_queue_kick(struct wg_crypt_queue *queue,
			 struct workqueue_struct *wq);

void wg_peer_queue_init(struct wg_peer_queue *queue);
/* False when the queue is full or dead: the caller still owns first. */
bool wg_peer_queue_add(struct wg_peer_queue *queue, struct sk_buff *first,
		       unsigned int count);
/* The head batch if its crypto is finished (state not UNCRYPTED). */
struct sk_buff *wg_peer_queue_take_ready(struct wg_peer_queue *queue);
bool wg_peer_queue_head_ready(struct wg_peer_queue *queue);
/* Accept nothing more (peer removal). */
void wg_peer_queue_close(struct wg_peer_queue *queue);
/* Return every batch still queued, as a batch_next chain; only once no
 * crypt worker can hold one of them any more.
 */
struct sk_buff *wg_peer_queue_kill(struct wg_peer_queue *queue);

/* Submit a batch to a peer queue and the crypt ring.  0: in flight.
 * -ENOSPC: queued to the peer but marked DEAD (crypt ring full): kick the
 * serial stage.  Other errors: nothing queued, the caller frees.
 */
int wg_queue_enqueue_per_device_and_peer(struct wg_crypt_queue *device_queue,
					 struct wg_peer_queue *peer_queue,
					 struct sk_buff *first,
					 unsigned int count,
					 struct workqueue_struct *wq);

/* Free a batch (skb->next chain). */
static inline void wg_free_batch(struct sk_buff *first)
{
	kfree_skb_list(first);
}

/* receive.c */
int wg_receive(struct sock *sk, struct sk_buff *skb);
void wg_packet_decrypt_worker(struct work_struct *work);
void wg_packet_handshake_receive_worker(struct work_struct *work);
int wg_packet_rx_poll(struct napi_struct *napi, int budget);
void wg_packet_purge_rx(struct wg_peer *peer);

/* send.c */
void wg_packet_send_cookie_retry(struct wg_peer *peer);
void wg_packet_send_queued_handshake_initiation(struct wg_peer *peer,
						bool is_retry);
void wg_packet_handshake_send_worker(struct work_struct *work);
void wg_packet_send_handshake_response(struct wg_peer *peer);
void wg_packet_send_handshake_cookie(struct wg_device *wg,
				     struct sk_buff *initiating_skb,
				     __le32 sender_index);
void wg_packet_send_keepalive(struct wg_peer *peer);
void wg_packet_renew_session_on_use(struct wg_peer *peer, bool received);
void wg_packet_purge_staged_packets(struct wg_peer *peer);
void wg_packet_send_staged_packets(struct wg_peer *peer);
void wg_packet_encrypt_worker(struct work_struct *work);
void wg_packet_tx_drain(struct wg_peer *peer);
void wg_packet_purge_tx(struct wg_peer *peer);

/* The inner protocol of skb, from its first byte; 0 when not IP. */
static inline __be16 wg_examine_packet_protocol(struct sk_buff *skb)
{
	if (skb_network_header(skb) >= skb->head &&
	    (skb_network_header(skb) + sizeof(struct iphdr)) <=
		    skb_tail_pointer(skb) &&
	    ip_hdr(skb)->version == 4)
		return htons(ETH_P_IP);
	if (skb_network_header(skb) >= skb->head &&
	    (skb_network_header(skb) + sizeof(struct ipv6hdr)) <=
		    skb_tail_pointer(skb) &&
	    ipv6_hdr(skb)->version == 6)
		return htons(ETH_P_IPV6);
	return 0;
}

/* Clear what the stack left on a packet that changes hands between the
 * inner and the outer world (keeps the flow hash for steering).  Every
 * header offset starts at skb->data afterwards: a received packet must not
 * keep the outer link layer as its mac header (mac_len would cover the
 * outer IP, UDP and WireGuard headers, and whatever pushes the mac header
 * back, e.g. tc mirred, would put them in front of the inner packet).
 */
static inline void wg_reset_packet(struct sk_buff *skb, bool encapsulating)
{
	const bool l4_hash = skb->l4_hash, sw_hash = skb->sw_hash;
	const u32 hash = skb->hash;

	skb_scrub_packet(skb, true);
	skb->mark = 0;
	skb->dev = NULL;
	skb->queue_mapping = 0;
	skb->priority = 0;
	skb->pkt_type = PACKET_HOST;
	skb->encapsulation = 0;
	__vlan_hwaccel_clear_tag(skb);
	if (encapsulating) {
		skb->l4_hash = l4_hash;
		skb->sw_hash = sw_hash;
		skb->hash = hash;
	} else {
		skb_clear_hash(skb);
	}
	skb_reset_redirect(skb);
	if (!encapsulating)
		skb_reset_inner_headers(skb);
	skb->csum_level = 0;
	skb->hdr_len = 0;
	skb_reset_mac_header(skb);
	skb_reset_transport_header(skb);
	skb_reset_network_header(skb);
	skb_reset_mac_len(skb);
}

#endif /* _WG_QUEUEING_H */
