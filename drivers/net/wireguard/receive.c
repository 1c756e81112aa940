// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the UDP encapsulation hook, handshake processing, decryption
 * and the per-peer NAPI that delivers in order.
 */

#include "queueing.h"
#include "device.h"
#include "peer.h"
#include "noise.h"
#include "timers.h"
#include "socket.h"
#include "cookie.h"
#include "messages.h"
#include "allowedips.h"
#include "debug.h"
#include "events.h"
#include "gro.h"

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/scatterlist.h>
#include <net/ip_tunnels.h>
#include <net/inet_ecn.h>
#include <net/udp.h>

/* A rate-limited debug message naming the outer source of skb. */
#define wg_dbg_skb(fmt, name, skb) do {					\
	struct endpoint __ep;						\
									\
	if (!wg_socket_endpoint_from_skb(&__ep, skb))			\
		net_dbg_ratelimited(fmt, name, &__ep.addr);		\
} while (0)

/* Decrypted packets handed to NAPI per bottom-half section. */
#define WG_RX_CHUNK 32

static void update_rx_stats(struct wg_peer *peer, size_t len)
{
	dev_sw_netstats_rx_add(peer->device->dev, len);
	peer->rx_bytes += len;
}

static __le32 message_type(const struct sk_buff *skb)
{
	return ((const struct wg_msg_header *)skb->data)->type;
}

/* What a message of each type must look like to be looked at: handshake
 * messages have exactly their size, a transport message at least a header
 * and a tag.  The whole 32-bit type word is compared, so the three
 * reserved bytes must be zero.
 */
static const struct {
	u32 type;
	u16 fixed;	/* bytes that must be linear to parse it */
	u16 min_len;
	bool exact;
} message_shapes[] = {
	{ WG_MSG_INITIATION, sizeof(struct wg_msg_initiation),
	  sizeof(struct wg_msg_initiation), true },
	{ WG_MSG_RESPONSE, sizeof(struct wg_msg_response),
	  sizeof(struct wg_msg_response), true },
	{ WG_MSG_COOKIE_REPLY, sizeof(struct wg_msg_cookie_reply),
	  sizeof(struct wg_msg_cookie_reply), true },
	{ WG_MSG_TRANSPORT, sizeof(struct wg_msg_transport),
	  MESSAGE_MINIMUM_LENGTH, false },
};

/* The fixed part's length of the message at skb->data if well formed, or 0. */
static unsigned int message_fixed_len(struct sk_buff *skb)
{
	unsigned int i;
	u32 type;

	if (unlikely(skb->len < sizeof(struct wg_msg_header)))
		return 0;
	type = le32_to_cpu(message_type(skb));
	for (i = 0; i < ARRAY_SIZE(message_shapes); ++i) {
		if (message_shapes[i].type != type)
			continue;
		if (message_shapes[i].exact ?
		    skb->len != message_shapes[i].min_len :
		    skb->len < message_shapes[i].min_len)
			return 0;
		return message_shapes[i].fixed;
	}
	return 0;
}

/* From the encapsulation hook's view (skb->data at or after the outer
 * headers, the transport header set) to the message alone: the UDP
 * header must be linear and inside the packet, its length must fit what
 * arrived, the payload is trimmed to that length, and the fixed part of
 * the message is made linear.  0, or -EINVAL to drop.
 */
static int take_udp_payload(struct sk_buff *skb)
{
	const struct udphdr *uh;
	unsigned int ulen, fixed;
	int off;

	if (unlikely(wg_examine_packet_protocol(skb) != skb->protocol))
		return -EINVAL;
	off = skb_transport_offset(skb);
	if (unlikely(off < 0 || off > U16_MAX ||
		     off + sizeof(*uh) > skb_headlen(skb)))
		return -EINVAL;
	uh = udp_hdr(skb);
	ulen = ntohs(uh->len);
	if (unlikely(ulen < sizeof(*uh) || ulen > skb->len - off))
		return -EINVAL;
	/* Anything past the UDP length is not ours: cut it off. */
	if (unlikely(pskb_trim(skb, off + ulen) < 0))
		return -EINVAL;
	skb_pull(skb, off + sizeof(*uh));
	if (unlikely(!pskb_may_pull(skb, sizeof(struct wg_msg_header))))
		return -EINVAL;
	fixed = message_fixed_len(skb);
	if (unlikely(!fixed || !pskb_may_pull(skb, fixed)))
		return -EINVAL;
	return 0;
}

