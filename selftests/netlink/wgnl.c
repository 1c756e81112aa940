// SPDX-License-Identifier: GPL-2.0
/*
 * wgnl: a raw Generic Netlink client for the "wireguard" family, for tests.
 *
 * It builds one WG_CMD_SET_DEVICE or WG_CMD_GET_DEVICE message from a small
 * token language on the command line, so a test can craft any message --
 * including ones the wg tool would never send -- and prints the kernel's
 * answer on one line:
 *
 *   OK                                   (SET acknowledged)
 *   OK msgs=N peers=P aips=A             (GET dump complete)
 *   ERR <ENAME> <errno> msg="<extack>" off=<offset [attr=TYPE]|->
 *
 * Exit status: 0 for OK, 1 for an error answer, 2 for a local failure.
 *
 * Usage: wgnl set|get|getdo TOKEN...
 *
 * Tokens.  Attribute names depend on the nesting level (device, peer,
 * allowed IP); "{" after a nest token opens it, "}" closes it.
 *   device:  ifindex N | ifname S | privkey K | pubkey K | flags N |
 *            port N | fwmark N | peers {
 *   peers:   peer {                       (a nest of type 0, as wg sends)
 *   peer:    pubkey K | psk K | flags N | endpoint A:P | keepalive N | aips {
 *   aips:    aip {
 *   aip:     family inet|inet6|N | ipaddr ADDR | cidr N | flags N
 *   any:     u8|u16|u32|u64 TYPE N | str TYPE S | hex TYPE HEX |
 *            nest TYPE { | flatnest TYPE {   (flatnest: no NLA_F_NESTED)
 * K is a base64 key, "hex:HEX" (any length) or "zero" (32 zero bytes).
 *
 * Fault injection (debug kernel): with WGNL_FAIL_NTH=N in the environment,
 * the N-th fault-injection site (failslab) this thread reaches from the
 * send of the message on fails (/proc/thread-self/fail-nth), and a second
 * line says whether it was reached: "FAIL_NTH fired" or "FAIL_NTH
 * not-reached" (N is past the last allocation of the request).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/wireguard.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

enum level { L_DEVICE, L_PEERS, L_PEER, L_AIPS, L_AIP, L_RAW };

#define MAX_DEPTH 8

static char buf[1 << 20];

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "wgnl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || !*s)
		die("not a number: %s", s);
	return v;
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static size_t parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	if (strlen(s) % 2)
		die("odd hex length: %s", s);
	for (; *s; s += 2) {
		unsigned int v;

		if (n >= max || sscanf(s, "%2x", &v) != 1)
			die("bad hex: %s", s);
		out[n++] = v;
	}
	return n;
}

/* A key: base64 of 32 bytes, hex:..., or zero. */
static size_t parse_key(const char *s, uint8_t *out, size_t max)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;

	if (!strcmp(s, "zero")) {
		memset(out, 0, WG_KEY_LEN);
		return WG_KEY_LEN;
	}
	if (!strncmp(s, "hex:", 4))
		return parse_hex(s + 4, out, max);
	for (; *s && *s != '='; s++) {
		int v = b64val(*s);

		if (v < 0)
			die("bad base64 key: %s", s);
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= max)
				die("key too long: %s", s);
			out[n++] = acc >> bits;
		}
	}
	return n;
}

static void put_endpoint(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	char host[INET6_ADDRSTRLEN + 8];
	const char *colon;

	if (*s == '[') {
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':' || (size_t)(close - s) >= sizeof(host))
			die("bad endpoint: %s", s);
		memcpy(host, s + 1, close - s - 1);
		host[close - s - 1] = 0;
		if (inet_pton(AF_INET6, host, &sin6.sin6_addr) != 1)
			die("bad endpoint address: %s", s);
		sin6.sin6_port = htons(num(close + 2));
		mnl_attr_put(nlh, type, sizeof(sin6), &sin6);
		return;
	}
	colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		die("bad endpoint: %s", s);
	{
		struct sockaddr_in sin = { .sin_family = AF_INET };

		memcpy(host, s, colon - s);
		host[colon - s] = 0;
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			die("bad endpoint address: %s", s);
		sin.sin_port = htons(num(colon + 1));
		mnl_attr_put(nlh, type, sizeof(sin), &sin);
	}
}

