// SPDX-License-Identifier: MIT
/* Message storage: values live in one buffer inside the message, so a
 * message needs no allocation and can be copied or zeroed as a whole. */
#include <string.h>

#include "iso8583/iso8583.h"

void iso_msg_init(struct iso_msg *m, const char *mti)
{
	m->present[0] = m->present[1] = 0;
	m->pad_variant[0] = m->pad_variant[1] = 0;
	m->used = 0;
	memset(m->mti, 0, sizeof(m->mti));
	if (mti)
		strncpy(m->mti, mti, sizeof(m->mti) - 1);
}

static bool field_number_ok(int field)
{
	return field >= 2 && field <= ISO_MAX_FIELD;
}

enum iso_err iso_msg_set(struct iso_msg *m, int field, const void *value,
			 size_t len)
{
	if (!field_number_ok(field) || (!value && len))
		return ISO_ERR_INVALID_ARG;
	if (len > sizeof(m->data) - m->used)
		return ISO_ERR_NO_SPACE;
	if (len)
		memcpy(m->data + m->used, value, len);
	m->field[field] = (struct iso_value){ (uint16_t)m->used, (uint16_t)len };
	m->present[(field - 1) / 64] |= iso_field_bit(field);
	m->used += len;
	return ISO_OK;
}

enum iso_err iso_msg_set_str(struct iso_msg *m, int field, const char *text)
{
	if (!text)
		return ISO_ERR_INVALID_ARG;
	return iso_msg_set(m, field, text, strlen(text));
}

void iso_msg_unset(struct iso_msg *m, int field)
{
	if (field_number_ok(field))
		m->present[(field - 1) / 64] &= ~iso_field_bit(field);
}

bool iso_msg_has(const struct iso_msg *m, int field)
{
	return field_number_ok(field) &&
	       (m->present[(field - 1) / 64] & iso_field_bit(field)) != 0;
}

bool iso_msg_pad_variant(const struct iso_msg *m, int field)
{
	return iso_msg_has(m, field) &&
	       (m->pad_variant[(field - 1) / 64] & iso_field_bit(field)) != 0;
}

const uint8_t *iso_msg_get(const struct iso_msg *m, int field, size_t *len)
{
	if (!iso_msg_has(m, field))
		return NULL;
	*len = m->field[field].len;
	return m->data + m->field[field].off;
}

enum iso_err iso_msg_get_str(const struct iso_msg *m, int field, char *out,
			     size_t size)
{
	size_t len;
	const uint8_t *v = iso_msg_get(m, field, &len);

	if (!v)
		return ISO_ERR_ABSENT;
	if (len + 1 > size)
		return ISO_ERR_NO_SPACE;
	memcpy(out, v, len);
	out[len] = '\0';
	return ISO_OK;
}
