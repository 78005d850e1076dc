/* SPDX-License-Identifier: MIT */
/*
 * Application selection (EMV Book 1 12): the candidate list from the PSE
 * directory (SELECT "1PAY.SYS.DDF01", READ RECORD of its SFI) or, when the
 * card has no usable PSE, by selecting each configured AID; ordered by the
 * application priority indicator; then the final SELECT of the chosen one.
 */
#ifndef PAYCARD_EMV_SELECT_H
#define PAYCARD_EMV_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emv/apdu.h"
#include "emv/data.h"

#define EMV_AID_MAX		16
#define EMV_MAX_CANDIDATES	8

struct emv_aid {
	uint8_t aid[EMV_AID_MAX];
	size_t len;
	bool partial;	/* also match card AIDs that extend this one (ASI) */
};

/* The default AIDs: UnionPay debit, credit, quasi-credit, Visa,
 * Mastercard, all allowing partial selection (see select.c). */
/* Does the card's application @aid match terminal entry @a: the same, or
 * longer with @a as its prefix when @a allows partial selection? */
bool emv_aid_matches(const struct emv_aid *a, const uint8_t *aid, size_t len);

extern const struct emv_aid emv_default_aids[];
extern const size_t emv_n_default_aids;

struct emv_candidate {
	uint8_t aid[EMV_AID_MAX];	/* the card's ADF name */
	size_t aid_len;
	char label[17];			/* 50 (or 9F12), printable only */
	uint8_t priority;		/* 87 low nibble, 0 = none */
	bool confirm;			/* 87 bit 8: cardholder must confirm */
};

struct emv_candidate_list {
	struct emv_candidate c[EMV_MAX_CANDIDATES];
	size_t n;
};

/*
 * Build the ordered candidate list.  @cardholder_confirmation: whether the
 * terminal can ask the cardholder (when not, applications requiring it are
 * dropped, Book 1 12.4).  EMV_E_NO_APPLICATION when nothing matches,
 * EMV_E_CARD_BLOCKED when the PSE select says 6A81, transport errors as is.
 */
enum emv_status emv_build_candidates(const struct emv_transport *t,
				     const struct emv_aid *aids, size_t n_aids,
				     bool cardholder_confirmation,
				     struct emv_candidate_list *list);

/*
 * Final SELECT of @c; the FCI's objects (84, 50, 87, 9F38 PDOL, 5F2D,
 * 9F12, 9F11...) go into @icc.  6283 (blocked) and a DF name differing
 * from the candidate's are typed errors: the caller removes the candidate
 * and selects the next one (Book 1 12.4).
 */
enum emv_status emv_final_select(const struct emv_transport *t,
				 const struct emv_candidate *c,
				 struct emv_data *icc);

/* Remove entry @i from @list (after a failed final select or GPO 6985). */
void emv_candidate_remove(struct emv_candidate_list *list, size_t i);

#endif
