// SPDX-License-Identifier: MIT
#include <string.h>

#include "emv/cvm.h"
#include "emv/risk.h"

#define CVM_FAIL		0x00
#define CVM_PLAIN_PIN		0x01	/* verified by the ICC */
#define CVM_ONLINE_PIN		0x02
#define CVM_PLAIN_PIN_SIG	0x03	/* ... and signature */
#define CVM_SIGNATURE		0x1e
#define CVM_NO_CVM		0x1f
#define CVM_APPLY_NEXT		0x40	/* method byte: try next rule if failed */
#define CVM_NOT_PERFORMED	0x3f	/* 9F34 method when nothing applied */

/* 9F33 byte 2: b8 plaintext PIN for ICC verification, b7 online PIN,
 * b6 signature, b4 no CVM (Book 4 Annex A2). */
static bool supported(const uint8_t caps[3], uint8_t method)
{
	switch (method) {
	case CVM_PLAIN_PIN:	return caps[1] & 0x80;
	case CVM_PLAIN_PIN_SIG:	return (caps[1] & 0xa0) == 0xa0;
	case CVM_ONLINE_PIN:	return caps[1] & 0x40;
	case CVM_SIGNATURE:	return caps[1] & 0x20;
	case CVM_NO_CVM:	return caps[1] & 0x08;
	case CVM_FAIL:		return true;
	}
	return false;
}

/* Book 3 Annex C3 methods: fail, offline PIN variants, online PIN,
 * signature, no CVM; anything else is unrecognised. */
static bool recognised(uint8_t method)
{
	return method <= 0x05 || method == CVM_SIGNATURE ||
	       method == CVM_NO_CVM;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Book 3 Annex C3 condition codes. */
static bool condition_met(const struct emv_cvm_input *in, uint8_t cond,
			  uint8_t method, uint32_t x, uint32_t y)
{
	const uint8_t *app_cur = emv_data_get(in->icc, 0x9f42, NULL);
	bool same_cur = app_cur && in->currency &&
			!memcmp(app_cur, in->currency, 2);
	bool cash = in->type == 0x01, cashback = in->type == 0x09;

	switch (cond) {
	case 0x00: return true;
	case 0x01: return false;		/* unattended cash: not us */
	case 0x02: return !cash && !cashback;
	case 0x03: return supported(in->capabilities, method);
	case 0x04: return cash;
	case 0x05: return cashback;
	case 0x06: return same_cur && in->amount < x;
	case 0x07: return same_cur && in->amount > x;
	case 0x08: return same_cur && in->amount < y;
	case 0x09: return same_cur && in->amount > y;
	}
	return false;
}

static enum emv_cvm outcome(uint8_t method)
{
	switch (method) {
	case CVM_PLAIN_PIN:
	case CVM_PLAIN_PIN_SIG:	return EMV_CVM_OFFLINE_PIN;
	case CVM_ONLINE_PIN:	return EMV_CVM_ONLINE_PIN;
	case CVM_SIGNATURE:	return EMV_CVM_SIGNATURE;
	case CVM_NO_CVM:	return EMV_CVM_NONE;
	}
	return EMV_CVM_FAILED;
}

enum emv_status emv_cvm_select(const struct emv_cvm_input *in,
			       enum emv_cvm *cvm, uint8_t cvm_results[3],
			       uint8_t tvr[5])
{
	size_t len;
	const uint8_t *list;

	if (!in || !in->icc || !in->capabilities || !cvm || !cvm_results ||
	    !tvr)
		return EMV_E_ARGUMENT;
	list = emv_data_get(in->icc, 0x8e, &len);
	if (!list) {	/* Book 3 10.5: no list, no CVM, ICC data missing */
		emv_tvr_set(tvr, EMV_TVR_ICC_DATA_MISSING);
		memcpy(cvm_results, "\x3f\x00\x00", 3);
		*cvm = EMV_CVM_NONE;
		return EMV_OK;
	}
	if (len < 10 || len % 2)
		return EMV_E_DATA_LENGTH;
	for (size_t i = 8; i < len; i += 2) {
		uint8_t method = list[i] & 0x3f, cond = list[i + 1];

		if (!condition_met(in, cond, method, be32(list),
				   be32(list + 4)))
			continue;
		if (!supported(in->capabilities, method)) {
			if (!recognised(method))
				emv_tvr_set(tvr, EMV_TVR_UNRECOGNISED_CVM);
			if (list[i] & CVM_APPLY_NEXT)
				continue;
			break;
		}
		/* Book 3 10.5.2: a bypassed PIN is an unsuccessful CVM */
		if (method == CVM_ONLINE_PIN && in->pin_bypassed) {
			emv_tvr_set(tvr, EMV_TVR_PIN_NOT_ENTERED);
			if (list[i] & CVM_APPLY_NEXT)
				continue;
			break;
		}
		/* 10.5.1: so is an offline PIN the card no longer takes */
		if ((method == CVM_PLAIN_PIN || method == CVM_PLAIN_PIN_SIG) &&
		    in->offline_pin_failed) {
			if (list[i] & CVM_APPLY_NEXT)
				continue;
			break;
		}
		*cvm = outcome(method);
		cvm_results[0] = list[i];
		cvm_results[1] = cond;
		/* PIN: unknown until the issuer or the card answers */
		cvm_results[2] = outcome(method) == EMV_CVM_ONLINE_PIN ||
				 outcome(method) == EMV_CVM_OFFLINE_PIN ? 0x00 :
				 method == CVM_FAIL ? 0x01 : 0x02;
		if (method == CVM_FAIL)
			emv_tvr_set(tvr, EMV_TVR_CVM_FAILED);
		return EMV_OK;
	}
	emv_tvr_set(tvr, EMV_TVR_CVM_FAILED);
	memcpy(cvm_results, "\x3f\x00\x01", 3);
	*cvm = EMV_CVM_FAILED;
	return EMV_OK;
}
