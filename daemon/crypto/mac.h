/* SPDX-License-Identifier: MIT */
/*
 * Message authentication codes.
 *
 *   cup-ecb         UnionPay "ECB" MAC of ISO 8583 field 64 (DESIGN.md):
 *                   XOR of 8-byte blocks, hex expansion, two TDES
 *                   encryptions; result is 8 ASCII hex characters.
 *   iso9797-1 alg 1 CBC-MAC with the full block cipher (TDES, AES, SM4).
 *   iso9797-1 alg 3 retail MAC (ANSI X9.19): single DES CBC under K1, last
 *                   block decrypted under K2 and encrypted under K1;
 *                   16-byte TDES key.
 *   cmac            NIST SP 800-38B over TDES, AES or SM4.
 * Padding (alg 1 and 3): method 1 appends zero bytes up to a block multiple
 * (none when already aligned; an empty message is one zero block), method 2
 * appends 0x80 then zeros (always at least one byte).
 */
#ifndef PAYCARD_CRYPTO_MAC_H
#define PAYCARD_CRYPTO_MAC_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/cipher.h"

enum pcc_mac_alg {
	PCC_MAC_CUP_ECB,
	PCC_MAC_ISO9797_ALG1,
	PCC_MAC_ISO9797_ALG3,
	PCC_MAC_CMAC,
};

enum pcc_mac_padding {
	PCC_PAD_METHOD1 = 1,
	PCC_PAD_METHOD2 = 2,
};

struct pcc_mac_spec {
	enum pcc_mac_alg alg;
	enum pcc_alg cipher;		/* alg 1 and cmac; TDES for the others */
	enum pcc_mac_padding padding;	/* alg 1 and 3 only */
};

#define PCC_CUP_MAC_LEN	8	/* field 64: 8 ASCII hex characters */

/* UnionPay ECB MAC; @mak is 8 or 16 bytes (TDES). */
enum pcc_status pcc_mac_cup_ecb(const uint8_t *mak, size_t mak_len,
				const uint8_t *msg, size_t msg_len,
				uint8_t field64[PCC_CUP_MAC_LEN]);

/*
 * Compute the MAC of @spec over @msg into @mac: @mac_len bytes, 1..block
 * size (the leftmost bytes of the full MAC; 8 for cup-ecb).
 */
enum pcc_status pcc_mac(const struct pcc_mac_spec *spec,
			const uint8_t *key, size_t key_len,
			const uint8_t *msg, size_t msg_len,
			uint8_t *mac, size_t mac_len);

/* Recompute and compare in constant time: PCC_OK or PCC_E_MAC. */
enum pcc_status pcc_mac_verify(const struct pcc_mac_spec *spec,
			       const uint8_t *key, size_t key_len,
			       const uint8_t *msg, size_t msg_len,
			       const uint8_t *mac, size_t mac_len);

#endif
