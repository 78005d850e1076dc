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
		[2]  = { ISO_N,  ISO_LLVAR,  19, ISO_SECRET_PAN, "primary account number", NULL, ISO_ALIGN_LEFT },
		[3]  = { ISO_N,  ISO_FIXED,   6, 0, "processing code", NULL, ISO_ALIGN_LEFT },
		[4]  = { ISO_N,  ISO_FIXED,  12, 0, "amount, transaction", NULL, ISO_ALIGN_LEFT },
		[7]  = { ISO_N,  ISO_FIXED,  10, 0, "transmission date and time", NULL, ISO_ALIGN_LEFT },
		[11] = { ISO_N,  ISO_FIXED,   6, 0, "system trace audit number", NULL, ISO_ALIGN_LEFT },
		[12] = { ISO_N,  ISO_FIXED,   6, 0, "time, local (hhmmss)", NULL, ISO_ALIGN_LEFT },
		[13] = { ISO_N,  ISO_FIXED,   4, 0, "date, local (MMDD)", NULL, ISO_ALIGN_LEFT },
		[14] = { ISO_N,  ISO_FIXED,   4, 0, "date, expiration (YYMM)", NULL, ISO_ALIGN_LEFT },
		[18] = { ISO_N,  ISO_FIXED,   4, 0, "merchant category code", NULL, ISO_ALIGN_LEFT },
		[22] = { ISO_N,  ISO_FIXED,   3, 0, "POS entry mode", NULL, ISO_ALIGN_LEFT },
		[23] = { ISO_N,  ISO_FIXED,   3, 0, "card sequence number", NULL, ISO_ALIGN_LEFT },
		[25] = { ISO_N,  ISO_FIXED,   2, 0, "POS condition code", NULL, ISO_ALIGN_LEFT },
		[32] = { ISO_N,  ISO_LLVAR,  11, 0, "acquiring institution ID", NULL, ISO_ALIGN_LEFT },
		[35] = { ISO_Z,  ISO_LLVAR,  37, ISO_SECRET_TRACK, "track 2 data", NULL, ISO_ALIGN_LEFT },
		[37] = { ISO_AN, ISO_FIXED,  12, 0, "retrieval reference number", NULL, ISO_ALIGN_LEFT },
		[38] = { ISO_AN, ISO_FIXED,   6, 0, "authorization code", NULL, ISO_ALIGN_LEFT },
		[39] = { ISO_AN, ISO_FIXED,   2, 0, "response code", NULL, ISO_ALIGN_LEFT },
		[41] = { ISO_AN, ISO_FIXED,   8, 0, "terminal ID", NULL, ISO_ALIGN_LEFT },
		[42] = { ISO_AN, ISO_FIXED,  15, 0, "merchant ID", NULL, ISO_ALIGN_LEFT },
		[43] = { ISO_AN, ISO_FIXED,  40, 0, "card acceptor name/location", NULL, ISO_ALIGN_LEFT },
		[49] = { ISO_N,  ISO_FIXED,   3, 0, "currency code", NULL, ISO_ALIGN_LEFT },
		[52] = { ISO_B,  ISO_FIXED,   8, ISO_SECRET_PIN, "PIN block", NULL, ISO_ALIGN_LEFT },
		[54] = { ISO_AN, ISO_LLLVAR, 120, 0, "additional amounts", NULL, ISO_ALIGN_LEFT },
		[55] = { ISO_B,  ISO_LLLVAR, 255, ISO_ICC_TLV, "ICC data", NULL, ISO_ALIGN_LEFT },
		[64] = { ISO_B,  ISO_FIXED,   8, 0, "message authentication code", NULL, ISO_ALIGN_LEFT },
		[90] = { ISO_N,  ISO_FIXED,  42, 0, "original data elements", NULL, ISO_ALIGN_LEFT },
		[128] = { ISO_B, ISO_FIXED,   8, 0, "message authentication code", NULL, ISO_ALIGN_LEFT },
	},
};
