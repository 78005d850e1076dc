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

bool reversal_send(struct txn_engine *e, int64_t id, const char *reason)
{
	struct journal_txn t;
	struct iso_msg req, resp;
	char rc[3] = "", why[96], f61[13];

	enum link_result lr;

	if (journal_get(e->journal, id, &t) != 1)
		return false;
	msg_start(e, &req, "0400", t.proc, t.amount, t.stan, t.type, t.batch, NULL);
	iso_msg_set_str(&req, 39, reason);
	if (t.orig_stan[0]) {
		snprintf(f61, sizeof(f61), "%s%s", t.orig_batch, t.orig_stan);
		iso_msg_set_str(&req, 61, f61);
	}
	lr = link_exchange(e, &req, true, &resp);
	if (lr == LINK_NOT_SENT)
		return false;	/* nothing left: not an attempt */
	if (lr != LINK_OK) {
		journal_reversal_attempt(e->journal, id);
		return false;
	}
	if (!response_matches(e, &req, &resp, why, sizeof(why))) {
		engine_notice(e, "host.mismatch", "reversal answer refused: %s", why);
		journal_reversal_attempt(e->journal, id);
		return false;
	}
	iso_msg_get_str(&resp, 39, rc, sizeof(rc));
	if (strcmp(rc, "00")) {
		engine_log(e, LOG_WARNING, "reversal of STAN %s answered %s", t.stan, rc);
		/* "sign in again": the host did not look at it, sign in and
		 * resend; any other refusal counts as an attempt */
		if (rc_wants_sign_in(rc))
			engine_set_signed_in(e, false);
		else
			journal_reversal_attempt(e->journal, id);
		return false;
	}
	engine_log(e, LOG_INFO, "STAN %s batch %s reversed (reason %s)", t.stan, t.batch, reason);
	return journal_set_state(e->journal, id, "reversed", NULL, NULL, NULL, true) == 0;
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

int txn_flush_reversals(struct txn_engine *e)
{
	struct journal_reversal list[16];
	int n = journal_reversals(e->journal, list, 16), left = 0;

	for (int i = 0; i < n; i++) {
		if (list[i].attempts >= e->cfg.reversal_attempts) {
			give_up(e, &list[i]);
			continue;
		}
		if (!e->signed_in || !reversal_send(e, list[i].txn_id, list[i].reason))
			left++;
	}
	return n < 0 ? -1 : left;
}
