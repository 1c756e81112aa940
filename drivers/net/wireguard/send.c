// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: handshake messages, staging, encryption, ordered sending.
 */

#include "queueing.h"
#include "device.h"
#include "peer.h"
#include "noise.h"
#include "timers.h"
#include "socket.h"
#include "cookie.h"
#include "messages.h"
#include "debug.h"
#include "train.h"

#include <linux/uio.h>
#include <linux/inetdevice.h>
#include <linux/scatterlist.h>
#include <net/ip_tunnels.h>
#include <net/udp.h>
#include <net/sock.h>

/* How many packets one crypt ring entry carries at most. */
#define WG_TX_BATCH 64

static bool handshake_rate_limited(struct wg_peer *peer)
{
	return !wg_birthdate_has_expired(atomic64_read(&peer->last_sent_handshake),
					 REKEY_TIMEOUT);
}

static void stamp_handshake(struct wg_peer *peer)
{
	atomic64_set(&peer->last_sent_handshake, ktime_get_coarse_boottime_ns());
}

/* The part every handshake message we originate shares once its payload
 * is built: the MACs go on last, the send counts as authenticated traffic
 * for the timers, and the rate limit restarts from now.
 */
static void seal_handshake(struct wg_peer *peer, void *msg, size_t len)
{
	wg_cookie_add_mac_to_packet(msg, len, peer);
	stamp_handshake(peer);
	wg_timers_any_authenticated_packet_sent(peer);
	wg_timers_any_authenticated_packet_traversal(peer);
}

/* Handshake worker: build and send one initiation, unless too soon. */
static void send_handshake_initiation(struct wg_peer *peer)
{
	struct wg_msg_initiation init;

	if (unlikely(!wg_rng_ready()))
		return;
	/* A pending cookie retry is the one send the rate limit allows early. */
	if (!test_and_clear_bit(0, &peer->cookie_retry) &&
	    handshake_rate_limited(peer))
		return;
	/* Claim the slot first: concurrent triggers now see us as sent. */
	stamp_handshake(peer);
	pr_debug("%s: peer %llu: initiating a handshake with %pISpfsc\n",
		 peer->device->dev->name, peer->internal_id,
		 &peer->endpoint.addr);
	if (!wg_noise_handshake_create_initiation(&init, &peer->handshake))
		goto wipe;
	seal_handshake(peer, &init, sizeof(init));
	wg_events_initiation_sent(peer);
	wg_socket_send_buffer_to_peer(peer, &init, sizeof(init), HANDSHAKE_DSCP);
	wg_timers_handshake_initiated(peer);
wipe:
	memzero_explicit(&init, sizeof(init));
}

void wg_packet_handshake_send_worker(struct work_struct *work)
{
	struct wg_peer *peer = container_of(work, struct wg_peer,
					    transmit_handshake_work);

	send_handshake_initiation(peer);
	wg_peer_put(peer);
}

/* Hand peer to the handshake worker, which holds a reference until it has
 * run.  Called under rcu_read_lock_bh(), so a peer not yet marked dead
 * cannot be freed under us; a dead one is left alone.
 */
static void kick_handshake_worker(struct wg_peer *peer)
{
	if (unlikely(READ_ONCE(peer->is_dead)))
		return;
	wg_peer_get(peer);
	if (!queue_work(peer->device->handshake_send_wq,
			&peer->transmit_handshake_work))
		wg_peer_put(peer);	/* already queued: that run serves us */
}

void wg_packet_send_queued_handshake_initiation(struct wg_peer *peer,
						bool is_retry)
{
	/* A fresh reason to handshake starts a fresh count of attempts. */
	if (!is_retry)
		peer->timer_handshake_attempts = 0;
	/* Checked here as well so that a busy sender does not queue work
	 * for every packet; the worker decides for good.
	 */
	if (handshake_rate_limited(peer))
		return;
	rcu_read_lock_bh();
	kick_handshake_worker(peer);
	rcu_read_unlock_bh();
}

