// SPDX-License-Identifier: MIT
/* A swipe as ReadCard takes it (daemon/paycardd/session/card_session.c), on
 * arbitrary reader data: the EMV track 2 parse, then the mask.  The masked
 * result keeps exactly the first 6 and last 4 digits of the parsed PAN and
 * stars the rest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pan.h"
#include "emv/track.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emv_track card;
	char out[20];
	size_t n;

	if (emv_track2_parse((const char *)data, size, &card) == EMV_OK &&
	    pan_mask(card.pan, strlen(card.pan), out, sizeof(out))) {
		n = strlen(card.pan);
		if (strlen(out) != n || memcmp(out, card.pan, 6) != 0 ||
		    memcmp(out + n - 4, card.pan + n - 4, 4) != 0)
			abort();
		for (size_t i = 6; i < n - 4; i++)
			if (out[i] != '*')
				abort();
	}
	emv_track_wipe(&card);
	return 0;
}
