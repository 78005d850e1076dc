/* SPDX-License-Identifier: MIT */
/*
 * Block cipher primitives over OpenSSL 3 EVP: TDES, AES, SM4 in ECB and CBC
 * without padding.
 *
 * Key lengths: TDES 8 (single length, used as K|K|K because OpenSSL 3
 * refuses single DES), 16 (K1|K2|K1) or 24 bytes; AES 16, 24 or 32; SM4 16.
 * Data lengths must be a multiple of the block size (8 for TDES, 16 for AES
 * and SM4); in-place operation (in == out) is allowed.
 */
#ifndef PAYCARD_CRYPTO_CIPHER_H
#define PAYCARD_CRYPTO_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

enum pcc_alg {
	PCC_ALG_TDES,
	PCC_ALG_AES,
	PCC_ALG_SM4,
};

#define PCC_MAX_BLOCK	16	/* largest block size (AES, SM4) */
#define PCC_MAX_KEY	32	/* largest key (AES-256) */

/* Block size in bytes of @alg (8 or 16), 0 for an unknown value. */
size_t pcc_block_size(enum pcc_alg alg);

/* Whether @key_len is a valid key length for @alg. */
bool pcc_key_length_ok(enum pcc_alg alg, size_t key_len);

/* "tdes", "aes", "sm4". */
const char *pcc_alg_name(enum pcc_alg alg);

enum pcc_status pcc_ecb_encrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *in,
				uint8_t *out, size_t len);
enum pcc_status pcc_ecb_decrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *in,
				uint8_t *out, size_t len);

/* @iv is one block; it is not updated. */
enum pcc_status pcc_cbc_encrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *iv,
				const uint8_t *in, uint8_t *out, size_t len);
enum pcc_status pcc_cbc_decrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *iv,
				const uint8_t *in, uint8_t *out, size_t len);

/*
 * DES odd parity: every key byte must have an odd number of one bits.
 * pcc_des_parity_check returns PCC_OK or PCC_E_PARITY; pcc_des_parity_set
 * fixes the low bit of every byte (used when generating keys).
 */
enum pcc_status pcc_des_parity_check(const uint8_t *key, size_t key_len);
void pcc_des_parity_set(uint8_t *key, size_t key_len);

/* Fill @len bytes with cryptographically strong random bytes. */
enum pcc_status pcc_random(uint8_t *out, size_t len);

/* Constant-time comparison: true when the @len bytes are equal. */
bool pcc_equal(const uint8_t *a, const uint8_t *b, size_t len);

/* Erase a secret (OPENSSL_cleanse: not optimised away). */
void pcc_wipe(void *secret, size_t len);

#endif