static void drop_bad_handshake(struct wg_device *wg, struct sk_buff *skb,
			       const char *what, enum wgev_drop reason)
{
	struct endpoint src;

	if (!wg_socket_endpoint_from_skb(&src, skb))
		net_dbg_ratelimited("%s: dropping %s from %pISpfsc\n",
				    wg->dev->name, what, &src.addr);
	wg_events_drop(&wg->events, reason);
}

/* A cookie reply to our initiation: store the cookie, retry at once. */
static void take_cookie_reply(struct wg_device *wg, struct sk_buff *skb)
{
	struct wg_peer *peer;

	peer = wg_cookie_message_consume((void *)skb->data, wg);
	if (unlikely(!peer)) {
		drop_bad_handshake(wg, skb, "an invalid cookie reply",
				   WGEV_DROP_HANDSHAKE_INVALID);
		return;
	}
	wg_packet_send_cookie_retry(peer);
	wg_peer_put(peer);
}

/* Initiation or response: is it to be consumed, answered with a cookie, or dropped? */
enum hs_admission { HS_CONSUME, HS_ASK_COOKIE, HS_REFUSE };

static enum hs_admission admit_handshake(struct wg_device *wg,
					 struct sk_buff *skb)
{
	bool busy = wg_device_under_load(wg);
	enum cookie_mac_state macs;

	macs = wg_cookie_validate_packet(&wg->cookie_checker, skb, busy);
	/* Idle, mac1 is enough; under load, mac2 must prove the source. */
	if (macs == (busy ? MAC2_VALID : MAC1_VALID))
		return HS_CONSUME;
	return busy && macs == MAC1_VALID ? HS_ASK_COOKIE : HS_REFUSE;
}

/* Returns the initiating peer, referenced, once answered. */
static struct wg_peer *take_initiation(struct wg_device *wg,
				       struct sk_buff *skb)
{
	struct wg_peer *peer;

	peer = wg_noise_handshake_consume_initiation((void *)skb->data, wg);
	if (unlikely(!peer)) {
		drop_bad_handshake(wg, skb, "an invalid handshake initiation",
				   WGEV_DROP_HANDSHAKE_INVALID);
		return NULL;
	}
	wg_socket_set_peer_endpoint_from_skb(peer, skb);
	net_dbg_ratelimited("%s: peer %llu (%pISpfsc) initiates a handshake\n",
			    wg->dev->name, peer->internal_id,
			    &peer->endpoint.addr);
	wg_packet_send_handshake_response(peer);
	return peer;
}

/* Returns the responding peer, referenced; our session starts here. */
static struct wg_peer *take_response(struct wg_device *wg,
				     struct sk_buff *skb)
{
	/* The RTT clock stops before our own Curve25519 work on it. */
	u64 arrived_ns = ktime_get_ns();
	struct wg_peer *peer;

	peer = wg_noise_handshake_consume_response((void *)skb->data, wg);
	if (unlikely(!peer)) {
		drop_bad_handshake(wg, skb, "an invalid handshake response",
				   WGEV_DROP_HANDSHAKE_INVALID);
		return NULL;
	}
	wg_socket_set_peer_endpoint_from_skb(peer, skb);
	net_dbg_ratelimited("%s: peer %llu (%pISpfsc) answered our handshake\n",
			    wg->dev->name, peer->internal_id,
			    &peer->endpoint.addr);
	if (!wg_noise_handshake_begin_session(&peer->handshake,
					      &peer->keypairs))
		return peer;
	wg_timers_session_derived(peer);
	wg_timers_handshake_complete(peer);
	wg_events_handshake(peer, true, arrived_ns);
	/* The staged packets go out now, or else an empty one does: either
	 * confirms the session to the responder at once.
	 */
	wg_packet_send_keepalive(peer);
	return peer;
}

/* Both messages carry the sender's index right after the header. */
static __le32 handshake_sender(struct sk_buff *skb)
{
	BUILD_BUG_ON(offsetof(struct wg_msg_initiation, sender) !=
		     offsetof(struct wg_msg_response, sender));
	return ((struct wg_msg_initiation *)skb->data)->sender;
}

