// SPDX-License-Identifier: GPL-2.0
/*
 * Keys: deriving a public key with the project's Curve25519 (crypto/, as a
 * userspace library), and the genkey, genpsk and pubkey commands, which
 * read the kernel's random source and print base64.
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
#include "cpu.h"
#include "curve25519.h"

#include "encoding.h"
#include "keys.h"
#include "wg.h"

void wg_keys_init(void)
{
	wg_crypto_cpu_init(getenv("WG_CRYPTO_DISABLE"));
}

void wg_public_from_private(uint8_t pub[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN])
{
	u8 secret[WG_KEY_LEN];

	memcpy(secret, priv, WG_KEY_LEN);
	wg_curve25519_clamp_secret(secret);
	if (!wg_curve25519_generate_public(pub, secret))
		memset(pub, 0, WG_KEY_LEN);
	memset(secret, 0, sizeof(secret));
}

static bool fill_random(uint8_t *out, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = getrandom(out + got, len - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
	if (got == len)
		return true;
	{
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return false;
		while (got < len) {
			ssize_t r = read(fd, out + got, len - got);

			if (r <= 0) {
				if (r < 0 && errno == EINTR)
					continue;
				close(fd);
				return false;
			}
			got += (size_t)r;
		}
		close(fd);
	}
	return true;
}

int genkey_main(int argc, const char *argv[])
{
	uint8_t key[WG_KEY_LEN];
	char b64[WG_B64_KEY_LEN + 1];
	struct stat st;

	if (argc != 1) {
		fprintf(stderr, "Usage: %s %s\n", wg_prog_name, argv[0]);
		return 1;
	}
	if (!fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode) && (st.st_mode & S_IRWXO))
		fputs("Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n",
		      stderr);
	if (!fill_random(key, sizeof(key))) {
		perror("getrandom");
		return 1;
	}
	if (!strcmp(argv[0], "genkey"))
		wg_curve25519_clamp_secret(key);
	wg_key_to_base64(b64, key);
	puts(b64);
	memset(key, 0, sizeof(key));
	memset(b64, 0, sizeof(b64));
	return 0;
}

int pubkey_main(int argc, const char *argv[])
{
	uint8_t key[WG_KEY_LEN];
	char b64[WG_B64_KEY_LEN + 1];
	int c;

	if (argc != 1) {
		fprintf(stderr, "Usage: %s %s\n", wg_prog_name, argv[0]);
		return 1;
	}
	if (fread(b64, 1, WG_B64_KEY_LEN, stdin) != WG_B64_KEY_LEN) {
		fprintf(stderr, "%s: Key is not the correct length or format\n", wg_prog_name);
		return 1;
	}
	b64[WG_B64_KEY_LEN] = '\0';
	/* Only whitespace (and NULs) may follow the key. */
	while ((c = getchar()) != EOF) {
		if (c == '\0' || c == ' ' || (c >= '\t' && c <= '\r'))
			continue;
		fprintf(stderr, "%s: Trailing characters found after key\n", wg_prog_name);
		return 1;
	}
	if (!wg_key_from_base64(key, b64)) {
		fprintf(stderr, "%s: Key is not the correct length or format\n", wg_prog_name);
		memset(b64, 0, sizeof(b64));
		return 1;
	}
	wg_public_from_private(key, key);
	wg_key_to_base64(b64, key);
	puts(b64);
	return 0;
}
