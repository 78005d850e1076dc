/* SPDX-License-Identifier: MIT */
/*
 * GENERATE AC (Book 3 6.5.5) and EXTERNAL AUTHENTICATE (6.5.4).
 */
#ifndef PAYCARD_EMV_GENAC_H
#define PAYCARD_EMV_GENAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emv/apdu.h"
#include "emv/data.h"
#include "emv/dol.h"
#include "emv/risk.h"

struct emv_ac_result {
	uint8_t cid;		/* 9F27 */
	uint8_t atc[2];		/* 9F36 */
	uint8_t ac[8];		/* 9F26; with CDA, inside the signature */
	uint8_t iad[32];	/* 9F10 */
	size_t iad_len;
	/* format 2: the objects as the card sent them (CDA hashes them) */
	uint8_t objects[EMV_RDATA_MAX];
	size_t objects_len;
	bool signed_ac;		/* 9F4B instead of 9F26: a CDA signature */
};

/* The cryptogram type of a CID (bits 8-7). */
enum emv_ac_type emv_cid_type(uint8_t cid);

/*
 * Parse a GENERATE AC response (format 1: 80 CID ATC AC [IAD]; format 2:
 * 77 with 9F27 9F36 9F26 [9F10]) into @out; the objects are also set in
 * @icc (replacing those of a first GENERATE AC).
 */
enum emv_status emv_ac_response_parse(const uint8_t *rsp, size_t len,
				      struct emv_data *icc,
				      struct emv_ac_result *out);

/*
 * Send GENERATE AC requesting @type (with a CDA signature when @cda, P1
 * b5) with the data of @dol (CDOL1 or CDOL2) built from @sources, which
 * is appended to @trail (NULL: not kept).  A card answering a higher type
 * than requested (order AAC < ARQC < TC) is EMV_E_CID.
 */
enum emv_status emv_generate_ac(const struct emv_transport *t,
				enum emv_ac_type type, bool cda,
				const uint8_t *dol, size_t dol_len,
				const struct emv_data *const *sources,
				size_t n_sources, struct emv_data *icc,
				struct emv_ac_result *out,
				struct emv_dol_trail *trail);

/* EXTERNAL AUTHENTICATE with issuer authentication data (91, 8..16
 * bytes).  6300 is EMV_E_SW_AUTH_FAILED. */
enum emv_status emv_external_authenticate(const struct emv_transport *t,
					  const uint8_t *iad, size_t len);

#endif
