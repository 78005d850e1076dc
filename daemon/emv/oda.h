/* SPDX-License-Identifier: MIT */
/*
 * Offline data authentication of the contact flow (EMV 4.3 Book 2 5 and
 * 6, Book 3 10.3): the issuer public key recovered from its certificate
 * under the certification authority's key, then either static data
 * authentication (the Signed Static Application Data over the records the
 * AFL marks) or dynamic data authentication (the ICC public key from its
 * certificate, INTERNAL AUTHENTICATE, the Signed Dynamic Application
 * Data).  Hash algorithm SHA-1 and RSA only: the only ones Book 2 defines.
 *
 * Combined DDA/AC generation (CDA, Book 2 6.6) recovers the same keys
 * while the card is read; the signature then comes with each GENERATE AC
 * (emv_verify_cda, driven by the session in terminal.c).
 */
#ifndef PAYCARD_EMV_ODA_H
#define PAYCARD_EMV_ODA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/rsa.h"
#include "emv/apdu.h"
#include "emv/card.h"
#include "emv/data.h"

/* A certification authority public key (CAPK) the acquirer loaded. */
struct emv_capk {
	uint8_t rid[5];
	uint8_t index;			/* 8F on the card */
	uint8_t modulus[PCC_RSA_MAX_MODULUS];
	size_t modulus_len;
	uint8_t exponent[3];
	size_t exponent_len;
};

/* The CAPK check value as the acquirer's download carries it: SHA-1 of
 * RID || index || modulus || exponent (EMV Book 2 11.2.2). */
enum emv_status emv_capk_checksum(const struct emv_capk *k,
				  uint8_t out[PCC_SHA1_LEN]);

struct emv_public_key {
	uint8_t modulus[PCC_RSA_MAX_MODULUS];
	size_t modulus_len;
	uint8_t exponent[3];
	size_t exponent_len;
};

/* Static data to be authenticated, gathered while the records are read
 * (Book 3 10.3): SFI 1..10 records without their 70 tag and length,
 * SFI 11..30 records whole. */
#define EMV_STATIC_DATA_MAX	2048
struct emv_static_data {
	uint8_t buf[EMV_STATIC_DATA_MAX];
	size_t len;
	bool unusable;	/* an ODA record was not a 70 template, or too much */
};

void emv_static_data_add(struct emv_static_data *sd, uint8_t sfi,
			 const uint8_t *rec, size_t len);

/* Why an authentication failed (for the log and the tests; the TVR says
 * only that it failed). */
enum emv_oda_error {
	EMV_ODA_OK,
	EMV_ODA_NO_CAPK,	/* no 8F, or the terminal has no such key */
	EMV_ODA_DATA_MISSING,	/* a certificate, exponent or remainder */
	EMV_ODA_LENGTH,		/* certificate or signature length != key */
	EMV_ODA_FORMAT,		/* RSA refused, or header/format/trailer */
	EMV_ODA_ALGORITHM,	/* hash or key algorithm not SHA-1 / RSA */
	EMV_ODA_HASH,		/* the recovered hash does not match */
	EMV_ODA_IDENTITY,	/* issuer identifier or PAN differs */
	EMV_ODA_EXPIRED,	/* certificate expired */
	EMV_ODA_REVOKED,	/* issuer certificate on the revocation list */
	EMV_ODA_STATIC_DATA,	/* records for ODA unusable, bad tag list */
	EMV_ODA_DDOL,		/* no DDOL, or one without 9F37 */
	EMV_ODA_CARD,		/* INTERNAL AUTHENTICATE refused or malformed */
};

const char *emv_oda_error_name(enum emv_oda_error e);

