/* SPDX-License-Identifier: MIT */
/*
 * UnionPay-style master/session keys: sign-in (0810) field 62 carries the
 * working keys (PIK, MAK, TDK) encrypted under the terminal master key,
 * each followed by a 4-byte check value (first 4 bytes of E(Kw, 0^8)).
 */
#ifndef PAYCARD_CRYPTO_WORKKEY_H
#define PAYCARD_CRYPTO_WORKKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

/*
 * Decrypt @enc (8 or 16 bytes) under the TDES master key @tmk (8/16/24)
 * into @key (same length as @enc), then check it: PCC_E_CHECK_VALUE when
 * @check_value (4 bytes) does not match, PCC_E_PARITY when @require_parity
 * and a key byte lacks odd parity.  On failure @key is wiped.
 */
enum pcc_status pcc_workkey_decrypt(const uint8_t *tmk, size_t tmk_len,
				    const uint8_t *enc, size_t enc_len,
				    const uint8_t check_value[4],
				    bool require_parity, uint8_t *key);

/* Host side: encrypt @key (8/16) under @tmk and give its 4-byte check
 * value, as a host builds field 62. */
enum pcc_status pcc_workkey_encrypt(const uint8_t *tmk, size_t tmk_len,
				    const uint8_t *key, size_t key_len,
				    uint8_t *enc, uint8_t check_value[4]);

#endif
