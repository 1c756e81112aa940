// SPDX-License-Identifier: GPL-2.0
/*
 * Token buckets for handshake messages, one per source (IPv4 address or
 * IPv6 /64) and network namespace, shared by every device.
 *
 * A bucket holds up to RL_BURST packets' worth of time: every packet costs
 * RL_COST nanoseconds, and elapsed time refills it.  Buckets idle for a
 * second are full again, so the collector drops them: a fresh bucket is
 * created full.  The number of buckets is capped from the machine's
 * memory; when the table is full, unknown sources are refused.
 */

#include "ratelimiter.h"
#include "messages.h"

#include <linux/hashtable.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

/* 20 handshakes a second per source, in bursts of up to 5 (as upstream). */
#define RL_PER_SECOND	20ULL
#define RL_BURST	5ULL
#define RL_COST		(NSEC_PER_SEC / RL_PER_SECOND)
#define RL_CAPACITY	(RL_COST * RL_BURST)
#define RL_IDLE		((s64)NSEC_PER_SEC)	/* full again: dropped */
#define RL_GC_INTERVAL	HZ

/* A bucket.  ip, family and net are immutable (the key); tokens and
 * last_time are protected by lock.  Entries are linked in the table under
 * table_lock and read under RCU, freed after a grace period.
 */
struct rl_entry {
	u64 ip;				/* IPv4 address, or IPv6 /64 */
	struct net *net;		/* no reference: only compared */
	u8 family;
	spinlock_t lock;		/* tokens and last_time */
	u64 last_time;			/* ns */
	u64 tokens;			/* ns of credit, at most RL_CAPACITY */
	struct hlist_node hash;
	struct rcu_head rcu;
};

/* Global state.  entry_cache lives from module load to unload, so that
 * adding a device never creates a slab cache (a failed creation leaves
 * the kernel's sysfs state behind and poisons the next attempt).
 * init_lock (mutex) protects users and the setup and teardown of
 * everything else below; while users > 0, table, table_size,
 * max_entries and key are immutable.  table_lock (BH-safe
 * spinlock) serialises changes to the buckets' chains; total_entries
 * counts entries (updated under table_lock).
 */
static DEFINE_MUTEX(init_lock);
static unsigned int users;
static struct hlist_head *table;
static unsigned int table_size;		/* power of 2 */
static unsigned int max_entries;
static atomic_t total_entries = ATOMIC_INIT(0);
static DEFINE_SPINLOCK(table_lock);
static siphash_key_t key;
static struct kmem_cache *entry_cache;
static struct delayed_work gc_work;

#ifdef WG_DEBUG
/* When not zero, the clock: the self-test makes time pass at will. */
static atomic64_t rl_fake_now = ATOMIC64_INIT(0);
#endif

static u64 rl_now(void)
{
#ifdef WG_DEBUG
	u64 fake = atomic64_read(&rl_fake_now);

	if (fake)
		return fake;
#endif
	return ktime_get_coarse_boottime_ns();
}

static void entry_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(entry_cache, container_of(rcu, struct rl_entry, rcu));
}

static void entry_unlink(struct rl_entry *entry)
{
	lockdep_assert_held(&table_lock);
	hlist_del_rcu(&entry->hash);
	atomic_dec(&total_entries);
	call_rcu(&entry->rcu, entry_free_rcu);
}

/* Drop idle buckets (all of them when everything is true). */
static void rl_collect(bool everything)
{
	u64 now = rl_now();
	struct rl_entry *entry;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = 0; i < table_size; ++i) {
		spin_lock_bh(&table_lock);
		hlist_for_each_entry_safe(entry, tmp, &table[i], hash) {
			if (everything ||
			    (s64)(now - READ_ONCE(entry->last_time)) > RL_IDLE)
				entry_unlink(entry);
		}
		spin_unlock_bh(&table_lock);
		if (!(i % 256))
			cond_resched();
	}
}

static void rl_gc(struct work_struct *work)
{
	rl_collect(false);
	queue_delayed_work(system_power_efficient_wq, &gc_work,
			   RL_GC_INTERVAL);
}

/* Whether the linear area holds len bytes at the network header.  The
 * receive path hands us skbs whose data already points past the UDP
 * header, so the network header usually lies before skb->data.
 */
static bool rl_network_header_ok(struct sk_buff *skb, unsigned int len)
{
	const u8 *nh = skb_network_header(skb);

	return nh >= skb->head && nh + len <= skb_tail_pointer(skb);
}

static bool rl_key(struct sk_buff *skb, u64 *ip, u8 *family)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		if (unlikely(!rl_network_header_ok(skb, sizeof(struct iphdr))))
			return false;
		*ip = (__force u32)ip_hdr(skb)->saddr;
		*family = AF_INET;
		return true;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		if (unlikely(!rl_network_header_ok(skb,
						   sizeof(struct ipv6hdr))))
			return false;
		/* The /64: the upper half of the source address. */
		memcpy(ip, &ipv6_hdr(skb)->saddr, sizeof(*ip));
		*family = AF_INET6;
		return true;
	}
	return false;
}

