// SPDX-License-Identifier: MIT
#include <string.h>

#include "crypto/cipher.h"
#include "emv/data.h"
#include "emv/tags.h"
#include "iso8583/tlv.h"

#define EMV_MAX_NESTING	4

void emv_data_init(struct emv_data *d)
{
	d->n = 0;
}

void emv_data_wipe(struct emv_data *d)
{
	pcc_wipe(d->obj, sizeof(d->obj));
	d->n = 0;
}

static struct emv_object *find(const struct emv_data *d, uint32_t tag)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->obj[i].tag == tag)
			return (struct emv_object *)&d->obj[i];
	return NULL;
}

static enum emv_status check_length(uint32_t tag, size_t len)
{
	const struct emv_tag_info *info = emv_tag_info(tag);

	if (len > EMV_VALUE_MAX)
		return EMV_E_DATA_LENGTH;
	if (info && (len < info->min_len || len > info->max_len))
		return EMV_E_DATA_LENGTH;
	return EMV_OK;
}

static enum emv_status store(struct emv_data *d, uint32_t tag,
			     const uint8_t *value, size_t len, bool unique)
{
	struct emv_object *o;
	enum emv_status st;

	if (!d || (len && !value))
		return EMV_E_ARGUMENT;
	st = check_length(tag, len);
	if (st)
		return st;
	o = find(d, tag);
	if (o && unique)
		return EMV_E_DUPLICATE_TAG;
	if (!o) {
		if (d->n == EMV_DATA_MAX_OBJECTS)
			return EMV_E_STORE_FULL;
		o = &d->obj[d->n++];
		o->tag = tag;
	}
	o->len = (uint16_t)len;
	if (len)
		memcpy(o->value, value, len);
	return EMV_OK;
}

enum emv_status emv_data_set(struct emv_data *d, uint32_t tag,
			     const uint8_t *value, size_t len)
{
	return store(d, tag, value, len, false);
}

enum emv_status emv_data_add(struct emv_data *d, uint32_t tag,
			     const uint8_t *value, size_t len)
{
	return store(d, tag, value, len, true);
}

const uint8_t *emv_data_get(const struct emv_data *d, uint32_t tag,
			    size_t *len)
{
	const struct emv_object *o = find(d, tag);

	if (!o)
		return NULL;
	if (len)
		*len = o->len;
	return o->value;
}

const struct emv_object *emv_data_object(const struct emv_data *d,
					 uint32_t tag)
{
	return find(d, tag);
}

bool emv_data_has(const struct emv_data *d, uint32_t tag)
{
	return find(d, tag) != NULL;
}

const struct emv_object *emv_data_lookup(const struct emv_data *const *sources,
					 size_t n, uint32_t tag)
{
	for (size_t i = 0; i < n; i++) {
		const struct emv_object *o = find(sources[i], tag);

		if (o)
			return o;
	}
	return NULL;
}

static enum emv_status parse_list(struct emv_data *d, const uint8_t *buf,
				  size_t len, int depth)
{
	size_t pos = 0;

	if (depth > EMV_MAX_NESTING)
		return EMV_E_TLV;
	while (pos < len) {
		struct tlv t;
		enum emv_status st;

		if (buf[pos] == 0x00) {	/* inter-object padding */
			pos++;
			continue;
		}
		if (tlv_next(buf, len, &pos, &t) != TLV_OK)
			return EMV_E_TLV;
		if (t.constructed)
			st = parse_list(d, t.value, t.len, depth + 1);
		else
			st = emv_data_add(d, t.tag, t.value, t.len);
		if (st)
			return st;
	}
	return EMV_OK;
}

enum emv_status emv_data_parse_list(struct emv_data *d, const uint8_t *buf,
				    size_t len)
{
	if (!d || (len && !buf))
		return EMV_E_ARGUMENT;
	return parse_list(d, buf, len, 0);
}

enum emv_status emv_data_parse_template(struct emv_data *d, uint32_t template,
					const uint8_t *buf, size_t len)
{
	size_t pos = 0;
	struct tlv t;

	if (!d || !buf)
		return EMV_E_ARGUMENT;
	if (tlv_next(buf, len, &pos, &t) != TLV_OK)
		return EMV_E_TLV;
	if (t.tag != template || pos != len)
		return EMV_E_TEMPLATE;
	return parse_list(d, t.value, t.len, 1);
}
