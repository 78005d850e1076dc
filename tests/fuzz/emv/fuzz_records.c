// SPDX-License-Identifier: MIT
/*
 * Card data parsers on arbitrary bytes: a READ RECORD answer (70
 * template) and the card data extracted from it, an AFL, a DOL built
 * from the parsed objects.  The first byte picks the parser so one corpus
 * covers them all.
 */
#include <stddef.h>
#include <stdint.h>

#include "emv/card.h"
#include "emv/dol.h"
#include "emv/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct emv_data icc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emv_afl_entry afl[EMV_AFL_MAX_ENTRIES];
	struct emv_card_info card;
	const struct emv_data *src[] = { &icc };
	uint8_t out[512];
	size_t n;

	if (size < 1)
		return 0;
	emv_data_init(&icc);
	switch (data[0] % 3) {
	case 0:
		if (emv_record_parse(&icc, data + 1, size - 1) == EMV_OK)
			emv_card_extract(&icc, &card);
		break;
	case 1:
		emv_afl_parse(data + 1, size - 1, afl, &n);
		break;
	case 2:
		/* the input is both the DOL and (as a record) its sources */
		emv_data_parse_list(&icc, data + 1, size - 1);
		emv_dol_build(data + 1, size - 1, src, 1, out, sizeof(out), &n);
		break;
	}
	emv_data_wipe(&icc);
	return 0;
}