static void receive_handshake_packet(struct wg_device *wg, struct sk_buff *skb)
{
	u32 type = le32_to_cpu(message_type(skb));
	struct wg_peer *peer;

	wg_debug_race_delay();
	if (type == WG_MSG_COOKIE_REPLY) {
		take_cookie_reply(wg, skb);
		return;
	}
	switch (admit_handshake(wg, skb)) {
	case HS_REFUSE:
		drop_bad_handshake(wg, skb, "a handshake with a bad MAC",
				   WGEV_DROP_HANDSHAKE_MAC);
		return;
	case HS_ASK_COOKIE:
		wg_packet_send_handshake_cookie(wg, skb, handshake_sender(skb));
		wg_events_drop(&wg->events, WGEV_DROP_UNDER_LOAD);
		return;
	case HS_CONSUME:
		wg_debug_handshake_cost();
		break;
	}
	peer = type == WG_MSG_INITIATION ? take_initiation(wg, skb) :
					   take_response(wg, skb);
	if (!peer)
		return;
	/* An authenticated packet, in both directions' bookkeeping. */
	local_bh_disable();
	update_rx_stats(peer, skb->len);
	local_bh_enable();
	wg_timers_any_authenticated_packet_traversal(peer);
	wg_timers_any_authenticated_packet_received(peer);
	wg_peer_put(peer);
}

void wg_packet_handshake_receive_worker(struct work_struct *work)
{
	struct wg_device *wg = container_of(work, struct wg_crypt_worker,
					    work)->wg;
	struct sk_buff *skb;

	while ((skb = ptr_ring_consume_bh(&wg->handshake_queue.ring))) {
		/* Stopped (wg_stop waits for us): no new sessions. */
		if (likely(netif_running(wg->dev)))
			receive_handshake_packet(wg, skb);
		dev_kfree_skb(skb);
		atomic_dec(&wg->handshake_queue_len);
		cond_resched();
	}
}

static bool decrypt_packet(struct sk_buff *skb, struct noise_keypair *keypair)
{
	struct scatterlist sg[MAX_SKB_FRAGS + 8];
	struct sk_buff *trailer;
	unsigned int offset = sizeof(struct wg_msg_transport);
	int num_frags;

	if (unlikely(!READ_ONCE(keypair->receiving.is_valid) ||
		     wg_birthdate_has_expired(keypair->receiving.birthdate,
					      REJECT_AFTER_TIME) ||
		     READ_ONCE(keypair->receiving_counter.counter) >=
			     REJECT_AFTER_MESSAGES)) {
		WRITE_ONCE(keypair->receiving.is_valid, false);
		return false;
	}

	PACKET_CB(skb)->nonce =
		le64_to_cpu(((struct wg_msg_transport *)skb->data)->counter);

	/* Writable in place; fragments stay fragments. */
	num_frags = skb_cow_data(skb, 0, &trailer);
	if (unlikely(num_frags < 0 || num_frags > ARRAY_SIZE(sg)))
		return false;
	sg_init_table(sg, num_frags);
	if (skb_to_sgvec(skb, sg, offset, skb->len - offset) <= 0)
		return false;
	if (!wg_chacha20poly1305_decrypt_sg_inplace(sg, skb->len - offset, NULL,
						    0, PACKET_CB(skb)->nonce,
						    keypair->receiving.key))
		return false;

	/* Drop the header in front and the tag behind. */
	__skb_pull(skb, offset);
	if (pskb_trim(skb, skb->len - noise_encrypted_len(0)))
		return false;
	return true;
}

/* Crypt worker.  As on transmit, a peer stays alive while we run (its
 * removal flushes this workqueue first).  Bottom halves are kept off over
 * a chunk of packets so that the NAPI polls we schedule run once per
 * chunk, letting GRO merge what they deliver.
 */
void wg_packet_decrypt_worker(struct work_struct *work)
{
	struct wg_device *wg = container_of(work, struct wg_crypt_worker,
					    work)->wg;
	struct ptr_ring *ring = &wg->decrypt_queue.ring;
	struct sk_buff *skb;
	bool more = true;
	unsigned int n;

	while (more) {
		local_bh_disable();
		for (n = 0; n < WG_RX_CHUNK; ++n) {
			struct noise_keypair *keypair;
			enum packet_state state;

			skb = ptr_ring_consume(ring);
			if (!skb) {
				more = false;
				break;
			}
			keypair = PACKET_CB(skb)->keypair;
			state = likely(decrypt_packet(skb, keypair)) ?
				PACKET_STATE_CRYPTED : PACKET_STATE_DEAD;
			atomic_set_release(&PACKET_CB(skb)->state, state);
			napi_schedule(&keypair->entry.peer->napi);
		}
		local_bh_enable();
		if (more)
			cond_resched();
	}
}

