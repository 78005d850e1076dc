// SPDX-License-Identifier: MIT
/* Key check values: classic, CMAC method, UnionPay 4-byte. */
#include <string.h>
#include "crypto/evp_session.h"
#include "crypto/kcv.h"

const char *pcc_kcv_method_name(enum pcc_kcv_method method)
{
	switch (method) {
	case PCC_KCV_CLASSIC:
		return "classic";
	case PCC_KCV_CMAC:
		return "cmac";
	case PCC_KCV_CUP:
		return "cup";
	}
	return "unknown";
}

enum pcc_status pcc_kcv(enum pcc_kcv_method method, enum pcc_alg alg,
			const uint8_t *key, size_t key_len,
			uint8_t *kcv, size_t kcv_len)
{
	static const uint8_t zeros[PCC_MAX_BLOCK];
	uint8_t full[PCC_MAX_BLOCK];
	size_t bs = pcc_block_size(alg);
	enum pcc_status st;

	if (!key || !kcv || !bs)
		return PCC_E_ARGUMENT;
	if (!kcv_len || kcv_len > bs)
		return PCC_E_DATA_LENGTH;
	switch (method) {
	case PCC_KCV_CUP:
		if (alg != PCC_ALG_TDES)
			return PCC_E_ALGORITHM;
		if (kcv_len != PCC_KCV_CUP_LEN)
			return PCC_E_DATA_LENGTH;
		st = pcc_ecb_encrypt(alg, key, key_len, zeros, full, bs);
		break;
	case PCC_KCV_CLASSIC:
		st = pcc_ecb_encrypt(alg, key, key_len, zeros, full, bs);
		break;
	case PCC_KCV_CMAC:
		if (!pcc_key_length_ok(alg, key_len))
			return PCC_E_KEY_LENGTH;
		st = pcc_cmac_full(alg, key, key_len, zeros, bs, full);
		break;
	default:
		return PCC_E_ARGUMENT;
	}
	if (st == PCC_OK)
		memcpy(kcv, full, kcv_len);
	return st;
}

enum pcc_status pcc_kcv_verify(enum pcc_kcv_method method, enum pcc_alg alg,
			       const uint8_t *key, size_t key_len,
			       const uint8_t *expected, size_t expected_len)
{
	uint8_t kcv[PCC_MAX_BLOCK];
	enum pcc_status st;

	if (!expected)
		return PCC_E_ARGUMENT;
	st = pcc_kcv(method, alg, key, key_len, kcv, expected_len);
	if (st != PCC_OK)
		return st;
	return pcc_equal(kcv, expected, expected_len) ? PCC_OK :
	       PCC_E_CHECK_VALUE;
}
