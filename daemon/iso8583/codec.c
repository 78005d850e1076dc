// SPDX-License-Identifier: MIT
/*
 * ISO 8583 message body codec: MTI, bitmap(s), data elements, driven by the
 * dialect table.  Every read is bounds-checked against the input; every
 * failure names the field and the offset where it happened.
 */
#include <string.h>

#include "common/hex.h"
#include "iso8583/iso8583.h"

struct cursor {
	const uint8_t *in;	/* decoding */
	uint8_t *out;		/* encoding */
	size_t size;
	size_t pos;
};

static enum iso_err fail(struct iso_errinfo *ei, enum iso_err code,
			 int field, size_t offset)
{
	if (ei)
		*ei = (struct iso_errinfo){ code, field, offset };
	return code;
}

/* Bitmap bytes <-> presence words (both in wire order, big-endian). */
static uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return __builtin_bswap64(v);
}

static void store_be64(uint8_t *p, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(p, &v, sizeof(v));
}

static bool is_numeric(const struct iso_field_def *f)
{
	return f->content == ISO_N || f->content == ISO_Z;
}

/* Wire bytes taken by @units of a value of this field. */
static size_t value_wire_size(const struct iso_dialect *d,
			      const struct iso_field_def *f, size_t units)
{
	if (is_numeric(f))
		return d->numeric_encoding == ISO_ENC_BCD ? (units + 1) / 2 : units;
	if (f->content == ISO_B && d->binary_hex)
		return 2 * units;
	return units;
}

static unsigned length_digits(const struct iso_field_def *f)
{
	return f->length_kind == ISO_LLVAR ? 2 : f->length_kind == ISO_LLLVAR ? 3 : 0;
}

/* BCD length prefixes are whole bytes: 2 digits -> 1 byte, 3 -> 2 bytes. */
static size_t length_wire_size(const struct iso_dialect *d, unsigned digits)
{
	return d->numeric_encoding == ISO_ENC_BCD ? (digits + 1) / 2 : digits;
}

/* ---- character classes ---- */

/* Nibble + 1 of a digit character (0xD + 1 for the track separator '=',
 * track table only), 0 for anything else: one lookup per character. */
#define DIGIT_NIBBLES \
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, \
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10
static const uint8_t numeric_nibble[256] = { DIGIT_NIBBLES };
static const uint8_t track_nibble[256] = { DIGIT_NIBBLES, ['='] = 0xD + 1 };
/* Character of a nibble, 0 when the nibble is not allowed. */
static const char numeric_char[16] = "0123456789";
static const char track_char[16] = "0123456789\0\0\0=";

static int digit_nibble(char c, bool track)
{
	return (track ? track_nibble : numeric_nibble)[(uint8_t)c] - 1;
}