static struct hlist_head *rl_bucket(u64 ip, u8 family, struct net *net)
{
	u64 h = siphash_3u64(ip, family, (u64)(unsigned long)net, &key);

	return &table[h & (table_size - 1)];
}

bool wg_ratelimiter_allow(struct sk_buff *skb, struct net *net)
{
	struct rl_entry *entry, *found = NULL;
	struct hlist_head *bucket;
	bool allowed = false;
	u64 ip, now, tokens;
	u8 family;

	if (unlikely(!rl_key(skb, &ip, &family)))
		return false;
	bucket = rl_bucket(ip, family, net);

	rcu_read_lock();
	hlist_for_each_entry_rcu(entry, bucket, hash) {
		if (entry->ip == ip && entry->family == family &&
		    entry->net == net) {
			found = entry;
			break;
		}
	}
	if (found) {
		spin_lock_bh(&found->lock);
		now = rl_now();
		/* Time never runs backwards here, but do not trust it to. */
		if (likely((s64)(now - found->last_time) > 0)) {
			tokens = min_t(u64, RL_CAPACITY, found->tokens +
				       min_t(u64, RL_CAPACITY,
					     now - found->last_time));
			WRITE_ONCE(found->last_time, now);
		} else {
			tokens = found->tokens;
		}
		if (tokens >= RL_COST) {
			tokens -= RL_COST;
			allowed = true;
		}
		found->tokens = tokens;
		spin_unlock_bh(&found->lock);
		rcu_read_unlock();
		return allowed;
	}
	rcu_read_unlock();

	/* A new source: a full bucket, minus this packet. */
	if (atomic_inc_return(&total_entries) > max_entries)
		goto refuse;
	entry = kmem_cache_alloc(entry_cache, GFP_ATOMIC);
	if (unlikely(!entry))
		goto refuse;
	entry->ip = ip;
	entry->family = family;
	entry->net = net;
	spin_lock_init(&entry->lock);
	entry->last_time = rl_now();
	entry->tokens = RL_CAPACITY - RL_COST;

	/* Two packets of one new source may race here; then the source has
	 * two buckets for at most a second.  Harmless, and cheaper than
	 * searching again under the lock.
	 */
	spin_lock_bh(&table_lock);
	hlist_add_head_rcu(&entry->hash, bucket);
	spin_unlock_bh(&table_lock);
	return true;

refuse:
	atomic_dec(&total_entries);
	return false;
}

int wg_ratelimiter_init(void)
{
	unsigned long ram = totalram_pages() << PAGE_SHIFT;

	mutex_lock(&init_lock);
	if (users++) {
		mutex_unlock(&init_lock);
		return 0;
	}

	/* One bucket per 16 KiB of RAM, between 16 and 8192, and up to
	 * eight entries per bucket: 64k sources on a machine with 128 MiB
	 * or more, whose buckets take at most a few MiB.
	 */
	table_size = ram > (1UL << 27) ? 8192 :
		     max_t(unsigned long, 16,
			   rounddown_pow_of_two(ram >> 14));
	max_entries = table_size * 8;

	table = kvcalloc(table_size, sizeof(*table), GFP_KERNEL);
	if (!table)
		goto err;
	get_random_bytes(&key, sizeof(key));
	atomic_set(&total_entries, 0);
	INIT_DEFERRABLE_WORK(&gc_work, rl_gc);
	queue_delayed_work(system_power_efficient_wq, &gc_work,
			   RL_GC_INTERVAL);
	mutex_unlock(&init_lock);
	return 0;

err:
	--users;
	mutex_unlock(&init_lock);
	return -ENOMEM;
}

void wg_ratelimiter_uninit(void)
{
	mutex_lock(&init_lock);
	if (WARN_ON(!users) || --users) {
		mutex_unlock(&init_lock);
		return;
	}
	cancel_delayed_work_sync(&gc_work);
	rl_collect(true);
	rcu_barrier();		/* entry_free_rcu() callbacks */
	kvfree(table);
	table = NULL;
	memzero_explicit(&key, sizeof(key));
	mutex_unlock(&init_lock);
}

int __init wg_ratelimiter_slab_init(void)
{
	entry_cache = KMEM_CACHE(rl_entry, 0);
	return entry_cache ? 0 : -ENOMEM;
}

void wg_ratelimiter_slab_uninit(void)
{
	/* Every device is gone and rcu_barrier() has run: no entry left. */
	kmem_cache_destroy(entry_cache);
}

#ifdef WG_DEBUG
#include "selftest/ratelimiter.c"
#endif
