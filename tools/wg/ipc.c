// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "keys.h"
#include "encoding.h"
#include "ipc.h"

/* Largest Generic Netlink request we build, as the reference tool does. */
#define SET_MSG_MAX 4096
#define RECV_BUF_LEN 65536

static int fail(int err)
{
	errno = err < 0 ? -err : err;
	return err < 0 ? err : -err;
}

/* ------------------------------------------------------------------ */
/* Name lists                                                          */

struct namelist {
	char *buf;
	size_t len, cap;
};

static int namelist_add(struct namelist *l, const char *name)
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

/* ------------------------------------------------------------------ */
/* Userspace implementations (UAPI text protocol over a unix socket)   */

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
static FILE *uapi_open(const char *name)
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

static bool uapi_exists(const char *name)
{
	FILE *f = uapi_open(name);

	if (!f)
		return false;
	fclose(f);
	return true;
}

static int uapi_list(struct namelist *l)
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
		if (!uapi_exists(ent->d_name))
			continue;
		ret = namelist_add(l, ent->d_name);
		if (ret < 0)
			break;
	}
	closedir(dir);
	return ret;
}

/* Decimal without sign, at most max; false otherwise. */
static bool uapi_num(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !*end && !errno && *out <= max;
}

static bool uapi_endpoint(union wg_endpoint *ep, char *value)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM,
				  .ai_protocol = IPPROTO_UDP, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *res;
	char *host, *port;
	bool ok = false;

	if (value[0] == '[') {
		char *close = strchr(value, ']');

		if (!close || close[1] != ':' || !close[2])
			return false;
		*close = '\0';
		host = value + 1;
		port = close + 2;
	} else {
		char *colon = strrchr(value, ':');

		if (!colon || !colon[1])
			return false;
		*colon = '\0';
		host = value;
		port = colon + 1;
	}
	if (getaddrinfo(host, port, &hints, &res))
		return false;
	if (res->ai_family == AF_INET && res->ai_addrlen == sizeof(ep->in4)) {
		memcpy(&ep->in4, res->ai_addr, sizeof(ep->in4));
		ok = true;
	} else if (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(ep->in6)) {
		memcpy(&ep->in6, res->ai_addr, sizeof(ep->in6));
		ok = true;
	}
	freeaddrinfo(res);
	return ok;
}

static bool uapi_aip(struct wg_peer *peer, char *value)
{
	char *slash = strchr(value, '/');
	struct wg_aip aip = { 0 }, *slot;
	unsigned long long cidr;

	if (!slash)
		return false;
	*slash++ = '\0';
	if (strchr(value, ':')) {
		if (inet_pton(AF_INET6, value, &aip.addr.v6) == 1)
			aip.family = AF_INET6;
	} else if (inet_pton(AF_INET, value, &aip.addr.v4) == 1)
		aip.family = AF_INET;
	if (!aip.family || !uapi_num(slash, aip.family == AF_INET ? 32 : 128, &cidr))
		return false;
	aip.cidr = (uint8_t)cidr;
	slot = wg_peer_add_aip(peer);
	if (!slot)
		return false;
	*slot = aip;
	return true;
}

