// SPDX-License-Identifier: MIT
/*
 * libFuzzer: strict hex parsing (daemon/common/hex.c), the first thing
 * every paycard-tool argument goes through.  Accepted text must re-encode
 * to itself (upper-cased); rejected text must hold an odd length or a
 * non-hex character; the output buffer is never overrun.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common/hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t room = size / 2 > 0 && data[0] % 2 ? size / 2 - 1 : size / 2;
	char *text = malloc(size ? size : 1), *again;
	uint8_t *out = malloc(room ? room : 1);
	bool valid = size % 2 == 0;
	long n;

	memcpy(text, data, size);
	for (size_t i = 0; i < size; i++)
		valid = valid && isxdigit((unsigned char)text[i]);
	n = hex_decode(text, size, out, room);
	if (n != (!valid ? -1 : size / 2 > room ? -2 : (long)(size / 2)))
		abort();
	if (n >= 0) {
		again = malloc(size + 1);
		hex_encode(out, (size_t)n, again);
		for (size_t i = 0; i < size; i++)
			if (again[i] != toupper((unsigned char)text[i]))
				abort();
		free(again);
	}
	free(text);
	free(out);
	return 0;
}
