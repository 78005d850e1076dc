/* SPDX-License-Identifier: MIT */
/*
 * The card data the transaction needs, extracted and checked from the card
 * data store after the records are read (Book 3 7.2 mandatory objects).
 * Holds the PAN and track 2 equivalent: wipe with emv_card_wipe().
 */
#ifndef PAYCARD_EMV_CARD_H
#define PAYCARD_EMV_CARD_H

#include <stdbool.h>
#include <stdint.h>
#include "emv/data.h"

struct emv_date {
	uint8_t yy, mm, dd;	/* binary values, from BCD YYMMDD */
};

struct emv_card_info {
	char pan[20];			/* digits, NUL-terminated */
	int psn;			/* 5F34, -1 when absent */
	struct emv_date expiry;		/* 5F24 */
	struct emv_date effective;	/* 5F25 */
	bool has_effective;
	char name[27];			/* 5F20, empty when absent */
	char track2[38];		/* 57 as ISO 7813 text ('=' separator) */
	uint8_t aip[2];			/* 82 */
};

/*
 * Fill @out from @icc.  Mandatory: 5A, 5F24, 8C, 8D, 82 (EMV_E_MISSING_TAG);
 * bad BCD or dates are EMV_E_DATA_FORMAT, a PAN outside 12..19 digits
 * EMV_E_PAN_LENGTH.
 */
enum emv_status emv_card_extract(const struct emv_data *icc,
				 struct emv_card_info *out);

/* Decode BCD YYMMDD; EMV_E_DATA_FORMAT when not a calendar-like date. */
enum emv_status emv_date_decode(const uint8_t bcd[3], struct emv_date *out);

/* -1, 0, 1 as @a is before, equal to, after @b (years 2000..2099). */
int emv_date_compare(const struct emv_date *a, const struct emv_date *b);

void emv_card_wipe(struct emv_card_info *card);

#endif
