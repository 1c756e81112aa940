// SPDX-License-Identifier: GPL-2.0
/*
 * The timers of a peer, written as one state machine.
 *
 * Five timers, all in protocol time (wg_proto_jiffies()):
 *
 *   RETRANSMIT     REKEY_TIMEOUT + jitter: our initiation got no response.
 *   KEEPALIVE      KEEPALIVE_TIMEOUT: we received data and sent nothing.
 *   NEW_HANDSHAKE  KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter: we sent data
 *                  and heard nothing back.
 *   ZERO_KEYS      3 * REJECT_AFTER_TIME: no session derived since.
 *   PERSISTENT     persistent_keepalive_interval seconds (0: never armed):
 *                  no authenticated packet went either way.
 *
 * An event is either a report from the data path (the wg_timers_*()
 * functions of timers.h, each a single call into the machine) or the
 * expiry of one of the timers.  event_steps[] below is the whole behaviour:
 * for every event, the steps it takes, in order.  A step changes one timer
 *
 *   ARM     (re)start it from now, running or not
 *   START   start it from now unless it is already running
 *   CANCEL  stop it if it runs
 *   OWE     the send-keepalive-on-data rule: START it, and if it was
 *           already running, note that one more keepalive is owed after
 *           the one it will send (only while the device is up)
 *   REOWE   if that note is set, clear it and ARM the timer again
 *
 * or runs one action (DO): send something, reset the handshake counters,
 * drop what waits, or have the keys zeroed.
 *
 * Locking.  Events arrive from process and softirq context, expiries run
 * in softirq; none sleeps (zeroing the keys sleeps, so it is handed to
 * clear_peer_work).  Nothing is armed once the device is down or the peer
 * dead: arm() checks both under RCU, and wg_timers_stop(), which runs
 * after either change, deletes the timers synchronously afterwards.
 * timer_handshake_attempts and timer_need_another_keepalive are plain
 * fields: a racing event costs at most one retry or keepalive.
 */

#include "timers.h"
#include "device.h"
#include "peer.h"
#include "queueing.h"
#include "socket.h"

#include <linux/random.h>
#include <linux/stddef.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

enum peer_timer {
	TMR_RETRANSMIT,
	TMR_KEEPALIVE,
	TMR_NEW_HANDSHAKE,
	TMR_ZERO_KEYS,
	TMR_PERSISTENT,
	TMR_COUNT
};

enum timer_event {
	/* reported by the data path */
	TEV_INITIATION_SENT,
	TEV_AUTH_SENT,
	TEV_DATA_SENT,
	TEV_AUTH_RECEIVED,
	TEV_DATA_RECEIVED,
	TEV_HANDSHAKE_DONE,
	TEV_SESSION_DERIVED,
	TEV_AUTH_EITHER_WAY,
	/* raised when a timer expires */
	TEV_RETRY_DUE,		/* RETRANSMIT, attempts left */
	TEV_RETRIES_EXHAUSTED,	/* RETRANSMIT, none left */
	TEV_KEEPALIVE_DUE,	/* KEEPALIVE */
	TEV_PEER_SILENT,	/* NEW_HANDSHAKE */
	TEV_KEYS_STALE,		/* ZERO_KEYS */
	TEV_PERSISTENT_DUE,	/* PERSISTENT */
	TEV_COUNT
};

enum timer_action {
	ACT_HANDSHAKE_DONE,	/* reset the counters, note the time */
	ACT_RETRY,		/* one more initiation, counted */
	ACT_ABANDON,		/* drop the packets waiting for a session */
	ACT_KEEPALIVE,		/* send an empty packet */
	ACT_REINITIATE,		/* start over with a new initiation */
	ACT_ZERO_KEYS,		/* queue clear_peer_work */
	ACT_PERSISTENT,		/* keepalive, if still configured */
};

enum step_op { STEP_END, ARM, START, CANCEL, OWE, REOWE, DO };

struct timer_step {
	u8 op;		/* enum step_op; STEP_END ends the list */
	u8 arg;		/* enum peer_timer, or enum timer_action for DO */
};