/* A cookie reply to our initiation means the responder is under load and
 * dropped it.  Upstream waits for the retransmit timer (REKEY_TIMEOUT) before
 * trying again with mac2; we retry at once, which takes the handshake time
 * under a flood from over 5 s down to a round trip.  The early retry is
 * allowed once per REKEY_TIMEOUT, so neither a flood of cookie replies nor
 * forged ones (an on-path observer knows mac1 and the responder's public
 * key) can make us send more than two initiations per REKEY_TIMEOUT.
 * Called from the receive path (softirq): only queues the work.
 */
void wg_packet_send_cookie_retry(struct wg_peer *peer)
{
	u64 last = atomic64_read(&peer->last_cookie_retry);

	if (!wg_birthdate_has_expired(last, REKEY_TIMEOUT) ||
	    atomic64_cmpxchg(&peer->last_cookie_retry, last,
			     ktime_get_coarse_boottime_ns()) != last)
		return;
	pr_debug("%s: peer %llu: retrying the handshake at once, now with a cookie\n",
		 peer->device->dev->name, peer->internal_id);
	set_bit(0, &peer->cookie_retry);
	rcu_read_lock_bh();
	kick_handshake_worker(peer);
	rcu_read_unlock_bh();
}

/* Handshake receive worker, for a peer whose initiation we just consumed:
 * answer it, and the answer derives our session as responder.  Nothing is
 * sent when the session cannot be derived.
 */
void wg_packet_send_handshake_response(struct wg_peer *peer)
{
	struct wg_msg_response resp;

	wg_debug_race_delay();
	stamp_handshake(peer);
	pr_debug("%s: peer %llu: answering its handshake at %pISpfsc\n",
		 peer->device->dev->name, peer->internal_id,
		 &peer->endpoint.addr);
	if (wg_noise_handshake_create_response(&resp, &peer->handshake) &&
	    wg_noise_handshake_begin_session(&peer->handshake,
					     &peer->keypairs)) {
		wg_timers_session_derived(peer);
		seal_handshake(peer, &resp, sizeof(resp));
		wg_socket_send_buffer_to_peer(peer, &resp, sizeof(resp),
					      HANDSHAKE_DSCP);
	}
	memzero_explicit(&resp, sizeof(resp));
}

/* Under load: tell the sender of a handshake how to earn a valid mac2. */
void wg_packet_send_handshake_cookie(struct wg_device *wg,
				     struct sk_buff *initiating_skb,
				     __le32 sender_index)
{
	struct wg_msg_cookie_reply reply;

	net_dbg_ratelimited("%s: under load, a handshake gets a cookie reply instead\n",
			    wg->dev->name);
	wg_cookie_message_create(&reply, initiating_skb, sender_index,
				 &wg->cookie_checker);
	wg_socket_send_buffer_as_reply_to_skb(wg, initiating_skb, &reply,
					      sizeof(reply));
}

/* Sessions are renewed from their use, before the timers would have to:
 *  - after sending, once the session carried REKEY_AFTER_MESSAGES, or is
 *    REKEY_AFTER_TIME old and we were its initiator;
 *  - after receiving, once per session: when we were its initiator and it
 *    is within KEEPALIVE_TIMEOUT + REKEY_TIMEOUT of REJECT_AFTER_TIME, so
 *    that a peer which only listens still renews in time.
 * Only the initiator renews on age, so both ends do not race to.
 */
static bool worn_by_sending(struct noise_keypair *kp)
{
	if (atomic64_read(&kp->sending_counter) > REKEY_AFTER_MESSAGES)
		return true;
	return kp->i_am_the_initiator &&
	       wg_birthdate_has_expired(kp->sending.birthdate,
					REKEY_AFTER_TIME);
}

static bool near_rejection(struct noise_keypair *kp)
{
	const u64 margin = KEEPALIVE_TIMEOUT + REKEY_TIMEOUT;

	return kp->i_am_the_initiator &&
	       wg_birthdate_has_expired(kp->sending.birthdate,
					REJECT_AFTER_TIME - margin);
}

