// SPDX-License-Identifier: MIT
#include <string.h>

#include "crypto/cipher.h"
#include "emv/issuer.h"
#include "iso8583/tlv.h"

static enum emv_status fixed_tag(const uint8_t *f55, size_t len,
				 uint32_t tag, size_t want,
				 const uint8_t **value)
{
	struct tlv t;

	if (tlv_find(f55, len, tag, &t) != TLV_OK || t.len != want)
		return EMV_E_MISSING_TAG;
	*value = t.value;
	return EMV_OK;
}

enum emv_status emv_issuer_verify_arqc(const uint8_t imk[EMV_KEY_LEN],
				       const char *pan, int psn,
				       const uint8_t *field55, size_t len,
				       const char arc[2],
				       uint8_t issuer_auth[EMV_ISSUER_AUTH_LEN])
{
	uint8_t input[64], icc_mk[EMV_KEY_LEN], sk[EMV_KEY_LEN], r[8];
	const uint8_t *atc, *arqc;
	size_t n;
	enum emv_status st;

	if (!imk || !pan || !field55 || !arc || !issuer_auth)
		return EMV_E_ARGUMENT;
	st = emv_ac_input_from_tlv(field55, len, input, sizeof(input), &n);
	if (!st)
		st = fixed_tag(field55, len, 0x9f36, 2, &atc);
	if (!st)
		st = fixed_tag(field55, len, 0x9f26, EMV_AC_LEN, &arqc);
	if (!st)
		st = emv_derive_icc_mk(imk, pan, psn, icc_mk);
	if (!st) {
		emv_session_r_from_atc(atc, r);
		st = emv_derive_session_key(icc_mk, r, sk);
	}
	if (!st)
		st = emv_ac_verify(sk, EMV_AC_PAD_EMV, input, n, arqc);
	if (!st)
		st = emv_arpc_method1(sk, arqc, (const uint8_t *)arc,
				      issuer_auth);
	if (!st)
		memcpy(issuer_auth + EMV_AC_LEN, arc, 2);
	pcc_wipe(icc_mk, sizeof(icc_mk));
	pcc_wipe(sk, sizeof(sk));
	return st;
}
