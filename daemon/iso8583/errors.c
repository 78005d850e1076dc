// SPDX-License-Identifier: MIT
#include "iso8583/iso8583.h"

const char *iso_strerror(enum iso_err err)
{
	switch (err) {
	case ISO_OK:			return "ok";
	case ISO_ERR_SHORT:		return "input ends inside an element";
	case ISO_ERR_MISSING_FIELD:	return "bitmap announces a field that is missing";
	case ISO_ERR_TRAILING:		return "bytes left after the last field";
	case ISO_ERR_BAD_MTI:		return "message type is not 4 digits";
	case ISO_ERR_BAD_BITMAP:	return "bitmap is malformed or empty";
	case ISO_ERR_UNKNOWN_FIELD:	return "field not defined in this dialect";
	case ISO_ERR_BAD_LENGTH:	return "length prefix holds a non-digit";
	case ISO_ERR_TOO_LONG:		return "field longer than its definition";
	case ISO_ERR_BAD_DIGIT:		return "numeric field holds a non-digit";
	case ISO_ERR_BAD_PADDING:	return "odd-length numeric has a non-zero pad";
	case ISO_ERR_BAD_TEXT:		return "text field holds a non-printable byte";
	case ISO_ERR_BAD_HEX:		return "binary field is not hex text";
	case ISO_ERR_WRONG_LENGTH:	return "fixed-length field has another length";
	case ISO_ERR_FRAME_LENGTH:	return "length prefix disagrees with the frame";
	case ISO_ERR_BAD_TPDU:		return "TPDU ID is not 0x60";
	case ISO_ERR_NO_SPACE:		return "buffer too small";
	case ISO_ERR_ABSENT:		return "field not present";
	case ISO_ERR_INVALID_ARG:	return "invalid argument";
	}
	return "unknown error";
}
