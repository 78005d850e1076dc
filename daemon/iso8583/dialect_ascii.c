// SPDX-License-Identifier: MIT
/*
 * A plain ASCII ISO 8583:1987 dialect: 2-byte big-endian length, no TPDU or
 * header, MTI, numerics and length digits as ASCII, bitmap and binary data
 * as upper-case hex text.  It has a secondary bitmap (fields 65-128) so the
 * codec's 128-field path is exercised by a real table.
 */
#include "iso8583/dialect.h"

const struct iso_dialect iso_dialect_ascii = {
	.name = "ascii",
	.numeric_encoding = ISO_ENC_ASCII,
	.bitmap_hex = true,
	.binary_hex = true,
	.fields = {
		[2]  = { ISO_N,  ISO_LLVAR,  19, ISO_SECRET_PAN, "primary account number", NULL },
		[3]  = { ISO_N,  ISO_FIXED,   6, 0, "processing code", NULL },
		[4]  = { ISO_N,  ISO_FIXED,  12, 0, "amount, transaction", NULL },
		[7]  = { ISO_N,  ISO_FIXED,  10, 0, "transmission date and time", NULL },
		[11] = { ISO_N,  ISO_FIXED,   6, 0, "system trace audit number", NULL },
		[12] = { ISO_N,  ISO_FIXED,   6, 0, "time, local (hhmmss)", NULL },
		[13] = { ISO_N,  ISO_FIXED,   4, 0, "date, local (MMDD)", NULL },
		[14] = { ISO_N,  ISO_FIXED,   4, 0, "date, expiration (YYMM)", NULL },
		[18] = { ISO_N,  ISO_FIXED,   4, 0, "merchant category code", NULL },
		[22] = { ISO_N,  ISO_FIXED,   3, 0, "POS entry mode", NULL },
		[23] = { ISO_N,  ISO_FIXED,   3, 0, "card sequence number", NULL },
		[25] = { ISO_N,  ISO_FIXED,   2, 0, "POS condition code", NULL },
		[32] = { ISO_N,  ISO_LLVAR,  11, 0, "acquiring institution ID", NULL },
		[35] = { ISO_Z,  ISO_LLVAR,  37, ISO_SECRET_TRACK, "track 2 data", NULL },
		[37] = { ISO_AN, ISO_FIXED,  12, 0, "retrieval reference number", NULL },
		[38] = { ISO_AN, ISO_FIXED,   6, 0, "authorization code", NULL },
		[39] = { ISO_AN, ISO_FIXED,   2, 0, "response code", NULL },
		[41] = { ISO_AN, ISO_FIXED,   8, 0, "terminal ID", NULL },
		[42] = { ISO_AN, ISO_FIXED,  15, 0, "merchant ID", NULL },
		[43] = { ISO_AN, ISO_FIXED,  40, 0, "card acceptor name/location", NULL },
		[49] = { ISO_N,  ISO_FIXED,   3, 0, "currency code", NULL },
		[52] = { ISO_B,  ISO_FIXED,   8, ISO_SECRET_PIN, "PIN block", NULL },
		[54] = { ISO_AN, ISO_LLLVAR, 120, 0, "additional amounts", NULL },
		[55] = { ISO_B,  ISO_LLLVAR, 255, ISO_ICC_TLV, "ICC data", NULL },
		[64] = { ISO_B,  ISO_FIXED,   8, 0, "message authentication code", NULL },
		[90] = { ISO_N,  ISO_FIXED,  42, 0, "original data elements", NULL },
		[128] = { ISO_B, ISO_FIXED,   8, 0, "message authentication code", NULL },
	},
};