void wg_packet_renew_session_on_use(struct wg_peer *peer, bool received)
{
	struct noise_keypair *kp;
	bool renew;

	if (received && peer->sent_lastminute_handshake)
		return;
	rcu_read_lock_bh();
	kp = rcu_dereference_bh(peer->keypairs.cur);
	renew = kp && READ_ONCE(kp->sending.is_valid) &&
		(received ? near_rejection(kp) : worn_by_sending(kp));
	rcu_read_unlock_bh();
	if (likely(!renew))
		return;
	if (received)
		peer->sent_lastminute_handshake = true;
	wg_packet_send_queued_handshake_initiation(peer, false);
}

/* Pad the plaintext to a multiple of 16, without exceeding the MTU (a
 * segment already at the MTU is not padded).
 */
static unsigned int skb_padding(struct sk_buff *skb)
{
	unsigned int padded, last_unit = skb->len;
	u32 mtu = PACKET_CB(skb)->mtu;

	if (unlikely(!mtu))
		return ALIGN(last_unit, MESSAGE_PADDING_MULTIPLE) - last_unit;
	if (unlikely(last_unit > mtu))
		last_unit %= mtu;
	padded = min(mtu, ALIGN(last_unit, MESSAGE_PADDING_MULTIPLE));
	return padded > last_unit ? padded - last_unit : 0;
}

/* Grow the packet in place into the frame of a transport message: room
 * for the header in front, zeroed padding and room for the tag behind.
 * Returns how many scatterlist entries the message spans, or an errno.
 */
static int frame_transport(struct sk_buff *skb, unsigned int padding)
{
	unsigned int behind = padding + noise_encrypted_len(0);
	struct sk_buff *last;
	int spans;

	if (unlikely(skb_cow_head(skb, DATA_PACKET_HEAD_ROOM) < 0))
		return -ENOMEM;
	spans = skb_cow_data(skb, behind, &last);
	if (unlikely(spans < 0))
		return spans;
	memset(pskb_put(skb, last, behind), 0, padding);
	return spans;
}

static void put_transport_header(struct sk_buff *skb, __le32 receiver,
				 u64 counter)
{
	struct wg_msg_transport *msg = skb_push(skb, sizeof(*msg));

	/* The tunnel transmit code counts the packet on our device as the
	 * bytes from here on (the whole message): the one place it is counted.
	 */
	skb_set_inner_network_header(skb, 0);
	msg->hdr.type = cpu_to_le32(WG_MSG_TRANSPORT);
	msg->receiver = receiver;
	msg->counter = cpu_to_le64(counter);
}

/* Turn one plaintext packet into a sealed transport message, in place,
 * with the nonce the submit stage gave it.
 */
static bool make_transport_message(struct sk_buff *skb,
				   struct noise_keypair *keypair)
{
	struct scatterlist sg[MAX_SKB_FRAGS + 8];
	unsigned int sealed_len;
	u64 nonce = PACKET_CB(skb)->nonce;
	int spans;

	/* The receiver may forward the packet: finish its checksum. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return false;
	/* The flow hash comes from the plaintext, for queue selection. */
	skb_get_hash(skb);

	spans = frame_transport(skb, skb_padding(skb));
	if (unlikely(spans < 0 || spans > ARRAY_SIZE(sg)))
		return false;
	sealed_len = skb->len; /* plaintext, padding and tag */
	put_transport_header(skb, keypair->remote_index, nonce);

	sg_init_table(sg, spans);
	if (skb_to_sgvec(skb, sg, sizeof(struct wg_msg_transport),
			 sealed_len) <= 0)
		return false;
	return wg_chacha20poly1305_encrypt_sg_inplace(sg,
			sealed_len - noise_encrypted_len(0), NULL, 0, nonce,
			keypair->sending.key);
}

/* Encrypt every packet of a batch and publish the result in its state. */
static void encrypt_batch(struct sk_buff *first, struct noise_keypair *keypair)
{
	enum packet_state state = PACKET_STATE_CRYPTED;
	struct sk_buff *skb, *next;

	skb_list_walk_safe(first, skb, next) {
		if (likely(make_transport_message(skb, keypair))) {
			wg_reset_packet(skb, true);
		} else {
			state = PACKET_STATE_DEAD;
			break;
		}
	}
	atomic_set_release(&PACKET_CB(first)->state, state);
}

