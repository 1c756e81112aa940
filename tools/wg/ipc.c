// SPDX-License-Identifier: GPL-2.0
/*
 * ipc.h's calls: each goes to a userspace implementation when one has a
 * UAPI socket for the device (ipc-uapi.c), else to the kernel over Generic
 * Netlink (ipc-netlink.c, ipc-netlink-set.c).  Also the helpers those
 * share (name lists, errno convention) and the check that an
 * implementation understands removing single allowed IPs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "ipc-backend.h"

int wg_ipc_fail(int err)
{
	errno = err < 0 ? -err : err;
	return err < 0 ? err : -err;
}

int wg_namelist_add(struct wg_namelist *l, const char *name)
{
	size_t n = strlen(name) + 1;

	if (n == 1)
		return 0;
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->cap ? l->cap * 2 : 64) + n;
		char *b = realloc(l->buf, cap);

		if (!b)
			return -ENOMEM;
		l->buf = b;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, name, n);
	l->len += n;
	l->buf[l->len] = '\0';
	return 0;
}

char *wg_ipc_list(void)
{
	struct wg_namelist l = { 0 };
	int ret = wg_netlink_list(&l);

	if (!ret)
		ret = wg_uapi_list(&l);
	if (ret) {
		free(l.buf);
		errno = -ret;
		return NULL;
	}
	if (!l.buf)
		l.buf = calloc(1, 2);
	return l.buf;
}

int wg_ipc_get(struct wg_dev **out, const char *name)
{
	if (wg_uapi_exists(name))
		return wg_uapi_get(out, name);
	return wg_netlink_get(out, name);
}

int wg_ipc_set(struct wg_dev *dev)
{
	if (wg_uapi_exists(dev->name))
		return wg_uapi_set(dev);
	return wg_netlink_set(dev);
}

static bool peer_owns(const struct wg_peer *p, const struct wg_aip *a)
{
	for (size_t i = 0; i < p->naips; ++i)
		if (p->aips[i].family == a->family && p->aips[i].cidr == a->cidr &&
		    !memcmp(&p->aips[i].addr, &a->addr, a->family == AF_INET ? 4 : 16))
			return true;
	return false;
}

int wg_ipc_check_aip_removal(struct wg_dev *req)
{
	struct wg_dev *cur = NULL, *probe;
	struct wg_peer *pp;
	struct wg_aip *pa;
	bool wanted = false;
	int ret;

	for (size_t i = 0; i < req->npeers && !wanted; ++i)
		for (size_t j = 0; j < req->peers[i].naips; ++j)
			if (req->peers[i].aips[j].flags & AIP_REMOVE)
				wanted = true;
	if (!wanted)
		return 0;
	ret = wg_ipc_get(&cur, req->name);
	if (ret)
		return ret;
	if (!cur->npeers) {
		/* Nothing can own an address yet: removals are no-ops. */
		wg_dev_free(cur);
		for (size_t i = 0; i < req->npeers; ++i) {
			struct wg_peer *p = &req->peers[i];
			size_t o = 0;

			for (size_t j = 0; j < p->naips; ++j)
				if (!(p->aips[j].flags & AIP_REMOVE))
					p->aips[o++] = p->aips[j];
			p->naips = o;
		}
		return 0;
	}
	/* Ask to remove, from an existing peer, a prefix it does not own:
	 * a no-op where removal is understood, an error where it is not. */
	probe = wg_dev_new();
	if (!probe) {
		wg_dev_free(cur);
		return wg_ipc_fail(-ENOMEM);
	}
	memcpy(probe->name, req->name, sizeof(probe->name));
	pp = wg_dev_add_peer(probe);
	pa = pp ? wg_peer_add_aip(pp) : NULL;
	if (!pa) {
		wg_dev_free(probe);
		wg_dev_free(cur);
		return wg_ipc_fail(-ENOMEM);
	}
	memcpy(pp->public_key, cur->peers[0].public_key, WG_KEY_LEN);
	pp->flags = PEER_HAS_PUBLIC_KEY | PEER_UPDATE_ONLY;
	pa->family = AF_INET;
	pa->cidr = 32;
	pa->flags = AIP_REMOVE;
	/* 255.255.255.255/32, or failing that ::/128 ... pick an unowned one. */
	memset(&pa->addr, 0xff, 4);
	if (peer_owns(&cur->peers[0], pa)) {
		pa->family = AF_INET6;
		pa->cidr = 128;
		memset(&pa->addr, 0xff, 16);
	}
	if (wg_uapi_exists(req->name))
		pp->flags &= ~PEER_UPDATE_ONLY;	/* older daemons reject the key */
	wg_dev_free(cur);
	ret = wg_ipc_set(probe);
	wg_dev_free(probe);
	if (ret) {
		fprintf(stderr, "Unable to remove individual allowed IPs on `%s': the WireGuard implementation does not support it (%s); nothing was changed\n",
			req->name, strerror(-ret));
		return wg_ipc_fail(-EOPNOTSUPP);
	}
	return 0;
}
