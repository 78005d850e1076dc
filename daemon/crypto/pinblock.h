/* SPDX-License-Identifier: MIT */
/*
 * PIN blocks, ISO 9564-1 formats 0, 1, 2, 3 (8 bytes, TDES) and 4 (16 bytes,
 * AES).  PINs are 4..12 decimal digits, PANs 12..19 digits (format 0 and 3
 * use the 12 rightmost digits without the check digit; format 4 binds the
 * whole PAN).  Formats 1 and 2 carry no PAN (pass NULL).
 *
 * "encode" builds the clear block (for format 4: the clear PIN field);
 * "encrypt" builds and encrypts it under a PIN key (format 4 as ISO 9564-1
 * 9.4: E(K, E(K, PIN field) XOR PAN field)).  Decoding validates every
 * format rule (control nibble, length, digits, fill) and returns
 * PCC_E_PINBLOCK when one is broken, which is also what a wrong PAN or a wrong
 * key usually produces.
 */
#ifndef PAYCARD_CRYPTO_PINBLOCK_H
#define PAYCARD_CRYPTO_PINBLOCK_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

enum pcc_pin_format {
	PCC_PIN_ISO0 = 0,
	PCC_PIN_ISO1 = 1,
	PCC_PIN_ISO2 = 2,
	PCC_PIN_ISO3 = 3,
	PCC_PIN_ISO4 = 4,
};

#define PCC_PIN_MIN		4
#define PCC_PIN_MAX		12
#define PCC_PINBLOCK_MAX	16
/* Random fill bytes a format may consume (format 4: 8, format 1/3: <= 7). */
#define PCC_PIN_FILL_MAX	8

/* Block length of @format: 8 for 0..3, 16 for 4, 0 if unknown. */
size_t pcc_pinblock_len(enum pcc_pin_format format);

/* Clear PIN block (format 4: clear PIN field) into @block, whose size must
 * be pcc_pinblock_len(format).  Random fill comes from the OpenSSL DRBG. */
enum pcc_status pcc_pinblock_encode(enum pcc_pin_format format,
				    const char *pin, const char *pan,
				    uint8_t *block);

/* Same with caller-supplied fill (PCC_PIN_FILL_MAX bytes), for
 * reproducible test vectors: format 1 uses the fill bytes' nibbles,
 * format 3 maps them to A..F, format 4 copies them to the random half. */
enum pcc_status pcc_pinblock_encode_fill(enum pcc_pin_format format,
					 const char *pin, const char *pan,
					 const uint8_t fill[PCC_PIN_FILL_MAX],
					 uint8_t *block);

/* Validate a clear block and extract the PIN (NUL-terminated, @pin holds
 * PCC_PIN_MAX + 1 bytes). */
enum pcc_status pcc_pinblock_decode(enum pcc_pin_format format,
				    const uint8_t *block, size_t block_len,
				    const char *pan, char *pin);

/* Encrypt under @key: TDES (8/16/24 bytes) for formats 0..3, AES
 * (16/24/32) for format 4.  @out holds pcc_pinblock_len(format) bytes. */
enum pcc_status pcc_pinblock_encrypt(enum pcc_pin_format format,
				     const uint8_t *key, size_t key_len,
				     const char *pin, const char *pan,
				     uint8_t *out);

enum pcc_status pcc_pinblock_decrypt(enum pcc_pin_format format,
				     const uint8_t *key, size_t key_len,
				     const uint8_t *enc, size_t enc_len,
				     const char *pan, char *pin);

#endif
