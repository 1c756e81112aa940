// SPDX-License-Identifier: GPL-2.0
/*
 * Peer lookup tables: by static public key (configuration, handshake
 * initiations) and by receiver index (responses, cookies, data).
 */

#include "peerlookup.h"
#include "peer.h"
#include "noise.h"

#include <linux/random.h>
#include <linux/slab.h>

static struct hlist_head *pubkey_bucket(struct pubkey_hashtable *table,
					const u8 pubkey[NOISE_PUBLIC_KEY_LEN])
{
	u64 hash = siphash(pubkey, NOISE_PUBLIC_KEY_LEN, &table->key);

	return &table->hashtable[hash & (HASH_SIZE(table->hashtable) - 1)];
}

struct pubkey_hashtable *wg_pubkey_hashtable_alloc(void)
{
	struct pubkey_hashtable *table = kvmalloc(sizeof(*table), GFP_KERNEL);

	if (!table)
		return NULL;
	get_random_bytes(&table->key, sizeof(table->key));
	hash_init(table->hashtable);
	mutex_init(&table->lock);
	return table;
}

void wg_pubkey_hashtable_add(struct pubkey_hashtable *table,
			     struct wg_peer *peer)
{
	mutex_lock(&table->lock);
	hlist_add_head_rcu(&peer->pubkey_hash,
			   pubkey_bucket(table, peer->handshake.remote_static));
	mutex_unlock(&table->lock);
}

void wg_pubkey_hashtable_remove(struct pubkey_hashtable *table,
				struct wg_peer *peer)
{
	mutex_lock(&table->lock);
	hlist_del_init_rcu(&peer->pubkey_hash);
	mutex_unlock(&table->lock);
}

struct wg_peer *
wg_pubkey_hashtable_lookup(struct pubkey_hashtable *table,
			   const u8 pubkey[NOISE_PUBLIC_KEY_LEN])
{
	struct wg_peer *iter, *found = NULL;

	rcu_read_lock_bh();
	hlist_for_each_entry_rcu(iter, pubkey_bucket(table, pubkey),
				    pubkey_hash) {
		if (!memcmp(pubkey, iter->handshake.remote_static,
			    NOISE_PUBLIC_KEY_LEN)) {
			found = wg_peer_get_maybe_zero(iter);
			break;
		}
	}
	rcu_read_unlock_bh();
	return found;
}

static struct hlist_head *index_bucket(struct index_hashtable *table,
				       const __le32 index)
{
	/* Indices are uniformly random: their low bits are a fine hash. */
	return &table->hashtable[(__force u32)index &
				 (HASH_SIZE(table->hashtable) - 1)];
}

struct index_hashtable *wg_index_hashtable_alloc(void)
{
	struct index_hashtable *table = kvmalloc(sizeof(*table), GFP_KERNEL);

	if (!table)
		return NULL;
	hash_init(table->hashtable);
	spin_lock_init(&table->lock);
	return table;
}

static bool index_in_use(struct index_hashtable *table, __le32 index)
{
	struct index_hashtable_entry *iter;

	hlist_for_each_entry(iter, index_bucket(table, index), index_hash) {
		if (iter->index == index)
			return true;
	}
	return false;
}

/*
 * Give entry a fresh random index, unique in the table, and publish it.
 * An entry already in the table is first removed (a new handshake
 * replaces the previous one's index).
 */
__le32 wg_index_hashtable_insert(struct index_hashtable *table,
				 struct index_hashtable_entry *entry)
{
	__le32 index;

	spin_lock_bh(&table->lock);
	hlist_del_init_rcu(&entry->index_hash);
	do {
		index = (__force __le32)get_random_u32();
	} while (index_in_use(table, index));
	entry->index = index;
	hlist_add_head_rcu(&entry->index_hash, index_bucket(table, index));
	spin_unlock_bh(&table->lock);
	return index;
}

/*
 * Hand old's index over to new (a handshake becoming a session).  False
 * when old is no longer in the table.
 */
bool wg_index_hashtable_replace(struct index_hashtable *table,
				struct index_hashtable_entry *old,
				struct index_hashtable_entry *new)
{
	bool ret = false;

	spin_lock_bh(&table->lock);
	if (!hlist_unhashed(&old->index_hash)) {
		new->index = old->index;
		hlist_replace_rcu(&old->index_hash, &new->index_hash);
		/* Make a later removal of old a no-op. */
		INIT_HLIST_NODE(&old->index_hash);
		ret = true;
	}
	spin_unlock_bh(&table->lock);
	return ret;
}

void wg_index_hashtable_remove(struct index_hashtable *table,
			       struct index_hashtable_entry *entry)
{
	spin_lock_bh(&table->lock);
	hlist_del_init_rcu(&entry->index_hash);
	spin_unlock_bh(&table->lock);
}

struct index_hashtable_entry *
wg_index_hashtable_lookup(struct index_hashtable *table,
			  const enum index_hashtable_type type_mask,
			  const __le32 index, struct wg_peer **peer)
{
	struct index_hashtable_entry *iter, *found = NULL;

	rcu_read_lock_bh();
	hlist_for_each_entry_rcu(iter, index_bucket(table, index),
				    index_hash) {
		if (iter->index == index && (iter->type & type_mask)) {
			found = iter;
			break;
		}
	}
	if (found) {
		*peer = wg_peer_get_maybe_zero(found->peer);
		if (!*peer)
			found = NULL;
	}
	rcu_read_unlock_bh();
	return found;
}
