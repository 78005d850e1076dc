/* SPDX-License-Identifier: MIT */
/*
 * ISO 8583 dialects as data.  A dialect says how each part of a message is
 * written on the wire (MTI, bitmap, lengths, numerics, binary data) and
 * defines every data element it knows.  Another acquirer's dialect is a new
 * table (see dialect_cup.c, dialect_ascii.c), never a fork of the codec.
 */
#ifndef PAYCARD_ISO8583_DIALECT_H
#define PAYCARD_ISO8583_DIALECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISO_MAX_FIELD	128

/* What the value of a data element may hold (ISO 8583:1987 attributes). */
enum iso_content {
	ISO_N = 1,	/* digits 0-9 */
	ISO_Z,		/* track data: digits and the '=' separator */
	ISO_AN,		/* printable ASCII (an, ans, ans with spaces) */
	ISO_B,		/* raw bytes */
};

/* How the length of a data element is given. */
enum iso_length_kind {
	ISO_FIXED = 1,
	ISO_LLVAR,	/* up to 99 units, 2 length digits */
	ISO_LLLVAR,	/* up to 999 units, 3 length digits */
};

/* Where the digits of an odd-length BCD value sit; the other nibble is
 * the pad (0 when encoding; 0 or F accepted when decoding). */
enum iso_align {
	ISO_ALIGN_LEFT = 0,	/* 021 -> 02 10 (UnionPay field 22, the default) */
	ISO_ALIGN_RIGHT,	/* 001 -> 00 01 (UnionPay field 23) */
};

/* What a printer must hide. */
enum iso_secrecy {
	ISO_PUBLIC = 0,
	ISO_SECRET_PAN,		/* show first 6 and last 4 only */
	ISO_SECRET_TRACK,	/* never shown */
	ISO_SECRET_PIN,		/* never shown */
	ISO_SECRET_KEYS,	/* never shown (key material, even wrapped) */
	ISO_ICC_TLV,		/* BER-TLV: shown tag by tag, secrets inside hidden */
};

/* A fixed-length numeric sub-field of a composite field (e.g. 60.1). */
struct iso_subfield {
	uint8_t digits;
	const char *name;
};

struct iso_field_def {
	uint8_t content;	/* enum iso_content; 0 = not defined */
	uint8_t length_kind;	/* enum iso_length_kind */
	uint16_t max_len;	/* digits for n/z, characters for an, bytes for b */
	uint8_t secrecy;	/* enum iso_secrecy */
	const char *name;
	const struct iso_subfield *subfields;	/* NULL or {0} terminated */
	uint8_t align;		/* enum iso_align (odd-length BCD only) */
};

/* How the parts around the data elements are encoded. */
enum iso_encoding {
	ISO_ENC_BCD = 1,	/* digits packed two per byte */
	ISO_ENC_ASCII,		/* digits as ASCII characters */
};

struct iso_dialect {
	const char *name;
	uint8_t numeric_encoding;	/* MTI, n/z values and length digits */
	bool bitmap_hex;		/* bitmap as hex text instead of bytes */
	bool binary_hex;		/* b values as hex text instead of bytes */
	uint8_t tpdu_len;		/* bytes of TPDU after the length prefix */
	uint8_t header_len;		/* bytes of application header */
	struct iso_field_def fields[ISO_MAX_FIELD + 1];
};

extern const struct iso_dialect iso_dialect_cup;
extern const struct iso_dialect iso_dialect_cup_bare;
extern const struct iso_dialect iso_dialect_ascii;

/* Look a dialect up by its name ("cup", "cup-bare", "ascii"); NULL if none. */
const struct iso_dialect *iso_dialect_by_name(const char *name);

#endif
