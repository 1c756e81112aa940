// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change a device: `wg set' (arguments), and `wg
 * setconf', `addconf' and `syncconf' (a configuration file; syncconf
 * compares it with the running device and removes what the file lacks).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipc.h"
#include "parse.h"
#include "wg.h"

static int apply(struct wg_dev *dev)
{
	if (wg_ipc_check_aip_removal(dev))
		return 1;
	if (wg_ipc_set(dev)) {
		perror("Unable to modify interface");
		return 1;
	}
	return 0;
}

int set_main(int argc, const char *argv[])
{
	struct wg_dev *dev;
	int ret = 1;

	if (argc < 3) {
		fprintf(stderr, "Usage: %s %s <interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>] [peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>] [persistent-keepalive <interval seconds>] [allowed-ips <ip1>/<cidr1>[,<ip2>/<cidr2>]...] ]...\n",
			wg_prog_name, argv[0]);
		return 1;
	}
	if (!wg_interface_name_ok(argv[1]))
		return 1;
	dev = wg_dev_new();
	if (!dev)
		return 1;
	wg_dev_set_name(dev, argv[1]);
	if (wg_parse_set_args(dev, argc - 2, argv + 2))
		ret = apply(dev);
	wg_dev_free(dev);
	return ret;
}

static bool same_aips(const struct wg_peer *want, const struct wg_peer *have)
{
	if (want->naips != have->naips)
		return false;
	for (size_t i = 0; i < want->naips; ++i) {
		const struct wg_aip *a = &want->aips[i], *b = &have->aips[i];
		unsigned int bytes = a->family == AF_INET ? 4 : 16;

		if (a->flags || a->family != b->family || a->cidr != b->cidr)
			return false;
		/* Compare the prefixes as stored: host bits masked off. */
		for (unsigned int k = 0; k < bytes; ++k) {
			unsigned int bit = k * 8;
			uint8_t mask = a->cidr >= bit + 8 ? 0xff : a->cidr <= bit ? 0 : (uint8_t)(0xff << (8 - (a->cidr - bit)));

			if ((a->addr.raw[k] & mask) != (b->addr.raw[k] & mask))
				return false;
		}
	}
	return true;
}

static int key_cmp(const void *x, const void *y)
{
	return memcmp(((const struct wg_peer *)x)->public_key, ((const struct wg_peer *)y)->public_key, WG_KEY_LEN);
}

static const struct wg_peer *find_peer(const struct wg_peer *sorted, size_t n, const uint8_t key[WG_KEY_LEN])
{
	struct wg_peer probe;

	memcpy(probe.public_key, key, WG_KEY_LEN);
	return bsearch(&probe, sorted, n, sizeof(*sorted), key_cmp);
}

/*
 * Turn a full configuration into the smallest change against what is
 * running: peers absent from the file are removed, every other peer is
 * updated in place (so its sessions survive), and allowed IPs are only
 * replaced where they differ.
 */
static bool sync_with_runtime(struct wg_dev *file)
{
	struct wg_dev *run = NULL, *out;
	struct wg_peer *file_sorted = NULL;
	size_t nfile = file->npeers;
	bool ok = false;

	if (!file->npeers)
		return true;	/* keep REPLACE_PEERS: the file wants no peers */
	if (wg_ipc_get(&run, file->name)) {
		perror("Unable to retrieve current interface configuration");
		return false;
	}
	if (!run->npeers) {
		wg_dev_free(run);
		return true;
	}
	file->flags &= ~DEV_REPLACE_PEERS;
	qsort(run->peers, run->npeers, sizeof(*run->peers), key_cmp);
	file_sorted = malloc(nfile * sizeof(*file_sorted));
	if (!file_sorted) {
		perror("malloc");
		goto out;
	}
	memcpy(file_sorted, file->peers, nfile * sizeof(*file_sorted));
	qsort(file_sorted, nfile, sizeof(*file_sorted), key_cmp);

	for (size_t i = 0; i < nfile; ++i) {
		struct wg_peer *p = &file->peers[i];
		const struct wg_peer *r = find_peer(run->peers, run->npeers, p->public_key);

		if (!r)
			continue;
		if ((r->flags & PEER_HAS_PSK) && !(p->flags & PEER_HAS_PSK)) {
			memset(p->preshared_key, 0, WG_KEY_LEN);
			p->flags |= PEER_HAS_PSK;
		}
		if (r->keepalive && !(p->flags & PEER_HAS_KEEPALIVE)) {
			p->keepalive = 0;
			p->flags |= PEER_HAS_KEEPALIVE;
		}
		if ((p->flags & PEER_REPLACE_AIPS) && same_aips(p, r)) {
			p->flags &= ~PEER_REPLACE_AIPS;
			p->naips = 0;
		}
	}

	/* Removals first, then the file's peers in file order. */
	out = wg_dev_new();
	if (!out)
		goto out;
	/* Descending key order, as the reference tool happens to send them. */
	for (size_t k = run->npeers; k-- > 0;) {
		size_t i = k;
		struct wg_peer *rm;

		if (find_peer(file_sorted, nfile, run->peers[i].public_key))
			continue;
		rm = wg_dev_add_peer(out);
		if (!rm) {
			wg_dev_free(out);
			goto out;
		}
		memcpy(rm->public_key, run->peers[i].public_key, WG_KEY_LEN);
		rm->flags = PEER_HAS_PUBLIC_KEY | PEER_REMOVE;
	}
	for (size_t i = 0; i < nfile; ++i) {
		struct wg_peer *dst = wg_dev_add_peer(out);

		if (!dst) {
			wg_dev_free(out);
			goto out;
		}
		*dst = file->peers[i];
	}
	/* Hand the merged peer array (which now owns the allowed IPs) over. */
	free(file->peers);
	file->peers = out->peers;
	file->npeers = out->npeers;
	file->peers_cap = out->peers_cap;
	out->peers = NULL;
	out->npeers = out->peers_cap = 0;
	wg_dev_free(out);
	ok = true;
out:
	free(file_sorted);
	wg_dev_free(run);
	return ok;
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (;;) {
		size_t r;

		if (n == cap) {
			char *b = realloc(buf, cap * 2);

			if (!b) {
				free(buf);
				return NULL;
			}
			buf = b;
			cap *= 2;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int setconf_main(int argc, const char *argv[])
{
	struct wg_dev *dev = NULL;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret = 1;
	bool append = !strcmp(argv[0], "addconf"), sync = !strcmp(argv[0], "syncconf");

	if (argc != 3) {
		fprintf(stderr, "Usage: %s %s <interface> <configuration filename>\n", wg_prog_name, argv[0]);
		return 1;
	}
	if (!wg_interface_name_ok(argv[1]))
		return 1;
	f = fopen(argv[2], "r");
	if (!f) {
		fprintf(stderr, "Unable to open configuration file `%s': %s\n", argv[2], strerror(errno));
		return 1;
	}
	text = read_all(f, &len);
	if (!text) {
		fprintf(stderr, "Unable to read configuration file `%s': %s\n", argv[2], strerror(errno));
		fclose(f);
		return 1;
	}
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) && (st.st_mode & S_IRWXO) &&
	    (strcasestr(text, "PrivateKey") || strcasestr(text, "PresharedKey")))
		fprintf(stderr, "Warning: `%s' is world accessible\n", argv[2]);
	fclose(f);
	dev = wg_dev_new();
	if (!dev)
		goto out;
	wg_dev_set_name(dev, argv[1]);
	if (!wg_config_parse_buffer(dev, text, len, append, argv[2]))
		goto out;
	if (sync && !sync_with_runtime(dev))
		goto out;
	ret = apply(dev);
out:
	if (text) {
		memset(text, 0, len);
		free(text);
	}
	wg_dev_free(dev);
	return ret;
}