#define STEPS_PER_EVENT 3

static const struct timer_step event_steps[TEV_COUNT][STEPS_PER_EVENT] = {
	[TEV_INITIATION_SENT]	= { { ARM, TMR_RETRANSMIT } },
	[TEV_AUTH_SENT]		= { { CANCEL, TMR_KEEPALIVE } },
	[TEV_DATA_SENT]		= { { START, TMR_NEW_HANDSHAKE } },
	[TEV_AUTH_RECEIVED]	= { { CANCEL, TMR_NEW_HANDSHAKE } },
	[TEV_DATA_RECEIVED]	= { { OWE, TMR_KEEPALIVE } },
	[TEV_HANDSHAKE_DONE]	= { { CANCEL, TMR_RETRANSMIT },
				    { DO, ACT_HANDSHAKE_DONE } },
	[TEV_SESSION_DERIVED]	= { { ARM, TMR_ZERO_KEYS } },
	[TEV_AUTH_EITHER_WAY]	= { { ARM, TMR_PERSISTENT } },

	[TEV_RETRY_DUE]		= { { DO, ACT_RETRY } },
	[TEV_RETRIES_EXHAUSTED]	= { { CANCEL, TMR_KEEPALIVE },
				    { DO, ACT_ABANDON },
				    { START, TMR_ZERO_KEYS } },
	[TEV_KEEPALIVE_DUE]	= { { DO, ACT_KEEPALIVE },
				    { REOWE, TMR_KEEPALIVE } },
	[TEV_PEER_SILENT]	= { { DO, ACT_REINITIATE } },
	[TEV_KEYS_STALE]	= { { DO, ACT_ZERO_KEYS } },
	[TEV_PERSISTENT_DUE]	= { { DO, ACT_PERSISTENT } },
};

static void timer_event(struct wg_peer *peer, enum timer_event ev);

/* The expiry handlers: each only names its event. */
static void retransmit_expired(struct timer_list *t)
{
	struct wg_peer *peer = container_of(t, struct wg_peer,
					    timer_retransmit_handshake);
	bool exhausted = peer->timer_handshake_attempts >
			 MAX_TIMER_HANDSHAKES;

	timer_event(peer, exhausted ? TEV_RETRIES_EXHAUSTED : TEV_RETRY_DUE);
}

static void keepalive_expired(struct timer_list *t)
{
	timer_event(container_of(t, struct wg_peer, timer_send_keepalive),
		    TEV_KEEPALIVE_DUE);
}

static void new_handshake_expired(struct timer_list *t)
{
	timer_event(container_of(t, struct wg_peer, timer_new_handshake),
		    TEV_PEER_SILENT);
}

static void zero_keys_expired(struct timer_list *t)
{
	timer_event(container_of(t, struct wg_peer, timer_zero_key_material),
		    TEV_KEYS_STALE);
}

static void persistent_expired(struct timer_list *t)
{
	timer_event(container_of(t, struct wg_peer,
				 timer_persistent_keepalive),
		    TEV_PERSISTENT_DUE);
}

/* Where each timer lives in struct wg_peer, and what its expiry runs. */
static const struct {
	size_t offset;
	void (*expired)(struct timer_list *t);
} peer_timers[TMR_COUNT] = {
	[TMR_RETRANSMIT] = { offsetof(struct wg_peer,
				      timer_retransmit_handshake),
			     retransmit_expired },
	[TMR_KEEPALIVE] = { offsetof(struct wg_peer, timer_send_keepalive),
			    keepalive_expired },
	[TMR_NEW_HANDSHAKE] = { offsetof(struct wg_peer, timer_new_handshake),
				new_handshake_expired },
	[TMR_ZERO_KEYS] = { offsetof(struct wg_peer, timer_zero_key_material),
			    zero_keys_expired },
	[TMR_PERSISTENT] = { offsetof(struct wg_peer,
				      timer_persistent_keepalive),
			     persistent_expired },
};

static struct timer_list *timer_of(struct wg_peer *peer, unsigned int id)
{
	return (struct timer_list *)((u8 *)peer + peer_timers[id].offset);
}