static int uapi_get(struct wg_dev **out, const char *name)
{
	struct wg_dev *dev;
	struct wg_peer *peer = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = -EPROTO;
	bool have_errno = false;
	FILE *f;

	*out = NULL;
	dev = wg_dev_new();
	if (!dev)
		return fail(-ENOMEM);
	if (!wg_dev_set_name(dev, name)) {
		wg_dev_free(dev);
		return fail(-EINVAL);
	}
	f = uapi_open(name);
	if (!f) {
		ret = -errno;
		wg_dev_free(dev);
		return fail(ret);
	}
	fputs("get=1\n\n", f);
	fflush(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		unsigned long long num;
		char *key = line, *value;

		if (n == 1 && line[0] == '\n') {
			if (have_errno)
				goto done;
			break;
		}
		if (line[n - 1] != '\n')
			break;
		line[n - 1] = '\0';
		value = strchr(line, '=');
		if (!value)
			break;
		*value++ = '\0';

		if (!peer && !strcmp(key, "private_key")) {
			if (!wg_key_from_hex(dev->private_key, value))
				break;
			wg_public_from_private(dev->public_key, dev->private_key);
			dev->flags |= DEV_HAS_PRIVATE_KEY | DEV_HAS_PUBLIC_KEY;
		} else if (!peer && !strcmp(key, "listen_port")) {
			if (!uapi_num(value, 0xffff, &num))
				break;
			dev->listen_port = (uint16_t)num;
			dev->flags |= DEV_HAS_LISTEN_PORT;
		} else if (!peer && !strcmp(key, "fwmark")) {
			if (!uapi_num(value, 0xffffffffULL, &num))
				break;
			dev->fwmark = (uint32_t)num;
			dev->flags |= DEV_HAS_FWMARK;
		} else if (!strcmp(key, "public_key")) {
			peer = wg_dev_add_peer(dev);
			if (!peer) {
				ret = -ENOMEM;
				goto done_err;
			}
			if (!wg_key_from_hex(peer->public_key, value))
				break;
			peer->flags |= PEER_HAS_PUBLIC_KEY;
		} else if (peer && !strcmp(key, "preshared_key")) {
			if (!wg_key_from_hex(peer->preshared_key, value))
				break;
			if (!wg_key_is_zero(peer->preshared_key))
				peer->flags |= PEER_HAS_PSK;
		} else if (peer && !strcmp(key, "endpoint")) {
			if (!uapi_endpoint(&peer->endpoint, value))
				break;
		} else if (peer && !strcmp(key, "persistent_keepalive_interval")) {
			if (!uapi_num(value, 0xffff, &num))
				break;
			peer->keepalive = (uint16_t)num;
			peer->flags |= PEER_HAS_KEEPALIVE;
		} else if (peer && !strcmp(key, "allowed_ip")) {
			if (!uapi_aip(peer, value))
				break;
		} else if (peer && !strcmp(key, "last_handshake_time_sec")) {
			if (!uapi_num(value, INT64_MAX, &num))
				break;
			peer->handshake_sec = (int64_t)num;
		} else if (peer && !strcmp(key, "last_handshake_time_nsec")) {
			if (!uapi_num(value, INT64_MAX, &num))
				break;
			peer->handshake_nsec = (int64_t)num;
		} else if (peer && !strcmp(key, "rx_bytes")) {
			if (!uapi_num(value, UINT64_MAX, &num))
				break;
			peer->rx_bytes = num;
		} else if (peer && !strcmp(key, "tx_bytes")) {
			if (!uapi_num(value, UINT64_MAX, &num))
				break;
			peer->tx_bytes = num;
		} else if (!strcmp(key, "errno")) {
			if (!uapi_num(value, INT_MAX, &num))
				break;
			ret = -(int)num;
			have_errno = true;
		}
		if (peer)
			peer = &dev->peers[dev->npeers - 1];
	}
	ret = -EPROTO;
	goto done_err;
done:
	if (!ret) {
		free(line);
		fclose(f);
		*out = dev;
		errno = 0;
		return 0;
	}
done_err:
	free(line);
	fclose(f);
	wg_dev_free(dev);
	return fail(ret);
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

static int uapi_set(struct wg_dev *dev)
{
	FILE *f = uapi_open(dev->name);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = -EPROTO;
	bool have_errno = false;

	if (!f)
		return fail(-errno);
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
	return fail(ret);
}

/* ------------------------------------------------------------------ */
/* Generic Netlink                                                     */

struct genl {
	struct mnl_socket *nl;
	uint16_t family;
	unsigned int portid, seq;
	char *buf;
};

static void genl_close(struct genl *g)
{
	if (g->nl)
		mnl_socket_close(g->nl);
	free(g->buf);
	memset(g, 0, sizeof(*g));
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID && !mnl_attr_validate(attr, MNL_TYPE_U16))
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
}

/* Receives until the request's answer is complete; <0 with errno set on error. */
static int genl_run(struct genl *g, mnl_cb_t cb, void *data)
{
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(g->nl, g->buf, RECV_BUF_LEN);
		int r;

		if (len < 0)
			return -errno;
		r = mnl_cb_run(g->buf, (size_t)len, g->seq, g->portid, cb, data);
		if (r < 0)
			return -(errno ? errno : EINVAL);
		if (r == MNL_CB_STOP)
			return 0;
	}
}

static struct nlmsghdr *genl_msg(struct genl *g, char *buf, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++g->seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = type == GENL_ID_CTRL ? 1 : WG_GENL_VERSION;
	return nlh;
}

