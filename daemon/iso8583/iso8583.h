/* SPDX-License-Identifier: MIT */
/*
 * ISO 8583 messages: a message is an MTI plus up to 128 data elements whose
 * values are kept in their logical form (digits as ASCII text, track data
 * with '=', text as text, binary as bytes).  The dialect decides the wire
 * form.  Decoding is strict: every malformed input is a typed error with the
 * field and offset where it was found; nothing is read past the input.
 */
#ifndef PAYCARD_ISO8583_ISO8583_H
#define PAYCARD_ISO8583_ISO8583_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iso8583/dialect.h"

/* Room for the values of one message; a UnionPay POS message is < 1 KiB. */
#define ISO_MSG_DATA_MAX	4096
/* Largest frame: the 2-byte length prefix allows 65535 bytes after it. */
#define ISO_FRAME_MAX		(2 + 65535)
#define ISO_TPDU_LEN_MAX	5
#define ISO_HEADER_LEN_MAX	6

enum iso_err {
	ISO_OK = 0,
	ISO_ERR_SHORT,		/* input ends inside an element */
	ISO_ERR_MISSING_FIELD,	/* bitmap announces a field, input has ended */
	ISO_ERR_TRAILING,	/* bytes left after the last field */
	ISO_ERR_BAD_MTI,	/* MTI is not 4 digits */
	ISO_ERR_BAD_BITMAP,	/* bitmap not hex text / no field set */
	ISO_ERR_UNKNOWN_FIELD,	/* field not defined in the dialect */
	ISO_ERR_BAD_LENGTH,	/* length digits are not digits */
	ISO_ERR_TOO_LONG,	/* length above the field's maximum */
	ISO_ERR_BAD_DIGIT,	/* numeric/track value holds a bad character */
	ISO_ERR_BAD_PADDING,	/* odd-length numeric pad nibble is not 0 */
	ISO_ERR_BAD_TEXT,	/* an/ans value holds a non-printable byte */
	ISO_ERR_BAD_HEX,	/* binary-as-hex value is not hex text */
	ISO_ERR_WRONG_LENGTH,	/* fixed field given with another length */
	ISO_ERR_FRAME_LENGTH,	/* length prefix disagrees with the frame */
	ISO_ERR_BAD_TPDU,	/* TPDU ID is not 0x60 */
	ISO_ERR_NO_SPACE,	/* output buffer or message storage full */
	ISO_ERR_ABSENT,		/* asked for a field that is not present */
	ISO_ERR_INVALID_ARG,	/* field number out of range, NULL value */
};

/* Where decoding stopped: field 0 is the MTI, 1 the bitmap, -1 framing. */
struct iso_errinfo {
	enum iso_err code;
	int field;
	size_t offset;
};

struct iso_value {
	uint16_t off;
	uint16_t len;
};

/*
 * present[] is the bitmap in wire order: field k is bit 63 - (k - 1) % 64
 * of word (k - 1) / 64, so codec loops visit only the fields that are set.
 * field[k] is meaningful only while its bit is set.
 */
struct iso_msg {
	char mti[5];
	uint64_t present[2];
	/* decoded fields whose pad nibble was F instead of 0 (same layout as
	 * present[]): accepted, as real traffic has both, and reported */
	uint64_t pad_variant[2];
	struct iso_value field[ISO_MAX_FIELD + 1];
	size_t used;
	uint8_t data[ISO_MSG_DATA_MAX];
};

static inline uint64_t iso_field_bit(int k)
{
	return 1ULL << (63 - (k - 1) % 64);
}

/* Next present field after @k (start with 1), or 0 when none is left. */
static inline int iso_msg_next(const struct iso_msg *m, int k)
{
	unsigned after = (unsigned)k;
	uint64_t bits;

	if (after < 64) {
		bits = m->present[0] & (~0ULL >> after);
		if (bits)
			return __builtin_clzll(bits) + 1;
		after = 64;
	}
	if (after < 128) {
		bits = m->present[1] & (~0ULL >> (after - 64));
		if (bits)
			return 64 + __builtin_clzll(bits) + 1;
	}
	return 0;
}

