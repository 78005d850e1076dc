// SPDX-License-Identifier: MIT
/*
 * libFuzzer: whole-frame decoding in every dialect.  The first byte picks
 * the dialect; the rest is the frame.  A frame that decodes must re-encode
 * and decode again to the same message, and printing it must not crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iso8583/iso8583.h"
#include "iso8583/printer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct iso_msg first, second;
static uint8_t out[ISO_FRAME_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct iso_dialect *const dialects[] = {
		&iso_dialect_cup, &iso_dialect_cup_bare, &iso_dialect_ascii,
	};
	const struct iso_dialect *d;
	struct iso_envelope env;
	size_t len;
	FILE *null;

	if (size < 1)
		return 0;
	d = dialects[data[0] % 3];
	if (iso_frame_decode(d, data + 1, size - 1, &env, &first, NULL))
		return 0;
	if (iso_frame_encode(d, &env, &first, out, sizeof(out), &len, NULL))
		abort();
	if (iso_frame_decode(d, out, len, NULL, &second, NULL))
		abort();
	if (strcmp(first.mti, second.mti))
		abort();
	for (int k = 2; k <= ISO_MAX_FIELD; k++) {
		size_t a, b;
		const uint8_t *va = iso_msg_get(&first, k, &a);
		const uint8_t *vb = iso_msg_get(&second, k, &b);

		if (!va != !vb || (va && (a != b || memcmp(va, vb, a))))
			abort();
	}
	null = fopen("/dev/null", "w");
	if (null) {
		iso_print(null, d, &env, &first, ISO_PRINT_JSON);
		fclose(null);
	}
	return 0;
}
