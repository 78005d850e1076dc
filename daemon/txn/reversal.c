// SPDX-License-Identifier: MIT
/*
 * Reversal (0400/0410).  The record exists in the journal before the
 * request it covers leaves (journal_insert); here it is sent, retried
 * before every later transaction, at start and on paycardd's retry timer,
 * and cleared only by an approved 0410.  An attempt counts when the host
 * may have seen it (sent without a valid answer, or refused with a code
 * other than "sign in again").  After cfg.reversal_attempts of them the
 * transaction is
 * marked reversal-failed and a notice asks for manual reconciliation,
 * so one dead reversal cannot block the terminal for ever.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "txn/internal.h"

/* The 0400 of reversal row @rev. */
static bool reversal_request(struct txn_engine *e, const struct journal_reversal *rev,
			     struct iso_msg *req)
{
	struct journal_txn t, orig;
	char f61[17];

	if (journal_get(e->journal, rev->txn_id, &t) != 1)
		return false;
	msg_start(e, req, "0400", t.proc, t.amount, t.stan, t.type, t.batch,
		  financial_f60_tail(t.entry));
	iso_msg_set_str(req, 39, rev->reason);
	if (t.pos_entry[0])
		iso_msg_set_str(req, 22, t.pos_entry);
	/* 61 repeats what the reversed request carried */
	if (t.orig_stan[0] &&
	    journal_find_stan(e->journal, t.orig_batch, t.orig_stan, &orig) == 1) {
		original_f61(&orig, f61);
		iso_msg_set_str(req, 61, f61);
	}
	/* a chip transaction's: TVR, IAD, ATC... as the card left them */
	if (rev->icc_len)
		iso_msg_set(req, 55, rev->icc, rev->icc_len);
	return true;
}

/* The 0410 (or none): true when the host cleared the reversal. */
static bool reversal_answer(struct txn_engine *e, const struct journal_reversal *rev,
			    enum link_result lr, const struct iso_msg *req,
			    const struct iso_msg *resp)
{
	int64_t id = rev->txn_id;
	struct journal_txn t = { .stan = "?", .batch = "?" };
	char rc[3] = "", why[96];

	if (lr == LINK_NOT_SENT)
		return false;	/* nothing left: not an attempt */
	if (lr != LINK_OK) {
		journal_reversal_attempt(e->journal, id);
		return false;
	}
	if (!response_matches(e, req, resp, why, sizeof(why))) {
		engine_notice(e, "host.mismatch", "reversal answer refused: %s", why);
		journal_reversal_attempt(e->journal, id);
		return false;
	}
	iso_msg_get_str(resp, 39, rc, sizeof(rc));
	if (strcmp(rc, "00")) {
		journal_get(e->journal, id, &t);
		engine_log(e, LOG_WARNING, "reversal of STAN %s answered %s", t.stan, rc);
		/* "sign in again": the host did not look at it, sign in and
		 * resend; any other refusal counts as an attempt */
		if (rc_wants_sign_in(rc))
			engine_set_signed_in(e, false);
		else
			journal_reversal_attempt(e->journal, id);
		return false;
	}
	if (journal_set_state(e->journal, id, "reversed", NULL, NULL, NULL, true))
		return false;
	journal_get(e->journal, id, &t);
	engine_log(e, LOG_INFO, "STAN %s batch %s reversed (reason %s)", t.stan, t.batch,
		   rev->reason);
	return true;
}

static void give_up(struct txn_engine *e, const struct journal_reversal *r)
{
	struct journal_txn t = { .stan = "?" };

	journal_get(e->journal, r->txn_id, &t);
	journal_set_state(e->journal, r->txn_id, "reversal-failed", NULL, NULL, NULL, true);
	engine_notice(e, "reversal.failed",
		      "Reversal of %s STAN %s batch %s (%llu fen) failed %u times: reconcile it with the acquirer",
		      t.kind, t.stan, t.batch, (unsigned long long)t.amount, r->attempts);
}

/*
 * The flush: every pending reversal, oldest first, except those of a
 * transaction still under way (engine_txn_live); after too many attempts
 * one is given up.  Not signed in, nothing is sent (the MAC needs the
 * working keys): they stay pending.  reversal_send's flush (only_id) sends
 * one record's, whatever its attempts.
 */
static bool flush_next(struct txn_task *t)
{
	struct txn_engine *e = t->e;

	if (!t->asked) {
		t->asked = true;
		t->n = journal_reversals(e->journal, t->list, TASK_REVERSALS_MAX);
		if (t->n < 0) {
			t->left = -1;
			return false;
		}
	}
	for (; t->i < t->n; t->i++) {
		const struct journal_reversal *r = &t->list[t->i];

		if (t->only_id ? r->txn_id != t->only_id : engine_txn_live(e, r->txn_id))
			continue;
		if (!t->only_id && r->attempts >= e->cfg.reversal_attempts) {
			give_up(e, r);
			continue;
		}
		/* the one record of reversal_send / an op goes out even when the
		 * same answer just signed the terminal out (bad MAC) */
		if ((e->signed_in || t->only_id) && reversal_request(e, r, &t->req)) {
			t->mac = true;
			return true;
		}
		t->left++;
	}
	return false;
}

static void flush_answer(struct txn_task *t, enum link_result lr)
{
	const struct journal_reversal *r = &t->list[t->i++];

	if (reversal_answer(t->e, r, lr, &t->req, &t->resp))
		t->cleared = true;
	else
		t->left++;
}

const struct task_kind task_flush = { flush_next, flush_answer };

bool reversal_send(struct txn_engine *e, int64_t id)
{
	struct txn_task *t = task_new();
	bool cleared;

	if (!t)
		return false;
	t->only_id = id;
	cleared = task_run_blocking(e, &task_flush, t) == 0 && t->cleared;
	txn_task_free(t);
	return cleared;
}

int txn_flush_start(struct txn_engine *e, struct txn_task **task)
{
	struct txn_task *t = task_new();

	*task = t;
	return t ? task_start(e, &task_flush, t) : -1;
}

int txn_task_left(const struct txn_task *t)
{
	return t->left;
}
