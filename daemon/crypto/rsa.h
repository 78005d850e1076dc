/* SPDX-License-Identifier: MIT */
/*
 * What EMV offline data authentication needs from RSA and SHA-1, over
 * OpenSSL 3 EVP: the public-key operation without padding (EMV Book 2
 * 5.3-6.5 recovers certificates and signatures that the signer formatted
 * itself, header 6A ... trailer BC) and SHA-1 over a list of parts.
 */
#ifndef PAYCARD_CRYPTO_RSA_H
#define PAYCARD_CRYPTO_RSA_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

#define PCC_RSA_MAX_MODULUS	248	/* EMV's largest key: 1984 bits */
#define PCC_SHA1_LEN		20

/*
 * @out = @in ^ @exponent mod @modulus, all big-endian; @in_len must equal
 * @modulus_len (PCC_E_DATA_LENGTH otherwise) and @out holds as many bytes.
 * PCC_E_CIPHER when OpenSSL refuses (e.g. @in not below the modulus).
 */
enum pcc_status pcc_rsa_recover(const uint8_t *modulus, size_t modulus_len,
				const uint8_t *exponent, size_t exponent_len,
				const uint8_t *in, size_t in_len, uint8_t *out);

struct pcc_part {
	const uint8_t *data;
	size_t len;
};

/* SHA-1 of the concatenation of @n parts. */
enum pcc_status pcc_sha1(const struct pcc_part *parts, size_t n,
			 uint8_t out[PCC_SHA1_LEN]);

#endif
