// SPDX-License-Identifier: MIT
/*
 * UnionPay-style POS dialect (ISO 8583:1987 with the China UnionPay POS
 * conventions): 2-byte big-endian length, TPDU (5 bytes), 6-byte application
 * header, MTI and numerics in BCD, binary bitmap, LLVAR/LLLVAR lengths as
 * BCD digits (1 and 2 bytes).  Odd-length numerics are left-aligned with a
 * trailing 0 nibble, except field 23 (card sequence number), which is
 * right-aligned with a leading 0 nibble (docs/unionpay-messages.md gives
 * the sources); track data uses the nibble D for '='.
 *
 * "cup-bare" is the same message without TPDU and header: the form that a
 * generic ISO 8583 reader (such as Wireshark's dissector) understands.
 */
#include "iso8583/dialect.h"

static const struct iso_subfield field60_parts[] = {
	{ 2, "message type code" },
	{ 6, "batch number" },
	{ 3, "network management code" },
	{ 1, "terminal read capability" },
	{ 1, "IC condition code" },
	{ 0, NULL },
};

static const struct iso_subfield field61_parts[] = {
	{ 6, "original batch number" },
	{ 6, "original STAN" },
	{ 4, "original date MMDD" },
	{ 0, NULL },
};

#define CUP_FIELDS { \
	[2]  = { ISO_N,  ISO_LLVAR,  19, ISO_SECRET_PAN, "primary account number", NULL, ISO_ALIGN_LEFT }, \
	[3]  = { ISO_N,  ISO_FIXED,   6, 0, "processing code", NULL, ISO_ALIGN_LEFT }, \
	[4]  = { ISO_N,  ISO_FIXED,  12, 0, "amount, transaction", NULL, ISO_ALIGN_LEFT }, \
	[11] = { ISO_N,  ISO_FIXED,   6, 0, "system trace audit number", NULL, ISO_ALIGN_LEFT }, \
	[12] = { ISO_N,  ISO_FIXED,   6, 0, "time, local (hhmmss)", NULL, ISO_ALIGN_LEFT }, \
	[13] = { ISO_N,  ISO_FIXED,   4, 0, "date, local (MMDD)", NULL, ISO_ALIGN_LEFT }, \
	[14] = { ISO_N,  ISO_FIXED,   4, 0, "date, expiration (YYMM)", NULL, ISO_ALIGN_LEFT }, \
	[15] = { ISO_N,  ISO_FIXED,   4, 0, "date, settlement (MMDD)", NULL, ISO_ALIGN_LEFT }, \
	[22] = { ISO_N,  ISO_FIXED,   3, 0, "POS entry mode", NULL, ISO_ALIGN_LEFT }, \
	[23] = { ISO_N,  ISO_FIXED,   3, 0, "card sequence number", NULL, ISO_ALIGN_RIGHT }, \
	[25] = { ISO_N,  ISO_FIXED,   2, 0, "POS condition code", NULL, ISO_ALIGN_LEFT }, \
	[26] = { ISO_N,  ISO_FIXED,   2, 0, "PIN capture code", NULL, ISO_ALIGN_LEFT }, \
	[32] = { ISO_N,  ISO_LLVAR,  11, 0, "acquiring institution ID", NULL, ISO_ALIGN_LEFT }, \
	[35] = { ISO_Z,  ISO_LLVAR,  37, ISO_SECRET_TRACK, "track 2 data", NULL, ISO_ALIGN_LEFT }, \
	[36] = { ISO_Z,  ISO_LLLVAR, 104, ISO_SECRET_TRACK, "track 3 data", NULL, ISO_ALIGN_LEFT }, \
	[37] = { ISO_AN, ISO_FIXED,  12, 0, "retrieval reference number", NULL, ISO_ALIGN_LEFT }, \
	[38] = { ISO_AN, ISO_FIXED,   6, 0, "authorization code", NULL, ISO_ALIGN_LEFT }, \
	[39] = { ISO_AN, ISO_FIXED,   2, 0, "response code", NULL, ISO_ALIGN_LEFT }, \
	[41] = { ISO_AN, ISO_FIXED,   8, 0, "terminal ID", NULL, ISO_ALIGN_LEFT }, \
	[42] = { ISO_AN, ISO_FIXED,  15, 0, "merchant ID", NULL, ISO_ALIGN_LEFT }, \
	[44] = { ISO_AN, ISO_LLVAR,  25, 0, "additional response data", NULL, ISO_ALIGN_LEFT }, \
	[48] = { ISO_N,  ISO_LLLVAR, 322, 0, "additional data (totals)", NULL, ISO_ALIGN_LEFT }, \
	[49] = { ISO_AN, ISO_FIXED,   3, 0, "currency code", NULL, ISO_ALIGN_LEFT }, \
	[52] = { ISO_B,  ISO_FIXED,   8, ISO_SECRET_PIN, "PIN block", NULL, ISO_ALIGN_LEFT }, \
	[53] = { ISO_N,  ISO_FIXED,  16, 0, "security control information", NULL, ISO_ALIGN_LEFT }, \
	[54] = { ISO_AN, ISO_LLLVAR, 20, 0, "balance amount", NULL, ISO_ALIGN_LEFT }, \
	[55] = { ISO_B,  ISO_LLLVAR, 255, ISO_ICC_TLV, "ICC data", NULL, ISO_ALIGN_LEFT }, \
	[59] = { ISO_AN, ISO_LLLVAR, 999, 0, "reserved national (59)", NULL, ISO_ALIGN_LEFT }, \
	[60] = { ISO_N,  ISO_LLLVAR, 17, 0, "reserved private (60)", field60_parts, ISO_ALIGN_LEFT }, \
	[61] = { ISO_N,  ISO_LLLVAR, 29, 0, "original message data", field61_parts, ISO_ALIGN_LEFT }, \
	[62] = { ISO_B,  ISO_LLLVAR, 512, ISO_SECRET_KEYS, "reserved private (62)", NULL, ISO_ALIGN_LEFT }, \
	[63] = { ISO_AN, ISO_LLLVAR, 163, 0, "reserved private (63)", NULL, ISO_ALIGN_LEFT }, \
	[64] = { ISO_B,  ISO_FIXED,   8, 0, "message authentication code", NULL, ISO_ALIGN_LEFT }, \
}

const struct iso_dialect iso_dialect_cup = {
	.name = "cup",
	.numeric_encoding = ISO_ENC_BCD,
	.tpdu_len = 5,
	.header_len = 6,
	.fields = CUP_FIELDS,
};

const struct iso_dialect iso_dialect_cup_bare = {
	.name = "cup-bare",
	.numeric_encoding = ISO_ENC_BCD,
	.fields = CUP_FIELDS,
};
