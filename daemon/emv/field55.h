/* SPDX-License-Identifier: MIT */
/*
 * ISO 8583 field 55 (ICC system related data): the BER-TLV objects the
 * acquirer wants, taken from the card and terminal data stores in the
 * order of a tag list.
 */
#ifndef PAYCARD_EMV_FIELD55_H
#define PAYCARD_EMV_FIELD55_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emv/data.h"

struct emv_field55_tag {
	uint32_t tag;
	bool mandatory;
};

struct emv_field55_list {
	const struct emv_field55_tag *tags;
	size_t n;
};

/* UnionPay online authorisation request (sale, pre-auth, balance). */
extern const struct emv_field55_list emv_field55_cup_request;
/* UnionPay reversal (0400) after an ARQC: TVR, IAD, IFD, ATC, script results. */
extern const struct emv_field55_list emv_field55_cup_reversal;

/*
 * Encode the objects of @list found in @sources (first hit wins) into
 * @out.  EMV_E_MISSING_TAG when a mandatory one is absent, EMV_E_BUFFER
 * when @size is too small.
 */
enum emv_status emv_field55_build(const struct emv_field55_list *list,
				  const struct emv_data *const *sources,
				  size_t n_sources, uint8_t *out, size_t size,
				  size_t *out_len);

#endif
