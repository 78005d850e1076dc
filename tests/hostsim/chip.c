// SPDX-License-Identifier: MIT
/*
 * Chip requests (POS entry mode 05x: 051 with PIN, 052 without), the
 * issuer's half of the EMV cryptograms: the ARQC in field 55 is verified
 * from the card's issuer master key (daemon/emv/issuer.h: option A ICC
 * key from the PAN and the PSN of field 23, EMV common session key from
 * the ATC, MAC algorithm 3), and the answer to a genuine ARQC carries
 * field 55 = 91 (ARPC || ARC) so the card can authenticate the issuer at
 * its second GENERATE AC.
 *
 * A wrong ARQC is declined 34, ISO 8583:1987 "suspected fraud" (UnionPay
 * 有作弊嫌疑, terminals show "card abnormal, contact the issuer"): the
 * cryptogram is the card's proof that it is genuine and that it saw
 * these transaction data, so a mismatch means a counterfeit card or data
 * altered on the way, not an error the cardholder can correct.  ISO 8583
 * (1987) has no narrower code; "05 do not honour" would hide the reason
 * and "30 format error" is kept for field 55 that cannot be read.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "emv/issuer.h"
#include "iso8583/tlv.h"
#include "request.h"

static bool chip_entry(const struct hs_request *r)
{
	char mode[4] = "";

	return !iso_msg_get_str(r->req, 22, mode, sizeof(mode)) &&
	       !strncmp(mode, "05", 2);
}

/* PAN sequence number from field 23 (n3, e.g. "001"); -1 when absent. */
static int request_psn(const struct hs_request *r)
{
	char text[4];

	if (iso_msg_get_str(r->req, 23, text, sizeof(text)))
		return -1;
	return atoi(text);
}

/*
 * The ARQC covers 9F02 (amount, n12 in 6 BCD bytes), not field 4: the
 * amount charged must be the one the card signed, or a genuine ARQC
 * would authorise any amount.  Requests without field 4 (balance) have
 * nothing to bind.
 */
static bool amount_signed(const struct hs_request *r, const uint8_t *f55,
			  size_t len)
{
	struct tlv t;
	long long signed_amount = 0;

	if (!iso_msg_has(r->req, 4))
		return true;
	if (tlv_find(f55, len, 0x9f02, &t) != TLV_OK || t.len != 6)
		return false;
	for (size_t i = 0; i < t.len; i++) {
		int hi = t.value[i] >> 4, lo = t.value[i] & 0x0f;

		if (hi > 9 || lo > 9)
			return false;
		signed_amount = signed_amount * 100 + hi * 10 + lo;
	}
	return signed_amount == r->amount;
}

/* Issuer authentication data for @arc; EMV_OK only for a genuine ARQC. */
static enum emv_status verify(const struct hs_request *r, const char *arc,
			      uint8_t iad[EMV_ISSUER_AUTH_LEN])
{
	size_t len;
	const uint8_t *f55 = iso_msg_get(r->req, 55, &len);

	if (!f55)
		return EMV_E_MISSING_TAG;
	return emv_issuer_verify_arqc(r->card->issuer_key, r->pan,
				      request_psn(r), f55, len, arc, iad);
}

const char *hs_check_chip(struct hs_request *r)
{
	uint8_t iad[EMV_ISSUER_AUTH_LEN];
	const uint8_t *f55;
	size_t len;
	enum emv_status st;

	if (!chip_entry(r))
		return RC_APPROVED;		/* stripe or keyed: no cryptogram */
	f55 = iso_msg_get(r->req, 55, &len);
	if (!f55)
		return RC_FORMAT_ERROR;
	if (!r->card->has_issuer_key)
		return RC_NOT_SUPPORTED;	/* no chip keys at this issuer */
	st = verify(r, RC_APPROVED, iad);
	OPENSSL_cleanse(iad, sizeof(iad));
	if (st == EMV_E_CRYPTOGRAM)
		return RC_BAD_CRYPTOGRAM;
	if (st != EMV_OK)
		return RC_FORMAT_ERROR;		/* tags missing, bad PSN */
	if (!amount_signed(r, f55, len))
		return RC_BAD_CRYPTOGRAM;
	r->arqc_verified = true;
	return RC_APPROVED;
}

/*
 * Every answer to a genuine ARQC, approved or declined, carries 91 with
 * the final response code as ARC: the card then knows the decision came
 * from its issuer (EMV Book 2 8.2).
 */
void hs_chip_answer(struct hs_request *r, const char *rc)
{
	uint8_t f55[2 + EMV_ISSUER_AUTH_LEN] = { 0x91, EMV_ISSUER_AUTH_LEN };

	if (!r->arqc_verified || verify(r, rc, f55 + 2) != EMV_OK)
		return;
	iso_msg_set(r->resp, 55, f55, sizeof(f55));
}
