// SPDX-License-Identifier: MIT
#include <string.h>

#include "emv/dol.h"
#include "emv/tags.h"

enum emv_status emv_dol_next(const uint8_t *dol, size_t dol_len, size_t *pos,
			     uint32_t *tag, size_t *len)
{
	size_t p = *pos, n = 1;

	if (p >= dol_len)
		return EMV_E_TLV;
	*tag = dol[p];
	if ((dol[p] & 0x1f) == 0x1f) {
		do {
			if (n == 4 || p + n >= dol_len)
				return EMV_E_TLV;
			*tag = *tag << 8 | dol[p + n];
		} while (dol[p + n++] & 0x80);
	}
	p += n;
	/* a DOL length is one plain byte (Book 3 5.4), never BER long form */
	if (p >= dol_len)
		return EMV_E_TLV;
	*len = dol[p++];
	*pos = p;
	return EMV_OK;
}

static bool tag_is_constructed(uint32_t tag)
{
	while (tag > 0xff)
		tag >>= 8;
	return tag & 0x20;
}

/* Fit @o into @want bytes at @out per Book 3 5.4. */
static void fit_value(const struct emv_object *o, uint8_t *out, size_t want)
{
	const struct emv_tag_info *info = emv_tag_info(o->tag);
	enum emv_format fmt = info ? info->format : EMV_FMT_B;
	size_t have = o->len;

	if (fmt == EMV_FMT_N) {
		size_t copy = have < want ? have : want;

		memset(out, 0x00, want - copy);
		memcpy(out + want - copy, o->value + have - copy, copy);
		return;
	}
	memset(out, fmt == EMV_FMT_CN ? 0xff : 0x00, want);
	memcpy(out, o->value, have < want ? have : want);
}

enum emv_status emv_dol_build(const uint8_t *dol, size_t dol_len,
			      const struct emv_data *const *sources,
			      size_t n_sources, uint8_t *out, size_t size,
			      size_t *out_len)
{
	size_t pos = 0, n = 0;

	if ((dol_len && !dol) || !out || !out_len)
		return EMV_E_ARGUMENT;
	while (pos < dol_len) {
		const struct emv_object *o;
		uint32_t tag;
		size_t want;
		enum emv_status st = emv_dol_next(dol, dol_len, &pos, &tag,
						  &want);

		if (st)
			return st;
		if (want > size - n)
			return EMV_E_BUFFER;
		o = emv_data_lookup(sources, n_sources, tag);
		/* constructed tags are never filled (Book 3 5.4) */
		if (!o || tag_is_constructed(tag))
			memset(out + n, 0, want);
		else
			fit_value(o, out + n, want);
		n += want;
	}
	*out_len = n;
	return EMV_OK;
}

bool emv_dol_contains(const uint8_t *dol, size_t dol_len, uint32_t tag)
{
	size_t pos = 0, len;
	uint32_t t;

	while (pos < dol_len && emv_dol_next(dol, dol_len, &pos, &t, &len) ==
	       EMV_OK)
		if (t == tag)
			return true;
	return false;
}

void emv_dol_trail_add(struct emv_dol_trail *trail, const uint8_t *data,
		       size_t len)
{
	if (!trail)
		return;
	if (len > sizeof(trail->buf) - trail->len) {
		trail->overflow = true;
		return;
	}
	memcpy(trail->buf + trail->len, data, len);
	trail->len += len;
}
