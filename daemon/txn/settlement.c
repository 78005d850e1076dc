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
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "txn/internal.h"

#define UPLOAD_PER_MESSAGE	16	/* 2 + 16 * 18 = 290 digits <= field 48's 322 */
#define UPLOAD_MAX		2048

enum settle_step {
	SETTLE_REVERSALS,	/* pending reversals first */
	SETTLE_TOTALS,		/* 0500 */
	SETTLE_UPLOAD,		/* 0320 201, a block of records each */
	SETTLE_UPLOAD_END,	/* 0320 207 */
	SETTLE_SIGN_IN,		/* the new batch signed in */
	SETTLE_DONE,
};

/* A management request (0500, 0320) with field 48. */
static bool management(struct txn_task *t, const char *mti, const char *netcode, const char *f48)
{
	struct txn_engine *e = t->e;
	char stan[7], batch[7];

	if (journal_next_stan(e->journal, stan) || journal_batch(e->journal, batch)) {
		t->res->error = TXN_ERROR_FAILED;
		snprintf(t->res->message, sizeof(t->res->message), "journal error");
		return false;
	}
	msg_start(e, &t->req, mti, NULL, 0, stan, "00", batch, netcode);
	iso_msg_set_str(&t->req, 48, f48);
	iso_msg_set_str(&t->req, 63, e->cfg.operator_id);
	t->mac = true;
	return true;
}

/* Its answer: true when it is an approval of that request. */
static bool management_ok(struct txn_task *t, enum link_result lr)
{
	struct txn_engine *e = t->e;
	struct txn_result *res = t->res;
	char why[96];

	if (lr != LINK_OK) {
		res->error = TXN_ERROR_HOST_TIMEOUT;
		snprintf(res->message, sizeof(res->message), "no valid %s answer from the host",
			 t->req.mti);
		return false;
	}
	if (!response_matches(e, &t->req, &t->resp, why, sizeof(why))) {
		engine_notice(e, "host.mismatch", "%s answer refused: %s", t->req.mti, why);
		res->error = TXN_ERROR_HOST_MISMATCH;
		snprintf(res->message, sizeof(res->message), "%s", why);
		return false;
	}
	iso_msg_get_str(&t->resp, 39, res->rc, sizeof(res->rc));
	if (strcmp(res->rc, "00")) {
		res->outcome = TXN_DECLINED;
		snprintf(res->message, sizeof(res->message), "%s declined with code %s", t->req.mti,
			 res->rc);
		return false;
	}
	return true;
}

static bool uploadable(const struct journal_txn *r)
{
	return !strcmp(r->state, "approved") && (!strcmp(r->kind, "sale") ||
		!strcmp(r->kind, "completion") || !strcmp(r->kind, "refund"));
}

/* The next block of the batch upload (STAN n6 + amount n12 each), or
 * false when every record went. */
static bool upload_block(struct txn_task *t)
{
	char f48[2 + UPLOAD_PER_MESSAGE * 18 + 1], *p = f48 + 2;
	int k = 0;

	for (; t->next_upload < t->n_uploads && k < UPLOAD_PER_MESSAGE; t->next_upload++) {
		const struct journal_txn *r = &t->uploads[t->next_upload];

		if (!uploadable(r))
			continue;
		p += sprintf(p, "%s%012llu", r->stan, (unsigned long long)r->amount);
		k++;
	}
	if (!k)
		return false;
	f48[0] = (char)('0' + k / 10);
	f48[1] = (char)('0' + k % 10);
	t->uploaded += k;
	return management(t, "0320", "201", f48);
}

/* The batch's totals in the 0500's field 48. */
static bool totals_request(struct txn_task *t)
{
	struct txn_engine *e = t->e;
	struct txn_settlement *s = t->settlement;
	const struct journal_totals *tt = &s->totals;
	char f48[40];

	bool ok = !journal_batch(e->journal, s->batch) &&
		  !journal_totals(e->journal, s->batch, &s->totals);

	for (int c = 0; ok && c < CARD_CLASS_COUNT; c++)
		ok = !journal_class_totals(e->journal, s->batch, card_class_name(c), &s->by_class[c]);
	if (!ok) {
		t->res->error = TXN_ERROR_FAILED;
		snprintf(t->res->message, sizeof(t->res->message), "journal error: no totals");
		return false;
	}
	snprintf(t->res->batch, sizeof(t->res->batch), "%s", s->batch);
	snprintf(f48, sizeof(f48), "%012llu%03u%012llu%03u0",
		 (unsigned long long)tt->debit_amount, tt->debit_count % 1000,
		 (unsigned long long)tt->credit_amount, tt->credit_count % 1000);
	return management(t, "0500", "201", f48);
}