static void put_ipaddr(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, s, a) == 1)
		mnl_attr_put(nlh, type, 4, a);
	else if (inet_pton(AF_INET6, s, a) == 1)
		mnl_attr_put(nlh, type, 16, a);
	else
		die("bad address: %s", s);
}

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

/* A copy of the request, to name the attribute an extack offset points at. */
static char sent[sizeof(buf)];
static size_t sent_len;

/* Print an NLMSG_ERROR answer; returns the (positive) errno, 0 for an ack. */
static int report_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const char *msg = NULL;
	long off = -1;
	size_t hlen;
	const struct nlattr *attr;

	if (!err->error)
		return 0;
	/* Extended ack TLVs follow the echoed request (headers only if capped). */
	hlen = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		mnl_attr_for_each(attr, nlh, hlen) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
				msg = mnl_attr_get_str(attr);
			else if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS)
				off = mnl_attr_get_u32(attr);
		}
	}
	printf("ERR %s %d msg=\"%s\" off=", errname(-err->error), -err->error,
	       msg ? msg : "");
	/* The offset is from the start of our request: name the attribute. */
	if (off >= 0 && (size_t)off + sizeof(struct nlattr) <= sent_len) {
		const struct nlattr *bad = (const struct nlattr *)(sent + off);

		printf("%ld attr=%u\n", off, bad->nla_type & NLA_TYPE_MASK);
	} else if (off >= 0) {
		printf("%ld\n", off);
	} else {
		printf("-\n");
	}
	return -err->error;
}

static int resolve_family(struct mnl_socket *nl, unsigned int *seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *attr;
	int id = -1, n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++*seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto: %s", strerror(errno));
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n <= 0)
			die("recv: %s", strerror(errno));
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (e->error) {
					printf("ERR %s %d msg=\"no wireguard genetlink family\" off=-\n",
					       errname(-e->error), -e->error);
					exit(1);
				}
				return id;
			}
			if (nlh->nlmsg_type != GENL_ID_CTRL)
				continue;
			mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
				if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
					id = mnl_attr_get_u16(attr);
		}
	}
}

/* Count peers and allowed IPs in one dump message. */
static void count_dump(const struct nlmsghdr *nlh, unsigned long *peers,
		       unsigned long *aips)
{
	const struct nlattr *a, *p, *pa, *ip;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != WGDEVICE_A_PEERS)
			continue;
		mnl_attr_for_each_nested(p, a) {
			++*peers;
			mnl_attr_for_each_nested(pa, p) {
				if (mnl_attr_get_type(pa) != WGPEER_A_ALLOWEDIPS)
					continue;
				mnl_attr_for_each_nested(ip, pa)
					++*aips;
			}
		}
	}
}

/* fail_nth_arm: the fail-nth file armed with $WGNL_FAIL_NTH, or -1. */
static int fail_nth_arm(void)
{
	const char *n = getenv("WGNL_FAIL_NTH");
	int fd;

	if (!n || !*n)
		return -1;
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0)
		die("fail-nth: %s", strerror(errno));
	if (write(fd, n, strlen(n)) < 0)
		die("fail-nth: %s", strerror(errno));
	return fd;
}

/* fail_nth_report: disarm, and say whether the armed fault was reached. */
static void fail_nth_report(int fd)
{
	char v[32] = "";

	if (fd < 0)
		return;
	if (pread(fd, v, sizeof(v) - 1, 0) < 0)
		die("fail-nth: %s", strerror(errno));
	if (pwrite(fd, "0", 1, 0) < 0)
		die("fail-nth: %s", strerror(errno));
	close(fd);
	printf("FAIL_NTH %s\n", atoi(v) ? "not-reached" : "fired");
}