/* Small messages (TCP ACKs, keepalives) are decrypted right here, which is
 * cheaper than waking a worker on another CPU; they still take their place
 * in the peer queue, so delivery order is kept.
 */
#define WG_RX_INLINE_MAX_LEN 256

static void consume_data(struct wg_device *wg, struct sk_buff *skb)
{
	__le32 idx = ((struct wg_msg_transport *)skb->data)->receiver;
	struct wg_reg_entry *entry;
	struct noise_keypair *keypair = NULL;
	struct wg_peer *peer = NULL;
	int ret;

	rcu_read_lock_bh();
	entry = wg_registry_find(wg->registry, idx, WG_REG_SESSION, &peer);
	if (entry) {
		keypair = container_of(entry, struct noise_keypair, entry);
		keypair = wg_noise_keypair_get(keypair);
	}
	rcu_read_unlock_bh();
	if (unlikely(!keypair)) {
		wg_peer_put(peer);
		wg_events_drop(&wg->events, WGEV_DROP_NO_SESSION);
		goto err;
	}

	skb->next = NULL;
	PACKET_CB(skb)->keypair = keypair;
	if (skb->len <= WG_RX_INLINE_MAX_LEN) {
		atomic_set(&PACKET_CB(skb)->state, PACKET_STATE_UNCRYPTED);
		if (unlikely(!wg_peer_queue_add(&peer->rx_queue, skb, 1)))
			goto err_full;
		atomic_set_release(&PACKET_CB(skb)->state,
				   likely(decrypt_packet(skb, keypair)) ?
				   PACKET_STATE_CRYPTED : PACKET_STATE_DEAD);
		napi_schedule(&peer->napi);
		return;
	}
	ret = wg_queue_enqueue_per_device_and_peer(&wg->decrypt_queue,
						   &peer->rx_queue, skb, 1,
						   wg->packet_crypt_wq);
	if (likely(!ret))
		return;
	if (ret == -ENOSPC) {
		/* Parked as dead in the peer queue: NAPI frees it in order
		 * (and counts it with the undecryptable ones).
		 */
		napi_schedule(&peer->napi);
		return;
	}
err_full:
	wg_events_drop(&wg->events, WGEV_DROP_RX_QUEUE_FULL);
	wg_noise_keypair_put(keypair, false);
	wg_peer_put(peer);
err:
	DEV_STATS_INC(wg->dev, rx_dropped);
	kfree_skb(skb);
}

/* One datagram from the encapsulation hook; always consumes the skb. */
static void receive_datagram(struct sock *sk, struct sk_buff *skb)
{
	struct wg_device *wg;
	int cpu;

	wg = sk ? rcu_dereference_sk_user_data(sk) : NULL;
	if (unlikely(!wg))
		goto drop;
	skb_mark_not_on_list(skb);
	if (unlikely(take_udp_payload(skb) < 0)) {
		wg_events_drop(&wg->events, WGEV_DROP_MALFORMED);
		goto drop;
	}

	switch (message_type(skb)) {
	case cpu_to_le32(WG_MSG_INITIATION):
	case cpu_to_le32(WG_MSG_RESPONSE):
	case cpu_to_le32(WG_MSG_COOKIE_REPLY):
		/* Nothing to make ephemerals, indices or cookies from yet. */
		if (unlikely(!wg_rng_ready()))
			goto drop;
		/* No rate limit here: the source address is not proven yet,
		 * so charging it would let a spoofer drain a victim's bucket
		 * (or fill the table with random sources).  Sources are
		 * limited once mac2 proves them (cookie.c); until then the
		 * queue's bound and the cookie replies under load hold.
		 */
		atomic_inc(&wg->handshake_queue_len);
		if (unlikely(ptr_ring_produce_bh(&wg->handshake_queue.ring,
						 skb))) {
			atomic_dec(&wg->handshake_queue_len);
			wg_dbg_skb("%s: Dropping handshake packet from %pISpfsc\n",
				   wg->dev->name, skb);
			wg_events_drop(&wg->events,
				       WGEV_DROP_HANDSHAKE_QUEUE_FULL);
			goto drop;
		}
		cpu = wg_crypt_queue_next_cpu(&wg->handshake_queue);
		queue_work_on(cpu, wg->handshake_receive_wq,
			      &per_cpu_ptr(wg->handshake_queue.worker,
					   cpu)->work);
		return;
	case cpu_to_le32(WG_MSG_TRANSPORT):
		PACKET_CB(skb)->ds = ip_tunnel_get_dsfield(ip_hdr(skb), skb);
		consume_data(wg, skb);
		return;
	}
drop:
	kfree_skb(skb);
}

