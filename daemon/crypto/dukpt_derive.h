/* SPDX-License-Identifier: MIT */
/*
 * Internal to libpaycard-crypto: the one-step derivations shared by the
 * DUKPT host side (dukpt_tdes.c, dukpt_aes.c) and the terminal side
 * (dukpt_terminal.c), and the key chain over them (dukpt_chain.c).
 */
#ifndef PAYCARD_CRYPTO_DUKPT_DERIVE_H
#define PAYCARD_CRYPTO_DUKPT_DERIVE_H

#include "crypto/dukpt.h"
#include "crypto/evp_session.h"

#define TDES_MAX_ONES		10
#define AES_MAX_ONES		16

/* X9.24-1 non-reversible key generation: the key at counter register
 * @reg (rightmost 8 KSN bytes) from the key @parent. */
enum pcc_status pcc_dukpt_tdes_nrkg(struct pcc_session *s,
				    const uint8_t parent[16],
				    const uint8_t reg[8], uint8_t child[16]);

/* Rightmost 8 KSN bytes with the 21 counter bits replaced by @counter. */
void pcc_dukpt_tdes_register(const uint8_t ksn[10], uint32_t counter,
			     uint8_t reg[8]);

/* X9.24-1 working key variant (and the data key one-way step). */
enum pcc_status pcc_dukpt_tdes_variant(struct pcc_session *s,
				       const uint8_t current[16],
				       enum pcc_dukpt_usage usage,
				       uint8_t key[16]);

/* X9.24-3 "derive key": @derivation_key (its length picks AES-128/192/256)
 * over derivation data for @usage_code, @type, initial key ID @id and
 * @counter (ignored for the initial key), giving a key of @type. */
enum pcc_status pcc_dukpt_aes_step(struct pcc_session *s,
				   const uint8_t *derivation_key,
				   size_t derivation_key_len,
				   uint16_t usage_code,
				   enum pcc_dukpt_key_type type,
				   const uint8_t id[8], uint32_t counter,
				   uint8_t *out);

#define AES_USAGE_KEY_DERIVATION	0x8000
#define AES_USAGE_INITIAL_KEY		0x8001

/* X9.24-3 usage code of a working key, 0 when not defined. */
uint16_t pcc_dukpt_aes_usage_code(enum pcc_dukpt_usage usage);

/* Key type of an AES key of @len bytes (AES128/192/256), -1 otherwise. */
int pcc_dukpt_aes_type_of_len(size_t len);

/* Whether a derivation key of @derivation may produce a key of @working. */
bool pcc_dukpt_aes_type_allowed(enum pcc_dukpt_key_type derivation,
				enum pcc_dukpt_key_type working);

/* The key at @counter from @parent, the key of @counter minus its lowest
 * set bit: X9.24-1 NRKG over the counter register (@type 2TDEA), or the
 * X9.24-3 "key derivation" step (@type the derivation key's).  @ksn gives
 * the register's other bits (TDES) or the derivation ID (AES); its own
 * counter is not used. */
enum pcc_status pcc_dukpt_child_key(struct pcc_session *s,
				    enum pcc_dukpt_variant variant,
				    enum pcc_dukpt_key_type type,
				    const uint8_t *ksn, const uint8_t *parent,
				    uint32_t counter, uint8_t *child);

/* The key at @counter from the initial key: one child key per set counter
 * bit, high to low.  @key may be @initial. */
enum pcc_status pcc_dukpt_key_at(struct pcc_session *s,
				 enum pcc_dukpt_variant variant,
				 enum pcc_dukpt_key_type type,
				 const uint8_t *ksn, const uint8_t *initial,
				 uint32_t counter, uint8_t *key);

#endif
