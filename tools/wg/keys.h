/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key derivation and the key commands (genkey, genpsk, pubkey): keys.c.
 */
#ifndef WG_TOOL_KEYS_H
#define WG_TOOL_KEYS_H

#include <stdint.h>
#include "device.h"

/* Public key of a private key (clamped on a copy), via the project's crypto/. */
void wg_public_from_private(uint8_t pub[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN]);
void wg_keys_init(void);

int genkey_main(int argc, const char *argv[]);
int pubkey_main(int argc, const char *argv[]);

#endif
