/* SPDX-License-Identifier: MIT */
/* Hex test vectors in, hex compared: the one unhex of the unit tests. */
#ifndef PAYCARD_TEST_HEX_H
#define PAYCARD_TEST_HEX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/hex.h"

/* Decode a test vector (must be valid hex) and return its length. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t size)
{
	long n = hex_decode(hex, strlen(hex), out, size);

	assert_true(n >= 0);
	return (size_t)n;
}

/* Compare @len bytes at @buf with the upper-case hex vector @hex. */
#define assert_hex(buf, len, hex) do {					\
		char text_[2 * 64 + 1];					\
		assert_true((len) <= 64);				\
		hex_encode((buf), (len), text_);			\
		assert_string_equal(text_, (hex));			\
	} while (0)

#endif
