/* SPDX-License-Identifier: MIT */
/*
 * The EMV parameters an acquirer gives its terminals: per application
 * (AID) the terminal action codes, floor limit, random selection values
 * and default DDOL; and the certification authority public keys.
 *
 * Both come as TLV records, in the form UnionPay's IC parameter and CA
 * public key downloads carry them in field 62 (and public UnionPay POS
 * code presets them): an AID record is 9F06 AID, DF01 ASI (00: partial
 * selection allowed), 9F09 (or 9F08) application version, DF11/DF12/DF13
 * TAC default/online/denial, 9F1B floor limit, DF15 random selection
 * threshold, DF17/DF16 target / maximum target percent (BCD), DF14 default
 * DDOL, DF18 online PIN capability; a key record is 9F06 RID, 9F22 index,
 * DF05 expiry (ASCII YYYYMMDD), DF06 hash algorithm, DF07 key algorithm,
 * DF02 modulus, DF04 exponent, DF03 check value.  Contactless limits
 * (9F7B, DF19-DF21) are accepted and ignored: contact terminal only.
 */
#ifndef PAYCARD_EMV_PARAMS_H
#define PAYCARD_EMV_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emv/card.h"
#include "emv/oda.h"
#include "emv/risk.h"
#include "emv/select.h"
#include "emv/terminal_risk.h"

#define EMV_DDOL_MAX	32

struct emv_aid_params {
	struct emv_aid aid;		/* 9F06, DF01 */
	uint8_t app_version[2];		/* 9F09 */
	struct emv_tac tac;		/* DF11, DF12, DF13 */
	struct emv_risk_config risk;	/* 9F1B, DF15, DF17, DF16 */
	uint8_t default_ddol[EMV_DDOL_MAX];	/* DF14 */
	size_t default_ddol_len;
	bool online_pin;		/* DF18 = 01 */
};

/* EMV_E_MISSING_TAG without 9F06 or a TAC; EMV_E_DATA_LENGTH or
 * EMV_E_DATA_FORMAT for a malformed value; EMV_E_TLV for bad TLV. */
enum emv_status emv_aid_params_parse(const uint8_t *tlv, size_t len,
				     struct emv_aid_params *out);

/* As above for a CA key record; the check value DF03 must be the SHA-1
 * of RID || index || modulus || exponent (EMV_E_CHECKSUM otherwise), the
 * algorithms SHA-1 and RSA.  @expiry: DF05's date. */
enum emv_status emv_capk_parse(const uint8_t *tlv, size_t len,
			       struct emv_capk *out, struct emv_date *expiry);

/* The parameters of the first entry matching the card's application
 * @aid (exactly, or as a prefix when the entry allows partial
 * selection), or NULL. */
const struct emv_aid_params *emv_aid_params_find(
	const struct emv_aid_params *list, size_t n, const uint8_t *aid,
	size_t aid_len);

#endif
