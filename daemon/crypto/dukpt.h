/* SPDX-License-Identifier: MIT */
/*
 * DUKPT: TDES (ANSI X9.24-1:2009) and AES (ANSI X9.24-3:2017).
 *
 * Host side: derive the initial key and any working key from the BDK and a
 * KSN.  Terminal side: the state a PIN pad keeps (initial key load, future
 * key registers, counter advance skipping counters with too many one bits,
 * exhaustion reported as PCC_E_DUKPT_EXHAUSTED).
 *
 * TDES: BDK 16 bytes, KSN 10 bytes (21-bit counter, at most 10 one bits),
 * keys 16 bytes.  AES: BDK 16/24/32 bytes, KSN 12 bytes (8-byte initial key
 * ID + 32-bit counter, at most 16 one bits), working keys 16/24/32 bytes
 * (AES-128/192/256 as asked, never longer than the BDK).
 */
#ifndef PAYCARD_CRYPTO_DUKPT_H
#define PAYCARD_CRYPTO_DUKPT_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

#define PCC_DUKPT_TDES_KSN_LEN		10
#define PCC_DUKPT_TDES_KEY_LEN		16
#define PCC_DUKPT_TDES_REGISTERS	21
#define PCC_DUKPT_AES_KSN_LEN		12
#define PCC_DUKPT_AES_REGISTERS		32

enum pcc_dukpt_usage {
	PCC_DUKPT_PIN,
	PCC_DUKPT_MAC_REQUEST,		/* MAC generation (terminal -> host) */
	PCC_DUKPT_MAC_RESPONSE,		/* MAC verification (host -> terminal) */
	PCC_DUKPT_DATA_REQUEST,		/* data encryption, terminal -> host */
	PCC_DUKPT_DATA_RESPONSE,	/* data encryption, host -> terminal */
	PCC_DUKPT_MAC_BOTH,		/* AES only: MAC both ways */
	PCC_DUKPT_DATA_BOTH,		/* AES only: data both ways */
};

/* AES DUKPT working key type (X9.24-3 "key type"); TDES keys are 2TDEA. */
enum pcc_dukpt_key_type {
	PCC_DUKPT_2TDEA,
	PCC_DUKPT_3TDEA,
	PCC_DUKPT_AES128,
	PCC_DUKPT_AES192,
	PCC_DUKPT_AES256,
};

/* Key length in bytes of @type. */
size_t pcc_dukpt_key_len(enum pcc_dukpt_key_type type);

/* ---- TDES DUKPT, host side ---- */

/* IPEK from BDK and any KSN of the device (its counter is ignored). */
enum pcc_status pcc_dukpt_tdes_ipek(const uint8_t bdk[16],
				    const uint8_t ksn[PCC_DUKPT_TDES_KSN_LEN],
				    uint8_t ipek[16]);

/* Working key for @usage at @ksn, from the BDK. */
enum pcc_status pcc_dukpt_tdes_derive(const uint8_t bdk[16],
				      const uint8_t ksn[PCC_DUKPT_TDES_KSN_LEN],
				      enum pcc_dukpt_usage usage,
				      uint8_t key[16]);

/* Same from the IPEK (a host that stores IPEKs, or the terminal). */
enum pcc_status pcc_dukpt_tdes_derive_from_ipek(const uint8_t ipek[16],
				const uint8_t ksn[PCC_DUKPT_TDES_KSN_LEN],
				enum pcc_dukpt_usage usage, uint8_t key[16]);

/* ---- AES DUKPT, host side ---- */

/* Initial key of @type from the BDK and the 8-byte initial key ID. */
enum pcc_status pcc_dukpt_aes_initial_key(const uint8_t *bdk, size_t bdk_len,
					  const uint8_t initial_key_id[8],
					  enum pcc_dukpt_key_type type,
					  uint8_t *initial_key);

/* Working key of @key_type for @usage at @ksn (12 bytes), from the BDK;
 * the derivation keys have the BDK's own type. */
enum pcc_status pcc_dukpt_aes_derive(const uint8_t *bdk, size_t bdk_len,
				     const uint8_t ksn[PCC_DUKPT_AES_KSN_LEN],
				     enum pcc_dukpt_usage usage,
				     enum pcc_dukpt_key_type key_type,
				     uint8_t *key);

/* ---- Terminal side (both variants) ---- */

enum pcc_dukpt_variant {
	PCC_DUKPT_TDES,
	PCC_DUKPT_AES,
};

/*
 * The whole terminal state: a plain value (no pointers) so the key store
 * can persist it.  Registers hold secrets: wipe the struct after use
 * (pcc_dukpt_terminal_wipe).
 */
struct pcc_dukpt_terminal {
	uint8_t variant;		/* enum pcc_dukpt_variant */
	uint8_t key_type;		/* derivation key type (AES) */
	uint8_t ksn[PCC_DUKPT_AES_KSN_LEN];	/* current KSN (TDES: 10) */
	uint32_t counter;		/* counter of the current key */
	uint32_t valid;			/* bit i: register i holds a key */
	uint8_t reg[PCC_DUKPT_AES_REGISTERS][32];
};

/*
 * Initial key load: @initial_key is the TDES IPEK (16 bytes) or the AES
 * initial key (16/24/32 bytes), @ksn the initial KSN (TDES 10, AES 12
 * bytes; counter bits zero).  Fills the future key registers and sets the
 * counter to 1 (the first transaction).
 */
enum pcc_status pcc_dukpt_terminal_load(struct pcc_dukpt_terminal *t,
					enum pcc_dukpt_variant variant,
					const uint8_t *initial_key,
					size_t key_len, const uint8_t *ksn,
					size_t ksn_len);

/*
 * Working key for the current transaction and its KSN (TDES 10 bytes, AES
 * 12; @ksn_out may be NULL).  @key_type is ignored for TDES.
 * PCC_E_DUKPT_EXHAUSTED when no key is left.
 */
enum pcc_status pcc_dukpt_terminal_key(const struct pcc_dukpt_terminal *t,
				       enum pcc_dukpt_usage usage,
				       enum pcc_dukpt_key_type key_type,
				       uint8_t *key, uint8_t *ksn_out);

/*
 * End of transaction: derive the future keys below the current register,
 * erase the current key and move to the next counter, skipping counters
 * with more than 10 (TDES) / 16 (AES) one bits.  PCC_E_DUKPT_EXHAUSTED when
 * the counter space is used up (the state stays exhausted).
 */
enum pcc_status pcc_dukpt_terminal_advance(struct pcc_dukpt_terminal *t);

void pcc_dukpt_terminal_wipe(struct pcc_dukpt_terminal *t);

#endif
