/* SPDX-License-Identifier: MIT */
/*
 * The issuer's and the card's side of EMV offline data authentication,
 * for the test world: RSA test keys (public exponent 3) and the blocks
 * EMV 4.3 Book 2 defines (Tables 6, 7, 14, 17), signed with the raw
 * private-key operation, hashed with OpenSSL's SHA1().  Written from the
 * tables, independently of the terminal's daemon/emv/oda.c, so that the
 * terminal is checked against something it did not build.
 *
 * Every builder takes the fields that a faulty card could get wrong, so a
 * test or a card profile can spoil one of them.
 */
#ifndef PAYCARD_EMU_EMV_SIGNER_H
#define PAYCARD_EMU_EMV_SIGNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIGNER_MAX_KEY	128	/* 1024-bit keys at most */

struct signer_key {
	uint8_t n[SIGNER_MAX_KEY];	/* modulus, big-endian */
	uint8_t d[SIGNER_MAX_KEY];	/* private exponent, same length */
	size_t len;
};

/* A fresh key of @bits (a multiple of 8, 512..1024), exponent 3. */
int signer_generate(struct signer_key *k, int bits);

/* A key from a PEM file (exponent 3, at most 1024 bits): the test CA of
 * tests/emu/card/keys, which terminals under test load as a CA key. */
int signer_load_pem(struct signer_key *k, const char *path);

/* What a certificate or signature says. */
struct signer_fields {
	char id[21];		/* issuer identifier (8 hex digits, F padded)
				 * or the ICC certificate's PAN digits */
	char expiry[5];		/* MMYY */
	uint8_t serial[3];
	uint8_t format;		/* 0: the table's own */
	uint8_t hash_alg;	/* 1 = SHA-1 */
	bool wrong_hash;	/* sign a hash of other data */
};

/* Issuer public key certificate (90, length of @ca) and remainder (92). */
int signer_issuer_cert(const struct signer_key *ca,
		       const struct signer_key *issuer,
		       const struct signer_fields *f, uint8_t *cert,
		       uint8_t *rem, size_t *rem_len);

/* Signed Static Application Data (93, length of @issuer). */
int signer_ssad(const struct signer_key *issuer,
		const struct signer_fields *f, const uint8_t dac[2],
		const uint8_t *static_data, size_t static_len, uint8_t *out);

/* ICC public key certificate (9F46, length of @issuer), remainder 9F48. */
int signer_icc_cert(const struct signer_key *issuer,
		    const struct signer_key *icc,
		    const struct signer_fields *f,
		    const uint8_t *static_data, size_t static_len,
		    uint8_t *cert, uint8_t *rem, size_t *rem_len);

/* Signed Dynamic Application Data (length of @icc, Table 17): the ICC
 * dynamic data @dyn (DDA: number length, number; CDA, Table 19: number
 * length, number, CID, cryptogram, transaction data hash code), hashed
 * with @hashed (DDA: the DDOL data; CDA: the unpredictable number). */
int signer_sdad(const struct signer_key *icc, const struct signer_fields *f,
		const uint8_t *dyn, size_t dyn_len, const uint8_t *hashed,
		size_t hashed_len, uint8_t *out);

#endif
