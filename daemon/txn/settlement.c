// SPDX-License-Identifier: MIT
/*
 * Settlement (0500) with the batch totals in field 48:
 *   debit amount n12 | debit count n3 | credit amount n12 | credit count n3 |
 *   settlement code n1 (0 from the terminal; the host answers 1 balanced,
 *   2 not balanced).
 * Not balanced: batch upload (0320, 60.3 = 201), field 48 = count n2 then
 * STAN n6 + amount n12 per transaction, then the end of upload (60.3 =
 * 207, 48 = total count n4) which the host approves when it matched every
 * one.  Then a new batch, and a new sign-in (the host binds the batch
 * number at sign-in).
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "txn/internal.h"

#define UPLOAD_PER_MESSAGE	16	/* 2 + 16 * 18 = 290 digits <= field 48's 322 */
#define UPLOAD_MAX		2048

static bool management(struct txn_engine *e, const char *mti, const char *netcode,
		       const char *f48, struct iso_msg *resp, struct txn_result *res)
{
	struct iso_msg req;
	char stan[7], batch[7], why[96];

	if (journal_next_stan(e->journal, stan) || journal_batch(e->journal, batch))
		return false;
	msg_start(e, &req, mti, NULL, 0, stan, "00", batch, netcode);
	iso_msg_set_str(&req, 48, f48);
	iso_msg_set_str(&req, 63, e->cfg.operator_id);
	if (link_exchange(e, &req, true, resp) != LINK_OK) {
		snprintf(res->error, sizeof(res->error), "HostTimeout");
		snprintf(res->message, sizeof(res->message), "no valid %s answer from the host", mti);
		return false;
	}
	if (!response_matches(e, &req, resp, why, sizeof(why))) {
		engine_notice(e, "host.mismatch", "%s answer refused: %s", mti, why);
		snprintf(res->error, sizeof(res->error), "HostMismatch");
		snprintf(res->message, sizeof(res->message), "%s", why);
		return false;
	}
	iso_msg_get_str(resp, 39, res->rc, sizeof(res->rc));
	if (strcmp(res->rc, "00")) {
		res->outcome = TXN_DECLINED;
		snprintf(res->message, sizeof(res->message), "%s declined with code %s", mti, res->rc);
		return false;
	}
	return true;
}

static bool upload(struct txn_engine *e, const char *batch, struct txn_result *res)
{
	static struct journal_txn list[UPLOAD_MAX];
	struct iso_msg resp;
	char f48[2 + UPLOAD_PER_MESSAGE * 18 + 1], end[12];
	int n = journal_list(e->journal, batch, list, UPLOAD_MAX), sent = 0;

	if (n < 0)
		return false;
	for (int i = 0; i < n;) {
		int k = 0;
		char *p = f48 + 2;

		for (; i < n && k < UPLOAD_PER_MESSAGE; i++) {
			const struct journal_txn *t = &list[i];

			if (strcmp(t->state, "approved") || (strcmp(t->kind, "sale") &&
			    strcmp(t->kind, "completion") && strcmp(t->kind, "refund")))
				continue;
			p += sprintf(p, "%s%012llu", t->stan, (unsigned long long)t->amount);
			k++;
		}
		if (!k)
			break;
		f48[0] = (char)('0' + k / 10);
		f48[1] = (char)('0' + k % 10);
		if (!management(e, "0320", "201", f48, &resp, res))
			return false;
		sent += k;
	}
	snprintf(end, sizeof(end), "%04d", sent % 10000);
	return management(e, "0320", "207", end, &resp, res);
}

int txn_settle(struct txn_engine *e, struct txn_settlement *s, struct txn_result *res)
{
	struct iso_msg resp;
	struct txn_result signin;
	char f48[40], answer[64] = "";
	const struct journal_totals *tt = &s->totals;

	memset(s, 0, sizeof(*s));
	memset(res, 0, sizeof(*res));
	res->outcome = TXN_FAILED;
	if (!e->signed_in) {
		snprintf(res->error, sizeof(res->error), "NotSignedIn");
		snprintf(res->message, sizeof(res->message), "the terminal is not signed in");
		return 0;
	}
	if (txn_flush_reversals(e) > 0) {
		snprintf(res->error, sizeof(res->error), "ReversalPending");
		snprintf(res->message, sizeof(res->message),
			 "a reversal is still pending: settle when the host has it");
		return 0;
	}
	if (journal_batch(e->journal, s->batch) || journal_totals(e->journal, s->batch, &s->totals))
		return -1;
	for (int c = 0; c < CARD_CLASS_COUNT; c++)
		if (journal_class_totals(e->journal, s->batch, card_class_name(c), &s->by_class[c]))
			return -1;
	snprintf(res->batch, sizeof(res->batch), "%s", s->batch);
	snprintf(f48, sizeof(f48), "%012llu%03u%012llu%03u0",
		 (unsigned long long)tt->debit_amount, tt->debit_count % 1000,
		 (unsigned long long)tt->credit_amount, tt->credit_count % 1000);
	if (!management(e, "0500", "201", f48, &resp, res))
		return 0;
	iso_msg_get_str(&resp, 48, answer, sizeof(answer));
	s->balanced = strlen(answer) >= 31 && answer[30] == '1';
	if (!s->balanced) {
		engine_log(e, LOG_NOTICE, "batch %s not balanced with the host: uploading it",
			   s->batch);
		s->uploaded = true;
		if (!upload(e, s->batch, res)) {
			engine_notice(e, "settlement.unbalanced",
				      "Batch %s does not balance with the acquirer even after upload",
				      s->batch);
			return 0;
		}
		s->balanced = true;
	}
	res->outcome = TXN_APPROVED;
	res->amount = tt->debit_amount;
	res->fee = tt->fees;
	if (journal_next_batch(e->journal, s->new_batch))
		return -1;
	snprintf(res->message, sizeof(res->message), "batch %s settled%s; batch %s open", s->batch,
		 s->uploaded ? " after batch upload" : "", s->new_batch);
	engine_log(e, LOG_INFO, "%s", res->message);
	engine_set_signed_in(e, false);
	txn_sign_in(e, &signin);
	return 0;
}
