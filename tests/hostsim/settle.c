// SPDX-License-Identifier: MIT
/*
 * Settlement (0500) and batch upload (0320).
 *
 * 0500 field 48 (terminal totals, domestic cards; 31 digits, optionally
 * followed by 31 for foreign cards, which this host does not acquire):
 *   debit amount n12 | debit count n3 | credit amount n12 | credit count n3 |
 *   settlement code n1 (0 in the request)
 * Debits are sales and completions, credits refunds, all approved and
 * neither voided nor reversed.  The answer echoes 48 with the code set:
 * 1 balanced, 2 not balanced (then the terminal uploads its batch).
 *
 * 0320 with 60.3 = 201: field 48 = count n2, then per transaction
 * STAN n6 | amount n12.  Answer 48 = count of them the host matched (n2).
 * 0320 with 60.3 = 207 (end of upload): 48 = total count n4; 00 when it
 * equals what the host matched in this batch, else 95.
 *
 * A balanced 0500 or an approved end of upload settles the batch: the
 * host's batch for the terminal moves on, and its next 0810 says so in
 * 60.2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"

static void next_batch(struct hs_terminal *t)
{
	unsigned next = (unsigned)(strtoul(t->batch, NULL, 10) % 999999 + 1);

	snprintf(t->batch, sizeof(t->batch), "%06u", next % 1000000);
}

static long long digits_value(const char *s, size_t n)
{
	long long v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

const char *hs_settle(struct hs_request *r)
{
	char f48[64];
	struct hs_totals host, term;
	bool balanced;
	size_t len;

	if (iso_msg_get_str(r->req, 48, f48, sizeof(f48)) ||
	    ((len = strlen(f48)) != 31 && len != 62))
		return RC_FORMAT_ERROR;
	term.debit_amount = digits_value(f48, 12);
	term.debit_count = (int)digits_value(f48 + 12, 3);
	term.credit_amount = digits_value(f48 + 15, 12);
	term.credit_count = (int)digits_value(f48 + 27, 3);
	if (hs_ledger_totals(r->host->ledger, r->term->tid, r->batch, &host))
		return RC_SYSTEM_ERROR;
	balanced = host.debit_amount == term.debit_amount &&
		   host.debit_count == term.debit_count &&
		   host.credit_amount == term.credit_amount &&
		   host.credit_count == term.credit_count;
	if (hs_ledger_record_settlement(r->host->ledger, r->term->tid, r->batch,
					&host, &term, balanced))
		return RC_SYSTEM_ERROR;
	f48[30] = balanced ? '1' : '2';
	iso_msg_set_str(r->resp, 48, f48);
	if (balanced)
		next_batch(r->term);
	return RC_APPROVED;
}

static const char *upload_entries(struct hs_request *r, const char *f48,
				  size_t len)
{
	long long count = len >= 2 ? digits_value(f48, 2) : -1;
	int matched = 0;
	char stan[7], reply[12];

	if (count < 1 || len != 2 + (size_t)count * 18)
		return RC_FORMAT_ERROR;
	for (long long i = 0; i < count; i++) {
		const char *e = f48 + 2 + i * 18;
		int m;

		memcpy(stan, e, 6);
		stan[6] = '\0';
		m = hs_ledger_upload(r->host->ledger, r->term->tid, r->batch, stan,
				     digits_value(e + 6, 12));
		if (m < 0)
			return RC_SYSTEM_ERROR;
		matched += m;
	}
	snprintf(reply, sizeof(reply), "%02d", matched % 100);
	iso_msg_set_str(r->resp, 48, reply);
	return RC_APPROVED;
}

const char *hs_batch_upload(struct hs_request *r)
{
	char f48[400];
	size_t len;

	if (iso_msg_get_str(r->req, 48, f48, sizeof(f48)))
		return RC_FORMAT_ERROR;
	len = strlen(f48);
	if (!strcmp(r->netcode, "201"))
		return upload_entries(r, f48, len);
	if (!strcmp(r->netcode, "207")) {
		int have = hs_ledger_uploaded_count(r->host->ledger, r->term->tid, r->batch);

		if (len != 4 || have < 0)
			return RC_FORMAT_ERROR;
		if (digits_value(f48, 4) != have)
			return RC_BATCH_MISMATCH;
		next_batch(r->term);
		return RC_APPROVED;
	}
	return RC_NOT_SUPPORTED;
}
