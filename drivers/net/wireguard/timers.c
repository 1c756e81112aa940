// SPDX-License-Identifier: GPL-2.0
/*
 * Timers of a peer (all in protocol time, see wg_proto_jiffies()):
 *
 *  retransmit_handshake  REKEY_TIMEOUT (+jitter) after sending an
 *                        initiation with no response: send another, up to
 *                        MAX_TIMER_HANDSHAKES times, then give up.
 *  send_keepalive        KEEPALIVE_TIMEOUT after receiving data without
 *                        sending any: send an empty packet.
 *  new_handshake         KEEPALIVE_TIMEOUT + REKEY_TIMEOUT (+jitter) after
 *                        sending data without hearing anything back:
 *                        start a new handshake.
 *  zero_key_material     3 * REJECT_AFTER_TIME after the last session was
 *                        derived: forget all keys.
 *  persistent_keepalive  every persistent_keepalive_interval seconds after
 *                        any authenticated packet went either way.
 *
 * Timers are armed only while the device is up and the peer alive; each
 * arming checks both under RCU so that wg_timers_stop(), which runs after
 * either changes, wins.
 */

#include "timers.h"
#include "device.h"
#include "peer.h"
#include "queueing.h"
#include "socket.h"

#include <linux/random.h>

static void mod_peer_timer(struct wg_peer *peer, struct timer_list *timer,
			   unsigned long expires)
{
	rcu_read_lock_bh();
	if (likely(netif_running(peer->device->dev) &&
		   !READ_ONCE(peer->is_dead)))
		mod_timer(timer, expires);
	rcu_read_unlock_bh();
}

static unsigned long jitter(void)
{
	return get_random_u32_below(REKEY_TIMEOUT_JITTER_MAX_JIFFIES /
				    WG_TIME_DIVISOR + 1);
}

static void expired_retransmit_handshake(struct timer_list *timer)
{
	struct wg_peer *peer = from_timer(peer, timer,
					  timer_retransmit_handshake);

	if (peer->timer_handshake_attempts > MAX_TIMER_HANDSHAKES) {
		pr_debug("%s: Handshake for peer %llu did not complete after %d attempts, giving up\n",
			 peer->device->dev->name, peer->internal_id,
			 MAX_TIMER_HANDSHAKES + 2);
		del_timer(&peer->timer_send_keepalive);
		/* Nobody will ever send these: do not keep them around. */
		wg_packet_purge_staged_packets(peer);
		if (!timer_pending(&peer->timer_zero_key_material))
			mod_peer_timer(peer, &peer->timer_zero_key_material,
				       jiffies +
				       wg_proto_jiffies(REJECT_AFTER_TIME * 3));
	} else {
		++peer->timer_handshake_attempts;
		pr_debug("%s: Handshake for peer %llu did not complete after %d seconds, retrying (try %d)\n",
			 peer->device->dev->name, peer->internal_id,
			 REKEY_TIMEOUT, peer->timer_handshake_attempts + 1);
		/* The source address may be what is wrong: pick again. */
		wg_socket_clear_peer_endpoint_src(peer);
		wg_packet_send_queued_handshake_initiation(peer, true);
	}
}

static void expired_send_keepalive(struct timer_list *timer)
{
	struct wg_peer *peer = from_timer(peer, timer, timer_send_keepalive);

	wg_packet_send_keepalive(peer);
	if (peer->timer_need_another_keepalive) {
		peer->timer_need_another_keepalive = false;
		mod_peer_timer(peer, &peer->timer_send_keepalive,
			       jiffies + wg_proto_jiffies(KEEPALIVE_TIMEOUT));
	}
}

static void expired_new_handshake(struct timer_list *timer)
{
	struct wg_peer *peer = from_timer(peer, timer, timer_new_handshake);

	pr_debug("%s: Retrying handshake with peer %llu because we stopped hearing back after %d seconds\n",
		 peer->device->dev->name, peer->internal_id,
		 KEEPALIVE_TIMEOUT + REKEY_TIMEOUT);
	wg_socket_clear_peer_endpoint_src(peer);
	wg_packet_send_queued_handshake_initiation(peer, false);
}

static void expired_zero_key_material(struct timer_list *timer)
{
	struct wg_peer *peer = from_timer(peer, timer, timer_zero_key_material);

	/* Clearing the handshake sleeps: do it from a work item. */
	rcu_read_lock_bh();
	if (!READ_ONCE(peer->is_dead)) {
		wg_peer_get(peer);
		if (!queue_work(peer->device->handshake_send_wq,
				&peer->clear_peer_work))
			wg_peer_put(peer);
	}
	rcu_read_unlock_bh();
}

