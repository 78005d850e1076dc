/* SPDX-License-Identifier: MIT */
/* Hex text <-> bytes, strict: used on every integrator-supplied value. */
#ifndef PAYCARD_COMMON_HEX_H
#define PAYCARD_COMMON_HEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse @hex (exactly @hex_len characters, upper or lower case, no spaces)
 * into @out.  Returns the byte count, or -1 when the text is odd-length or
 * holds a non-hex character, or -2 when it does not fit in @size bytes.
 */
long hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t size);

/* Write 2 * @len upper-case hex characters and a NUL into @out
 * (2 * @len + 1 bytes). */
void hex_encode(const uint8_t *in, size_t len, char *out);

/* The same characters without the NUL (2 * @len bytes): for a field of
 * fixed width inside a larger buffer. */
void hex_encode_digits(const uint8_t *in, size_t len, char *out);

#endif
