/* SPDX-License-Identifier: MIT */
/*
 * Terminal verification results and the risk steps of an online-only
 * terminal: processing restrictions (Book 3 10.4) and terminal action
 * analysis (Book 3 10.7) comparing the TVR with the terminal action codes
 * (TAC) and the card's issuer action codes (IAC 9F0D/9F0E/9F0F).
 */
#ifndef PAYCARD_EMV_RISK_H
#define PAYCARD_EMV_RISK_H

#include <stdint.h>
#include "emv/card.h"
#include "emv/data.h"

/* TVR bits: byte index (0..4) << 8 | mask (Book 3 Annex C5). */
#define EMV_TVR_ODA_NOT_PERFORMED	0x0080
#define EMV_TVR_SDA_FAILED		0x0040
#define EMV_TVR_ICC_DATA_MISSING	0x0020
#define EMV_TVR_EXCEPTION_FILE		0x0010	/* card on exception file */
#define EMV_TVR_DDA_FAILED		0x0008
#define EMV_TVR_CDA_FAILED		0x0004	/* CDA / AC generation failed */
#define EMV_TVR_SDA_SELECTED		0x0002
#define EMV_TVR_VERSION_MISMATCH	0x0180
#define EMV_TVR_EXPIRED			0x0140
#define EMV_TVR_NOT_EFFECTIVE		0x0120
#define EMV_TVR_SERVICE_NOT_ALLOWED	0x0110
#define EMV_TVR_NEW_CARD		0x0108
#define EMV_TVR_CVM_FAILED		0x0280
#define EMV_TVR_UNRECOGNISED_CVM	0x0240
#define EMV_TVR_PIN_TRY_LIMIT		0x0220	/* PIN try limit exceeded */
#define EMV_TVR_PIN_NOT_ENTERED		0x0208	/* PIN pad present, bypassed */
#define EMV_TVR_ONLINE_PIN_ENTERED	0x0204
#define EMV_TVR_FLOOR_LIMIT_EXCEEDED	0x0380
#define EMV_TVR_LCOL_EXCEEDED		0x0340	/* lower consecutive offline */
#define EMV_TVR_UCOL_EXCEEDED		0x0320	/* upper consecutive offline */
#define EMV_TVR_RANDOMLY_SELECTED	0x0310	/* selected for online */
#define EMV_TVR_ISSUER_AUTH_FAILED	0x0440
#define EMV_TVR_SCRIPT_FAILED_BEFORE	0x0420
#define EMV_TVR_SCRIPT_FAILED_AFTER	0x0410

/* TSI byte 1 bits (Book 3 Annex C6). */
#define EMV_TSI_ODA_PERFORMED		0x80
#define EMV_TSI_CVM_PERFORMED		0x40
#define EMV_TSI_CARD_RISK_MGMT		0x20
#define EMV_TSI_ISSUER_AUTH		0x10
#define EMV_TSI_TERMINAL_RISK_MGMT	0x08
#define EMV_TSI_SCRIPT			0x04

struct emv_tac {
	uint8_t denial[5], online[5], dflt[5];
};

void emv_tvr_set(uint8_t tvr[5], uint16_t bit);
bool emv_tvr_test(const uint8_t tvr[5], uint16_t bit);

/*
 * Processing restrictions: application versions (9F08 card vs 9F09
 * terminal), application usage control (9F07 with 5F28 vs 9F1A and 9C),
 * expiry and effective dates against the transaction date @today.
 */
void emv_processing_restrictions(const struct emv_card_info *card,
				 const struct emv_data *icc,
				 const struct emv_data *terminal,
				 const struct emv_date *today, uint8_t tvr[5]);

enum emv_ac_type {
	EMV_AC_AAC = 0x00,
	EMV_AC_TC = 0x40,
	EMV_AC_ARQC = 0x80,
};

/*
 * Online-only terminal: a TVR bit in (TAC-Denial | IAC-Denial) declines
 * offline (AAC); anything else goes online (ARQC).  Absent IAC-Denial
 * counts as zeros (Book 3 10.7).
 */
enum emv_ac_type emv_taa_first(const uint8_t tvr[5], const struct emv_tac *tac,
			       const struct emv_data *icc);

/*
 * Unable to go online: a TVR bit in (TAC-Default | IAC-Default) means AAC,
 * otherwise TC.  Absent IAC-Default counts as all ones.
 */
enum emv_ac_type emv_taa_unable_online(const uint8_t tvr[5],
				       const struct emv_tac *tac,
				       const struct emv_data *icc);

#endif