/* Up to a third of a second, scaled like the rest of protocol time. */
static unsigned long handshake_jitter(void)
{
	u32 span = REKEY_TIMEOUT_JITTER_MAX_JIFFIES / WG_TIME_DIVISOR;

	return get_random_u32_below(span + 1);
}

/* How far ahead a timer is set; 0: not at all. */
static unsigned long timer_delay(const struct wg_peer *peer, unsigned int id)
{
	u16 interval;

	switch (id) {
	case TMR_RETRANSMIT:
		return wg_proto_jiffies(REKEY_TIMEOUT) + handshake_jitter();
	case TMR_KEEPALIVE:
		return wg_proto_jiffies(KEEPALIVE_TIMEOUT);
	case TMR_NEW_HANDSHAKE:
		return wg_proto_jiffies(KEEPALIVE_TIMEOUT + REKEY_TIMEOUT) +
		       handshake_jitter();
	case TMR_ZERO_KEYS:
		return wg_proto_jiffies(3 * REJECT_AFTER_TIME);
	case TMR_PERSISTENT:
		interval = READ_ONCE(peer->persistent_keepalive_interval);
		return interval ? wg_proto_jiffies(interval) : 0;
	}
	return 0;
}

/* Start or restart a timer, unless the device is down or the peer dead. */
static void arm(struct wg_peer *peer, unsigned int id)
{
	unsigned long delay = timer_delay(peer, id), when = jiffies + delay;
	bool live;

	if (!delay)
		return;
	rcu_read_lock_bh();
	live = netif_running(peer->device->dev) && !READ_ONCE(peer->is_dead);
	if (likely(live))
		mod_timer(timer_of(peer, id), when);
	rcu_read_unlock_bh();
}

static void send_initiation(struct wg_peer *peer, bool is_retry)
{
	/* A stale source address may be why nothing came back. */
	wg_socket_clear_peer_endpoint_src(peer);
	wg_packet_send_queued_handshake_initiation(peer, is_retry);
}

static void queue_key_zeroing(struct wg_peer *peer)
{
	struct workqueue_struct *wq = peer->device->handshake_send_wq;

	rcu_read_lock_bh();
	/* The queued work owns a reference; once queued is enough. */
	if (likely(!READ_ONCE(peer->is_dead)) &&
	    !queue_work(wq, &wg_peer_get(peer)->clear_peer_work))
		wg_peer_put(peer);
	rcu_read_unlock_bh();
}

static void do_action(struct wg_peer *peer, enum timer_action act)
{
	const char *dev = peer->device->dev->name;

	switch (act) {
	case ACT_HANDSHAKE_DONE:
		peer->timer_handshake_attempts = 0;
		peer->sent_lastminute_handshake = false;
		ktime_get_real_ts64(&peer->walltime_last_handshake);
		break;
	case ACT_RETRY:
		++peer->timer_handshake_attempts;
		pr_debug("%s: Handshake for peer %llu did not complete after %d seconds, retrying (try %d)\n",
			 dev, peer->internal_id, REKEY_TIMEOUT,
			 peer->timer_handshake_attempts + 1);
		send_initiation(peer, true);
		break;
	case ACT_ABANDON:
		pr_debug("%s: Handshake for peer %llu did not complete after %d attempts, giving up\n",
			 dev, peer->internal_id, MAX_TIMER_HANDSHAKES + 2);
		/* No session is coming to send these with. */
		wg_packet_purge_staged_packets(peer);
		break;
	case ACT_KEEPALIVE:
		wg_packet_send_keepalive(peer);
		break;
	case ACT_REINITIATE:
		pr_debug("%s: Retrying handshake with peer %llu because we stopped hearing back after %d seconds\n",
			 dev, peer->internal_id,
			 KEEPALIVE_TIMEOUT + REKEY_TIMEOUT);
		send_initiation(peer, false);
		break;
	case ACT_ZERO_KEYS:
		queue_key_zeroing(peer);
		break;
	case ACT_PERSISTENT:
		if (likely(READ_ONCE(peer->persistent_keepalive_interval)))
			wg_packet_send_keepalive(peer);
		break;
	}
}

