/* SPDX-License-Identifier: GPL-2.0 */
/* Node keys under OUTDIR/keys/ and files holding secrets (keystore.c). */
#ifndef WG_MESH_KEYSTORE_H
#define WG_MESH_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"

bool ks_write_private(const char *path, const char *text, size_t len);
bool ks_mkdir(const char *path);
void ks_path(char *buf, size_t len, const char *dir, const char *node);
bool ks_generate(uint8_t priv[WG_KEY_LEN]);
/* 1: loaded, 0: no key file, -1: a key file that is not a key (after a message). */
int ks_load(const char *dir, const char *node, uint8_t priv[WG_KEY_LEN]);
bool ks_store(const char *dir, const char *node, const uint8_t priv[WG_KEY_LEN]);

#endif