/* Crypt worker.  Peers are not pinned here: removal of a peer flushes
 * this workqueue before dropping its last reference, so a peer whose
 * batch we just finished is still alive when we kick its serial stage.
 */
void wg_packet_encrypt_worker(struct work_struct *work)
{
	struct wg_device *wg = container_of(work, struct wg_crypt_worker,
					    work)->wg;
	struct sk_buff *first;

	while ((first = ptr_ring_consume_bh(&wg->encrypt_queue.ring))) {
		struct noise_keypair *keypair = PACKET_CB(first)->keypair;
		struct wg_peer *peer = keypair->entry.peer;

		encrypt_batch(first, keypair);
		wg_packet_tx_drain(peer);
		cond_resched();
	}
}

/* Send the messages of a crypted batch, in trains where they can go as
 * one (train.h).  Returns whether any carried data, not only keepalives.
 */
static bool tx_send_messages(struct wg_peer *peer, struct sk_buff *rest)
{
	const unsigned int keepalive_len = message_data_len(0);
	bool data_sent = false, data;
	struct sk_buff *train;
	unsigned int cars;

	while (rest) {
		train = wg_train_cut(&rest, &cars);
		/* A train of several always carries data. */
		data = cars > 1 || train->len != keepalive_len;
		/* tx packets and bytes are counted by the tunnel xmit code. */
		if (likely(!wg_socket_send_skb_to_peer(peer, train,
						       PACKET_CB(train)->ds))) {
			data_sent |= data;
			if (cars > 1)
				wg_events_train(&peer->device->events, false,
						cars);
		} else {
			DEV_STATS_ADD(peer->device->dev, tx_errors, cars);
		}
	}
	return data_sent;
}

/* Serial stage, tx_serial held: send one finished batch. */
static void tx_send_batch(struct wg_peer *peer, struct sk_buff *first)
{
	struct noise_keypair *keypair = PACKET_CB(first)->keypair;
	struct net_device *dev = peer->device->dev;

	if (likely(atomic_read(&PACKET_CB(first)->state) ==
		   PACKET_STATE_CRYPTED)) {
		wg_timers_any_authenticated_packet_traversal(peer);
		wg_timers_any_authenticated_packet_sent(peer);
		if (likely(tx_send_messages(peer, first)))
			wg_timers_data_sent(peer);
		wg_packet_renew_session_on_use(peer, false);
	} else {
		DEV_STATS_ADD(dev, tx_dropped, PACKET_CB(first)->batch_len);
		kfree_skb_list(first);
	}
	wg_noise_keypair_put(keypair, false);
	wg_peer_put(peer);
}

void wg_packet_tx_drain(struct wg_peer *peer)
{
	struct sk_buff *first;

	/* Pairs with the barrier after clearing the bit below. */
	smp_mb();
	do {
		if (test_and_set_bit_lock(0, &peer->tx_serial))
			return;
		while ((first = wg_peer_queue_take_ready(&peer->tx_queue)))
			tx_send_batch(peer, first);
		clear_bit_unlock(0, &peer->tx_serial);
		/* A worker may have finished a batch and failed to take the
		 * bit just before we dropped it: look again.
		 */
		smp_mb__after_atomic();
	} while (wg_peer_queue_head_ready(&peer->tx_queue));
}

void wg_packet_purge_tx(struct wg_peer *peer)
{
	struct sk_buff *first = wg_peer_queue_kill(&peer->tx_queue), *next;

	while (first) {
		next = PACKET_CB(first)->batch_next;
		DEV_STATS_ADD(peer->device->dev, tx_dropped,
			      PACKET_CB(first)->batch_len);
		wg_noise_keypair_put(PACKET_CB(first)->keypair, false);
		kfree_skb_list(first);
		wg_peer_put(peer);
		first = next;
	}
}

