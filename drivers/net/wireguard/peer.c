// SPDX-License-Identifier: GPL-2.0
/*
 * Peer lifetime: creation, removal (single, batched, all) and release.
 */

#include "peer.h"
#include "device.h"
#include "queueing.h"
#include "timers.h"
#include "peerlookup.h"
#include "noise.h"
#include "socket.h"
#include "debug.h"

#include <linux/kref.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/list.h>
#include <linux/slab.h>

static struct kmem_cache *peer_cache;

/* The slab every peer comes from: created at module load, empty at unload. */
int __init wg_peer_init(void)
{
	peer_cache = KMEM_CACHE(wg_peer, 0);
	if (!peer_cache)
		return -ENOMEM;
	return 0;
}

void wg_peer_uninit(void)
{
	kmem_cache_destroy(peer_cache);
}

static atomic64_t peer_counter = ATOMIC64_INIT(0);

/* Creating a peer is split in two so that a configuration request can
 * allocate all its peers before it changes anything: wg_peer_alloc() may
 * fail and touches no device; wg_peer_publish() cannot fail.  A peer
 * allocated but not published is released with wg_peer_free_unpublished().
 */
struct wg_peer *wg_peer_alloc(void)
{
	struct wg_peer *peer;

	peer = kmem_cache_zalloc(peer_cache, GFP_KERNEL);
	if (unlikely(!peer))
		return NULL;
	if (dst_cache_init(&peer->endpoint_cache, GFP_KERNEL)) {
		kmem_cache_free(peer_cache, peer);
		return NULL;
	}
	INIT_LIST_HEAD(&peer->peer_list);
	return peer;
}

void wg_peer_free_unpublished(struct wg_peer *peer)
{
	dst_cache_destroy(&peer->endpoint_cache);
	memzero_explicit(peer, sizeof(*peer));
	kmem_cache_free(peer_cache, peer);
}

/* Everything of a new peer that needs no device lock and cannot fail. */
static void peer_init(struct wg_device *wg, struct wg_peer *peer,
		      const u8 public_key[NOISE_PUBLIC_KEY_LEN],
		      const u8 preshared_key[NOISE_SYMMETRIC_KEY_LEN])
{
	peer->device = wg;
	wg_noise_handshake_init(&peer->handshake, &wg->static_identity,
				public_key, preshared_key, peer);
	wg_noise_keypairs_init(&peer->keypairs);
	wg_cookie_init(&peer->latest_cookie);
	wg_timers_init(peer);
	wg_events_peer_init(peer);
	wg_cookie_checker_precompute_peer_keys(peer);
	peer->internal_id = atomic64_inc_return(&peer_counter);
	rwlock_init(&peer->endpoint_lock);
	skb_queue_head_init(&peer->staged_packet_queue);
	wg_noise_reset_last_sent_handshake(&peer->last_sent_handshake);
	wg_noise_reset_last_sent_handshake(&peer->last_cookie_retry);
	wg_peer_queue_init(&peer->tx_queue);
	wg_peer_queue_init(&peer->rx_queue);
	INIT_WORK(&peer->transmit_handshake_work,
		  wg_packet_handshake_send_worker);
	INIT_LIST_HEAD(&peer->allowedips_list);
	kref_init(&peer->refcount);
}

/* device_update_lock held; the caller made sure the device has room
 * (MAX_PEERS_PER_DEVICE).  The device's list holds the one reference.
 */
void wg_peer_publish(struct wg_device *wg, struct wg_peer *peer,
		     const u8 public_key[NOISE_PUBLIC_KEY_LEN],
		     const u8 preshared_key[NOISE_SYMMETRIC_KEY_LEN])
{
	lockdep_assert_held(&wg->device_update_lock);
	WARN_ON_ONCE(wg->num_peers >= MAX_PEERS_PER_DEVICE);

	peer_init(wg, peer, public_key, preshared_key);
	netif_napi_add(wg->dev, &peer->napi, wg_packet_rx_poll);
	napi_enable(&peer->napi);

	list_add_tail(&peer->peer_list, &wg->peer_list);
	wg_registry_add_peer(wg->registry, peer);
	++wg->num_peers;
	pr_debug("%s: Peer %llu created\n", wg->dev->name, peer->internal_id);
}

struct wg_peer *wg_peer_get_maybe_zero(struct wg_peer *peer)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_bh_held(),
			 "taking a peer reference outside RCU");
	if (unlikely(!peer || !kref_get_unless_zero(&peer->refcount)))
		return NULL;
	return peer;
}

/* Step 1 of removal, under device_update_lock: unreachable from every
 * lookup (allowedips, pubkey table, peer list) and marked dead so that
 * no timer, session or queued packet is added any more.
 */
