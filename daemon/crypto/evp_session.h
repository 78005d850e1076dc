/* SPDX-License-Identifier: MIT */
/*
 * Internal to libpaycard-crypto: one EVP_CIPHER_CTX reused for all the
 * block cipher calls of one operation (a DUKPT derivation makes up to 42),
 * with the EVP_CIPHERs fetched once per process.  Keeping the library's
 * cost close to the raw cipher cost is a requirement (see the bench).
 */
#ifndef PAYCARD_CRYPTO_EVP_SESSION_H
#define PAYCARD_CRYPTO_EVP_SESSION_H

#include <stdbool.h>
#include <openssl/evp.h>
#include "crypto/cipher.h"

struct pcc_session {
	EVP_CIPHER_CTX *ctx;
};

enum pcc_status pcc_session_open(struct pcc_session *s);
void pcc_session_close(struct pcc_session *s);

/* Key the session for ECB (@iv NULL) or CBC; then feed it with
 * pcc_session_update (block multiples; CBC chains across calls). */
enum pcc_status pcc_session_start(struct pcc_session *s, enum pcc_alg alg,
				  const uint8_t *key, size_t key_len,
				  bool encrypt, const uint8_t *iv);
enum pcc_status pcc_session_update(struct pcc_session *s, const uint8_t *in,
				   uint8_t *out, size_t len);

/* ECB over @len bytes (block multiple) with @key, encrypt or decrypt. */
enum pcc_status pcc_session_ecb(struct pcc_session *s, enum pcc_alg alg,
				const uint8_t *key, size_t key_len,
				bool encrypt, const uint8_t *in,
				uint8_t *out, size_t len);

/* CMAC in one call (EVP_MAC "CMAC"), full block output into @mac. */
enum pcc_status pcc_cmac_full(enum pcc_alg alg, const uint8_t *key,
			      size_t key_len, const uint8_t *msg,
			      size_t msg_len, uint8_t *mac);

#endif