/* A single small packet (a TCP ACK, a keepalive) costs less to encrypt
 * than to hand to another CPU: such batches are encrypted by the caller,
 * still through the peer queue so that they leave in order.  Not when we
 * are a tunnel inside a tunnel (transmit called from another device's
 * transmit): encryption (about 2 KiB of stack with the scatterlist and
 * the AEAD) and the send below it would pile up once per level on one
 * stack; nested levels go through the crypt workers, on their own stacks.
 */
#define WG_TX_INLINE_MAX_LEN 256

static bool tx_inline(struct sk_buff *first, unsigned int count)
{
	return count == 1 && first->len <= WG_TX_INLINE_MAX_LEN &&
	       dev_recursion_level() <= 1;
}

/* Hand one batch (skb->next chain, nonces set) to the crypt stage. */
static void submit_batch(struct wg_peer *peer, struct noise_keypair *keypair,
			 struct sk_buff *first, unsigned int count)
{
	struct wg_device *wg = peer->device;
	int ret;

	wg_peer_get(peer);
	kref_get(&keypair->refcount);
	PACKET_CB(first)->keypair = keypair;
	if (tx_inline(first, count)) {
		atomic_set(&PACKET_CB(first)->state, PACKET_STATE_UNCRYPTED);
		if (unlikely(!wg_peer_queue_add(&peer->tx_queue, first, 1)))
			goto err;
		wg_debug_race_delay();
		encrypt_batch(first, keypair);
		wg_packet_tx_drain(peer);
		return;
	}
	ret = wg_queue_enqueue_per_device_and_peer(&wg->encrypt_queue,
						   &peer->tx_queue, first, count,
						   wg->packet_crypt_wq);
	if (likely(!ret))
		return;
	if (ret == -ENOSPC) {
		/* Queued, marked dead: the serial stage frees it in order. */
		wg_packet_tx_drain(peer);
		return;
	}
err:
	DEV_STATS_ADD(wg->dev, tx_dropped, count);
	kfree_skb_list(first);
	wg_noise_keypair_put(keypair, false);
	wg_peer_put(peer);
}

/* No session to send with: back to the front of the line, still bounded.
 * They may wait long (a handshake may never complete): orphaned, so that
 * they no longer hold their socket's send memory or TCP's small-queue
 * budget.
 */
static void restage(struct wg_peer *peer, struct sk_buff_head *packets)
{
	struct sk_buff *skb;

	skb_queue_walk(packets, skb)
		skb_orphan(skb);
	spin_lock_bh(&peer->staged_packet_queue.lock);
	skb_queue_splice(packets, &peer->staged_packet_queue);
	while (skb_queue_len(&peer->staged_packet_queue) > MAX_STAGED_PACKETS) {
		kfree_skb(__skb_dequeue_tail(&peer->staged_packet_queue));
		DEV_STATS_INC(peer->device->dev, tx_dropped);
	}
	spin_unlock_bh(&peer->staged_packet_queue.lock);
}

/* Move every staged packet to @into (initialised here); false if none. */
static bool take_staged(struct wg_peer *peer, struct sk_buff_head *into)
{
	struct sk_buff_head *staged = &peer->staged_packet_queue;

	__skb_queue_head_init(into);
	spin_lock_bh(&staged->lock);
	skb_queue_splice_init(staged, into);
	spin_unlock_bh(&staged->lock);
	return !skb_queue_empty(into);
}

/* Reserve @n consecutive nonces, from one atomic, on the current keypair.
 * Returns the keypair with a reference and the first nonce, or NULL when
 * there is no keypair we may send with (a stale one is marked so).
 */
static struct noise_keypair *reserve_nonces(struct wg_peer *peer,
					    unsigned int n, u64 *first)
{
	struct noise_keypair *kp;

	kp = wg_noise_keypair_get(rcu_dereference_bh(peer->keypairs.cur));
	if (unlikely(!kp || !READ_ONCE(kp->sending.is_valid)))
		goto none;
	*first = atomic64_add_return(n, &kp->sending_counter) - n;
	if (likely(*first + n <= REJECT_AFTER_MESSAGES &&
		   !wg_birthdate_has_expired(kp->sending.birthdate,
					     REJECT_AFTER_TIME)))
		return kp;
	WRITE_ONCE(kp->sending.is_valid, false);
none:
	wg_noise_keypair_put(kp, false);
	return NULL;
}

