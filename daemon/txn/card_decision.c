// SPDX-License-Identifier: MIT
/*
 * The chip card's last word on a transaction its issuer approved: the
 * second GENERATE AC.  A TC completes it; an AAC (the card did not trust
 * the answer, or refused for its own reasons) or a card pulled out before
 * it could answer means the money must not move, so the approval is
 * reversed exactly as a lost answer would be.
 */
#include <stdio.h>
#include <syslog.h>

#include "txn/internal.h"

int txn_card_decision(struct txn_engine *e, struct txn_result *res, bool accepted,
		      const char *reason, const char *why, const uint8_t *icc, size_t icc_len)
{
	if (res->outcome != TXN_APPROVED || !res->card_pending || res->journal_id <= 0)
		return -1;
	res->card_pending = false;
	if (accepted)
		return journal_set_state(e->journal, res->journal_id, "approved", NULL, NULL, NULL,
					 true);
	engine_log(e, LOG_NOTICE, "STAN %s approved by the host, refused by the card: reversing",
		   res->stan);
	res->outcome = TXN_REVERSED;
	journal_reversal_set(e->journal, res->journal_id, reason, icc, icc_len);
	journal_set_state(e->journal, res->journal_id, "reversal-pending", NULL, NULL, NULL, false);
	snprintf(res->message, sizeof(res->message), "%s: the transaction is %s", why,
		 reversal_send(e, res->journal_id) ? "reversed" :
							     "to be reversed (pending)");
	return 0;
}
