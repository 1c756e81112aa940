// SPDX-License-Identifier: GPL-2.0
/*
 * Node keys under OUTDIR/keys/NODE.key (base64, mode 0600), read with
 * tools/wg's key-file parser and made with crypto/'s Curve25519 clamping;
 * and writing any file that holds a secret: mode 0600 from the start,
 * written beside its place and renamed over it.  Private keys go to files
 * only, never to stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "curve25519.h"
#include "encoding.h"
#include "keystore.h"
#include "parse.h"

bool ks_write_private(const char *path, const char *text, size_t len)
{
	char tmp[4096];
	int fd;
	bool ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >= sizeof(tmp))
		return false;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
		return false;
	}
	ok = !fchmod(fd, 0600) && write(fd, text, len) == (ssize_t)len;
	ok = !close(fd) && ok;
	if (ok && rename(tmp, path))
		ok = false;
	if (!ok) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	return ok;
}

bool ks_mkdir(const char *path)
{
	if (mkdir(path, 0700) && errno != EEXIST) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}

void ks_path(char *buf, size_t len, const char *dir, const char *node)
{
	snprintf(buf, len, "%s/keys/%s.key", dir, node);
}

bool ks_generate(uint8_t priv[WG_KEY_LEN])
{
	size_t got = 0;

	while (got < WG_KEY_LEN) {
		ssize_t r = getrandom(priv + got, WG_KEY_LEN - got, 0);

		if (r < 0 && errno != EINTR) {
			perror("getrandom");
			return false;
		}
		if (r > 0)
			got += (size_t)r;
	}
	wg_curve25519_clamp_secret(priv);
	return true;
}

int ks_load(const char *dir, const char *node, uint8_t priv[WG_KEY_LEN])
{
	char path[4096];

	ks_path(path, sizeof(path), dir, node);
	if (access(path, F_OK))
		return 0;
	if (!wg_parse_keyfile(priv, path, true) || wg_key_is_zero(priv))
		return -1;
	return 1;
}

bool ks_store(const char *dir, const char *node, const uint8_t priv[WG_KEY_LEN])
{
	char path[4096], b64[WG_B64_KEY_LEN + 2];
	bool ok;

	ks_path(path, sizeof(path), dir, node);
	wg_key_to_base64(b64, priv);
	b64[WG_B64_KEY_LEN] = '\n';
	ok = ks_write_private(path, b64, WG_B64_KEY_LEN + 1);
	memset(b64, 0, sizeof(b64));
	return ok;
}
