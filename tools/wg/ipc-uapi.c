// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace side of ipc.c: WireGuard implementations such as
 * wireguard-go that listen on a unix socket /var/run/wireguard/<name>.sock
 * and speak the cross-platform UAPI text protocol (get=1 / set=1, one
 * key=value a line).  Finding and opening the sockets, and writing a
 * change; reading a device is ipc-uapi-get.c.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "encoding.h"
#include "ipc.h"
#include "ipc-backend.h"

static bool uapi_path(struct sockaddr_un *addr, const char *name)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (strchr(name, '/'))
		return false;
	return (size_t)snprintf(addr->sun_path, sizeof(addr->sun_path), WG_UAPI_DIR "%s.sock", name) <
	       sizeof(addr->sun_path);
}

/* Connected stream to the implementation, or NULL with errno set. */
FILE *wg_uapi_open(const char *name)
{
	struct sockaddr_un addr;
	struct stat st;
	int fd;
	FILE *f;

	if (!uapi_path(&addr, name)) {
		errno = EINVAL;
		return NULL;
	}
	if (stat(addr.sun_path, &st) < 0)
		return NULL;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EBADF;
		return NULL;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;

		/* A socket nobody listens on is left over from a dead daemon. */
		if (e == ECONNREFUSED)
			unlink(addr.sun_path);
		close(fd);
		errno = e;
		return NULL;
	}
	f = fdopen(fd, "r+");
	if (!f) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return f;
}

bool wg_uapi_exists(const char *name)
{
	FILE *f = wg_uapi_open(name);

	if (!f)
		return false;
	fclose(f);
	return true;
}

int wg_uapi_list(struct wg_namelist *l)
{
	DIR *dir = opendir(WG_UAPI_DIR);
	struct dirent *ent;
	int ret = 0;

	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((ent = readdir(dir))) {
		size_t len = strlen(ent->d_name);

		if (len <= 5 || strcmp(ent->d_name + len - 5, ".sock"))
			continue;
		ent->d_name[len - 5] = '\0';
		if (!wg_uapi_exists(ent->d_name))
			continue;
		ret = wg_namelist_add(l, ent->d_name);
		if (ret < 0)
			break;
	}
	closedir(dir);
	return ret;
}

static void uapi_write_request(FILE *f, const struct wg_dev *dev)
{
	char hex[WG_HEX_KEY_LEN + 1], ip[INET6_ADDRSTRLEN], ep[1100];

	fputs("set=1\n", f);
	if (dev->flags & DEV_HAS_PRIVATE_KEY) {
		wg_key_to_hex(hex, dev->private_key);
		fprintf(f, "private_key=%s\n", hex);
	}
	if (dev->flags & DEV_HAS_LISTEN_PORT)
		fprintf(f, "listen_port=%u\n", dev->listen_port);
	if (dev->flags & DEV_HAS_FWMARK)
		fprintf(f, "fwmark=%u\n", dev->fwmark);
	if (dev->flags & DEV_REPLACE_PEERS)
		fputs("replace_peers=true\n", f);
	for (size_t i = 0; i < dev->npeers; ++i) {
		const struct wg_peer *p = &dev->peers[i];

		wg_key_to_hex(hex, p->public_key);
		fprintf(f, "public_key=%s\n", hex);
		if (p->flags & PEER_REMOVE) {
			fputs("remove=true\n", f);
			continue;
		}
		if (p->flags & PEER_UPDATE_ONLY)
			fputs("update_only=true\n", f);
		if (p->flags & PEER_HAS_PSK) {
			wg_key_to_hex(hex, p->preshared_key);
			fprintf(f, "preshared_key=%s\n", hex);
		}
		if (wg_endpoint_is_set(&p->endpoint)) {
			bool ok;

			wg_endpoint_str(&p->endpoint, ep, sizeof(ep), &ok);
			if (ok)
				fprintf(f, "endpoint=%s\n", ep);
		}
		if (p->flags & PEER_HAS_KEEPALIVE)
			fprintf(f, "persistent_keepalive_interval=%u\n", p->keepalive);
		if (p->flags & PEER_REPLACE_AIPS)
			fputs("replace_allowed_ips=true\n", f);
		for (size_t j = 0; j < p->naips; ++j) {
			const struct wg_aip *a = &p->aips[j];

			if (!inet_ntop(a->family, &a->addr, ip, sizeof(ip)))
				continue;
			fprintf(f, "allowed_ip=%s%s/%u\n", (a->flags & AIP_REMOVE) ? "-" : "", ip, a->cidr);
		}
	}
	fputs("\n", f);
	memset(hex, 0, sizeof(hex));
}

int wg_uapi_set(const struct wg_dev *dev)
{
	FILE *f = wg_uapi_open(dev->name);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = -EPROTO;
	bool have_errno = false;

	if (!f)
		return wg_ipc_fail(-errno);
	uapi_write_request(f, dev);
	fflush(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		char *end;
		long long v;

		if (n == 1 && line[0] == '\n')
			break;
		if (strncmp(line, "errno=", 6))
			continue;
		errno = 0;
		v = strtoll(line + 6, &end, 10);
		if (end == line + 6 || (*end && *end != '\n') || errno || v > INT_MAX || v < -INT_MAX)
			break;
		ret = v > 0 ? -(int)v : (int)v;
		have_errno = true;
	}
	if (!have_errno)
		ret = -EPROTO;
	free(line);
	fclose(f);
	return wg_ipc_fail(ret);
}
