/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry: one table per device answering the two questions an
 * incoming message asks, "which peer owns this static public key?"
 * (initiations, configuration) and "which handshake or session did we
 * hand out this receiver index for?" (responses, cookie replies, data).
 *
 * Layout: a fixed array of slots; every slot holds two chains.  A peer
 * is chained in slot[siphash(public key) % N].keyed; a handshake or
 * session is chained, through its struct wg_reg_entry, in
 * slot[index % N].indexed.  Receiver indices are random 32-bit values
 * chosen by the registry and unique in it, so their low bits serve as
 * the hash.
 *
 * Locking:
 *  - readers of either chain: rcu_read_lock_bh() (the lookups below take
 *    it themselves; callers may hold it too, to keep an entry alive).
 *  - writers of either chain: reg->lock, a BH-safe spinlock.  Indices are
 *    handed out from the handshake workqueues and dropped from timers and
 *    RCU-freed keypairs; peers are added and removed with the device's
 *    device_update_lock held as well (the registry does not rely on it).
 *  - what a chain links is freed only after an RCU grace period (peers
 *    and keypairs by call_rcu(); handshakes live in their peer).
 */
#ifndef _WG_PEERLOOKUP_H
#define _WG_PEERLOOKUP_H

#include "messages.h"

#include <linux/list.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>

struct wg_peer;

/* What a receiver index names; a lookup asks for a set of these. */
enum wg_reg_kind {
	WG_REG_HANDSHAKE = 0x1,	/* a handshake message of ours in flight */
	WG_REG_SESSION = 0x2,	/* a keypair derived from a handshake */
};

/* Embedded in struct noise_handshake and struct noise_keypair.  peer is
 * set once, before the entry is first registered; id and link belong to
 * the registry (reg->lock).  An entry that is not registered has an
 * unhashed link, so releasing it twice is harmless.
 */
struct wg_reg_entry {
	struct hlist_node link;
	__le32 id;
	enum wg_reg_kind kind;
	struct wg_peer *peer;
};

static inline void wg_reg_entry_init(struct wg_reg_entry *entry,
				     enum wg_reg_kind kind,
				     struct wg_peer *peer)
{
	INIT_HLIST_NODE(&entry->link);
	entry->kind = kind;
	entry->peer = peer;
}

#define WG_REG_SLOT_BITS 13

struct wg_reg_slot {
	struct hlist_head keyed;	/* struct wg_peer, by reg_link */
	struct hlist_head indexed;	/* struct wg_reg_entry, by link */
};

struct wg_registry {
	spinlock_t lock;		/* writers of every slot's chains */
	siphash_key_t key_salt;
	struct wg_reg_slot slots[1U << WG_REG_SLOT_BITS];
};

struct wg_registry *wg_registry_create(void);
void wg_registry_destroy(struct wg_registry *reg);
/* True when no handshake or session is registered (teardown check). */
bool wg_registry_no_indices(struct wg_registry *reg);

/* Peers, by static public key. */
void wg_registry_add_peer(struct wg_registry *reg, struct wg_peer *peer);
void wg_registry_drop_peer(struct wg_registry *reg, struct wg_peer *peer);
/* A new reference to the peer holding key, or NULL. */
struct wg_peer *wg_registry_peer_by_key(struct wg_registry *reg,
					const u8 key[NOISE_PUBLIC_KEY_LEN]);

/* Receiver indices.  wg_registry_assign() (re)registers entry under a
 * fresh index and returns it.  wg_registry_hand_over() moves from's index
 * over to the entry to (a handshake becoming a session); false if from
 * was released meanwhile.  wg_registry_release() unregisters entry, if
 * registered.
 */
__le32 wg_registry_assign(struct wg_registry *reg, struct wg_reg_entry *entry);
bool wg_registry_hand_over(struct wg_registry *reg, struct wg_reg_entry *from,
			   struct wg_reg_entry *to);
void wg_registry_release(struct wg_registry *reg, struct wg_reg_entry *entry);

/* The entry registered under id whose kind is in kinds, with a new
 * reference to its owner stored in *owner; NULL (and *owner untouched)
 * if there is none or its peer is already going away.  The entry itself
 * is only guaranteed to exist while the caller's RCU read section lasts.
 */
struct wg_reg_entry *wg_registry_find(struct wg_registry *reg, __le32 id,
				      unsigned int kinds,
				      struct wg_peer **owner);

#endif /* _WG_PEERLOOKUP_H */
