// SPDX-License-Identifier: MIT
/* UnionPay working keys under the terminal master key (sign-in field 62). */
#include "crypto/cipher.h"
#include "crypto/kcv.h"
#include "crypto/workkey.h"

static bool working_key_length_ok(size_t len)
{
	return len == 8 || len == 16;
}

enum pcc_status pcc_workkey_decrypt(const uint8_t *tmk, size_t tmk_len,
				    const uint8_t *enc, size_t enc_len,
				    const uint8_t check_value[4],
				    bool require_parity, uint8_t *key)
{
	enum pcc_status st;

	if (!tmk || !enc || !check_value || !key)
		return PCC_E_ARGUMENT;
	if (!working_key_length_ok(enc_len))
		return PCC_E_DATA_LENGTH;
	st = pcc_ecb_decrypt(PCC_ALG_TDES, tmk, tmk_len, enc, key, enc_len);
	if (st == PCC_OK)
		st = pcc_kcv_verify(PCC_KCV_CUP, PCC_ALG_TDES, key, enc_len,
				    check_value, PCC_KCV_CUP_LEN);
	/* parity after the check value: a wrong TMK must read as a wrong
	 * check value, not as a parity problem of the sender */
	if (st == PCC_OK && require_parity)
		st = pcc_des_parity_check(key, enc_len);
	if (st != PCC_OK)
		pcc_wipe(key, enc_len);
	return st;
}

enum pcc_status pcc_workkey_encrypt(const uint8_t *tmk, size_t tmk_len,
				    const uint8_t *key, size_t key_len,
				    uint8_t *enc, uint8_t check_value[4])
{
	enum pcc_status st;

	if (!tmk || !key || !enc || !check_value)
		return PCC_E_ARGUMENT;
	if (!working_key_length_ok(key_len))
		return PCC_E_KEY_LENGTH;
	st = pcc_kcv(PCC_KCV_CUP, PCC_ALG_TDES, key, key_len, check_value,
		     PCC_KCV_CUP_LEN);
	if (st == PCC_OK)
		st = pcc_ecb_encrypt(PCC_ALG_TDES, tmk, tmk_len, key, enc,
				     key_len);
	return st;
}