static int genl_send(struct genl *g, struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

static int genl_open(struct genl *g)
{
	char req[256];
	struct nlmsghdr *nlh;
	int ret;

	memset(g, 0, sizeof(*g));
	g->buf = malloc(RECV_BUF_LEN);
	if (!g->buf)
		return -ENOMEM;
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl || mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		genl_close(g);
		return ret;
	}
	g->portid = mnl_socket_get_portid(g->nl);
	g->seq = (unsigned int)time(NULL);
	nlh = genl_msg(g, req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	ret = genl_send(g, nlh);
	if (!ret)
		ret = genl_run(g, family_cb, &g->family);
	if (!ret && !g->family)
		ret = -EPROTONOSUPPORT;
	if (ret == -ENOENT)
		ret = -EPROTONOSUPPORT;	/* no wireguard family: module not loaded */
	if (ret)
		genl_close(g);
	return ret;
}

/* Kernel device list: links whose kind is "wireguard". */
struct link_info {
	const char *name;
	bool is_wg;
};

static int linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct link_info *li = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND && !mnl_attr_validate(attr, MNL_TYPE_STRING) &&
	    !strcmp(mnl_attr_get_str(attr), WG_GENL_NAME))
		li->is_wg = true;
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_info *li = data;

	if (mnl_attr_get_type(attr) == IFLA_IFNAME && !mnl_attr_validate(attr, MNL_TYPE_STRING))
		li->name = mnl_attr_get_str(attr);
	else if (mnl_attr_get_type(attr) == IFLA_LINKINFO)
		mnl_attr_parse_nested(attr, linkinfo_cb, data);
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_info li = { 0 };

	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, &li) < 0)
		return MNL_CB_ERROR;
	if (li.is_wg && li.name && namelist_add(data, li.name) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int kernel_list(struct namelist *l)
{
	struct mnl_socket *nl;
	char *buf = malloc(RECV_BUF_LEN);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl, buf, RECV_BUF_LEN);
		int r;

		if (len < 0) {
			ret = -errno;
			break;
		}
		r = mnl_cb_run(buf, (size_t)len, seq, portid, link_cb, l);
		/* An interrupted dump (links changed meanwhile) still lists
		 * what it saw; that is good enough for a listing. */
		if (r < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		if (r <= MNL_CB_STOP)
			break;
	}
out:
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	return ret;
}

/* Parsing GET_DEVICE replies. */

static int aip_attr_cb(const struct nlattr *attr, void *data)
{
	struct wg_aip *aip = data;

	switch (mnl_attr_get_type(attr)) {
	case WGALLOWEDIP_A_FAMILY:
		if (!mnl_attr_validate(attr, MNL_TYPE_U16))
			aip->family = mnl_attr_get_u16(attr);
		break;
	case WGALLOWEDIP_A_IPADDR:
		if (mnl_attr_get_payload_len(attr) == 4)
			memcpy(&aip->addr.v4, mnl_attr_get_payload(attr), 4);
		else if (mnl_attr_get_payload_len(attr) == 16)
			memcpy(&aip->addr.v6, mnl_attr_get_payload(attr), 16);
		break;
	case WGALLOWEDIP_A_CIDR_MASK:
		if (!mnl_attr_validate(attr, MNL_TYPE_U8))
			aip->cidr = mnl_attr_get_u8(attr);
		break;
	}
	return MNL_CB_OK;
}

static int aips_cb(const struct nlattr *attr, void *data)
{
	struct wg_peer *peer = data;
	struct wg_aip aip = { 0 }, *slot;

	if (mnl_attr_parse_nested(attr, aip_attr_cb, &aip) < 0)
		return MNL_CB_ERROR;
	if (!((aip.family == AF_INET && aip.cidr <= 32) || (aip.family == AF_INET6 && aip.cidr <= 128)))
		return MNL_CB_ERROR;
	slot = wg_peer_add_aip(peer);
	if (!slot)
		return MNL_CB_ERROR;
	*slot = aip;
	return MNL_CB_OK;
}

