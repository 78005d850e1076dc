/* SPDX-License-Identifier: MIT */
/*
 * Typed results of the EMV card-reading library (libpaycard-emv).
 *
 * Every function returns an enum emv_status.  Card status words map to
 * their own values (a missing file is not a blocked card), a transport
 * failure is kept apart from a card answer, and malformed card data names
 * what is wrong.  Messages never carry card data.
 */
#ifndef PAYCARD_EMV_ERROR_H
#define PAYCARD_EMV_ERROR_H

#include <stdint.h>

enum emv_status {
	EMV_OK = 0,
	EMV_E_ARGUMENT,		/* NULL pointer, bad length or enum value */
	EMV_E_BUFFER,		/* caller's output buffer too small */
	/* transport */
	EMV_E_CARD_REMOVED,	/* transport reports the card gone */
	EMV_E_TRANSPORT,	/* any other transport failure */
	EMV_E_PROTOCOL,		/* R-APDU without SW, or GET RESPONSE loop */
	/* status words (ISO 7816-4 / EMV Book 1 and 3) */
	EMV_E_SW_WARNING_SELECTED_INVALIDATED,	/* 6283: application blocked */
	EMV_E_SW_AUTH_FAILED,			/* 6300: verification failed */
	EMV_E_SW_COUNTER,			/* 63Cx */
	EMV_E_SW_WRONG_LENGTH,			/* 6700 */
	EMV_E_SW_SECURITY,			/* 6982 */
	EMV_E_SW_AUTH_BLOCKED,			/* 6983 */
	EMV_E_SW_DATA_INVALID,			/* 6984 */
	EMV_E_SW_CONDITIONS,			/* 6985 */
	EMV_E_SW_FUNCTION_NOT_SUPPORTED,	/* 6A81: card or app blocked */
	EMV_E_SW_FILE_NOT_FOUND,		/* 6A82 */
	EMV_E_SW_RECORD_NOT_FOUND,		/* 6A83 */
	EMV_E_SW_WRONG_P1P2,			/* 6A86 / 6B00 */
	EMV_E_SW_REFERENCED_DATA,		/* 6A88 */
	EMV_E_SW_INS,				/* 6D00 */
	EMV_E_SW_CLA,				/* 6E00 */
	EMV_E_SW_UNKNOWN,			/* anything else not 9000 */
	/* card data */
	EMV_E_TLV,		/* truncated or malformed BER-TLV */
	EMV_E_TEMPLATE,		/* response not in the expected template */
	EMV_E_MISSING_TAG,	/* a mandatory data object is absent */
	EMV_E_DUPLICATE_TAG,	/* the card sent a data object twice */
	EMV_E_DATA_LENGTH,	/* a data object has a length it cannot have */
	EMV_E_DATA_FORMAT,	/* bad BCD/date/digit content */
	EMV_E_BAD_AFL,		/* AFL entry with bad SFI or record range */
	EMV_E_RECORD_TOO_LONG,	/* record or response larger than allowed */
	EMV_E_STORE_FULL,	/* too many data objects */
	EMV_E_NO_APPLICATION,	/* no mutually supported application */
	EMV_E_CARD_BLOCKED,	/* PSE select answered 6A81 */
	EMV_E_CID,		/* cryptogram type not allowed here */
	EMV_E_STATE,		/* flow step called out of order */
	EMV_E_CRYPTO,		/* the crypto library refused an operation */
	EMV_E_CRYPTOGRAM,	/* ARQC/ARPC verification failed */
	EMV_E_CHECKSUM,		/* a CA key's check value does not match */
	/* magnetic stripe */
	EMV_E_TRACK_FORMAT,	/* sentinels, separators or field sizes wrong */
	EMV_E_TRACK_CHARSET,	/* character outside the track's set */
	EMV_E_TRACK_TOO_LONG,	/* longer than ISO 7813 allows */
	EMV_E_PAN_LENGTH,	/* PAN not 12..19 digits */
	EMV_E_PAN_LUHN,		/* PAN check digit wrong */
	EMV_E_EXPIRY_FORMAT,	/* YYMM not a valid month */
	EMV_E_EXPIRED,		/* card past its expiry month */
	EMV_E_SERVICE_CODE,	/* service code not 3 digits */
};

/* A short English sentence for @status (static, never NULL). */
const char *emv_strerror(enum emv_status status);

/* The typed status of a status word other than 9000. */
enum emv_status emv_sw_status(uint16_t sw);

#endif
