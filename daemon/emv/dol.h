/* SPDX-License-Identifier: MIT */
/*
 * Data object lists (PDOL 9F38, CDOL1 8C, CDOL2 8D): a list of tag +
 * length pairs the card asks for; the terminal answers with the values
 * concatenated, each padded or truncated to the requested length per EMV
 * Book 3 5.4 (numeric: left-padded with zeros, leftmost digits dropped;
 * compressed numeric: right-padded with FF; others: right-padded with zeros,
 * rightmost bytes dropped; unknown or constructed: zeros).
 */
#ifndef PAYCARD_EMV_DOL_H
#define PAYCARD_EMV_DOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emv/data.h"

/* Read the entry at *@pos of @dol: its tag and requested length. */
enum emv_status emv_dol_next(const uint8_t *dol, size_t dol_len, size_t *pos,
			     uint32_t *tag, size_t *len);

/*
 * Build the DOL-related data of @dol into @out.  Values are looked up in
 * @sources in order (e.g. terminal data, then card data).
 */
enum emv_status emv_dol_build(const uint8_t *dol, size_t dol_len,
			      const struct emv_data *const *sources,
			      size_t n_sources, uint8_t *out, size_t size,
			      size_t *out_len);

/*
 * The DOL-related data the terminal sent in GET PROCESSING OPTIONS and the
 * GENERATE ACs, in order: CDA hashes it (Book 2 6.6.1).  Commands append
 * to it when given one; too much data marks it unusable.
 */
struct emv_dol_trail {
	uint8_t buf[3 * 252];
	size_t len;
	bool overflow;
};

void emv_dol_trail_add(struct emv_dol_trail *trail, const uint8_t *data,
		       size_t len);

/* Whether @dol asks for @tag (for CDOL2 and tag 91). */
bool emv_dol_contains(const uint8_t *dol, size_t dol_len, uint32_t tag);

#endif
