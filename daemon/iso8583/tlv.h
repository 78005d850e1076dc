/* SPDX-License-Identifier: MIT */
/*
 * BER-TLV as used by EMV (field 55, card responses): tags of 1 to 4 bytes,
 * definite lengths in short form or long form 81..84.  Strict: indefinite
 * lengths, lengths past the input, truncated tags and lengths above 2^32-1
 * are typed errors.  Values point into the caller's buffer (no copies).
 */
#ifndef PAYCARD_ISO8583_TLV_H
#define PAYCARD_ISO8583_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tlv_err {
	TLV_OK = 0,
	TLV_END,		/* no more objects (not an error) */
	TLV_ERR_SHORT_TAG,	/* input ends inside a tag */
	TLV_ERR_TAG_TOO_LONG,	/* tag longer than 4 bytes */
	TLV_ERR_SHORT_LENGTH,	/* input ends inside a length */
	TLV_ERR_INDEFINITE,	/* length 0x80 (indefinite) is not allowed */
	TLV_ERR_LENGTH_FORM,	/* long form with more than 4 length bytes */
	TLV_ERR_OVERRUN,	/* value runs past the input */
	TLV_ERR_TOO_DEEP,	/* constructed objects nested too deeply */
	TLV_ERR_NO_SPACE,	/* output buffer too small */
	TLV_ERR_BAD_TAG,	/* tag value cannot be encoded */
};

struct tlv {
	uint32_t tag;		/* tag bytes big-endian, e.g. 0x9F39 */
	bool constructed;	/* bit 6 of the first tag byte */
	size_t len;
	const uint8_t *value;
	size_t offset;		/* where the object starts in the input */
};

const char *tlv_strerror(enum tlv_err err);

/* Parse the object at *@pos in @buf and advance *@pos past it; TLV_END
 * when *@pos == @len. */
enum tlv_err tlv_next(const uint8_t *buf, size_t len, size_t *pos,
		      struct tlv *out);

/* Check a whole buffer, descending into constructed objects (depth <= 8). */
enum tlv_err tlv_validate(const uint8_t *buf, size_t len, size_t *err_offset);

/* Find @tag at top level or inside constructed objects. */
enum tlv_err tlv_find(const uint8_t *buf, size_t len, uint32_t tag,
		      struct tlv *out);

/* Append tag, minimal length and value to @out (at *@pos). */
enum tlv_err tlv_encode(uint32_t tag, const uint8_t *value, size_t len,
			uint8_t *out, size_t size, size_t *pos);

#endif
