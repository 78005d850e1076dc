// SPDX-License-Identifier: MIT
#include "crypto/error.h"

struct status_text {
	const char *name;
	const char *text;
};

#define S(code, msg) [code] = { #code, msg }
static const struct status_text texts[] = {
	S(PCC_OK, "success"),
	S(PCC_E_ARGUMENT, "invalid argument"),
	S(PCC_E_KEY_LENGTH, "key length not valid for the algorithm"),
	S(PCC_E_DATA_LENGTH, "data length not valid for the operation"),
	S(PCC_E_BUFFER, "output buffer too small"),
	S(PCC_E_PARITY, "DES key does not have odd parity"),
	S(PCC_E_MAC, "MAC verification failed"),
	S(PCC_E_CHECK_VALUE, "key check value does not match"),
	S(PCC_E_PIN_LENGTH, "PIN must be 4 to 12 digits"),
	S(PCC_E_PIN_DIGIT, "PIN must hold decimal digits only"),
	S(PCC_E_PAN, "PAN missing, not decimal or not 12 to 19 digits"),
	S(PCC_E_PINBLOCK, "PIN block breaks its format rules (or wrong key/PAN)"),
	S(PCC_E_KSN, "key serial number malformed"),
	S(PCC_E_DUKPT_EXHAUSTED, "DUKPT transaction counter exhausted"),
	S(PCC_E_KEYBLOCK_FORMAT, "key block truncated or malformed"),
	S(PCC_E_KEYBLOCK_VERSION, "key block version not supported"),
	S(PCC_E_KEYBLOCK_HEADER, "key block header field not allowed"),
	S(PCC_E_KEY_USAGE, "key usage does not allow this operation"),
	S(PCC_E_NOT_FOUND, "no such key"),
	S(PCC_E_STORE_CORRUPT, "key store fails authentication or is corrupt"),
	S(PCC_E_IO, "key store file error"),
	S(PCC_E_MEMORY, "out of memory or cannot lock memory"),
	S(PCC_E_CIPHER, "OpenSSL cipher operation failed"),
	S(PCC_E_ALGORITHM, "algorithm not supported for this operation"),
};
#undef S

static const struct status_text *lookup(enum pcc_status status)
{
	if ((unsigned)status >= sizeof(texts) / sizeof(texts[0]) ||
	    !texts[status].name)
		return 0;
	return &texts[status];
}

const char *pcc_strerror(enum pcc_status status)
{
	const struct status_text *t = lookup(status);

	return t ? t->text : "unknown error";
}

const char *pcc_status_name(enum pcc_status status)
{
	const struct status_text *t = lookup(status);

	return t ? t->name : "PCC_E_UNKNOWN";
}