/* Number the packets from @nonce in queue order and hand them to the
 * crypt stage in chains of at most WG_TX_BATCH.
 */
static void submit_numbered(struct wg_peer *peer, struct noise_keypair *kp,
			    struct sk_buff_head *packets, u64 nonce)
{
	while (!skb_queue_empty(packets)) {
		unsigned int len = 0;
		struct sk_buff *chain = NULL, **link = &chain, *skb;

		while (len < WG_TX_BATCH &&
		       (skb = __skb_dequeue(packets))) {
			PACKET_CB(skb)->nonce = nonce++;
			*link = skb;
			link = &skb->next;
			++len;
		}
		*link = NULL;
		submit_batch(peer, kp, chain, len);
	}
}

/* Submission (and re-staging) happens inside one RCU-bh read section that
 * checks is_dead first, whatever the caller's context: a handshake worker
 * runs in process context, outside RCU.  Peer removal marks the peer dead,
 * then synchronize_net() waits for every submitter that still saw it
 * alive, so that no batch enters the peer's queues (or the crypt ring)
 * after removal has flushed the crypt workers and purged them.
 */
void wg_packet_send_staged_packets(struct wg_peer *peer)
{
	struct noise_keypair *keypair;
	struct sk_buff_head packets;
	u64 nonce;

	if (!take_staged(peer, &packets))
		return;

	rcu_read_lock_bh();
	if (unlikely(READ_ONCE(peer->is_dead))) {
		DEV_STATS_ADD(peer->device->dev, tx_dropped,
			      skb_queue_len(&packets));
		__skb_queue_purge(&packets);
	} else {
		keypair = reserve_nonces(peer, skb_queue_len(&packets), &nonce);
		if (likely(keypair)) {
			submit_numbered(peer, keypair, &packets, nonce);
			wg_noise_keypair_put(keypair, false);
		} else {
			restage(peer, &packets);
			wg_packet_send_queued_handshake_initiation(peer, false);
		}
	}
	rcu_read_unlock_bh();
}

void wg_packet_send_keepalive(struct wg_peer *peer)
{
	struct sk_buff *skb;

	wg_debug_race_delay();
	/* Staged inside RCU, checking is_dead, like submission: a handshake
	 * worker may get here after removal has purged the staged queue for
	 * the last time, and what it staged then would never be freed.
	 */
	rcu_read_lock_bh();
	if (likely(!READ_ONCE(peer->is_dead)) &&
	    skb_queue_empty_lockless(&peer->staged_packet_queue)) {
		skb = alloc_skb(DATA_PACKET_HEAD_ROOM + MESSAGE_MINIMUM_LENGTH,
				GFP_ATOMIC);
		if (unlikely(!skb))
			goto out;
		skb_reserve(skb, DATA_PACKET_HEAD_ROOM);
		skb->dev = peer->device->dev;
		PACKET_CB(skb)->mtu = skb->dev->mtu;
		PACKET_CB(skb)->ds = 0;
		skb_queue_tail(&peer->staged_packet_queue, skb);
		pr_debug("%s: Sending keepalive packet to peer %llu (%pISpfsc)\n",
			 peer->device->dev->name, peer->internal_id,
			 &peer->endpoint.addr);
	}
	wg_packet_send_staged_packets(peer);
out:
	rcu_read_unlock_bh();
}

void wg_packet_purge_staged_packets(struct wg_peer *peer)
{
	struct sk_buff_head doomed;

	/* Taken under the queue's lock; freed and counted outside it. */
	if (!take_staged(peer, &doomed))
		return;
	DEV_STATS_ADD(peer->device->dev, tx_dropped, skb_queue_len(&doomed));
	__skb_queue_purge(&doomed);
}