static void do_step(struct wg_peer *peer, const struct timer_step *step)
{
	struct timer_list *timer = timer_of(peer, step->arg);

	switch (step->op) {
	case ARM:
		arm(peer, step->arg);
		break;
	case START:
		if (!timer_pending(timer))
			arm(peer, step->arg);
		break;
	case CANCEL:
		if (timer_pending(timer))
			del_timer(timer);
		break;
	case OWE:
		if (unlikely(!netif_running(peer->device->dev)))
			break;
		if (timer_pending(timer))
			peer->timer_need_another_keepalive = true;
		else
			arm(peer, step->arg);
		break;
	case REOWE:
		if (peer->timer_need_another_keepalive) {
			peer->timer_need_another_keepalive = false;
			arm(peer, step->arg);
		}
		break;
	}
}

static void timer_event(struct wg_peer *peer, enum timer_event ev)
{
	const struct timer_step *step = event_steps[ev];
	const struct timer_step *end = step + STEPS_PER_EVENT;

	for (; step < end && step->op != STEP_END; ++step) {
		if (step->op == DO)
			do_action(peer, step->arg);
		else
			do_step(peer, step);
	}
}

/* Process context, for ACT_ZERO_KEYS: wiping the handshake sleeps. */
static void clear_peer_keys(struct work_struct *work)
{
	struct wg_peer *peer = container_of(work, struct wg_peer,
					    clear_peer_work);

	pr_debug("%s: Zeroing out all keys for peer %llu, since we haven't received a new one in %d seconds\n",
		 peer->device->dev->name, peer->internal_id,
		 3 * REJECT_AFTER_TIME);
	wg_noise_handshake_clear(&peer->handshake);
	wg_noise_keypairs_clear(&peer->keypairs);
	wg_events_keys_zeroed(peer);
	wg_peer_put(peer);	/* taken by queue_key_zeroing() */
}

/* The interface of timers.h: one event each. */

void wg_timers_handshake_initiated(struct wg_peer *peer)
{
	timer_event(peer, TEV_INITIATION_SENT);
}

void wg_timers_any_authenticated_packet_sent(struct wg_peer *peer)
{
	timer_event(peer, TEV_AUTH_SENT);
}

void wg_timers_data_sent(struct wg_peer *peer)
{
	timer_event(peer, TEV_DATA_SENT);
}

void wg_timers_any_authenticated_packet_received(struct wg_peer *peer)
{
	timer_event(peer, TEV_AUTH_RECEIVED);
}

void wg_timers_data_received(struct wg_peer *peer)
{
	timer_event(peer, TEV_DATA_RECEIVED);
}

void wg_timers_handshake_complete(struct wg_peer *peer)
{
	timer_event(peer, TEV_HANDSHAKE_DONE);
}

void wg_timers_session_derived(struct wg_peer *peer)
{
	timer_event(peer, TEV_SESSION_DERIVED);
}

void wg_timers_any_authenticated_packet_traversal(struct wg_peer *peer)
{
	timer_event(peer, TEV_AUTH_EITHER_WAY);
}

void wg_timers_init(struct wg_peer *peer)
{
	unsigned int id;

	for (id = 0; id < TMR_COUNT; ++id)
		timer_setup(timer_of(peer, id), peer_timers[id].expired, 0);
	INIT_WORK(&peer->clear_peer_work, clear_peer_keys);
	peer->timer_handshake_attempts = 0;
	peer->timer_need_another_keepalive = false;
	peer->sent_lastminute_handshake = false;
}

void wg_timers_stop(struct wg_peer *peer)
{
	unsigned int id;

	/* The timers first: once they are gone (and, the peer being dead or
	 * the device down, cannot be armed again) nothing queues the work.
	 */
	for (id = 0; id < TMR_COUNT; ++id)
		del_timer_sync(timer_of(peer, id));
	if (cancel_work_sync(&peer->clear_peer_work))
		wg_peer_put(peer);	/* the reference the work held */
}