static int peer_attr_cb(const struct nlattr *attr, void *data)
{
	struct wg_peer *peer = data;
	uint16_t len = mnl_attr_get_payload_len(attr);
	const void *p = mnl_attr_get_payload(attr);

	switch (mnl_attr_get_type(attr)) {
	case WGPEER_A_PUBLIC_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(peer->public_key, p, WG_KEY_LEN);
			peer->flags |= PEER_HAS_PUBLIC_KEY;
		}
		break;
	case WGPEER_A_PRESHARED_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(peer->preshared_key, p, WG_KEY_LEN);
			if (!wg_key_is_zero(peer->preshared_key))
				peer->flags |= PEER_HAS_PSK;
		}
		break;
	case WGPEER_A_ENDPOINT: {
		sa_family_t fam;

		if (len < sizeof(fam))
			break;
		memcpy(&fam, p, sizeof(fam));
		if (fam == AF_INET && len == sizeof(peer->endpoint.in4))
			memcpy(&peer->endpoint.in4, p, len);
		else if (fam == AF_INET6 && len == sizeof(peer->endpoint.in6))
			memcpy(&peer->endpoint.in6, p, len);
		break;
	}
	case WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL:
		if (!mnl_attr_validate(attr, MNL_TYPE_U16))
			peer->keepalive = mnl_attr_get_u16(attr);
		break;
	case WGPEER_A_LAST_HANDSHAKE_TIME:
		if (len == 2 * sizeof(int64_t)) {
			int64_t ts[2];

			memcpy(ts, p, sizeof(ts));
			peer->handshake_sec = ts[0];
			peer->handshake_nsec = ts[1];
		}
		break;
	case WGPEER_A_RX_BYTES:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			peer->rx_bytes = mnl_attr_get_u64(attr);
		break;
	case WGPEER_A_TX_BYTES:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			peer->tx_bytes = mnl_attr_get_u64(attr);
		break;
	case WGPEER_A_ALLOWEDIPS:
		return mnl_attr_parse_nested(attr, aips_cb, peer);
	}
	return MNL_CB_OK;
}

static int peers_cb(const struct nlattr *attr, void *data)
{
	struct wg_dev *dev = data;
	struct wg_peer tmp = { 0 }, *last = dev->npeers ? &dev->peers[dev->npeers - 1] : NULL, *slot;
	int ret = mnl_attr_parse_nested(attr, peer_attr_cb, &tmp);

	if (ret < 0 || !(tmp.flags & PEER_HAS_PUBLIC_KEY)) {
		free(tmp.aips);
		return MNL_CB_ERROR;
	}
	/* A peer whose allowed IPs did not fit continues in the next
	 * message under the same public key: merge it. */
	if (last && !memcmp(last->public_key, tmp.public_key, WG_KEY_LEN)) {
		for (size_t i = 0; i < tmp.naips; ++i) {
			struct wg_aip *a = wg_peer_add_aip(last);

			if (!a) {
				free(tmp.aips);
				return MNL_CB_ERROR;
			}
			*a = tmp.aips[i];
		}
		free(tmp.aips);
		return MNL_CB_OK;
	}
	slot = wg_dev_add_peer(dev);
	if (!slot) {
		free(tmp.aips);
		return MNL_CB_ERROR;
	}
	*slot = tmp;
	return MNL_CB_OK;
}

static int dev_attr_cb(const struct nlattr *attr, void *data)
{
	struct wg_dev *dev = data;
	uint16_t len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case WGDEVICE_A_IFINDEX:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			dev->ifindex = mnl_attr_get_u32(attr);
		break;
	case WGDEVICE_A_IFNAME:
		if (!mnl_attr_validate(attr, MNL_TYPE_STRING))
			snprintf(dev->name, sizeof(dev->name), "%s", mnl_attr_get_str(attr));
		break;
	case WGDEVICE_A_PRIVATE_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(dev->private_key, mnl_attr_get_payload(attr), WG_KEY_LEN);
			dev->flags |= DEV_HAS_PRIVATE_KEY;
		}
		break;
	case WGDEVICE_A_PUBLIC_KEY:
		if (len == WG_KEY_LEN) {
			memcpy(dev->public_key, mnl_attr_get_payload(attr), WG_KEY_LEN);
			dev->flags |= DEV_HAS_PUBLIC_KEY;
		}
		break;
	case WGDEVICE_A_LISTEN_PORT:
		if (!mnl_attr_validate(attr, MNL_TYPE_U16))
			dev->listen_port = mnl_attr_get_u16(attr);
		break;
	case WGDEVICE_A_FWMARK:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			dev->fwmark = mnl_attr_get_u32(attr);
		break;
	case WGDEVICE_A_PEERS:
		return mnl_attr_parse_nested(attr, peers_cb, dev);
	}
	return MNL_CB_OK;
}

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dev_attr_cb, data);
}

