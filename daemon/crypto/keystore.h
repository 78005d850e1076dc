/* SPDX-License-Identifier: MIT */
/*
 * The terminal key store: master key, working keys (PIK, MAK, TDK) and
 * DUKPT terminal state, persisted in one file encrypted and authenticated
 * with AES-256-GCM under a 32-byte storage key kept in a separate file.
 *
 * - Clear keys live only in one mlock'ed, MADV_DONTDUMP'ed area that is
 *   wiped on close; they never leave the store: callers ask the store to
 *   encrypt a PIN block, compute a MAC, etc. with a named key.
 * - Every key has a usage; an operation refuses a key of another usage
 *   with PCC_E_KEY_USAGE (a MAC key cannot decrypt a PIN block).
 * - pcc_keystore_commit writes a temporary file, fsyncs it, renames it over
 *   the store and fsyncs the directory: a crash leaves the old or the new
 *   store, never a mix.  DUKPT operations commit the advanced counter
 *   before returning the PIN block (or the held PIN key), so a counter is
 *   never reused.
 * - A store has one owner (paycardd): it is not safe to use one
 *   struct pcc_keystore from several threads, nor one file from several
 *   processes at once.
 */
#ifndef PAYCARD_CRYPTO_KEYSTORE_H
#define PAYCARD_CRYPTO_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/cipher.h"
#include "crypto/dukpt.h"
#include "crypto/kcv.h"
#include "crypto/mac.h"
#include "crypto/pinblock.h"
#include "crypto/tr31.h"

#define PCC_KS_NAME_MAX		31	/* key name length, [A-Za-z0-9._-] */
#define PCC_KS_MAX_KEYS		16
#define PCC_KS_STORAGE_KEY_LEN	32

enum pcc_key_usage {
	PCC_USAGE_MASTER = 1,	/* TMK: decrypts working keys only */
	PCC_USAGE_PIN,		/* PIK: PIN block encryption */
	PCC_USAGE_MAC,		/* MAK: MAC generation/verification */
	PCC_USAGE_DATA,		/* TDK: data encryption/decryption */
	PCC_USAGE_DUKPT,	/* DUKPT terminal state */
	PCC_USAGE_KBPK,		/* TR-31 key block protection key: unwraps
				   key blocks only */
};

struct pcc_keystore;

/* Create a new random storage key file (mode 0600, O_EXCL). */
enum pcc_status pcc_keystore_create_storage_key(const char *path);

/*
 * Open the store at @store_path with the storage key read from
 * @storage_key_path.  A missing store file opens an empty store (written
 * by the first commit); a store that fails authentication is
 * PCC_E_STORE_CORRUPT.
 */
enum pcc_status pcc_keystore_open(const char *store_path,
				  const char *storage_key_path,
				  struct pcc_keystore **ks);

/* Wipe every clear key and free. NULL is fine. */
void pcc_keystore_close(struct pcc_keystore *ks);

/* Write the store atomically (see above). */
enum pcc_status pcc_keystore_commit(struct pcc_keystore *ks);

/* Add or replace a symmetric key (not DUKPT) in memory; commit to keep. */
enum pcc_status pcc_keystore_put(struct pcc_keystore *ks, const char *name,
				 enum pcc_key_usage usage, enum pcc_alg alg,
				 const uint8_t *key, size_t key_len);

enum pcc_status pcc_keystore_remove(struct pcc_keystore *ks,
				    const char *name);

/* Usage, algorithm and length of a key (no key material). */
enum pcc_status pcc_keystore_info(const struct pcc_keystore *ks,
				  const char *name, enum pcc_key_usage *usage,
				  enum pcc_alg *alg, size_t *key_len);

/* Check value of a stored key (public by design). */
enum pcc_status pcc_keystore_kcv(const struct pcc_keystore *ks,
				 const char *name, enum pcc_kcv_method method,
				 uint8_t *kcv, size_t kcv_len);

/*
 * Sign-in: decrypt a working key under the master key @master_name
 * (usage MASTER), verify its 4-byte check value, store it as @name with
 * @usage (PIN, MAC or DATA).  In memory; commit to keep.
 */
