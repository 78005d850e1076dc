/* SPDX-License-Identifier: MIT */
/*
 * Cardholder verification (Book 3 10.5) for a terminal with online
 * enciphered PIN and offline plaintext PIN (plus signature and "no CVM"),
 * each as its capabilities 9F33 say: walks the CVM list 8E, picks the first rule
 * whose condition holds and whose method the terminal supports, and sets
 * the CVM results 9F34 and the TVR.
 */
#ifndef PAYCARD_EMV_CVM_H
#define PAYCARD_EMV_CVM_H

#include <stdbool.h>
#include <stdint.h>
#include "emv/data.h"

enum emv_cvm {
	EMV_CVM_ONLINE_PIN,	/* collect the PIN, send it online */
	EMV_CVM_OFFLINE_PIN,	/* plaintext PIN verified by the card
				 * (VERIFY), with signature when the rule
				 * says 03 */
	EMV_CVM_SIGNATURE,
	EMV_CVM_NONE,		/* no CVM required */
	EMV_CVM_FAILED,		/* no rule could be satisfied */
};

struct emv_cvm_input {
	const struct emv_data *icc;	/* 8E, 9F42 */
	const uint8_t *capabilities;	/* 9F33, 3 bytes */
	uint64_t amount;		/* minor units, for conditions 06..09 */
	const uint8_t *currency;	/* 5F2A, 2 bytes */
	uint8_t type;			/* 9C */
	bool pin_bypassed;		/* the cardholder bypassed PIN entry:
					 * online PIN rules are unsuccessful */
	bool offline_pin_failed;	/* the card refused the offline PIN
					 * (tries used up): those rules are
					 * unsuccessful */
};

/* Decide the CVM; writes 9F34 into @cvm_results and bits into @tvr.
 * EMV_E_DATA_LENGTH when 8E is malformed. */
enum emv_status emv_cvm_select(const struct emv_cvm_input *in,
			       enum emv_cvm *cvm, uint8_t cvm_results[3],
			       uint8_t tvr[5]);

#endif
