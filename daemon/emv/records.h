/* SPDX-License-Identifier: MIT */
/*
 * Initiate application processing and read application data (EMV Book 3
 * 10.1, 10.2): GET PROCESSING OPTIONS with the PDOL data, then READ RECORD
 * over every AFL entry.  Card objects land in the card data store; a
 * duplicate or malformed object ends the read with a typed error.
 */
#ifndef PAYCARD_EMV_RECORDS_H
#define PAYCARD_EMV_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include "emv/apdu.h"
#include "emv/data.h"
#include "emv/dol.h"

struct emv_afl_entry {
	uint8_t sfi;		/* 1..30 */
	uint8_t first, last;	/* 1 <= first <= last */
	uint8_t oda;		/* records for offline data authentication */
};

#define EMV_AFL_MAX_ENTRIES	63	/* 252 bytes / 4 */

/* Decode and check an AFL (94): EMV_E_BAD_AFL on any bad entry. */
enum emv_status emv_afl_parse(const uint8_t *afl, size_t len,
			      struct emv_afl_entry *out, size_t *n);

/*
 * Parse a GPO response (format 1: 80 AIP AFL; format 2: 77 with 82 and 94)
 * into @icc (82 and 94 stored).
 */
enum emv_status emv_gpo_parse(struct emv_data *icc, const uint8_t *rsp,
			      size_t len);

/*
 * Send GET PROCESSING OPTIONS: the PDOL (9F38 in @icc, if any) is built
 * from @terminal then @icc.  6985 is EMV_E_SW_CONDITIONS: the caller drops
 * the application and selects the next candidate (Book 3 10.1).  The PDOL
 * data sent is appended to @trail (NULL: not kept).
 */
enum emv_status emv_gpo(const struct emv_transport *t,
			const struct emv_data *terminal, struct emv_data *icc,
			struct emv_dol_trail *trail);

struct emv_static_data;

/*
 * Read every record named by the AFL in @icc.  Records of SFI 1..10 must
 * be a 70 template (Book 3 10.2); those of SFI 11..30 are proprietary and
 * only read.  The first "oda" records of each AFL entry are appended to
 * @sd (NULL: not kept) for offline data authentication.
 */
enum emv_status emv_read_records(const struct emv_transport *t,
				 struct emv_data *icc,
				 struct emv_static_data *sd);

/* Parse one record (SFI 1..10 format) into @icc. */
enum emv_status emv_record_parse(struct emv_data *icc, const uint8_t *rec,
				 size_t len);

#endif
