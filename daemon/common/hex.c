// SPDX-License-Identifier: MIT
#include "common/hex.h"

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t size)
{
	if (hex_len % 2)
		return -1;
	for (size_t i = 0; i < hex_len; i++)
		if (nibble(hex[i]) < 0)
			return -1;
	if (hex_len / 2 > size)
		return -2;
	for (size_t i = 0; i < hex_len / 2; i++)
		out[i] = (uint8_t)(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
	return (long)(hex_len / 2);
}

void hex_encode_digits(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
}

void hex_encode(const uint8_t *in, size_t len, char *out)
{
	hex_encode_digits(in, len, out);
	out[2 * len] = '\0';
}
