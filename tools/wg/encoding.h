/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key encodings: base64 (what users see and write) and hex (the UAPI
 * protocol), in and out, without branching on key material.
 */
#ifndef WG_TOOL_ENCODING_H
#define WG_TOOL_ENCODING_H

#include <stdbool.h>
#include <stdint.h>
#include "device.h"

/* out must hold WG_B64_KEY_LEN + 1 bytes. */
void wg_key_to_base64(char out[WG_B64_KEY_LEN + 1], const uint8_t key[WG_KEY_LEN]);
/* Accepts exactly the canonical 44-character encoding of 32 bytes. */
bool wg_key_from_base64(uint8_t key[WG_KEY_LEN], const char *in);
void wg_key_to_hex(char out[WG_HEX_KEY_LEN + 1], const uint8_t key[WG_KEY_LEN]);
bool wg_key_from_hex(uint8_t key[WG_KEY_LEN], const char *in);

#endif
