// SPDX-License-Identifier: GPL-2.0
/*
 * Key encodings.  Keys are secrets, so the conversions avoid table
 * lookups and branches indexed by key material: every character class is
 * computed arithmetically with masks.
 */
#include <string.h>

#include "encoding.h"

/* -1 when lo <= c <= hi, else 0; arguments are small non-negative ints. */
static inline int in_range(int c, int lo, int hi)
{
	return ((lo - 1 - c) & (c - hi - 1)) >> 8;
}

static char b64_char(unsigned int v)
{
	int c = (int)v, out = c + 'A';

	out += in_range(c, 26, 51) & ('a' - 'A' - 26);
	out += in_range(c, 52, 61) & ('0' - 'A' - 52);
	out += in_range(c, 62, 62) & ('+' - 'A' - 62);
	out += in_range(c, 63, 63) & ('/' - 'A' - 63);
	return (char)out;
}

/* Value of a base64 digit, or -1. */
static int b64_value(unsigned char ch)
{
	int c = ch, v = -1;

	v += in_range(c, 'A', 'Z') & (c - 'A' + 1);
	v += in_range(c, 'a', 'z') & (c - 'a' + 27);
	v += in_range(c, '0', '9') & (c - '0' + 53);
	v += in_range(c, '+', '+') & 63;
	v += in_range(c, '/', '/') & 64;
	return v;
}

void wg_key_to_base64(char out[WG_B64_KEY_LEN + 1], const uint8_t key[WG_KEY_LEN])
{
	size_t o = 0;

	for (size_t i = 0; i < 30; i += 3) {
		uint32_t w = (uint32_t)key[i] << 16 | (uint32_t)key[i + 1] << 8 | key[i + 2];

		out[o++] = b64_char((w >> 18) & 63);
		out[o++] = b64_char((w >> 12) & 63);
		out[o++] = b64_char((w >> 6) & 63);
		out[o++] = b64_char(w & 63);
	}
	{
		uint32_t w = (uint32_t)key[30] << 16 | (uint32_t)key[31] << 8;

		out[o++] = b64_char((w >> 18) & 63);
		out[o++] = b64_char((w >> 12) & 63);
		out[o++] = b64_char((w >> 6) & 63);
		out[o++] = '=';
	}
	out[o] = '\0';
}

bool wg_key_from_base64(uint8_t key[WG_KEY_LEN], const char *in)
{
	uint8_t out[WG_KEY_LEN];
	int bad = 0;
	size_t o = 0;

	if (strlen(in) != WG_B64_KEY_LEN || in[WG_B64_KEY_LEN - 1] != '=')
		return false;
	for (size_t i = 0; i < 40; i += 4) {
		int a = b64_value((unsigned char)in[i]), b = b64_value((unsigned char)in[i + 1]);
		int c = b64_value((unsigned char)in[i + 2]), d = b64_value((unsigned char)in[i + 3]);
		uint32_t w;

		bad |= a | b | c | d;
		w = (uint32_t)(a & 63) << 18 | (uint32_t)(b & 63) << 12 | (uint32_t)(c & 63) << 6 | (uint32_t)(d & 63);
		out[o++] = (uint8_t)(w >> 16);
		out[o++] = (uint8_t)(w >> 8);
		out[o++] = (uint8_t)w;
	}
	{
		int a = b64_value((unsigned char)in[40]), b = b64_value((unsigned char)in[41]);
		int c = b64_value((unsigned char)in[42]);
		uint32_t w;

		bad |= a | b | c;
		/* The last digit carries 2 unused bits that must be zero. */
		bad |= -(c & 3);
		w = (uint32_t)(a & 63) << 18 | (uint32_t)(b & 63) << 12 | (uint32_t)(c & 63) << 6;
		out[o++] = (uint8_t)(w >> 16);
		out[o++] = (uint8_t)(w >> 8);
	}
	if (bad < 0) {
		memset(out, 0, sizeof(out));
		return false;
	}
	memcpy(key, out, WG_KEY_LEN);
	memset(out, 0, sizeof(out));
	return true;
}

void wg_key_to_hex(char out[WG_HEX_KEY_LEN + 1], const uint8_t key[WG_KEY_LEN])
{
	for (size_t i = 0; i < WG_KEY_LEN; ++i) {
		int hi = key[i] >> 4, lo = key[i] & 15;

		/* digit + '0', plus 39 more when >= 10 to land on 'a' */
		out[i * 2] = (char)(hi + '0' + (in_range(hi, 10, 15) & ('a' - '0' - 10)));
		out[i * 2 + 1] = (char)(lo + '0' + (in_range(lo, 10, 15) & ('a' - '0' - 10)));
	}
	out[WG_HEX_KEY_LEN] = '\0';
}

static int hex_value(unsigned char ch)
{
	int c = ch, v = -1;

	v += in_range(c, '0', '9') & (c - '0' + 1);
	v += in_range(c, 'a', 'f') & (c - 'a' + 11);
	v += in_range(c, 'A', 'F') & (c - 'A' + 11);
	return v;
}

bool wg_key_from_hex(uint8_t key[WG_KEY_LEN], const char *in)
{
	uint8_t out[WG_KEY_LEN];
	int bad = 0;

	if (strlen(in) != WG_HEX_KEY_LEN)
		return false;
	for (size_t i = 0; i < WG_KEY_LEN; ++i) {
		int hi = hex_value((unsigned char)in[i * 2]), lo = hex_value((unsigned char)in[i * 2 + 1]);

		bad |= hi | lo;
		out[i] = (uint8_t)((hi & 15) << 4 | (lo & 15));
	}
	if (bad < 0) {
		memset(out, 0, sizeof(out));
		return false;
	}
	memcpy(key, out, WG_KEY_LEN);
	memset(out, 0, sizeof(out));
	return true;
}
