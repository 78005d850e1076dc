/* SPDX-License-Identifier: MIT */
/*
 * ISO 8583 field 39 response codes as a UnionPay acquirer uses them: what
 * each means in words a merchant understands, and which ones tell the
 * terminal to sign in again.  One table for the engine's decisions and for
 * what paycardctl explain and doctor say.
 */
#ifndef PAYCARD_TXN_RESPONSE_CODES_H
#define PAYCARD_TXN_RESPONSE_CODES_H

#include <stdbool.h>

struct txn_response_code {
	const char *code;
	const char *text;
	bool sign_in_again;	/* keys or batch out of step: sign in again */
};

/* The entry for @code, or NULL for a code the table does not know. */
const struct txn_response_code *txn_response_code(const char *code);

/* Its text, or NULL. */
const char *txn_response_code_text(const char *code);

#endif