static int kernel_get(struct wg_dev **out, const char *name)
{
	for (;;) {
		struct genl g;
		struct wg_dev *dev;
		struct nlmsghdr *nlh;
		char req[128];
		int ret;

		*out = NULL;
		dev = wg_dev_new();
		if (!dev)
			return fail(-ENOMEM);
		ret = genl_open(&g);
		if (ret) {
			wg_dev_free(dev);
			return fail(ret);
		}
		nlh = genl_msg(&g, req, g.family, WG_CMD_GET_DEVICE, NLM_F_DUMP);
		mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, name);
		ret = genl_send(&g, nlh);
		if (!ret)
			ret = genl_run(&g, dev_cb, dev);
		genl_close(&g);
		if (ret == -EINTR) {	/* changed during the dump: start over */
			wg_dev_free(dev);
			continue;
		}
		if (ret) {
			wg_dev_free(dev);
			return fail(ret);
		}
		*out = dev;
		errno = 0;
		return 0;
	}
}

/* Building SET_DEVICE requests, split over as many messages as needed. */

static bool put_aip(struct nlmsghdr *nlh, const struct wg_aip *a)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, SET_MSG_MAX, 0);

	if (!nest)
		return false;
	if (!mnl_attr_put_u16_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_FAMILY, a->family) ||
	    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_IPADDR, a->family == AF_INET ? 4 : 16, &a->addr) ||
	    !mnl_attr_put_u8_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_CIDR_MASK, a->cidr) ||
	    ((a->flags & AIP_REMOVE) &&
	     !mnl_attr_put_u32_check(nlh, SET_MSG_MAX, WGALLOWEDIP_A_FLAGS, WGALLOWEDIP_F_REMOVE_ME))) {
		mnl_attr_nest_cancel(nlh, nest);
		return false;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

/* The fixed part of a peer (everything but allowed IPs). */
static bool put_peer_head(struct nlmsghdr *nlh, const struct wg_peer *p, bool first_part)
{
	uint32_t flags = 0;

	if (!mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, p->public_key))
		return false;
	if (p->flags & PEER_REMOVE)
		flags |= WGPEER_F_REMOVE_ME;
	if (p->flags & PEER_UPDATE_ONLY)
		flags |= WGPEER_F_UPDATE_ONLY;
	if (first_part) {
		if (p->flags & PEER_REPLACE_AIPS)
			flags |= WGPEER_F_REPLACE_ALLOWEDIPS;
		if ((p->flags & PEER_HAS_PSK) &&
		    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_PRESHARED_KEY, WG_KEY_LEN, p->preshared_key))
			return false;
		if (p->endpoint.sa.sa_family == AF_INET &&
		    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_ENDPOINT, sizeof(p->endpoint.in4), &p->endpoint.in4))
			return false;
		if (p->endpoint.sa.sa_family == AF_INET6 &&
		    !mnl_attr_put_check(nlh, SET_MSG_MAX, WGPEER_A_ENDPOINT, sizeof(p->endpoint.in6), &p->endpoint.in6))
			return false;
		if ((p->flags & PEER_HAS_KEEPALIVE) &&
		    !mnl_attr_put_u16_check(nlh, SET_MSG_MAX, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, p->keepalive))
			return false;
	}
	if (flags && !mnl_attr_put_u32_check(nlh, SET_MSG_MAX, WGPEER_A_FLAGS, flags))
		return false;
	return true;
}

