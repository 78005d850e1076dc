// SPDX-License-Identifier: MIT
#include "emv/error.h"

const char *emv_strerror(enum emv_status status)
{
	switch (status) {
	case EMV_OK:			return "ok";
	case EMV_E_ARGUMENT:		return "invalid argument";
	case EMV_E_BUFFER:		return "output buffer too small";
	case EMV_E_CARD_REMOVED:	return "card removed";
	case EMV_E_TRANSPORT:		return "reader transport failed";
	case EMV_E_PROTOCOL:		return "card answer breaks the APDU protocol";
	case EMV_E_SW_WARNING_SELECTED_INVALIDATED:
		return "application blocked (6283)";
	case EMV_E_SW_AUTH_FAILED:	return "authentication failed (6300)";
	case EMV_E_SW_COUNTER:		return "verification failed, counter (63Cx)";
	case EMV_E_SW_WRONG_LENGTH:	return "wrong length (6700)";
	case EMV_E_SW_SECURITY:		return "security status not satisfied (6982)";
	case EMV_E_SW_AUTH_BLOCKED:	return "authentication method blocked (6983)";
	case EMV_E_SW_DATA_INVALID:	return "referenced data invalidated (6984)";
	case EMV_E_SW_CONDITIONS:	return "conditions of use not satisfied (6985)";
	case EMV_E_SW_FUNCTION_NOT_SUPPORTED:
		return "function not supported, card blocked (6A81)";
	case EMV_E_SW_FILE_NOT_FOUND:	return "file or application not found (6A82)";
	case EMV_E_SW_RECORD_NOT_FOUND:	return "record not found (6A83)";
	case EMV_E_SW_WRONG_P1P2:	return "wrong parameters P1 P2";
	case EMV_E_SW_REFERENCED_DATA:	return "referenced data not found (6A88)";
	case EMV_E_SW_INS:		return "instruction not supported (6D00)";
	case EMV_E_SW_CLA:		return "class not supported (6E00)";
	case EMV_E_SW_UNKNOWN:		return "card returned an unexpected status word";
	case EMV_E_TLV:			return "malformed TLV in card response";
	case EMV_E_TEMPLATE:		return "card response not in the expected template";
	case EMV_E_MISSING_TAG:		return "mandatory card data missing";
	case EMV_E_DUPLICATE_TAG:	return "card sent a data object twice";
	case EMV_E_DATA_LENGTH:		return "card data object has a wrong length";
	case EMV_E_DATA_FORMAT:		return "card data object has a wrong format";
	case EMV_E_BAD_AFL:		return "application file locator is invalid";
	case EMV_E_RECORD_TOO_LONG:	return "card record too long";
	case EMV_E_STORE_FULL:		return "too many card data objects";
	case EMV_E_NO_APPLICATION:	return "no supported application on the card";
	case EMV_E_CARD_BLOCKED:	return "card blocked";
	case EMV_E_CID:			return "card returned a cryptogram type not allowed";
	case EMV_E_STATE:		return "EMV step called out of order";
	case EMV_E_CRYPTO:		return "cryptographic operation failed";
	case EMV_E_CRYPTOGRAM:		return "cryptogram verification failed";
	case EMV_E_CHECKSUM:		return "CA public key check value mismatch";
	case EMV_E_TRACK_FORMAT:	return "track data malformed";
	case EMV_E_TRACK_CHARSET:	return "track holds an invalid character";
	case EMV_E_TRACK_TOO_LONG:	return "track longer than ISO 7813 allows";
	case EMV_E_PAN_LENGTH:		return "card number has a wrong length";
	case EMV_E_PAN_LUHN:		return "card number check digit wrong";
	case EMV_E_EXPIRY_FORMAT:	return "expiry date malformed";
	case EMV_E_EXPIRED:		return "card expired";
	case EMV_E_SERVICE_CODE:	return "service code malformed";
	}
	return "unknown error";
}

enum emv_status emv_sw_status(uint16_t sw)
{
	if ((sw & 0xfff0) == 0x63c0)
		return EMV_E_SW_COUNTER;
	switch (sw) {
	case 0x6283: return EMV_E_SW_WARNING_SELECTED_INVALIDATED;
	case 0x6300: return EMV_E_SW_AUTH_FAILED;
	case 0x6700: return EMV_E_SW_WRONG_LENGTH;
	case 0x6982: return EMV_E_SW_SECURITY;
	case 0x6983: return EMV_E_SW_AUTH_BLOCKED;
	case 0x6984: return EMV_E_SW_DATA_INVALID;
	case 0x6985: return EMV_E_SW_CONDITIONS;
	case 0x6a81: return EMV_E_SW_FUNCTION_NOT_SUPPORTED;
	case 0x6a82: return EMV_E_SW_FILE_NOT_FOUND;
	case 0x6a83: return EMV_E_SW_RECORD_NOT_FOUND;
	case 0x6a86: case 0x6b00: return EMV_E_SW_WRONG_P1P2;
	case 0x6a88: return EMV_E_SW_REFERENCED_DATA;
	case 0x6d00: return EMV_E_SW_INS;
	case 0x6e00: return EMV_E_SW_CLA;
	}
	return EMV_E_SW_UNKNOWN;
}
