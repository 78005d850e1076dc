// SPDX-License-Identifier: MIT
#include <string.h>

#include "iso8583/tlv.h"

#define TLV_MAX_DEPTH	8

const char *tlv_strerror(enum tlv_err err)
{
	switch (err) {
	case TLV_OK:			return "ok";
	case TLV_END:			return "end of data";
	case TLV_ERR_SHORT_TAG:		return "data ends inside a tag";
	case TLV_ERR_TAG_TOO_LONG:	return "tag longer than 4 bytes";
	case TLV_ERR_SHORT_LENGTH:	return "data ends inside a length";
	case TLV_ERR_INDEFINITE:	return "indefinite length not allowed";
	case TLV_ERR_LENGTH_FORM:	return "length uses more than 4 bytes";
	case TLV_ERR_OVERRUN:		return "value runs past the data";
	case TLV_ERR_TOO_DEEP:		return "objects nested too deeply";
	case TLV_ERR_NO_SPACE:		return "buffer too small";
	case TLV_ERR_BAD_TAG:		return "tag cannot be encoded";
	}
	return "unknown error";
}

/* First byte low 5 bits all set: more tag bytes follow while bit 8 is set. */
static enum tlv_err parse_tag(const uint8_t *buf, size_t len, size_t *pos,
			      uint32_t *tag)
{
	size_t n = 1;

	if (*pos >= len)
		return TLV_ERR_SHORT_TAG;
	*tag = buf[*pos];
	if ((buf[*pos] & 0x1f) == 0x1f) {
		do {
			if (n == 4)
				return TLV_ERR_TAG_TOO_LONG;
			if (*pos + n >= len)
				return TLV_ERR_SHORT_TAG;
			*tag = *tag << 8 | buf[*pos + n];
		} while (buf[*pos + n++] & 0x80);
	}
	*pos += n;
	return TLV_OK;
}

static enum tlv_err parse_length(const uint8_t *buf, size_t len, size_t *pos,
				 size_t *value)
{
	uint8_t first;
	size_t n;

	if (*pos >= len)
		return TLV_ERR_SHORT_LENGTH;
	first = buf[(*pos)++];
	if (first < 0x80) {
		*value = first;
		return TLV_OK;
	}
	if (first == 0x80)
		return TLV_ERR_INDEFINITE;
	n = first & 0x7f;
	if (n > 4)
		return TLV_ERR_LENGTH_FORM;
	if (n > len - *pos)
		return TLV_ERR_SHORT_LENGTH;
	*value = 0;
	for (size_t i = 0; i < n; i++)
		*value = *value << 8 | buf[(*pos)++];
	return TLV_OK;
}

enum tlv_err tlv_next(const uint8_t *buf, size_t len, size_t *pos,
		      struct tlv *out)
{
	size_t p = *pos;
	enum tlv_err err;

	if (p >= len)
		return TLV_END;
	out->offset = p;
	out->constructed = (buf[p] & 0x20) != 0;
	err = parse_tag(buf, len, &p, &out->tag);
	if (!err)
		err = parse_length(buf, len, &p, &out->len);
	if (err)
		return err;
	if (out->len > len - p)
		return TLV_ERR_OVERRUN;
	out->value = buf + p;
	*pos = p + out->len;
	return TLV_OK;
}

static enum tlv_err walk(const uint8_t *buf, size_t len, int depth,
			 uint32_t tag, struct tlv *found, size_t *err_offset,
			 size_t base)
{
	size_t pos = 0;
	struct tlv t;
	enum tlv_err err;

	if (depth > TLV_MAX_DEPTH)
		return TLV_ERR_TOO_DEEP;
	while ((err = tlv_next(buf, len, &pos, &t)) == TLV_OK) {
		if (found && t.tag == tag) {
			*found = t;
			return TLV_OK;
		}
		if (t.constructed) {
			err = walk(t.value, t.len, depth + 1, tag, found,
				   err_offset, base + (size_t)(t.value - buf));
			if (err != TLV_END)
				return err;
		}
	}
	if (err != TLV_END && err_offset)
		*err_offset = base + pos;
	return err;
}

enum tlv_err tlv_validate(const uint8_t *buf, size_t len, size_t *err_offset)
{
	enum tlv_err err = walk(buf, len, 0, 0, NULL, err_offset, 0);

	return err == TLV_END ? TLV_OK : err;
}

enum tlv_err tlv_find(const uint8_t *buf, size_t len, uint32_t tag,
		      struct tlv *out)
{
	return walk(buf, len, 0, tag, out, NULL, 0);
}

static size_t tag_bytes(uint32_t tag)
{
	return tag > 0xffffff ? 4 : tag > 0xffff ? 3 : tag > 0xff ? 2 : 1;
}

enum tlv_err tlv_encode(uint32_t tag, const uint8_t *value, size_t len,
			uint8_t *out, size_t size, size_t *pos)
{
	size_t tn = tag_bytes(tag), ln, need;

	if (tn > 1 && (tag >> (8 * (tn - 1)) & 0x1f) != 0x1f)
		return TLV_ERR_BAD_TAG;
	if (len > 0xffffffffu)
		return TLV_ERR_LENGTH_FORM;
	ln = len < 0x80 ? 1 : len <= 0xff ? 2 : len <= 0xffff ? 3 :
	     len <= 0xffffff ? 4 : 5;
	need = tn + ln + len;
	if (need > size || *pos > size - need)
		return TLV_ERR_NO_SPACE;
	for (size_t i = tn; i-- > 0;)
		out[(*pos)++] = (uint8_t)(tag >> (8 * i));
	if (ln > 1)
		out[(*pos)++] = (uint8_t)(0x80 | (ln - 1));
	for (size_t i = ln > 1 ? ln - 1 : 1; i-- > 0;)
		out[(*pos)++] = (uint8_t)(len >> (8 * i));
	if (len)
		memcpy(out + *pos, value, len);
	*pos += len;
	return TLV_OK;
}