static int kernel_set(struct wg_dev *dev)
{
	struct genl g;
	char *buf;
	size_t peer = 0, aip = 0;
	bool first_msg = true;
	int ret = genl_open(&g);

	if (ret)
		return fail(ret);
	buf = calloc(1, SET_MSG_MAX);
	if (!buf) {
		genl_close(&g);
		return fail(-ENOMEM);
	}
	do {
		struct nlmsghdr *nlh = genl_msg(&g, buf, g.family, WG_CMD_SET_DEVICE, NLM_F_ACK);
		size_t peers_in_msg = 0;

		mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, dev->name);
		if (first_msg) {
			uint32_t flags = 0;

			if (dev->flags & DEV_HAS_PRIVATE_KEY)
				mnl_attr_put(nlh, WGDEVICE_A_PRIVATE_KEY, WG_KEY_LEN, dev->private_key);
			if (dev->flags & DEV_HAS_LISTEN_PORT)
				mnl_attr_put_u16(nlh, WGDEVICE_A_LISTEN_PORT, dev->listen_port);
			if (dev->flags & DEV_HAS_FWMARK)
				mnl_attr_put_u32(nlh, WGDEVICE_A_FWMARK, dev->fwmark);
			if (dev->flags & DEV_REPLACE_PEERS)
				flags |= WGDEVICE_F_REPLACE_PEERS;
			if (flags)
				mnl_attr_put_u32(nlh, WGDEVICE_A_FLAGS, flags);
		}
		if (peer < dev->npeers) {
			struct nlattr *peers_nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);

			while (peer < dev->npeers) {
				const struct wg_peer *p = &dev->peers[peer];
				struct nlattr *pn = mnl_attr_nest_start_check(nlh, SET_MSG_MAX, 0);
				struct nlattr *an;
				size_t aips_in_msg = 0;

				if (!pn)
					break;
				if (!put_peer_head(nlh, p, aip == 0)) {
					mnl_attr_nest_cancel(nlh, pn);
					break;
				}
				if (aip < p->naips) {
					an = mnl_attr_nest_start_check(nlh, SET_MSG_MAX, WGPEER_A_ALLOWEDIPS);
					if (an) {
						while (aip < p->naips && put_aip(nlh, &p->aips[aip])) {
							++aip;
							++aips_in_msg;
						}
						if (aips_in_msg)
							mnl_attr_nest_end(nlh, an);
						else
							mnl_attr_nest_cancel(nlh, an);
					}
					if (aip < p->naips) {
						/* Continue this peer in the next message, unless
						 * nothing of it made it into this one. */
						if (!aips_in_msg && aip == 0 && peers_in_msg) {
							mnl_attr_nest_cancel(nlh, pn);
						} else {
							mnl_attr_nest_end(nlh, pn);
							++peers_in_msg;
						}
						break;
					}
				}
				mnl_attr_nest_end(nlh, pn);
				++peers_in_msg;
				++peer;
				aip = 0;
			}
			if (peers_in_msg)
				mnl_attr_nest_end(nlh, peers_nest);
			else
				mnl_attr_nest_cancel(nlh, peers_nest);
			if (!peers_in_msg && !first_msg) {
				ret = -EMSGSIZE;	/* cannot make progress */
				break;
			}
		}
		ret = genl_send(&g, nlh);
		if (!ret)
			ret = genl_run(&g, NULL, NULL);
		first_msg = false;
	} while (!ret && peer < dev->npeers);
	free(buf);
	genl_close(&g);
	return fail(ret);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

char *wg_ipc_list(void)
{
	struct namelist l = { 0 };
	int ret = kernel_list(&l);

	if (!ret)
		ret = uapi_list(&l);
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
	if (uapi_exists(name))
		return uapi_get(out, name);
	return kernel_get(out, name);
}

int wg_ipc_set(struct wg_dev *dev)
{
	if (uapi_exists(dev->name))
		return uapi_set(dev);
	return kernel_set(dev);
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
		return fail(-ENOMEM);
	}
	memcpy(probe->name, req->name, sizeof(probe->name));
	pp = wg_dev_add_peer(probe);
	pa = pp ? wg_peer_add_aip(pp) : NULL;
	if (!pa) {
		wg_dev_free(probe);
		wg_dev_free(cur);
		return fail(-ENOMEM);
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
	if (uapi_exists(req->name))
		pp->flags &= ~PEER_UPDATE_ONLY;	/* older daemons reject the key */
	wg_dev_free(cur);
	ret = wg_ipc_set(probe);
	wg_dev_free(probe);
	if (ret) {
		fprintf(stderr, "Unable to remove individual allowed IPs on `%s': the WireGuard implementation does not support it (%s); nothing was changed\n",
			req->name, strerror(-ret));
		return fail(-EOPNOTSUPP);
	}
	return 0;
}