enum pcc_status pcc_keystore_load_working_key(struct pcc_keystore *ks,
					      const char *master_name,
					      const char *name,
					      enum pcc_key_usage usage,
					      const uint8_t *enc,
					      size_t enc_len,
					      const uint8_t check_value[4]);

/*
 * Key injection as a TR-31 block instead of clear components: unwrap
 * @block (@len characters) under the stored key @kbpk_name (usage KBPK)
 * and store its key as @name, with the usage the block's header gives:
 *   K0 -> MASTER, K1 -> KBPK, P0 -> PIN, M0..M8 -> MAC, D0 -> DATA,
 *   B1 (initial DUKPT key, mode X) -> DUKPT state loaded from the key and
 *   the KSN in the block's KS (TDES, 20 hex digits) or IK (AES, 16 hex
 *   digits, counter 0) optional block.
 * Other usages (a BDK, for one, has no place in a terminal) are
 * PCC_E_KEY_USAGE.  In memory; commit to keep.
 */
enum pcc_status pcc_keystore_import_tr31(struct pcc_keystore *ks,
					 const char *kbpk_name,
					 const char *name, const char *block,
					 size_t len);

/* PIN block encryption with a PIN key (usage PIN). */
enum pcc_status pcc_keystore_pin_encrypt(const struct pcc_keystore *ks,
					 const char *name,
					 enum pcc_pin_format format,
					 const char *pin, const char *pan,
					 uint8_t *out);

/* MAC generation/verification with a MAC key (usage MAC). */
enum pcc_status pcc_keystore_mac(const struct pcc_keystore *ks,
				 const char *name,
				 const struct pcc_mac_spec *spec,
				 const uint8_t *msg, size_t msg_len,
				 uint8_t *mac, size_t mac_len);
enum pcc_status pcc_keystore_mac_verify(const struct pcc_keystore *ks,
					const char *name,
					const struct pcc_mac_spec *spec,
					const uint8_t *msg, size_t msg_len,
					const uint8_t *mac, size_t mac_len);

/* ECB data encryption/decryption with a data key (usage DATA). */
enum pcc_status pcc_keystore_data_crypt(const struct pcc_keystore *ks,
					const char *name, bool encrypt,
					const uint8_t *in, uint8_t *out,
					size_t len);

/* Install DUKPT terminal state from an initial key and KSN (usage DUKPT). */
enum pcc_status pcc_keystore_dukpt_load(struct pcc_keystore *ks,
					const char *name,
					enum pcc_dukpt_variant variant,
					const uint8_t *initial_key,
					size_t key_len, const uint8_t *ksn,
					size_t ksn_len);

/*
 * DUKPT PIN encryption: encrypt with the current PIN key (format 0 for
 * TDES, 4 for AES; @format must match), give the KSN used, advance the
 * counter and commit the store before returning.  The KSN is 10 (TDES) or
 * 12 (AES) bytes.
 */
enum pcc_status pcc_keystore_dukpt_pin_encrypt(struct pcc_keystore *ks,
					       const char *name,
					       enum pcc_pin_format format,
					       const char *pin,
					       const char *pan, uint8_t *out,
					       uint8_t *ksn);

/*
 * The same in two steps, so that the slow part (the store's write) runs
 * before the PIN is known: derive the PIN key of the current counter of
 * DUKPT state @name and hold it as the PIN key @key_name (usage PIN; TDES
 * for TDES DUKPT, so ISO format 0, AES of the derivation key's type, so
 * format 4), give its KSN (TDES 10, AES 12 bytes), advance the counter
 * and commit the store, all before returning.  The held key lives in the
 * locked area only: no commit writes it, a restart forgets it.  Encrypt
 * with pcc_keystore_pin_encrypt(@key_name), then pcc_keystore_remove it;
 * a key never used simply spends its counter.  @key_name must not name a
 * stored key (PCC_E_ARGUMENT): name it after the KSN, unique by design.
 */
enum pcc_status pcc_keystore_dukpt_hold_pin_key(struct pcc_keystore *ks,
						const char *name,
						const char *key_name,
						uint8_t *ksn);

#endif