/* The UDP encap_rcv hook; always consumes the skb.  A GRO train
 * (gro.c) is cut back into its datagrams first.
 */
int wg_receive(struct sock *sk, struct sk_buff *skb)
{
	struct wg_device *wg = rcu_dereference_sk_user_data(sk);
	unsigned int messages = 0;
	struct sk_buff *next;

	if (likely(!skb_is_gso(skb))) {
		receive_datagram(sk, skb);
		return 0;
	}
	skb_list_walk_safe(wg_gro_cut(sk, skb), skb, next) {
		skb_mark_not_on_list(skb);
		receive_datagram(sk, skb);
		++messages;
	}
	if (wg && messages > 1)
		wg_events_train(&wg->events, true, messages);
	return 0;
}

/* Why an authenticated packet is still not handed to the stack.  Each
 * fault is one drop reason and one rx error counter (count_inner_fault).
 */
enum inner_fault {
	INNER_FINE,
	INNER_NOT_IP,		/* no IPv4 or IPv6 header */
	INNER_BAD_LENGTH,	/* IP length outside the decrypted payload */
	INNER_WRONG_SOURCE,	/* source not in the peer's allowed IPs */
	INNER_NO_MEMORY,	/* trimming the padding failed */
};

/* Read the inner IP header: set the protocol, fold the outer ECN bits in
 * and cut the padding off at the length the header gives.
 */
static enum inner_fault admit_inner(struct sk_buff *skb, u8 outer_ds)
{
	unsigned int ip_len;
	u8 inner_ds;

	if (unlikely(!pskb_network_may_pull(skb, sizeof(struct iphdr))))
		return INNER_NOT_IP;
	skb->protocol = wg_examine_packet_protocol(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		ip_len = ntohs(ip_hdr(skb)->tot_len);
		if (unlikely(ip_len < sizeof(struct iphdr)))
			return INNER_BAD_LENGTH;
		inner_ds = ip_hdr(skb)->tos;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))
			return INNER_NOT_IP;
		inner_ds = ipv6_get_dsfield(ipv6_hdr(skb));
		ip_len = sizeof(struct ipv6hdr) +
			 ntohs(ipv6_hdr(skb)->payload_len);
	} else {
		return INNER_NOT_IP;
	}
	if (unlikely(ip_len > skb->len))
		return INNER_BAD_LENGTH;
	INET_ECN_decapsulate(skb, outer_ds, inner_ds);
	return pskb_trim(skb, ip_len) ? INNER_NO_MEMORY : INNER_FINE;
}

static void count_inner_fault(struct wg_peer *peer, enum inner_fault fault)
{
	struct net_device *dev = peer->device->dev;

	if (fault == INNER_NO_MEMORY)
		return;
	DEV_STATS_INC(dev, rx_errors);
	if (fault == INNER_BAD_LENGTH)
		DEV_STATS_INC(dev, rx_length_errors);
	else
		DEV_STATS_INC(dev, rx_frame_errors);
	if (fault != INNER_WRONG_SOURCE) {
		wg_events_drop(&peer->device->events, WGEV_DROP_MALFORMED);
		return;
	}
	wg_events_drop(&peer->device->events, WGEV_DROP_ALLOWED_IPS);
	net_dbg_ratelimited("%s: Packet has unallowed src IP from peer %llu (%pISpfsc)\n",
			    dev->name, peer->internal_id, &peer->endpoint.addr);
}

/* What every authenticated message proves, keepalives included: the
 * endpoint it came from, a confirmed keypair, a live session.
 */