static bool settle_next(struct txn_task *t)
{
	struct txn_engine *e = t->e;
	char end[12];

	switch (t->step) {
	case SETTLE_REVERSALS:
		if (task_flush.next(t))
			return true;
		if (t->left) {
			t->res->error = TXN_ERROR_REVERSAL_PENDING;
			snprintf(t->res->message, sizeof(t->res->message),
				 "a reversal is still pending: settle when the host has it");
			return false;
		}
		t->step = SETTLE_TOTALS;
		return totals_request(t);
	case SETTLE_UPLOAD:
		if (upload_block(t))
			return true;
		t->step = SETTLE_UPLOAD_END;
		snprintf(end, sizeof(end), "%04d", t->uploaded % 10000);
		return management(t, "0320", "207", end);
	case SETTLE_SIGN_IN:
		t->mac = false;
		return sign_in_request(e, &t->req, &t->signin);
	default:
		return false;
	}
}

/* Settled (balanced, maybe after the upload): a new batch, signed in
 * again (the host binds the batch number at sign-in). */
static void settled(struct txn_task *t)
{
	struct txn_engine *e = t->e;
	struct txn_settlement *s = t->settlement;
	struct txn_result *res = t->res;

	s->balanced = true;
	if (journal_next_batch(e->journal, s->new_batch)) {
		res->error = TXN_ERROR_FAILED;
		snprintf(res->message, sizeof(res->message), "journal error: no new batch");
		t->step = SETTLE_DONE;
		return;
	}
	res->outcome = TXN_APPROVED;
	res->amount = s->totals.debit_amount;
	res->fee = s->totals.fees;
	snprintf(res->message, sizeof(res->message), "batch %s settled%s; batch %s open", s->batch,
		 s->uploaded ? " after batch upload" : "", s->new_batch);
	engine_log(e, LOG_INFO, "%s", res->message);
	engine_set_signed_in(e, false);
	t->step = SETTLE_SIGN_IN;
}

static void settle_answer(struct txn_task *t, enum link_result lr)
{
	struct txn_settlement *s = t->settlement;
	char answer[64] = "";

	switch (t->step) {
	case SETTLE_REVERSALS:
		task_flush.answer(t, lr);
		return;
	case SETTLE_TOTALS:
		t->step = SETTLE_DONE;
		if (!management_ok(t, lr))
			return;
		iso_msg_get_str(&t->resp, 48, answer, sizeof(answer));
		if (strlen(answer) >= 31 && answer[30] == '1') {
			settled(t);
			return;
		}
		engine_log(t->e, LOG_NOTICE, "batch %s not balanced with the host: uploading it",
			   s->batch);
		s->uploaded = true;
		t->n_uploads = journal_list(t->e->journal, s->batch, t->uploads, UPLOAD_MAX);
		t->step = t->n_uploads >= 0 ? SETTLE_UPLOAD : SETTLE_DONE;
		return;
	case SETTLE_UPLOAD:
	case SETTLE_UPLOAD_END:
		if (management_ok(t, lr)) {
			if (t->step == SETTLE_UPLOAD_END)
				settled(t);
			return;
		}
		engine_notice(t->e, "settlement.unbalanced",
			      "Batch %s does not balance with the acquirer even after upload",
			      s->batch);
		t->step = SETTLE_DONE;
		return;
	case SETTLE_SIGN_IN:
		sign_in_answer(t->e, lr, &t->req, &t->resp, &t->signin);
		t->step = SETTLE_DONE;
		return;
	default:
		return;
	}
}

const struct task_kind task_settle = { settle_next, settle_answer };

/* The settlement's task, ready to start; NULL when not possible (@res
 * says why). */
static struct txn_task *settle_task(struct txn_engine *e, struct txn_settlement *s,
				    struct txn_result *res)
{
	struct txn_task *t;

	memset(s, 0, sizeof(*s));
	memset(res, 0, sizeof(*res));
	res->outcome = TXN_FAILED;
	if (!e->signed_in) {
		res->error = TXN_ERROR_NOT_SIGNED_IN;
		snprintf(res->message, sizeof(res->message), "the terminal is not signed in");
		return NULL;
	}
	t = task_new();
	if (t)
		t->uploads = calloc(UPLOAD_MAX, sizeof(*t->uploads));
	if (!t || !t->uploads) {
		txn_task_free(t);
		res->error = TXN_ERROR_FAILED;
		snprintf(res->message, sizeof(res->message), "no memory for the settlement");
		return NULL;
	}
	t->res = res;
	t->settlement = s;
	return t;
}

int txn_settle_start(struct txn_engine *e, struct txn_settlement *s, struct txn_result *res,
		     struct txn_task **task)
{
	*task = settle_task(e, s, res);
	return *task ? task_start(e, &task_settle, *task) : 0;
}