static void peer_make_dead(struct wg_peer *peer)
{
	struct wg_device *wg = peer->device;

	lockdep_assert_held(&wg->device_update_lock);
	wg_events_peer_removed(peer);
	wg_allowedips_remove_by_peer(&wg->peer_allowedips, peer,
				     &wg->device_update_lock);
	wg_registry_drop_peer(wg->registry, peer);
	list_del_init(&peer->peer_list);
	--wg->num_peers;
	WRITE_ONCE(peer->is_dead, true);
	wg_peer_queue_close(&peer->tx_queue);
	wg_peer_queue_close(&peer->rx_queue);
	++wg->device_update_gen;
}

/* Step 2, after an RCU grace period (no reader can start using the peer
 * any more): stop what creates work on its behalf.  Sessions go first, so
 * their indices stop matching packets.
 */
static void peer_quiesce(struct wg_peer *peer)
{
	WARN_ON(!peer->is_dead);
	wg_noise_keypairs_clear(&peer->keypairs);
	wg_timers_stop(peer);
}

/* Step 3, once the crypt workers have been flushed after step 2 (packets
 * of the peer still in a crypt ring are finished by then: transmit ones
 * sent, receive ones parked in rx_queue for a NAPI that will not run
 * again): release what is left and drop the list's reference.
 *
 * __netif_napi_del() without its synchronize_net(): readers of the NAPI
 * lists are RCU readers, and the peer (holding the napi_struct) is only
 * freed by call_rcu() after its last reference is gone.  That saves a
 * grace period per peer when thousands are removed at once.
 */
static void peer_finish(struct wg_peer *peer)
{
	napi_disable(&peer->napi);
	__netif_napi_del(&peer->napi);
	wg_packet_purge_tx(peer);
	wg_packet_purge_rx(peer);

	if (cancel_work_sync(&peer->transmit_handshake_work))
		wg_peer_put(peer);
	wg_packet_purge_staged_packets(peer);
	wg_noise_handshake_clear(&peer->handshake);
	/* A zeroing timer or work may have re-run meanwhile: stop again. */
	wg_timers_stop(peer);
	wg_noise_keypairs_clear(&peer->keypairs);

	wg_peer_put(peer);
}

void wg_peer_remove_list(struct wg_device *wg, struct list_head *list)
{
	struct wg_peer *peer, *tmp;
	LIST_HEAD(dead);

	lockdep_assert_held(&wg->device_update_lock);
	list_for_each_entry_safe(peer, tmp, list, peer_list) {
		peer_make_dead(peer);
		list_add_tail(&peer->peer_list, &dead);
	}
	if (list_empty(&dead))
		return;
	/* One grace period and one flush for the whole batch. */
	synchronize_net();
	list_for_each_entry(peer, &dead, peer_list)
		peer_quiesce(peer);
	flush_workqueue(wg->packet_crypt_wq);
	list_for_each_entry_safe(peer, tmp, &dead, peer_list) {
		list_del_init(&peer->peer_list);
		peer_finish(peer);
	}
}

/* One peer is a batch of one: the same three steps, one grace period. */
void wg_peer_remove(struct wg_peer *peer)
{
	LIST_HEAD(one);

	if (unlikely(!peer))
		return;
	list_move_tail(&peer->peer_list, &one);
	wg_peer_remove_list(peer->device, &one);
}

void wg_peer_remove_all(struct wg_device *wg)
{
	LIST_HEAD(all);

	lockdep_assert_held(&wg->device_update_lock);
	list_splice_init(&wg->peer_list, &all);
	wg_peer_remove_list(wg, &all);
}

/* Step 4, the last reference gone (the list's, dropped by peer_finish(), or
 * a packet's or work item's after it): free after readers of the peer that
 * started before are done.
 */
static void peer_free_rcu(struct rcu_head *rcu)
{
	struct wg_peer *peer = container_of(rcu, struct wg_peer, rcu);

	/* Nothing may be staged by now; should it be, it is not leaked. */
	wg_debug_check_peer_freed(&peer->staged_packet_queue);
	__skb_queue_purge(&peer->staged_packet_queue);
	dst_cache_destroy(&peer->endpoint_cache);
	/* Keys and cookies are secrets: wipe the whole object. */
	memzero_explicit(peer, sizeof(*peer));
	kmem_cache_free(peer_cache, peer);
}

static void peer_release(struct kref *refcount)
{
	struct wg_peer *peer = container_of(refcount, struct wg_peer, refcount);

	pr_debug("%s: Peer %llu destroyed\n", peer->device->dev->name,
		 peer->internal_id);
	call_rcu(&peer->rcu, peer_free_rcu);
}

/* NULL-tolerant, like kfree(): callers hold a reference or nothing. */
void wg_peer_put(struct wg_peer *peer)
{
	if (peer)
		kref_put(&peer->refcount, peer_release);
}