int main(int argc, char **argv)
{
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *stack[MAX_DEPTH];
	enum level lv[MAX_DEPTH + 1];
	int depth = 0, i, n, family, get = 0, one = 1, ret = 2, failfd;
	unsigned int seq = 0, portid;
	unsigned long msgs = 0, peers = 0, aips = 0;
	uint8_t bytes[4096];

	if (argc < 2)
		die("usage: %s", "wgnl set|get|getdo TOKEN...");
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		die("socket: %s", strerror(errno));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("bind: %s", strerror(errno));
	portid = mnl_socket_get_portid(nl);
	family = resolve_family(nl, &seq);
	if (family < 0)
		die("%s", "family id missing in CTRL answer");

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->version = WG_GENL_VERSION;
	if (!strcmp(argv[1], "set")) {
		g->cmd = WG_CMD_SET_DEVICE;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	} else if (!strcmp(argv[1], "get")) {
		g->cmd = WG_CMD_GET_DEVICE;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP;
		get = 1;
	} else if (!strcmp(argv[1], "getdo")) {
		g->cmd = WG_CMD_GET_DEVICE;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		get = 1;
	} else {
		die("unknown command %s", argv[1]);
	}

	lv[0] = L_DEVICE;
	for (i = 2; i < argc; i++) {
		const char *t = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char *v2 = i + 2 < argc ? argv[i + 2] : NULL;
		enum level l = lv[depth];
		int type = -1, nested = 0, flat = 0;
		enum level child = L_RAW;

		if (!strcmp(t, "}")) {
			if (!depth)
				die("%s", "unbalanced }");
			mnl_attr_nest_end(nlh, stack[--depth]);
			continue;
		}
		/* Generic raw attributes first. */
		if (!strcmp(t, "u8") || !strcmp(t, "u16") || !strcmp(t, "u32") ||
		    !strcmp(t, "u64") || !strcmp(t, "str") || !strcmp(t, "hex")) {
			if (!v || !v2)
				die("%s needs TYPE VALUE", t);
			type = num(v);
			if (!strcmp(t, "u8"))
				mnl_attr_put_u8(nlh, type, num(v2));
			else if (!strcmp(t, "u16"))
				mnl_attr_put_u16(nlh, type, num(v2));
			else if (!strcmp(t, "u32"))
				mnl_attr_put_u32(nlh, type, num(v2));
			else if (!strcmp(t, "u64"))
				mnl_attr_put_u64(nlh, type, num(v2));
			else if (!strcmp(t, "str"))
				mnl_attr_put_strz(nlh, type, v2);
			else
				mnl_attr_put(nlh, type, parse_hex(v2, bytes, sizeof(bytes)), bytes);
			i += 2;
			continue;
		}
		if (!strcmp(t, "nest") || !strcmp(t, "flatnest")) {
			if (!v || !v2 || strcmp(v2, "{"))
				die("%s needs TYPE {", t);
			type = num(v);
			flat = !strcmp(t, "flatnest");
			nested = 1;
			i += 1;
		} else if (l == L_DEVICE) {
			if (!strcmp(t, "ifindex")) {
				mnl_attr_put_u32(nlh, WGDEVICE_A_IFINDEX, num(v));
			} else if (!strcmp(t, "ifname")) {
				mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, v);
			} else if (!strcmp(t, "privkey") || !strcmp(t, "pubkey")) {
				mnl_attr_put(nlh, t[1] == 'r' ? WGDEVICE_A_PRIVATE_KEY :
					     WGDEVICE_A_PUBLIC_KEY,
					     parse_key(v, bytes, sizeof(bytes)), bytes);
			} else if (!strcmp(t, "flags")) {
				mnl_attr_put_u32(nlh, WGDEVICE_A_FLAGS, num(v));
			} else if (!strcmp(t, "port")) {
				mnl_attr_put_u16(nlh, WGDEVICE_A_LISTEN_PORT, num(v));
			} else if (!strcmp(t, "fwmark")) {
				mnl_attr_put_u32(nlh, WGDEVICE_A_FWMARK, num(v));
			} else if (!strcmp(t, "peers")) {
				type = WGDEVICE_A_PEERS;
				nested = 1;
				child = L_PEERS;
			} else {
				die("unknown device token %s", t);
			}
		} else if (l == L_PEERS) {
			if (strcmp(t, "peer"))
				die("expected peer, got %s", t);
			type = 0;
			nested = 1;
			child = L_PEER;
		} else if (l == L_PEER) {
			if (!strcmp(t, "pubkey") || !strcmp(t, "psk")) {
				mnl_attr_put(nlh, t[1] == 'u' ? WGPEER_A_PUBLIC_KEY :
					     WGPEER_A_PRESHARED_KEY,
					     parse_key(v, bytes, sizeof(bytes)), bytes);
			} else if (!strcmp(t, "flags")) {
				mnl_attr_put_u32(nlh, WGPEER_A_FLAGS, num(v));
			} else if (!strcmp(t, "endpoint")) {
				put_endpoint(nlh, WGPEER_A_ENDPOINT, v);
			} else if (!strcmp(t, "keepalive")) {
				mnl_attr_put_u16(nlh, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, num(v));
			} else if (!strcmp(t, "aips")) {
				type = WGPEER_A_ALLOWEDIPS;
				nested = 1;
				child = L_AIPS;
			} else {
				die("unknown peer token %s", t);
			}
		} else if (l == L_AIPS) {
			if (strcmp(t, "aip"))
				die("expected aip, got %s", t);
			type = 0;
			nested = 1;
			child = L_AIP;
		} else if (l == L_AIP) {
			if (!strcmp(t, "family")) {
				mnl_attr_put_u16(nlh, WGALLOWEDIP_A_FAMILY,
						 !strcmp(v, "inet") ? AF_INET :
						 !strcmp(v, "inet6") ? AF_INET6 : num(v));
			} else if (!strcmp(t, "ipaddr")) {
				put_ipaddr(nlh, WGALLOWEDIP_A_IPADDR, v);
			} else if (!strcmp(t, "cidr")) {
				mnl_attr_put_u8(nlh, WGALLOWEDIP_A_CIDR_MASK, num(v));
			} else if (!strcmp(t, "flags")) {
				mnl_attr_put_u32(nlh, WGALLOWEDIP_A_FLAGS, num(v));
			} else {
				die("unknown allowed-ip token %s", t);
			}
		} else {
			die("token %s inside a raw nest: use u8/u16/u32/hex/str/nest", t);
		}
		if (nested) {
			const char *brace = i + 1 < argc ? argv[i + 1] : NULL;

			if (!brace || strcmp(brace, "{"))
				die("%s must be followed by {", t);
			if (depth >= MAX_DEPTH)
				die("%s", "nesting too deep");
			if (flat)
				stack[depth] = mnl_attr_nest_start(nlh, type & ~NLA_F_NESTED);
			else
				stack[depth] = mnl_attr_nest_start(nlh, type);
			if (flat)
				stack[depth]->nla_type &= ~NLA_F_NESTED;
			lv[++depth] = child;
			i++;
		} else {
			i++;
		}
	}
	if (depth)
		die("%s", "unbalanced {");

	memcpy(sent, nlh, nlh->nlmsg_len);
	sent_len = nlh->nlmsg_len;
	failfd = fail_nth_arm();
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto: %s", strerror(errno));

	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n <= 0)
			die("recv: %s", strerror(errno));
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_pid != portid || nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int e = report_error(nlh);

				if (e) {
					ret = 1;
					goto out;
				}
				if (!get || !(nlh->nlmsg_flags & NLM_F_DUMP)) {
					if (get)
						printf("OK msgs=%lu peers=%lu aips=%lu\n",
						       msgs, peers, aips);
					else
						printf("OK\n");
					ret = 0;
					goto out;
				}
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int e = 0;

				/* A dump error arrives as a negative DONE payload,
				 * optionally followed by extended ack TLVs. */
				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
					e = *(int *)mnl_nlmsg_get_payload(nlh);
				if (e < 0) {
					const struct nlattr *attr;
					const char *msg = "";

					if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
						mnl_attr_for_each(attr, nlh, sizeof(int))
							if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
								msg = mnl_attr_get_str(attr);
					printf("ERR %s %d msg=\"%s\" off=-\n", errname(-e), -e, msg);
					ret = 1;
				} else {
					printf("OK msgs=%lu peers=%lu aips=%lu\n",
					       msgs, peers, aips);
					ret = 0;
				}
				goto out;
			}
			if (nlh->nlmsg_type == family) {
				msgs++;
				count_dump(nlh, &peers, &aips);
			}
		}
	}
out:
	fail_nth_report(failfd);
	mnl_socket_close(nl);
	return ret;
}
