// SPDX-License-Identifier: MIT
/* Sub-fields of composite numeric fields (60, 61 in the UnionPay dialect):
 * consecutive fixed-length digit groups, trailing ones may be absent. */
#include <string.h>

#include "iso8583/iso8583.h"

enum iso_err iso_subfield_get(const struct iso_dialect *d,
			      const struct iso_msg *m, int field, int n,
			      char *out, size_t size)
{
	const struct iso_subfield *parts;
	size_t len, start = 0;
	const uint8_t *v;

	if (field < 2 || field > ISO_MAX_FIELD || n < 1)
		return ISO_ERR_INVALID_ARG;
	parts = d->fields[field].subfields;
	if (!parts)
		return ISO_ERR_INVALID_ARG;
	for (int i = 1; i < n; i++) {
		if (!parts[i - 1].digits)
			return ISO_ERR_INVALID_ARG;
		start += parts[i - 1].digits;
	}
	if (!parts[n - 1].digits)
		return ISO_ERR_INVALID_ARG;
	v = iso_msg_get(m, field, &len);
	if (!v || len < start + parts[n - 1].digits)
		return ISO_ERR_ABSENT;
	if (size < parts[n - 1].digits + 1u)
		return ISO_ERR_NO_SPACE;
	memcpy(out, v + start, parts[n - 1].digits);
	out[parts[n - 1].digits] = '\0';
	return ISO_OK;
}
