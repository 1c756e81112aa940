// SPDX-License-Identifier: GPL-2.0
/*
 * `wg showconf': the running configuration of a device, printed in the
 * configuration file format that setconf reads back.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "ipc.h"
#include "wg.h"

int showconf_main(int argc, const char *argv[])
{
	char key[WG_B64_KEY_LEN + 1], ip[INET6_ADDRSTRLEN], ep[1200];
	struct wg_dev *dev = NULL;

	if (argc != 2) {
		fprintf(stderr, "Usage: %s %s <interface>\n", wg_prog_name, argv[0]);
		return 1;
	}
	if (!wg_interface_name_ok(argv[1]))
		return 1;
	if (wg_ipc_get(&dev, argv[1])) {
		perror("Unable to access interface");
		return 1;
	}
	printf("[Interface]\n");
	if (dev->listen_port)
		printf("ListenPort = %u\n", dev->listen_port);
	if (dev->fwmark)
		printf("FwMark = 0x%x\n", dev->fwmark);
	if (dev->flags & DEV_HAS_PRIVATE_KEY) {
		wg_key_to_base64(key, dev->private_key);
		printf("PrivateKey = %s\n", key);
	}
	printf("\n");
	for (size_t i = 0; i < dev->npeers; ++i) {
		const struct wg_peer *p = &dev->peers[i];
		bool first = true;

		wg_key_to_base64(key, p->public_key);
		printf("[Peer]\nPublicKey = %s\n", key);
		if (p->flags & PEER_HAS_PSK) {
			wg_key_to_base64(key, p->preshared_key);
			printf("PresharedKey = %s\n", key);
		}
		if (p->naips)
			printf("AllowedIPs = ");
		for (size_t j = 0; j < p->naips; ++j) {
			const struct wg_aip *a = &p->aips[j];

			if (!inet_ntop(a->family, &a->addr, ip, sizeof(ip)))
				continue;
			printf("%s%s/%u", first ? "" : ", ", ip, a->cidr);
			first = false;
		}
		if (p->naips)
			printf("\n");
		if (wg_endpoint_is_set(&p->endpoint)) {
			bool ok;

			wg_endpoint_str(&p->endpoint, ep, sizeof(ep), &ok);
			if (ok)
				printf("Endpoint = %s\n", ep);
		}
		if (p->keepalive)
			printf("PersistentKeepalive = %u\n", p->keepalive);
		if (i + 1 < dev->npeers)
			printf("\n");
	}
	memset(key, 0, sizeof(key));
	wg_dev_free(dev);
	return 0;
}
