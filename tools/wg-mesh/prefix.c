// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses and prefixes as wg-mesh compares them: wg-quick's Address
 * values ("10.50.0.1/24", the prefix length optional) and tools/wg's
 * allowed IPs, in one form.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mesh.h"

static unsigned int max_len(uint16_t family)
{
	return family == AF_INET ? 32 : 128;
}

bool mesh_prefix_parse(struct mesh_prefix *p, const char *text)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long len;

	memset(p, 0, sizeof(*p));
	if (strlen(text) >= sizeof(buf))
		return false;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1)
		p->family = AF_INET6;
	else
		return false;
	p->cidr = (uint8_t)max_len(p->family);
	if (!slash)
		return true;
	if (*slash < '0' || *slash > '9')
		return false;
	errno = 0;
	len = strtoul(slash, &end, 10);
	if (*end || errno || len > max_len(p->family))
		return false;
	p->cidr = (uint8_t)len;
	return true;
}

void mesh_prefix_from_aip(struct mesh_prefix *p, const struct wg_aip *aip)
{
	memset(p, 0, sizeof(*p));
	p->family = aip->family;
	p->cidr = aip->cidr;
	memcpy(p->addr, aip->addr.raw, aip->family == AF_INET ? 4 : 16);
}

/* The first `bits' bits of a and b are equal. */
static bool same_bits(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole))
		return false;
	if (!rest)
		return true;
	return !((a[whole] ^ b[whole]) & (uint8_t)(0xff << (8 - rest)));
}

bool mesh_prefix_contains(const struct mesh_prefix *net, const struct mesh_prefix *addr)
{
	return net->family == addr->family && net->cidr <= addr->cidr &&
	       same_bits(net->addr, addr->addr, net->cidr);
}

bool mesh_prefix_overlap(const struct mesh_prefix *a, const struct mesh_prefix *b)
{
	return mesh_prefix_contains(a, b) || mesh_prefix_contains(b, a);
}

bool mesh_prefix_equal(const struct mesh_prefix *a, const struct mesh_prefix *b)
{
	return a->family == b->family && a->cidr == b->cidr &&
	       same_bits(a->addr, b->addr, a->cidr);
}

const char *mesh_prefix_str(const struct mesh_prefix *p, bool with_len, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family, p->addr, ip, sizeof(ip)))
		strcpy(ip, "?");
	if (with_len)
		snprintf(buf, len, "%s/%u", ip, p->cidr);
	else
		snprintf(buf, len, "%s", ip);
	return buf;
}
