/* SPDX-License-Identifier: MIT */
/* Internal to libpaycard-crypto: TR-31 header rules shared by the parser
 * (tr31_header.c) and the wrap/unwrap code (tr31.c). */
#ifndef PAYCARD_CRYPTO_TR31_INTERNAL_H
#define PAYCARD_CRYPTO_TR31_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

bool pcc_tr31_usage_mode_ok(const char usage[2], char mode);
bool pcc_tr31_algorithm_ok(char algorithm);
bool pcc_tr31_exportability_ok(char exportability);
/* MAC length in bytes of a version, 0 when not supported. */
size_t pcc_tr31_mac_len(char version);
/* Cipher block size of a version's key block protection key. */
size_t pcc_tr31_block_size(char version);

#endif
