// SPDX-License-Identifier: GPL-2.0
/*
 * The crypt rings, their per-CPU workers, and the per-peer ordered queues.
 */

#include "queueing.h"
#include "device.h"

#include <linux/cpumask.h>
#include <linux/percpu.h>

int wg_crypt_queue_init(struct wg_crypt_queue *queue, work_func_t function,
			struct wg_device *wg, unsigned int len)
{
	int cpu, ret;

	memset(queue, 0, sizeof(*queue));
	ret = ptr_ring_init(&queue->ring, len, GFP_KERNEL);
	if (ret)
		return ret;
	queue->worker = alloc_percpu(struct wg_crypt_worker);
	if (!queue->worker) {
		ptr_ring_cleanup(&queue->ring, NULL);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		per_cpu_ptr(queue->worker, cpu)->wg = wg;
		INIT_WORK(&per_cpu_ptr(queue->worker, cpu)->work, function);
	}
	queue->last_cpu = -1;
	return 0;
}

static void free_skb_entry(void *ptr)
{
	kfree_skb(ptr);
}

/* The workers are stopped (their workqueue destroyed) before this.  purge:
 * entries are plain skbs that may be left over (handshake messages);
 * otherwise the ring must be empty.
 */
void wg_crypt_queue_free(struct wg_crypt_queue *queue, bool purge)
{
	if (!queue->worker)
		return;
	free_percpu(queue->worker);
	queue->worker = NULL;
	if (!purge)
		WARN_ON(!__ptr_ring_empty(&queue->ring));
	ptr_ring_cleanup(&queue->ring, purge ? free_skb_entry : NULL);
}

int wg_crypt_queue_next_cpu(struct wg_crypt_queue *queue)
{
	int cpu = cpumask_next(READ_ONCE(queue->last_cpu), cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	WRITE_ONCE(queue->last_cpu, cpu);
	return cpu;
}

void wg_crypt_queue_kick(struct wg_crypt_queue *queue,
			 struct workqueue_struct *wq)
{
	int cpu = wg_crypt_queue_next_cpu(queue);

	queue_work_on(cpu, wq, &per_cpu_ptr(queue->worker, cpu)->work);
}

void wg_peer_queue_init(struct wg_peer_queue *queue)
{
	spin_lock_init(&queue->lock);
	queue->head = NULL;
	queue->tail = NULL;
	queue->len = 0;
	queue->dead = false;
}

bool wg_peer_queue_add(struct wg_peer_queue *queue, struct sk_buff *first,
		       unsigned int count)
{
	bool ret = false;

	PACKET_CB(first)->batch_next = NULL;
	PACKET_CB(first)->batch_len = count;
	spin_lock_bh(&queue->lock);
	if (likely(!queue->dead && queue->len + count <= MAX_QUEUED_PACKETS)) {
		if (queue->tail)
			PACKET_CB(queue->tail)->batch_next = first;
		else
			queue->head = first;
		queue->tail = first;
		queue->len += count;
		ret = true;
	}
	spin_unlock_bh(&queue->lock);
	return ret;
}

static bool head_ready(struct sk_buff *head)
{
	return head && atomic_read_acquire(&PACKET_CB(head)->state) !=
			       PACKET_STATE_UNCRYPTED;
}

struct sk_buff *wg_peer_queue_take_ready(struct wg_peer_queue *queue)
{
	struct sk_buff *first = NULL;

	spin_lock_bh(&queue->lock);
	if (head_ready(queue->head)) {
		first = queue->head;
		queue->head = PACKET_CB(first)->batch_next;
		if (!queue->head)
			queue->tail = NULL;
		queue->len -= PACKET_CB(first)->batch_len;
	}
	spin_unlock_bh(&queue->lock);
	return first;
}

bool wg_peer_queue_head_ready(struct wg_peer_queue *queue)
{
	return head_ready(READ_ONCE(queue->head));
}

void wg_peer_queue_close(struct wg_peer_queue *queue)
{
	spin_lock_bh(&queue->lock);
	queue->dead = true;
	spin_unlock_bh(&queue->lock);
}

struct sk_buff *wg_peer_queue_kill(struct wg_peer_queue *queue)
{
	struct sk_buff *list;

	spin_lock_bh(&queue->lock);
	queue->dead = true;
	list = queue->head;
	queue->head = NULL;
	queue->tail = NULL;
	queue->len = 0;
	spin_unlock_bh(&queue->lock);
	return list;
}

int wg_queue_enqueue_per_device_and_peer(struct wg_crypt_queue *device_queue,
					 struct wg_peer_queue *peer_queue,
					 struct sk_buff *first,
					 unsigned int count,
					 struct workqueue_struct *wq)
{
	atomic_set(&PACKET_CB(first)->state, PACKET_STATE_UNCRYPTED);
	if (unlikely(!wg_peer_queue_add(peer_queue, first, count)))
		return -EPIPE;
	/* From here the serial stage owns first once its state changes, so
	 * it must not be touched after being handed to the ring either.
	 */
	if (unlikely(ptr_ring_produce_bh(&device_queue->ring, first))) {
		atomic_set_release(&PACKET_CB(first)->state, PACKET_STATE_DEAD);
		return -ENOSPC;
	}
	wg_crypt_queue_kick(device_queue, wq);
	return 0;
}
