// SPDX-License-Identifier: MIT
/* Track 2 PAN extraction and masking on arbitrary reader data: the masked
 * result never shows more than the first 6 and last 4 digits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/card_pan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *track = (const char *)data;
	size_t pan_len = track2_pan_length(track, size);
	size_t start = size > 0 && track[0] == ';';
	char out[20];

	if (pan_len > size)
		abort();
	if (pan_len && pan_mask(track + start, pan_len, out, sizeof(out))) {
		if (strlen(out) != pan_len)
			abort();
		for (size_t i = 6; i < pan_len - 4; i++)
			if (out[i] != '*')
				abort();
	}
	return 0;
}