struct emv_oda_input {
	const struct emv_capk *capk;	/* the key 8F names; NULL: unknown */
	/* emv_oda_perform fills capk through this: the terminal's key for
	 * RID (the AID's first 5 bytes) and index (8F), NULL when none */
	const struct emv_capk *(*capk_lookup)(void *ctx, const uint8_t rid[5],
					      uint8_t index);
	const struct emv_data *icc;	/* 90, 92, 9F32, 93, 9F46-9F4A, 5A */
	const struct emv_card_info *card;	/* PAN, AIP */
	const struct emv_date *today;
	const struct emv_static_data *static_data;
	/* is RID/index/serial on the revocation list?  NULL: none kept */
	bool (*revoked)(void *ctx, const uint8_t rid[5], uint8_t index,
			const uint8_t serial[3]);
	void *ctx;
};

/* Book 2 5.3 (and 6.3): recover and check the issuer public key. */
enum emv_oda_error emv_recover_issuer_key(const struct emv_oda_input *in,
					  struct emv_public_key *issuer);

/* Book 2 5.4: verify the Signed Static Application Data (93); the data
 * authentication code goes to @dac (9F45). */
enum emv_oda_error emv_verify_ssad(const struct emv_oda_input *in,
				   const struct emv_public_key *issuer,
				   uint8_t dac[2]);

/* Book 2 6.4: recover and check the ICC public key. */
enum emv_oda_error emv_recover_icc_key(const struct emv_oda_input *in,
				       const struct emv_public_key *issuer,
				       struct emv_public_key *icc_key);

/* Book 2 6.5.2: verify Signed Dynamic Application Data against the DDOL
 * data the terminal sent; the ICC dynamic number goes to @number. */
enum emv_oda_error emv_verify_sdad(const struct emv_public_key *icc_key,
				   const uint8_t *sdad, size_t sdad_len,
				   const uint8_t *ddol_data, size_t ddol_len,
				   uint8_t number[8], size_t *number_len);

/*
 * Book 2 6.6.2: verify the CDA signature (9F4B) of a GENERATE AC answer:
 * the recovered CID must be @cid (9F27), the hash covers the signed data
 * and the terminal's unpredictable number @un, and the transaction data
 * hash code the concatenation of @parts (the PDOL, CDOL1 [, CDOL2] data
 * sent, then the answer's objects without 9F4B).  The cryptogram goes to
 * @ac.
 */
enum emv_oda_error emv_verify_cda(const struct emv_public_key *icc_key,
				  const uint8_t *sdad, size_t sdad_len,
				  const uint8_t un[4], uint8_t cid,
				  const struct pcc_part *parts, size_t n_parts,
				  uint8_t ac[8]);

/* What emv_oda_perform did. */
enum emv_oda_method {
	EMV_ODA_NONE,		/* no method both sides support */
	EMV_ODA_SDA,
	EMV_ODA_DDA,
	EMV_ODA_CDA,		/* keys recovered; signatures at GENERATE AC */
};

struct emv_oda_result {
	enum emv_oda_method method;
	enum emv_oda_error error;
	struct emv_public_key icc_key;	/* CDA: for the GENERATE ACs */
};

/*
 * Book 3 10.3: pick CDA when both the card (AIP byte 1 b1) and the
 * terminal (9F33 byte 3 b4) support it, else DDA (AIP b6, 9F33 b7), else
 * SDA (b7 / b8), else none;
 * run it and set the TVR (ODA not performed, SDA selected, SDA failed,
 * DDA failed, CDA failed, ICC data missing) and TSI (ODA performed)
 * bits.  DDA sends INTERNAL AUTHENTICATE with the card's DDOL (9F49) or
 * @default_ddol built from @terminal and @in->icc; 9F4C is stored in
 * @icc.  Only a transport failure is returned as an error.
 */
enum emv_status emv_oda_perform(const struct emv_transport *t,
				const struct emv_oda_input *in,
				const uint8_t capabilities[3],
				const uint8_t *default_ddol,
				size_t default_ddol_len,
				const struct emv_data *terminal,
				struct emv_data *icc, uint8_t tvr[5],
				uint8_t tsi[2], struct emv_oda_result *result);

#endif
