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

/* The length of the fixed part of a valid message, or 0. */
static size_t validate_header_len(struct sk_buff *skb)
{
	if (unlikely(skb->len < sizeof(struct wg_msg_header)))
		return 0;
	if (message_type(skb) == cpu_to_le32(WG_MSG_TRANSPORT) &&
	    skb->len >= MESSAGE_MINIMUM_LENGTH)
		return sizeof(struct wg_msg_transport);
	if (message_type(skb) == cpu_to_le32(WG_MSG_INITIATION) &&
	    skb->len == sizeof(struct wg_msg_initiation))
		return sizeof(struct wg_msg_initiation);
	if (message_type(skb) == cpu_to_le32(WG_MSG_RESPONSE) &&
	    skb->len == sizeof(struct wg_msg_response))
		return sizeof(struct wg_msg_response);
	if (message_type(skb) == cpu_to_le32(WG_MSG_COOKIE_REPLY) &&
	    skb->len == sizeof(struct wg_msg_cookie_reply))
		return sizeof(struct wg_msg_cookie_reply);
	return 0;
}

/* Check the outer headers and the UDP length, trim to it, and leave
 * skb->data at the WireGuard message with its fixed part linear.
 */
static int prepare_skb_header(struct sk_buff *skb)
{
	size_t data_offset, data_len, header_len;
	struct udphdr *udp;

	if (unlikely(wg_examine_packet_protocol(skb) != skb->protocol ||
		     skb_transport_header(skb) < skb->head ||
		     (skb_transport_header(skb) + sizeof(struct udphdr)) >
			     skb_tail_pointer(skb)))
		return -EINVAL;
	udp = udp_hdr(skb);
	data_offset = (u8 *)udp - skb->data;
	if (unlikely(data_offset > U16_MAX ||
		     data_offset + sizeof(struct udphdr) > skb->len))
		return -EINVAL;
	data_len = ntohs(udp->len);
	if (unlikely(data_len < sizeof(struct udphdr) ||
		     data_len > skb->len - data_offset))
		return -EINVAL;
	data_len -= sizeof(struct udphdr);
	data_offset = (u8 *)udp + sizeof(struct udphdr) - skb->data;
	if (unlikely(!pskb_may_pull(skb, data_offset +
					 sizeof(struct wg_msg_header)) ||
		     pskb_trim(skb, data_len + data_offset) < 0))
		return -EINVAL;
	skb_pull(skb, data_offset);
	if (unlikely(skb->len != data_len))
		return -EINVAL;
	header_len = validate_header_len(skb);
	if (unlikely(!header_len))
		return -EINVAL;
	__skb_push(skb, data_offset);
	if (unlikely(!pskb_may_pull(skb, data_offset + header_len)))
		return -EINVAL;
	__skb_pull(skb, data_offset);
	return 0;
}

