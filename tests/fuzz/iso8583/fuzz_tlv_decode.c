// SPDX-License-Identifier: MIT
/*
 * libFuzzer: BER-TLV validation, search and walking.  Whatever validates
 * must walk to the end without error, and re-encoding each top-level object
 * with a minimal length must parse back to the same tag and value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iso8583/printer.h"
#include "iso8583/tlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[70000];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 0;
	struct tlv t, found;
	FILE *null;

	tlv_find(data, size, 0x57, &found);
	if (tlv_validate(data, size, NULL))
		return 0;
	while (tlv_next(data, size, &pos, &t) == TLV_OK) {
		size_t n = 0, back = 0;
		struct tlv u;

		if (tlv_encode(t.tag, t.value, t.len, out, sizeof(out), &n))
			continue;	/* a non-canonical tag cannot be rebuilt */
		if (tlv_next(out, n, &back, &u) || u.tag != t.tag ||
		    u.len != t.len || memcmp(u.value, t.value, t.len))
			abort();
	}
	if (pos != size)
		abort();
	null = fopen("/dev/null", "w");
	if (null) {
		iso_print_tlv(null, data, size);
		fclose(null);
	}
	return 0;
}
