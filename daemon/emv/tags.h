/* SPDX-License-Identifier: MIT */
/*
 * What the library knows about EMV data objects (Book 3 Annex A): format
 * and allowed length, used to reject card data of an impossible size and to
 * pad or truncate values in DOL-built data (Book 3 5.4).
 */
#ifndef PAYCARD_EMV_TAGS_H
#define PAYCARD_EMV_TAGS_H

#include <stddef.h>
#include <stdint.h>

enum emv_format {
	EMV_FMT_B,	/* binary */
	EMV_FMT_N,	/* BCD numeric, right justified, leading zeros */
	EMV_FMT_CN,	/* compressed numeric, left justified, trailing F */
	EMV_FMT_AN,	/* alphanumeric (text) */
};

struct emv_tag_info {
	uint32_t tag;
	enum emv_format format;
	uint16_t min_len, max_len;	/* bytes */
};

/* The description of @tag, or NULL for a tag the library does not know
 * (treated as binary of any length). */
const struct emv_tag_info *emv_tag_info(uint32_t tag);

#endif