/* TPDU and application header as carried before the MTI (UnionPay). */
struct iso_envelope {
	uint8_t tpdu[ISO_TPDU_LEN_MAX];
	uint8_t header[ISO_HEADER_LEN_MAX];
};

const char *iso_strerror(enum iso_err err);

/* Empty message with @mti (4 digits; checked when encoding). */
void iso_msg_init(struct iso_msg *m, const char *mti);
/* Set field 2..128 to a copy of @len bytes (replaces an earlier value). */
enum iso_err iso_msg_set(struct iso_msg *m, int field, const void *value,
			 size_t len);
enum iso_err iso_msg_set_str(struct iso_msg *m, int field, const char *text);
void iso_msg_unset(struct iso_msg *m, int field);
bool iso_msg_has(const struct iso_msg *m, int field);
/* True when decoding found the pad nibble F instead of 0 in @field. */
bool iso_msg_pad_variant(const struct iso_msg *m, int field);
/* Value of a present field (not NUL-terminated), or NULL. */
const uint8_t *iso_msg_get(const struct iso_msg *m, int field, size_t *len);
/* Copy a present field into @out as a NUL-terminated string. */
enum iso_err iso_msg_get_str(const struct iso_msg *m, int field, char *out,
			     size_t size);

/*
 * Message body (MTI, bitmap, fields) <-> bytes.  Encoding validates every
 * value against the dialect.  @ei may be NULL.
 */
enum iso_err iso_encode(const struct iso_dialect *d, const struct iso_msg *m,
			uint8_t *out, size_t size, size_t *out_len,
			struct iso_errinfo *ei);
enum iso_err iso_decode(const struct iso_dialect *d, const uint8_t *in,
			size_t len, struct iso_msg *m, struct iso_errinfo *ei);

/*
 * Whole wire frame: 2-byte big-endian length of what follows, then the
 * dialect's TPDU and header (from @env), then the body.  @env may be NULL
 * when decoding.
 */
enum iso_err iso_frame_encode(const struct iso_dialect *d,
			      const struct iso_envelope *env,
			      const struct iso_msg *m, uint8_t *out,
			      size_t size, size_t *out_len,
			      struct iso_errinfo *ei);
enum iso_err iso_frame_decode(const struct iso_dialect *d, const uint8_t *in,
			      size_t len, struct iso_envelope *env,
			      struct iso_msg *m, struct iso_errinfo *ei);
/* Offset of the body (MTI) inside a frame of this dialect. */
size_t iso_frame_body_offset(const struct iso_dialect *d);

/*
 * Encode a frame whose last field (64, or 128 with a secondary bitmap)
 * is a MAC over the body bytes before it.  @mac computes 8 bytes; it comes
 * from the caller so this library stays free of key handling.
 */
typedef int (*iso_mac_fn)(void *ctx, const uint8_t *data, size_t len,
			  uint8_t mac[8]);
enum iso_err iso_frame_encode_mac(const struct iso_dialect *d,
				  const struct iso_envelope *env,
				  struct iso_msg *m, iso_mac_fn mac, void *ctx,
				  uint8_t *out, size_t size, size_t *out_len,
				  struct iso_errinfo *ei);
/* Body bytes the MAC of a decoded frame covers: all before the MAC field. */
enum iso_err iso_frame_mac_span(const struct iso_dialect *d,
				const uint8_t *frame, size_t len,
				const struct iso_msg *m, const uint8_t **span,
				size_t *span_len);

/* Sub-field @n (1-based) of a composite numeric field (e.g. 60.3) as
 * text; ISO_ERR_ABSENT when the field is shorter. */
enum iso_err iso_subfield_get(const struct iso_dialect *d,
			      const struct iso_msg *m, int field, int n,
			      char *out, size_t size);

#endif
