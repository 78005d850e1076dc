// SPDX-License-Identifier: MIT
#include "emv/field55.h"
#include "iso8583/tlv.h"

/* UnionPay terminal specification, field 55 of a financial request. */
static const struct emv_field55_tag cup_request_tags[] = {
	{ 0x9f26, true }, { 0x9f27, true }, { 0x9f10, true },
	{ 0x9f37, true }, { 0x9f36, true }, { 0x95, true },
	{ 0x9a, true }, { 0x9c, true }, { 0x9f02, true },
	{ 0x5f2a, true }, { 0x82, true }, { 0x9f1a, true },
	{ 0x9f03, false }, { 0x9f33, false }, { 0x9f34, false },
	{ 0x9f35, false }, { 0x9f1e, false }, { 0x84, false },
	{ 0x9f09, false }, { 0x9f41, false }, { 0x9f63, false },
};

static const struct emv_field55_tag cup_reversal_tags[] = {
	{ 0x95, true }, { 0x9f1e, false }, { 0x9f10, false },
	{ 0x9f36, false }, { 0xdf31, false },
};

const struct emv_field55_list emv_field55_cup_request = {
	cup_request_tags, sizeof(cup_request_tags) / sizeof(cup_request_tags[0])
};
const struct emv_field55_list emv_field55_cup_reversal = {
	cup_reversal_tags,
	sizeof(cup_reversal_tags) / sizeof(cup_reversal_tags[0])
};

enum emv_status emv_field55_build(const struct emv_field55_list *list,
				  const struct emv_data *const *sources,
				  size_t n_sources, uint8_t *out, size_t size,
				  size_t *out_len)
{
	size_t pos = 0;

	if (!list || !sources || !out || !out_len)
		return EMV_E_ARGUMENT;
	for (size_t i = 0; i < list->n; i++) {
		const struct emv_object *o =
			emv_data_lookup(sources, n_sources, list->tags[i].tag);

		if (!o) {
			if (list->tags[i].mandatory)
				return EMV_E_MISSING_TAG;
			continue;
		}
		if (tlv_encode(o->tag, o->value, o->len, out, size, &pos))
			return EMV_E_BUFFER;
	}
	*out_len = pos;
	return EMV_OK;
}