static bool printable(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* ---- encoding ---- */

static enum iso_err reserve(struct cursor *c, size_t n, uint8_t **p)
{
	if (n > c->size - c->pos)
		return ISO_ERR_NO_SPACE;
	*p = c->out + c->pos;
	c->pos += n;
	return ISO_OK;
}

/* Nibble @i of a BCD value of @n digits that starts after @lead pad
 * nibbles: the pad is 0, -1 for a character outside the class. */
static int wire_nibble(const uint8_t *nib, const char *s, size_t n,
		       size_t lead, size_t i)
{
	if (i < lead || i - lead >= n)
		return 0;
	return nib[(uint8_t)s[i - lead]] - 1;
}

/* Digits as BCD (an odd count padded with a 0 nibble on the side the
 * alignment leaves free) or as ASCII characters; ISO_ERR_BAD_DIGIT for a
 * character outside the class. */
static enum iso_err put_digits(const struct iso_dialect *d, struct cursor *c,
			       const char *s, size_t n, bool track, bool right)
{
	const uint8_t *nib = track ? track_nibble : numeric_nibble;
	size_t lead = right ? n & 1 : 0, bytes = (n + 1) / 2;
	uint8_t *p;
	size_t i;

	if (d->numeric_encoding == ISO_ENC_ASCII) {
		if (reserve(c, n, &p))
			return ISO_ERR_NO_SPACE;
		for (i = 0; i < n; i++)
			if (!nib[(uint8_t)s[i]])
				return ISO_ERR_BAD_DIGIT;
		memcpy(p, s, n);
		return ISO_OK;
	}
	if (reserve(c, bytes, &p))
		return ISO_ERR_NO_SPACE;
	for (i = 0; i < bytes; i++) {
		int hi = wire_nibble(nib, s, n, lead, 2 * i);
		int lo = wire_nibble(nib, s, n, lead, 2 * i + 1);

		if ((hi | lo) < 0)
			return ISO_ERR_BAD_DIGIT;
		p[i] = (uint8_t)(hi << 4 | lo);
	}
	return ISO_OK;
}

/* A length as exactly the digits its prefix holds (leading zeros); BCD
 * prefixes are whole bytes: 2 digits in 1 byte, 3 digits in 2 (0 nibble
 * first). */
static enum iso_err put_length(const struct iso_dialect *d, struct cursor *c,
			       size_t value, unsigned digits)
{
	unsigned v = (unsigned)value;
	char text[3] = { (char)('0' + v / 100), (char)('0' + v / 10 % 10),
			 (char)('0' + v % 10) };
	uint8_t *p;

	if (d->numeric_encoding == ISO_ENC_ASCII)
		return put_digits(d, c, text + 3 - digits, digits, false, false);
	if (reserve(c, digits == 2 ? 1 : 2, &p))
		return ISO_ERR_NO_SPACE;
	if (digits == 3)
		*p++ = (uint8_t)(v / 100);
	*p = (uint8_t)((v / 10 % 10) << 4 | v % 10);
	return ISO_OK;
}

/* Length against the definition; text characters (digits are checked
 * while they are packed). */
static enum iso_err check_value(const struct iso_field_def *f,
				const uint8_t *v, size_t len)
{
	if (f->length_kind == ISO_FIXED ? len != f->max_len : len > f->max_len)
		return f->length_kind == ISO_FIXED ? ISO_ERR_WRONG_LENGTH
						   : ISO_ERR_TOO_LONG;
	if (f->content == ISO_AN)
		for (size_t i = 0; i < len; i++)
			if (!printable(v[i]))
				return ISO_ERR_BAD_TEXT;
	return ISO_OK;
}

static enum iso_err put_value(const struct iso_dialect *d, struct cursor *c,
			      const struct iso_field_def *f,
			      const uint8_t *v, size_t len)
{
	uint8_t *p;

	if (is_numeric(f))
		return put_digits(d, c, (const char *)v, len, f->content == ISO_Z,
				  f->align == ISO_ALIGN_RIGHT);
	if (reserve(c, value_wire_size(d, f, len), &p))
		return ISO_ERR_NO_SPACE;
	if (f->content == ISO_B && d->binary_hex)
		hex_encode_digits(v, len, (char *)p);
	else if (len)
		memcpy(p, v, len);
	return ISO_OK;
}

static enum iso_err put_field(const struct iso_dialect *d, struct cursor *c,
			      const struct iso_field_def *f,
			      const uint8_t *v, size_t len)
{
	enum iso_err err = check_value(f, v, len);

	if (err)
		return err;
	if (f->length_kind != ISO_FIXED) {
		err = put_length(d, c, len, length_digits(f));
		if (err)
			return err;
	}
	return put_value(d, c, f, v, len);
}

static enum iso_err put_bitmap(const struct iso_dialect *d, struct cursor *c,
			       const uint8_t *bitmap, size_t n)
{
	uint8_t *p;

	if (!d->bitmap_hex) {
		if (reserve(c, n, &p))
			return ISO_ERR_NO_SPACE;
		memcpy(p, bitmap, n);
		return ISO_OK;
	}
	if (reserve(c, 2 * n, &p))
		return ISO_ERR_NO_SPACE;
	hex_encode_digits(bitmap, n, (char *)p);
	return ISO_OK;
}

static bool mti_ok(const char *mti)
{
	for (int i = 0; i < 4; i++)
		if (mti[i] < '0' || mti[i] > '9')
			return false;
	return mti[4] == '\0';
}

enum iso_err iso_encode(const struct iso_dialect *d, const struct iso_msg *m,
			uint8_t *out, size_t size, size_t *out_len,
			struct iso_errinfo *ei)
{
	struct cursor c = { .out = out, .size = size };
	uint64_t words[2] = { m->present[0], m->present[1] };
	uint8_t bitmap[16];
	size_t bitmap_len = words[1] ? 16 : 8;
	enum iso_err err;

	if (!mti_ok(m->mti))
		return fail(ei, ISO_ERR_BAD_MTI, 0, 0);
	if (words[1])
		words[0] |= iso_field_bit(1);	/* secondary bitmap follows */
	store_be64(bitmap, words[0]);
	store_be64(bitmap + 8, words[1]);
	err = put_digits(d, &c, m->mti, 4, false, false);
	if (!err)
		err = put_bitmap(d, &c, bitmap, bitmap_len);
	if (err)
		return fail(ei, err, err == ISO_ERR_NO_SPACE ? 1 : 0, c.pos);
	for (int k = iso_msg_next(m, 1); k; k = iso_msg_next(m, k)) {
		if (!d->fields[k].content)
			return fail(ei, ISO_ERR_UNKNOWN_FIELD, k, c.pos);
		err = put_field(d, &c, &d->fields[k], m->data + m->field[k].off,
				m->field[k].len);
		if (err)
			return fail(ei, err, k, c.pos);
	}
	*out_len = c.pos;
	if (ei)
		*ei = (struct iso_errinfo){ ISO_OK, 0, c.pos };
	return ISO_OK;
}

/* ---- decoding ---- */

static const uint8_t *take(struct cursor *c, size_t n)
{
	const uint8_t *p;

	if (n > c->size - c->pos)
		return NULL;
	p = c->in + c->pos;
	c->pos += n;
	return p;
}

/*
 * @n digits from @wire (already bounds-checked) into @out.  The pad nibble
 * of an odd count sits where @right says; 0 is the rule, F a variant that
 * real hosts send: accepted and reported through @pad_f (may be NULL).
 */
static enum iso_err get_digits(const struct iso_dialect *d, const uint8_t *wire,
			       size_t n, bool track, bool right, char *out,
			       bool *pad_f)
{
	const char *chars = track ? track_char : numeric_char;
	size_t lead = right ? n & 1 : 0, nibbles = (n + 1) / 2 * 2;
	size_t i;

	if (d->numeric_encoding == ISO_ENC_ASCII) {
		for (i = 0; i < n; i++)
			if (digit_nibble((char)wire[i], track) < 0)
				return ISO_ERR_BAD_DIGIT;
		memcpy(out, wire, n);
		return ISO_OK;
	}
	for (i = 0; i < nibbles; i++) {
		unsigned v = i & 1 ? wire[i / 2] & 15 : wire[i / 2] >> 4;

		if (i < lead || i - lead >= n) {
			if (v == 0xF && pad_f)
				*pad_f = true;
			else if (v)
				return ISO_ERR_BAD_PADDING;
			continue;
		}
		out[i - lead] = chars[v];
		if (!out[i - lead])
			return ISO_ERR_BAD_DIGIT;
	}
	return ISO_OK;
}

static enum iso_err get_length(const struct iso_dialect *d, struct cursor *c,
			       unsigned digits, size_t *value)
{
	size_t wire_len = length_wire_size(d, digits);
	size_t n = d->numeric_encoding == ISO_ENC_BCD ? 2 * wire_len : digits;
	const uint8_t *p = take(c, wire_len);
	char text[4];

	if (!p)
		return ISO_ERR_SHORT;
	if (get_digits(d, p, n, false, false, text, NULL))
		return ISO_ERR_BAD_LENGTH;
	*value = 0;
	for (size_t i = 0; i < n; i++)
		*value = *value * 10 + (size_t)(text[i] - '0');
	return ISO_OK;
}

static enum iso_err get_value(const struct iso_dialect *d,
			      const struct iso_field_def *f, const uint8_t *p,
			      size_t units, uint8_t *out, bool *pad_f)
{
	if (is_numeric(f))
		return get_digits(d, p, units, f->content == ISO_Z,
				  f->align == ISO_ALIGN_RIGHT, (char *)out, pad_f);
	if (f->content == ISO_AN) {
		for (size_t i = 0; i < units; i++)
			if (!printable(p[i]))
				return ISO_ERR_BAD_TEXT;
		memcpy(out, p, units);
		return ISO_OK;
	}
	if (!d->binary_hex) {
		memcpy(out, p, units);
		return ISO_OK;
	}
	if (hex_decode((const char *)p, 2 * units, out, units) < 0)
		return ISO_ERR_BAD_HEX;
	return ISO_OK;
}

static enum iso_err get_field(const struct iso_dialect *d, struct cursor *c,
			      int k, struct iso_msg *m)
{
	const struct iso_field_def *f = &d->fields[k];
	size_t units = f->max_len;
	const uint8_t *p;
	enum iso_err err;
	bool pad_f = false;

	if (f->length_kind != ISO_FIXED) {
		err = get_length(d, c, length_digits(f), &units);
		if (err)
			return err;
		if (units > f->max_len)
			return ISO_ERR_TOO_LONG;
	}
	p = take(c, value_wire_size(d, f, units));
	if (!p)
		return ISO_ERR_SHORT;
	if (units > sizeof(m->data) - m->used)
		return ISO_ERR_NO_SPACE;
	err = get_value(d, f, p, units, m->data + m->used, &pad_f);
	if (err)
		return err;
	if (pad_f)
		m->pad_variant[(k - 1) / 64] |= iso_field_bit(k);
	m->field[k] = (struct iso_value){ (uint16_t)m->used, (uint16_t)units };
	m->used += units;
	return ISO_OK;
}

static enum iso_err get_bitmap_part(const struct iso_dialect *d,
				    struct cursor *c, uint8_t out[8])
{
	const uint8_t *p = take(c, d->bitmap_hex ? 16 : 8);

	if (!p)
		return ISO_ERR_SHORT;
	if (!d->bitmap_hex) {
		memcpy(out, p, 8);
		return ISO_OK;
	}
	if (hex_decode((const char *)p, 16, out, 8) < 0)
		return ISO_ERR_BAD_BITMAP;
	return ISO_OK;
}

static enum iso_err get_header(const struct iso_dialect *d, struct cursor *c,
			       struct iso_msg *m, uint8_t bitmap[16],
			       struct iso_errinfo *ei)
{
	size_t mti_wire = d->numeric_encoding == ISO_ENC_BCD ? 2 : 4;
	const uint8_t *p = take(c, mti_wire);
	enum iso_err err;
	bool any = false;

	if (!p)
		return fail(ei, ISO_ERR_SHORT, 0, 0);
	if (get_digits(d, p, 4, false, false, m->mti, NULL))
		return fail(ei, ISO_ERR_BAD_MTI, 0, 0);
	m->mti[4] = '\0';
	err = get_bitmap_part(d, c, bitmap);
	if (!err && (bitmap[0] & 0x80))
		err = get_bitmap_part(d, c, bitmap + 8);
	if (err)
		return fail(ei, err, 1, mti_wire);
	for (int i = 0; i < 16; i++)
		any |= (i == 0 ? bitmap[0] & 0x7f : bitmap[i]) != 0;
	if (!any)
		return fail(ei, ISO_ERR_BAD_BITMAP, 1, mti_wire);
	return ISO_OK;
}

enum iso_err iso_decode(const struct iso_dialect *d, const uint8_t *in,
			size_t len, struct iso_msg *m, struct iso_errinfo *ei)
{
	struct cursor c = { .in = in, .size = len };
	uint8_t bitmap[16] = { 0 };
	enum iso_err err;

	iso_msg_init(m, NULL);
	err = get_header(d, &c, m, bitmap, ei);
	if (err)
		return err;
	m->present[0] = load_be64(bitmap) & ~iso_field_bit(1);
	m->present[1] = load_be64(bitmap + 8);
	/* announced fields are marked present up front; an error leaves the
	 * message empty */
	for (int k = iso_msg_next(m, 1); k; k = iso_msg_next(m, k)) {
		size_t start = c.pos;

		if (!d->fields[k].content)
			err = ISO_ERR_UNKNOWN_FIELD;
		else if (c.pos == len)
			err = ISO_ERR_MISSING_FIELD;
		else
			err = get_field(d, &c, k, m);
		if (err) {
			m->present[0] = m->present[1] = 0;
			m->pad_variant[0] = m->pad_variant[1] = 0;
			return fail(ei, err, k, start);
		}
	}
	if (c.pos != len)
		return fail(ei, ISO_ERR_TRAILING, -1, c.pos);
	if (ei)
		*ei = (struct iso_errinfo){ ISO_OK, 0, c.pos };
	return ISO_OK;
}