static void note_authenticated(struct wg_peer *peer, struct sk_buff *skb,
			       const struct endpoint *endpoint)
{
	if (unlikely(wg_socket_set_peer_endpoint(peer, endpoint)))
		wg_events_endpoint(peer, endpoint);
	if (unlikely(wg_noise_received_with_keypair(&peer->keypairs,
						    PACKET_CB(skb)->keypair))) {
		wg_timers_handshake_complete(peer);
		wg_events_handshake(peer, false, 0);
		wg_packet_send_staged_packets(peer);
	}
	wg_timers_any_authenticated_packet_traversal(peer);
	wg_timers_any_authenticated_packet_received(peer);
	wg_packet_renew_session_on_use(peer, true);
}

/* NAPI context: an authenticated, in-window packet. */
static void deliver_packet(struct wg_peer *peer, struct sk_buff *skb,
			   const struct endpoint *endpoint)
{
	unsigned int wire_len = message_data_len(skb->len);
	enum inner_fault fault;
	struct wg_peer *owner;

	note_authenticated(peer, skb, endpoint);
	/* A keepalive: counted, nothing to hand up. */
	if (unlikely(!skb->len)) {
		update_rx_stats(peer, wire_len);
		net_dbg_ratelimited("%s: peer %llu (%pISpfsc): keepalive\n",
				    peer->device->dev->name, peer->internal_id,
				    &peer->endpoint.addr);
		dev_kfree_skb(skb);
		return;
	}
	wg_timers_data_received(peer);

	fault = admit_inner(skb, PACKET_CB(skb)->ds);
	if (likely(fault == INNER_FINE)) {
		owner = wg_allowedips_lookup_src(&peer->device->peer_allowedips,
						 skb);
		wg_peer_put(owner); /* only compared, never used */
		if (unlikely(owner != peer))
			fault = INNER_WRONG_SOURCE;
	}
	if (unlikely(fault != INNER_FINE)) {
		count_inner_fault(peer, fault);
		dev_kfree_skb(skb);
		return;
	}
	skb->dev = peer->device->dev;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	napi_gro_receive(&peer->napi, skb);
	update_rx_stats(peer, wire_len);
}

/* Whether skb's nonce is new to its session's replay window. */
static bool nonce_is_fresh(struct sk_buff *skb)
{
	struct noise_keypair *keypair = PACKET_CB(skb)->keypair;

	return wg_replay_counter_validate(&keypair->receiving_counter,
					  PACKET_CB(skb)->nonce);
}

int wg_packet_rx_poll(struct napi_struct *napi, int budget)
{
	struct wg_peer *peer = container_of(napi, struct wg_peer, napi);
	struct noise_keypair *keypair;
	struct endpoint endpoint;
	struct sk_buff *skb;
	int work_done = 0;

	if (unlikely(budget <= 0))
		return 0;

	while (work_done < budget &&
	       (skb = wg_peer_queue_take_ready(&peer->rx_queue))) {
		enum wgev_drop reason;
		bool delivered = false;

		keypair = PACKET_CB(skb)->keypair;
		reason = WGEV_DROP_DECRYPT;
		if (likely(atomic_read(&PACKET_CB(skb)->state) ==
			   PACKET_STATE_CRYPTED)) {
			reason = WGEV_DROP_MALFORMED;
			if (unlikely(!nonce_is_fresh(skb))) {
				reason = WGEV_DROP_REPLAY;
				net_dbg_ratelimited("%s: Packet has invalid nonce %llu from peer %llu\n",
						    peer->device->dev->name,
						    PACKET_CB(skb)->nonce,
						    peer->internal_id);
			} else if (likely(!wg_socket_endpoint_from_skb(&endpoint,
								      skb))) {
				wg_reset_packet(skb, false);
				deliver_packet(peer, skb, &endpoint);
				delivered = true;
			}
		}
		if (!delivered) {
			wg_events_drop(&peer->device->events, reason);
			DEV_STATS_INC(peer->device->dev, rx_dropped);
			dev_kfree_skb(skb);
		}
		wg_noise_keypair_put(keypair, false);
		wg_peer_put(peer);
		++work_done;
	}

	if (work_done < budget)
		napi_complete_done(napi, work_done);
	return work_done;
}

void wg_packet_purge_rx(struct wg_peer *peer)
{
	struct sk_buff *skb = wg_peer_queue_kill(&peer->rx_queue), *next;

	while (skb) {
		next = PACKET_CB(skb)->batch_next;
		wg_noise_keypair_put(PACKET_CB(skb)->keypair, false);
		kfree_skb(skb);
		wg_peer_put(peer);
		skb = next;
	}
}
