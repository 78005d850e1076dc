/* SPDX-License-Identifier: MIT */
/*
 * Internal to libpaycard-crypto: small random fills (PIN block padding)
 * served from a per-thread buffer of OpenSSL DRBG output, because one
 * RAND_bytes call costs more than the whole PIN block encryption.
 */
#ifndef PAYCARD_CRYPTO_RANDOM_POOL_H
#define PAYCARD_CRYPTO_RANDOM_POOL_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

#define PCC_RANDOM_POOL_MAX	64	/* largest single request */

/* @len (<= PCC_RANDOM_POOL_MAX) random bytes; never the same bytes
 * twice, also across fork(). */
enum pcc_status pcc_random_pooled(uint8_t *out, size_t len);

#endif
