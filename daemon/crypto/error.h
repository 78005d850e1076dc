/* SPDX-License-Identifier: MIT */
/*
 * Typed results of the paycard crypto library (libpaycard-crypto).
 *
 * Every function of the library returns an enum pcc_status.  Each failure
 * names what is wrong, so a caller can tell a bad parity bit from a bad MAC
 * from a wrong length and explain it to an integrator.  Messages never carry
 * key, PIN or PAN material.
 */
#ifndef PAYCARD_CRYPTO_ERROR_H
#define PAYCARD_CRYPTO_ERROR_H

enum pcc_status {
	PCC_OK = 0,
	PCC_E_ARGUMENT,		/* NULL pointer or out-of-range enum value */
	PCC_E_KEY_LENGTH,	/* key length not valid for the algorithm */
	PCC_E_DATA_LENGTH,	/* data length not valid (block multiple, size) */
	PCC_E_BUFFER,		/* output buffer too small */
	PCC_E_PARITY,		/* DES key byte without odd parity */
	PCC_E_MAC,		/* MAC verification failed */
	PCC_E_CHECK_VALUE,	/* key check value does not match */
	PCC_E_PIN_LENGTH,	/* PIN not 4..12 digits */
	PCC_E_PIN_DIGIT,	/* PIN holds a non-decimal character */
	PCC_E_PAN,		/* PAN missing, not digits, or wrong length */
	PCC_E_PINBLOCK,		/* PIN block breaks its format rules */
	PCC_E_KSN,		/* DUKPT key serial number malformed */
	PCC_E_DUKPT_EXHAUSTED,	/* DUKPT transaction counter used up */
	PCC_E_KEYBLOCK_FORMAT,	/* TR-31 block truncated or malformed */
	PCC_E_KEYBLOCK_VERSION,	/* TR-31 version not supported */
	PCC_E_KEYBLOCK_HEADER,	/* TR-31 header field value not allowed */
	PCC_E_KEY_USAGE,	/* key used for a purpose it does not allow */
	PCC_E_NOT_FOUND,	/* no such key in the key store */
	PCC_E_STORE_CORRUPT,	/* key store fails authentication or parsing */
	PCC_E_IO,		/* file system error (errno is kept) */
	PCC_E_MEMORY,		/* allocation or mlock failure */
	PCC_E_CIPHER,		/* OpenSSL refused an operation */
	PCC_E_ALGORITHM,	/* algorithm not supported for this operation */
};

/* A short English sentence describing @status (never NULL, static). */
const char *pcc_strerror(enum pcc_status status);

/* The symbolic name of @status, e.g. "PCC_E_PARITY" (for --json output). */
const char *pcc_status_name(enum pcc_status status);

#endif
