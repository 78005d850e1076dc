// SPDX-License-Identifier: MIT
/* ISO 7813 track 1 and track 2 parsers on arbitrary bytes; the first byte
 * picks the track. */
#include <stddef.h>
#include <stdint.h>

#include "emv/track.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emv_track t;
	enum emv_status st;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		st = emv_track1_parse((const char *)data + 1, size - 1, &t);
	else
		st = emv_track2_parse((const char *)data + 1, size - 1, &t);
	if (st == EMV_OK) {
		emv_swipe_decide(&t, false);
		emv_track_check_expiry(&t, 26, 11);
	}
	emv_track_wipe(&t);
	return 0;
}
