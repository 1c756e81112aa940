// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: tools/wg's configuration-file parser (the text given
 * to setconf/addconf/syncconf).  The first byte picks setconf or addconf
 * semantics; the rest is the file.  Whatever the parser accepts must be a
 * request the tool could send: every peer keyed, prefixes within their
 * family, ports and keepalives in range.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "parse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	wg_test_hooks_install(true);
	/* The parser's messages are expected; sanitizer reports use fd 2. */
	stderr = fopen("/dev/null", "w");
	return 0;
}

static void check_request(const struct wg_dev *dev)
{
	for (size_t i = 0; i < dev->npeers; ++i) {
		const struct wg_peer *p = &dev->peers[i];

		if (!(p->flags & PEER_HAS_PUBLIC_KEY))
			abort();
		if (p->naips > p->aips_cap)
			abort();
		for (size_t j = 0; j < p->naips; ++j) {
			const struct wg_aip *a = &p->aips[j];

			if (!(a->family == AF_INET && a->cidr <= 32) && !(a->family == AF_INET6 && a->cidr <= 128))
				abort();
			if (a->flags & ~(uint32_t)AIP_REMOVE)
				abort();
		}
		if (p->endpoint.sa.sa_family != AF_UNSPEC && !wg_endpoint_is_set(&p->endpoint))
			abort();
		/* The same key twice is refused. */
		for (size_t k = i + 1; k < dev->npeers && k < i + 64; ++k)
			if (!memcmp(p->public_key, dev->peers[k].public_key, WG_KEY_LEN))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wg_dev *dev;
	bool append;

	if (size < 1)
		return 0;
	append = data[0] & 1;
	dev = wg_dev_new();
	if (!dev)
		return 0;
	wg_dev_set_name(dev, "wgfuzz0");
	if (wg_config_parse_buffer(dev, (const char *)data + 1, size - 1, append, "fuzz.conf"))
		check_request(dev);
	wg_dev_free(dev);
	return 0;
}