static void receive_handshake_packet(struct wg_device *wg, struct sk_buff *skb)
{
	enum cookie_mac_state mac_state;
	struct wg_peer *peer = NULL;
	bool packet_needs_cookie;
	bool under_load;

	wg_debug_race_delay();
	if (message_type(skb) == cpu_to_le32(WG_MSG_COOKIE_REPLY)) {
		wg_dbg_skb("%s: Receiving cookie response from %pISpfsc\n",
			   wg->dev->name, skb);
		peer = wg_cookie_message_consume((void *)skb->data, wg);
		if (peer) {
			wg_packet_send_cookie_retry(peer);
			wg_peer_put(peer);
		} else {
			wg_events_drop(&wg->events,
				       WGEV_DROP_HANDSHAKE_INVALID);
		}
		return;
	}

	under_load = wg_device_under_load(wg);
	mac_state = wg_cookie_validate_packet(&wg->cookie_checker, skb,
					      under_load);
	if ((under_load && mac_state == MAC2_VALID) ||
	    (!under_load && mac_state == MAC1_VALID)) {
		packet_needs_cookie = false;
	} else if (under_load && mac_state == MAC1_VALID) {
		packet_needs_cookie = true;
	} else {
		wg_dbg_skb("%s: Invalid MAC of handshake, dropping packet from %pISpfsc\n",
			   wg->dev->name, skb);
		wg_events_drop(&wg->events, WGEV_DROP_HANDSHAKE_MAC);
		return;
	}

	if (message_type(skb) == cpu_to_le32(WG_MSG_INITIATION)) {
		struct wg_msg_initiation *message =
			(struct wg_msg_initiation *)skb->data;

		if (packet_needs_cookie) {
			wg_packet_send_handshake_cookie(wg, skb,
							message->sender);
			wg_events_drop(&wg->events, WGEV_DROP_UNDER_LOAD);
			return;
		}
		peer = wg_noise_handshake_consume_initiation(message, wg);
		if (unlikely(!peer)) {
			wg_dbg_skb("%s: Invalid handshake initiation from %pISpfsc\n",
				   wg->dev->name, skb);
			wg_events_drop(&wg->events,
				       WGEV_DROP_HANDSHAKE_INVALID);
			return;
		}
		wg_socket_set_peer_endpoint_from_skb(peer, skb);
		net_dbg_ratelimited("%s: Receiving handshake initiation from peer %llu (%pISpfsc)\n",
				    wg->dev->name, peer->internal_id,
				    &peer->endpoint.addr);
		wg_packet_send_handshake_response(peer);
	} else if (message_type(skb) ==
		   cpu_to_le32(WG_MSG_RESPONSE)) {
		struct wg_msg_response *message =
			(struct wg_msg_response *)skb->data;
		u64 consumed_ns;

		if (packet_needs_cookie) {
			wg_packet_send_handshake_cookie(wg, skb,
							message->sender);
			wg_events_drop(&wg->events, WGEV_DROP_UNDER_LOAD);
			return;
		}
		/* The RTT clock stops as we start consuming the response,
		 * before our own Curve25519 work on it.
		 */
		consumed_ns = ktime_get_ns();
		peer = wg_noise_handshake_consume_response(message, wg);
		if (unlikely(!peer)) {
			wg_dbg_skb("%s: Invalid handshake response from %pISpfsc\n",
				   wg->dev->name, skb);
			wg_events_drop(&wg->events,
				       WGEV_DROP_HANDSHAKE_INVALID);
			return;
		}
		wg_socket_set_peer_endpoint_from_skb(peer, skb);
		net_dbg_ratelimited("%s: Receiving handshake response from peer %llu (%pISpfsc)\n",
				    wg->dev->name, peer->internal_id,
				    &peer->endpoint.addr);
		if (wg_noise_handshake_begin_session(&peer->handshake,
						     &peer->keypairs)) {
			wg_timers_session_derived(peer);
			wg_timers_handshake_complete(peer);
			wg_events_handshake(peer, true, consumed_ns);
			/* Either the staged packets go out now, or an empty
			 * one does: both confirm the session to the
			 * responder at once.
			 */
			wg_packet_send_keepalive(peer);
		}
	} else {
		return;
	}

	local_bh_disable();
	update_rx_stats(peer, skb->len);
	local_bh_enable();
	wg_timers_any_authenticated_packet_received(peer);
	wg_timers_any_authenticated_packet_traversal(peer);
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

/* The UDP encap_rcv hook; always consumes the skb. */
int wg_receive(struct sock *sk, struct sk_buff *skb)
{
	struct wg_device *wg;
	int cpu;

	wg = sk ? rcu_dereference_sk_user_data(sk) : NULL;
	if (unlikely(!wg))
		goto drop;
	skb_mark_not_on_list(skb);
	if (unlikely(prepare_skb_header(skb) < 0)) {
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
		return 0;
	case cpu_to_le32(WG_MSG_TRANSPORT):
		PACKET_CB(skb)->ds = ip_tunnel_get_dsfield(ip_hdr(skb), skb);
		consume_data(wg, skb);
		return 0;
	}
drop:
	kfree_skb(skb);
	return 0;
}

/* A session used for receiving soon expires: renew it as initiator. */
static void keep_key_fresh(struct wg_peer *peer)
{
	const unsigned int renew_secs = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT -
					REKEY_TIMEOUT;
	struct noise_keypair *keypair;
	bool send;

	if (peer->sent_lastminute_handshake)
		return;

	rcu_read_lock_bh();
	keypair = rcu_dereference_bh(peer->keypairs.cur);
	send = keypair && READ_ONCE(keypair->sending.is_valid) &&
	       keypair->i_am_the_initiator &&
	       wg_birthdate_has_expired(keypair->sending.birthdate, renew_secs);
	rcu_read_unlock_bh();

	if (unlikely(send)) {
		peer->sent_lastminute_handshake = true;
		wg_packet_send_queued_handshake_initiation(peer, false);
	}
}

/* NAPI context: an authenticated, in-window packet. */
static void deliver_packet(struct wg_peer *peer, struct sk_buff *skb,
			   const struct endpoint *endpoint)
{
	struct net_device *dev = peer->device->dev;
	unsigned int len, len_before_trim;
	struct wg_peer *routed_peer;
	u8 outer_ds = PACKET_CB(skb)->ds;

	if (unlikely(wg_socket_set_peer_endpoint(peer, endpoint)))
		wg_events_endpoint(peer, endpoint);

	if (unlikely(wg_noise_received_with_keypair(&peer->keypairs,
						    PACKET_CB(skb)->keypair))) {
		wg_timers_handshake_complete(peer);
		wg_events_handshake(peer, false, 0);
		wg_packet_send_staged_packets(peer);
	}
	keep_key_fresh(peer);
	wg_timers_any_authenticated_packet_received(peer);
	wg_timers_any_authenticated_packet_traversal(peer);

	if (unlikely(!skb->len)) {
		update_rx_stats(peer, message_data_len(0));
		net_dbg_ratelimited("%s: Receiving keepalive packet from peer %llu (%pISpfsc)\n",
				    dev->name, peer->internal_id,
				    &peer->endpoint.addr);
		goto drop;
	}

	wg_timers_data_received(peer);

	if (unlikely(!pskb_network_may_pull(skb, sizeof(struct iphdr))))
		goto bad_type;
	skb->protocol = wg_examine_packet_protocol(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		len = ntohs(ip_hdr(skb)->tot_len);
		if (unlikely(len < sizeof(struct iphdr)))
			goto bad_size;
		INET_ECN_decapsulate(skb, outer_ds, ip_hdr(skb)->tos);
	} else if (skb->protocol == htons(ETH_P_IPV6) &&
		   pskb_network_may_pull(skb, sizeof(struct ipv6hdr))) {
		len = ntohs(ipv6_hdr(skb)->payload_len) +
		      sizeof(struct ipv6hdr);
		INET_ECN_decapsulate(skb, outer_ds,
				     ipv6_get_dsfield(ipv6_hdr(skb)));
	} else {
		goto bad_type;
	}

	if (unlikely(len > skb->len))
		goto bad_size;
	len_before_trim = skb->len;
	if (unlikely(pskb_trim(skb, len)))
		goto drop;

	routed_peer = wg_allowedips_lookup_src(&peer->device->peer_allowedips,
					       skb);
	wg_peer_put(routed_peer);
	if (unlikely(routed_peer != peer))
		goto bad_peer;

	skb->dev = dev;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	napi_gro_receive(&peer->napi, skb);
	update_rx_stats(peer, message_data_len(len_before_trim));
	return;

bad_peer:
	net_dbg_ratelimited("%s: Packet has unallowed src IP from peer %llu (%pISpfsc)\n",
			    dev->name, peer->internal_id, &peer->endpoint.addr);
	wg_events_drop(&peer->device->events, WGEV_DROP_ALLOWED_IPS);
	DEV_STATS_INC(dev, rx_errors);
	DEV_STATS_INC(dev, rx_frame_errors);
	goto drop;
bad_type:
	wg_events_drop(&peer->device->events, WGEV_DROP_MALFORMED);
	DEV_STATS_INC(dev, rx_errors);
	DEV_STATS_INC(dev, rx_frame_errors);
	goto drop;
bad_size:
	wg_events_drop(&peer->device->events, WGEV_DROP_MALFORMED);
	DEV_STATS_INC(dev, rx_errors);
	DEV_STATS_INC(dev, rx_length_errors);
drop:
	dev_kfree_skb(skb);
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
