/* SPDX-License-Identifier: MIT */
/*
 * Key check values.
 *
 *   classic  E(K, 0^block), leftmost bytes (TDES convention, 3 bytes shown);
 *            for AES this is the legacy method, kept for old HSM printouts.
 *   cmac     CMAC(K, 0^block), leftmost bytes: the AES method of
 *            X9.24-1:2017 / TR-31 (5 bytes defined, 3 usually shown).
 *   cup      UnionPay sign-in field 62: first 4 bytes of E(K, 0^8) (TDES).
 */
#ifndef PAYCARD_CRYPTO_KCV_H
#define PAYCARD_CRYPTO_KCV_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/cipher.h"

enum pcc_kcv_method {
	PCC_KCV_CLASSIC,
	PCC_KCV_CMAC,
	PCC_KCV_CUP,
};

#define PCC_KCV_CUP_LEN	4

/* Compute @kcv_len (1..block size; exactly 4 for cup) bytes of the check
 * value of @key. */
enum pcc_status pcc_kcv(enum pcc_kcv_method method, enum pcc_alg alg,
			const uint8_t *key, size_t key_len,
			uint8_t *kcv, size_t kcv_len);

/* Compare @expected (@expected_len bytes) with the computed check value in
 * constant time: PCC_OK or PCC_E_CHECK_VALUE. */
enum pcc_status pcc_kcv_verify(enum pcc_kcv_method method, enum pcc_alg alg,
			       const uint8_t *key, size_t key_len,
			       const uint8_t *expected, size_t expected_len);

/* "classic", "cmac", "cup". */
const char *pcc_kcv_method_name(enum pcc_kcv_method method);

#endif
