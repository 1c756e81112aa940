// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of a device (layout and locking: peerlookup.h).
 */

#include "peerlookup.h"
#include "peer.h"
#include "noise.h"

#include <linux/random.h>
#include <linux/slab.h>

#define WG_REG_SLOT_MASK ((1U << WG_REG_SLOT_BITS) - 1)

static struct wg_reg_slot *slot_of_key(struct wg_registry *reg,
				       const u8 key[NOISE_PUBLIC_KEY_LEN])
{
	u32 h = (u32)siphash(key, NOISE_PUBLIC_KEY_LEN, &reg->key_salt);

	return &reg->slots[h & WG_REG_SLOT_MASK];
}

static struct wg_reg_slot *slot_of_id(struct wg_registry *reg, __le32 id)
{
	return &reg->slots[le32_to_cpu(id) & WG_REG_SLOT_MASK];
}

struct wg_registry *wg_registry_create(void)
{
	struct wg_registry *reg;
	unsigned int n;

	reg = kvmalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg)
		return NULL;
	spin_lock_init(&reg->lock);
	get_random_bytes(&reg->key_salt, sizeof(reg->key_salt));
	for (n = 0; n <= WG_REG_SLOT_MASK; n++) {
		INIT_HLIST_HEAD(&reg->slots[n].keyed);
		INIT_HLIST_HEAD(&reg->slots[n].indexed);
	}
	return reg;
}

void wg_registry_destroy(struct wg_registry *reg)
{
	kvfree(reg);
}

bool wg_registry_no_indices(struct wg_registry *reg)
{
	unsigned int n;

	for (n = 0; n <= WG_REG_SLOT_MASK; n++)
		if (!hlist_empty(&reg->slots[n].indexed))
			return false;
	return true;
}

void wg_registry_add_peer(struct wg_registry *reg, struct wg_peer *peer)
{
	struct wg_reg_slot *slot =
		slot_of_key(reg, peer->handshake.remote_static);

	spin_lock_bh(&reg->lock);
	hlist_add_head_rcu(&peer->reg_link, &slot->keyed);
	spin_unlock_bh(&reg->lock);
}

void wg_registry_drop_peer(struct wg_registry *reg, struct wg_peer *peer)
{
	spin_lock_bh(&reg->lock);
	hlist_del_init_rcu(&peer->reg_link);
	spin_unlock_bh(&reg->lock);
}

struct wg_peer *wg_registry_peer_by_key(struct wg_registry *reg,
					const u8 key[NOISE_PUBLIC_KEY_LEN])
{
	struct wg_reg_slot *slot = slot_of_key(reg, key);
	struct wg_peer *cand, *hit = NULL;

	rcu_read_lock_bh();
	hlist_for_each_entry_rcu(cand, &slot->keyed, reg_link) {
		if (memcmp(cand->handshake.remote_static, key,
			   NOISE_PUBLIC_KEY_LEN))
			continue;
		/* NULL if the peer's last reference is already gone. */
		hit = wg_peer_get_maybe_zero(cand);
		break;
	}
	rcu_read_unlock_bh();
	return hit;
}

/* reg->lock held. */
static bool id_taken(struct wg_registry *reg, __le32 id)
{
	struct wg_reg_entry *e;

	hlist_for_each_entry(e, &slot_of_id(reg, id)->indexed, link)
		if (e->id == id)
			return true;
	return false;
}

__le32 wg_registry_assign(struct wg_registry *reg, struct wg_reg_entry *entry)
{
	__le32 id;

	spin_lock_bh(&reg->lock);
	/* Readers may still walk past the old position; that is fine. */
	hlist_del_init_rcu(&entry->link);
	for (;;) {
		id = cpu_to_le32(get_random_u32());
		if (!id_taken(reg, id))
			break;
	}
	entry->id = id;
	hlist_add_head_rcu(&entry->link, &slot_of_id(reg, id)->indexed);
	spin_unlock_bh(&reg->lock);
	return id;
}

bool wg_registry_hand_over(struct wg_registry *reg, struct wg_reg_entry *from,
			   struct wg_reg_entry *to)
{
	bool moved;

	spin_lock_bh(&reg->lock);
	moved = !hlist_unhashed(&from->link);
	if (moved) {
		to->id = from->id;
		hlist_replace_rcu(&from->link, &to->link);
		/* from is out: a later release of it must find nothing. */
		INIT_HLIST_NODE(&from->link);
	}
	spin_unlock_bh(&reg->lock);
	return moved;
}

void wg_registry_release(struct wg_registry *reg, struct wg_reg_entry *entry)
{
	spin_lock_bh(&reg->lock);
	hlist_del_init_rcu(&entry->link);
	spin_unlock_bh(&reg->lock);
}

struct wg_reg_entry *wg_registry_find(struct wg_registry *reg, __le32 id,
				      unsigned int kinds,
				      struct wg_peer **owner)
{
	struct wg_reg_entry *e, *hit = NULL;
	struct wg_peer *peer = NULL;

	rcu_read_lock_bh();
	hlist_for_each_entry_rcu(e, &slot_of_id(reg, id)->indexed, link) {
		if (e->id != id || !(e->kind & kinds))
			continue;
		peer = wg_peer_get_maybe_zero(e->peer);
		if (peer)
			hit = e;
		break;
	}
	rcu_read_unlock_bh();
	if (hit)
		*owner = peer;
	return hit;
}