static void clear_peer_work(struct work_struct *work)
{
	struct wg_peer *peer = container_of(work, struct wg_peer,
					    clear_peer_work);

	pr_debug("%s: Zeroing out all keys for peer %llu, since we haven't received a new one in %d seconds\n",
		 peer->device->dev->name, peer->internal_id,
		 REJECT_AFTER_TIME * 3);
	wg_noise_handshake_clear(&peer->handshake);
	wg_noise_keypairs_clear(&peer->keypairs);
	wg_events_keys_zeroed(peer);
	wg_peer_put(peer);
}

static void expired_persistent_keepalive(struct timer_list *timer)
{
	struct wg_peer *peer = from_timer(peer, timer,
					  timer_persistent_keepalive);

	if (likely(READ_ONCE(peer->persistent_keepalive_interval)))
		wg_packet_send_keepalive(peer);
}

void wg_timers_data_sent(struct wg_peer *peer)
{
	if (!timer_pending(&peer->timer_new_handshake))
		mod_peer_timer(peer, &peer->timer_new_handshake,
			       jiffies +
			       wg_proto_jiffies(KEEPALIVE_TIMEOUT + REKEY_TIMEOUT) +
			       jitter());
}

void wg_timers_data_received(struct wg_peer *peer)
{
	if (likely(netif_running(peer->device->dev))) {
		if (!timer_pending(&peer->timer_send_keepalive))
			mod_peer_timer(peer, &peer->timer_send_keepalive,
				       jiffies +
				       wg_proto_jiffies(KEEPALIVE_TIMEOUT));
		else
			peer->timer_need_another_keepalive = true;
	}
}

void wg_timers_any_authenticated_packet_sent(struct wg_peer *peer)
{
	if (timer_pending(&peer->timer_send_keepalive))
		del_timer(&peer->timer_send_keepalive);
}

void wg_timers_any_authenticated_packet_received(struct wg_peer *peer)
{
	if (timer_pending(&peer->timer_new_handshake))
		del_timer(&peer->timer_new_handshake);
}

void wg_timers_handshake_initiated(struct wg_peer *peer)
{
	mod_peer_timer(peer, &peer->timer_retransmit_handshake,
		       jiffies + wg_proto_jiffies(REKEY_TIMEOUT) + jitter());
}

void wg_timers_handshake_complete(struct wg_peer *peer)
{
	del_timer(&peer->timer_retransmit_handshake);
	peer->timer_handshake_attempts = 0;
	peer->sent_lastminute_handshake = false;
	ktime_get_real_ts64(&peer->walltime_last_handshake);
}

void wg_timers_session_derived(struct wg_peer *peer)
{
	mod_peer_timer(peer, &peer->timer_zero_key_material,
		       jiffies + wg_proto_jiffies(REJECT_AFTER_TIME * 3));
}

void wg_timers_any_authenticated_packet_traversal(struct wg_peer *peer)
{
	u16 interval = READ_ONCE(peer->persistent_keepalive_interval);

	if (interval)
		mod_peer_timer(peer, &peer->timer_persistent_keepalive,
			       jiffies + wg_proto_jiffies(interval));
}

void wg_timers_init(struct wg_peer *peer)
{
	timer_setup(&peer->timer_retransmit_handshake,
		    expired_retransmit_handshake, 0);
	timer_setup(&peer->timer_send_keepalive, expired_send_keepalive, 0);
	timer_setup(&peer->timer_new_handshake, expired_new_handshake, 0);
	timer_setup(&peer->timer_zero_key_material,
		    expired_zero_key_material, 0);
	timer_setup(&peer->timer_persistent_keepalive,
		    expired_persistent_keepalive, 0);
	INIT_WORK(&peer->clear_peer_work, clear_peer_work);
	peer->timer_handshake_attempts = 0;
	peer->sent_lastminute_handshake = false;
	peer->timer_need_another_keepalive = false;
}

void wg_timers_stop(struct wg_peer *peer)
{
	del_timer_sync(&peer->timer_retransmit_handshake);
	del_timer_sync(&peer->timer_send_keepalive);
	del_timer_sync(&peer->timer_new_handshake);
	del_timer_sync(&peer->timer_zero_key_material);
	del_timer_sync(&peer->timer_persistent_keepalive);
	if (cancel_work_sync(&peer->clear_peer_work))
		wg_peer_put(peer);
}
