/* SPDX-License-Identifier: MIT */
/*
 * TR-31 key blocks (ANSI X9.143 / ASC X9 TR 31-2018).
 *
 * Unwrap versions A and C (TDES key variant binding), B (TDES key
 * derivation binding) and D (AES key derivation binding), verifying the MAC
 * and the header; wrap versions B and D.  The block is printable ASCII:
 * 16-byte header, optional blocks, encrypted key data in hex, MAC in hex.
 */
#ifndef PAYCARD_CRYPTO_TR31_H
#define PAYCARD_CRYPTO_TR31_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

#define PCC_TR31_HEADER_LEN	16
#define PCC_TR31_MAX_KEY	32
#define PCC_TR31_MAX_OPT	8	/* optional blocks kept by the parser */
#define PCC_TR31_MAX_BLOCK	9992	/* 4 decimal digits, multiple of 8 */

struct pcc_tr31_opt_block {
	char id[3];		/* two characters + NUL */
	uint16_t offset;	/* of the data within the block text */
	uint16_t len;		/* data length in characters */
};

/* The decoded header (fixed part + optional block directory). */
struct pcc_tr31_header {
	char version;		/* 'A', 'B', 'C', 'D' */
	uint16_t block_len;	/* declared total length */
	char usage[3];		/* e.g. "P0", "K0", "M3", "D0", "B0" */
	char algorithm;		/* 'T' TDES, 'A' AES, 'D' DES, ... */
	char mode;		/* 'E','D','B','N','G','C','V','X','Y' */
	char key_version[3];	/* "00" when not used */
	char exportability;	/* 'E', 'N', 'S' */
	uint8_t n_opt;		/* number of optional blocks */
	struct pcc_tr31_opt_block opt[PCC_TR31_MAX_OPT];
	uint16_t header_len;	/* fixed header + optional blocks */
};

/*
 * Parse and check the header only (no key needed): lengths, character sets,
 * version, usage/algorithm/mode/exportability values, optional blocks.
 * @text need not be NUL-terminated; @len is its length.
 */
enum pcc_status pcc_tr31_parse_header(const char *text, size_t len,
				      struct pcc_tr31_header *hdr);

/*
 * Unwrap @text under @kbpk (TDES 16/24 for A/B/C, AES 16/24/32 for D):
 * checks the header, verifies the MAC (PCC_E_MAC), decrypts and checks the
 * key length field.  @key holds PCC_TR31_MAX_KEY bytes; @key_len gets the
 * key length.  @hdr may be NULL.
 */
enum pcc_status pcc_tr31_unwrap(const uint8_t *kbpk, size_t kbpk_len,
				const char *text, size_t len,
				struct pcc_tr31_header *hdr,
				uint8_t *key, size_t *key_len);

/* What a wrapped key is for (the header fields a caller chooses). */
struct pcc_tr31_attrs {
	char version;		/* 'B' or 'D' */
	char usage[3];
	char algorithm;
	char mode;
	char key_version[3];	/* "" means "00" */
	char exportability;
	/* Optional blocks, already formatted ("KS18" + 20 hex digits ...),
	 * and how many there are; NULL / 0 for none.  Wrap appends a PB
	 * block when the header needs padding to the cipher block size. */
	const char *optional;
	uint8_t n_optional;
};

/*
 * Wrap @key under @kbpk, random padding hiding the key length (TDES keys
 * padded to 24 bytes, AES to 32); the key length must suit the algorithm.
 * @out gets a NUL-terminated string; @out_size must hold it.
 */
enum pcc_status pcc_tr31_wrap(const uint8_t *kbpk, size_t kbpk_len,
			      const struct pcc_tr31_attrs *attrs,
			      const uint8_t *key, size_t key_len,
			      char *out, size_t out_size);

#endif
