// SPDX-License-Identifier: MIT
/*
 * Financial requests.  Each handler runs inside one ledger transaction
 * (host.c), records what it did, and returns the response code.
 *
 *   sale           0200 3=000000 60.1=22
 *   void           0200 3=200000 60.1=23, original by 61.2 (STAN)
 *   refund         0220 3=200000 60.1=25, original by 37 (RRN)
 *   balance        0200 3=310000 60.1=01, answer in 54
 *   pre-auth       0100 3=030000 60.1=10, holds the amount
 *   pre-auth void  0100 3=200000 60.1=11, original by 38 (auth code)
 *   completion     0200 3=000000 60.1=20, original by 38 (auth code)
 *   reversal       0400, original by 11 (same STAN as the original)
 */
#include <stdio.h>
#include <string.h>

#include "request.h"

struct account {
	long long balance, held;
};

static bool load(struct hs_request *r, struct account *a)
{
	return hs_ledger_account(r->host->ledger, r->card_ref, r->card->balance,
				 &a->balance, &a->held) == 0;
}

static bool store(struct hs_request *r, const struct account *a)
{
	return hs_ledger_set_account(r->host->ledger, r->card_ref, a->balance,
				     a->held) == 0;
}

/* Record the request with its outcome; approved ones get RRN/auth code. */
static const char *record(struct hs_request *r, const char *kind,
			  const char *rc, long long orig_id)
{
	struct hs_txn t;

	hs_new_txn(r, kind, &t);
	snprintf(t.rc, sizeof(t.rc), "%s", rc);
	snprintf(t.status, sizeof(t.status), "%s",
		 strcmp(rc, RC_APPROVED) ? "declined" : "approved");
	t.orig_id = orig_id;
	if (!strcmp(rc, RC_APPROVED))
		hs_assign_rrn(r, &t);
	return hs_ledger_add(r->host->ledger, &t) ? RC_SYSTEM_ERROR : rc;
}

/* Card known, amount sane, cryptogram genuine (chip), PIN right. */
static const char *card_checks(struct hs_request *r)
{
	const char *rc;

	if (!r->card)
		return RC_INVALID_CARD;
	if (r->amount <= 0 && strcmp(r->proc, "310000"))
		return RC_INVALID_AMOUNT;
	rc = hs_check_chip(r);
	return strcmp(rc, RC_APPROVED) ? rc : hs_check_pin(r);
}

const char *hs_sale(struct hs_request *r)
{
	const char *rc = card_checks(r);
	struct account a;

	if (!strcmp(rc, RC_APPROVED)) {
		if (!load(r, &a))
			return RC_SYSTEM_ERROR;
		if (r->amount > a.balance - a.held) {
			rc = RC_NO_FUNDS;
		} else {
			a.balance -= r->amount;
			if (!store(r, &a))
				return RC_SYSTEM_ERROR;
		}
	}
	return r->card ? record(r, "sale", rc, 0) : rc;
}

/* Find an original of @kind through @column = @value, for this card. */
static int original(struct hs_request *r, const char *column,
		    const char *value, const char *kind, struct hs_txn *o)
{
	int found = hs_ledger_find(r->host->ledger, column, r->term->tid, value, o);

	if (found <= 0 || strcmp(o->kind, kind) || strcmp(o->card_ref, r->card_ref))
		return 0;
	return 1;
}

static const char *void_checks(struct hs_request *r, const char *column,
			       int field, const char *kind, struct hs_txn *o)
{
	char key[16];

	if (!r->card)
		return RC_INVALID_CARD;
	if (field == 61) {
		if (iso_subfield_get(&iso_dialect_cup, r->req, 61, 2, key, sizeof(key)))
			return RC_FORMAT_ERROR;
	} else if (iso_msg_get_str(r->req, field, key, sizeof(key))) {
		return RC_FORMAT_ERROR;
	}
	if (!original(r, column, key, kind, o))
		return RC_NO_ORIGINAL;
	if (strcmp(o->status, "approved"))
		return RC_INVALID_TXN;
	return RC_APPROVED;
}

const char *hs_void(struct hs_request *r)
{
	struct hs_txn o;
	struct account a;
	const char *rc = void_checks(r, "stan", 61, "sale", &o);

	if (!strcmp(rc, RC_APPROVED) && strcmp(o.batch, r->batch))
		rc = RC_INVALID_TXN;		/* settled batches cannot be voided */
	if (!strcmp(rc, RC_APPROVED) && o.amount != r->amount)
		rc = RC_AMOUNT_MISMATCH;
	if (!strcmp(rc, RC_APPROVED)) {
		if (!load(r, &a))
			return RC_SYSTEM_ERROR;
		a.balance += o.amount;
		if (!store(r, &a) || hs_ledger_set_status(r->host->ledger, o.id, "voided"))
			return RC_SYSTEM_ERROR;
	}
	return r->card ? record(r, "void", rc, !strcmp(rc, RC_APPROVED) ? o.id : 0) : rc;
}

const char *hs_refund(struct hs_request *r)
{
	struct hs_txn o;
	struct account a;
	const char *rc = void_checks(r, "rrn", 37, "sale", &o);

	if (!strcmp(rc, RC_APPROVED) &&
	    r->amount > o.amount - hs_ledger_refunded(r->host->ledger, o.id))
		rc = RC_INVALID_AMOUNT;
	if (!strcmp(rc, RC_APPROVED)) {
		if (!load(r, &a))
			return RC_SYSTEM_ERROR;
		a.balance += r->amount;
		if (!store(r, &a))
			return RC_SYSTEM_ERROR;
	}
	return r->card ? record(r, "refund", rc, !strcmp(rc, RC_APPROVED) ? o.id : 0) : rc;
}

const char *hs_balance(struct hs_request *r)
{
	const char *rc = card_checks(r);
	struct account a;
	char field54[21];

	if (!strcmp(rc, RC_APPROVED)) {
		if (!load(r, &a))
			return RC_SYSTEM_ERROR;
		/* account type 10, amount type 02 (available), currency 156,
		 * sign C (credit balance), 12-digit amount */
		snprintf(field54, sizeof(field54), "1002156C%012lld", a.balance - a.held);
		iso_msg_set_str(r->resp, 54, field54);
	}
	return r->card ? record(r, "balance", rc, 0) : rc;
}

const char *hs_preauth(struct hs_request *r)
{
	const char *rc = card_checks(r);
	struct account a;

	if (!strcmp(rc, RC_APPROVED)) {
		if (!load(r, &a))
			return RC_SYSTEM_ERROR;
		if (r->amount > a.balance - a.held) {
			rc = RC_NO_FUNDS;
		} else {
			a.held += r->amount;
			if (!store(r, &a))
				return RC_SYSTEM_ERROR;
		}
	}
	return r->card ? record(r, "preauth", rc, 0) : rc;
}

const char *hs_preauth_void(struct hs_request *r)
{
	struct hs_txn o;
	struct account a;
	const char *rc = void_checks(r, "auth", 38, "preauth", &o);

	if (!strcmp(rc, RC_APPROVED) && o.amount != r->amount)
		rc = RC_AMOUNT_MISMATCH;
	if (!strcmp(rc, RC_APPROVED)) {
		if (!load(r, &a))
			return RC_SYSTEM_ERROR;
		a.held -= o.amount;
		if (!store(r, &a) || hs_ledger_set_status(r->host->ledger, o.id, "released"))
			return RC_SYSTEM_ERROR;
	}
	return r->card ? record(r, "preauth_void", rc,
			       !strcmp(rc, RC_APPROVED) ? o.id : 0) : rc;
}

const char *hs_completion(struct hs_request *r)
{
	struct hs_txn o;
	struct account a;
	const char *rc = void_checks(r, "auth", 38, "preauth", &o);

	if (!strcmp(rc, RC_APPROVED) && (r->amount <= 0 || r->amount > o.amount))
		rc = RC_INVALID_AMOUNT;
	if (!strcmp(rc, RC_APPROVED)) {
		if (!load(r, &a))
			return RC_SYSTEM_ERROR;
		a.held -= o.amount;
		a.balance -= r->amount;
		if (!store(r, &a) || hs_ledger_set_status(r->host->ledger, o.id, "completed"))
			return RC_SYSTEM_ERROR;
	}
	return r->card ? record(r, "completion", rc,
			       !strcmp(rc, RC_APPROVED) ? o.id : 0) : rc;
}

/* Undo what an approved transaction did to the account and its original. */
static bool undo(struct hs_request *r, const struct hs_txn *t)
{
	struct hs_ledger *l = r->host->ledger;
	struct account a;
	struct hs_txn o = { .amount = 0 };

	if (hs_ledger_account(l, t->card_ref, 0, &a.balance, &a.held))
		return false;
	if (!strcmp(t->kind, "sale") || !strcmp(t->kind, "completion"))
		a.balance += t->amount;
	else if (!strcmp(t->kind, "refund"))
		a.balance -= t->amount;
	else if (!strcmp(t->kind, "preauth"))
		a.held -= t->amount;
	if (t->orig_id) {
		char id[24];

		snprintf(id, sizeof(id), "%lld", t->orig_id);
		if (hs_ledger_find(l, "id", t->tid, id, &o) != 1)
			return false;
		if (!strcmp(t->kind, "void"))
			a.balance -= o.amount;
		else if (strcmp(t->kind, "refund"))	/* preauth void, completion */
			a.held += o.amount;
		if (strcmp(t->kind, "refund") &&
		    hs_ledger_set_status(l, o.id, "approved"))
			return false;
	}
	return hs_ledger_set_account(l, t->card_ref, a.balance, a.held) == 0 &&
	       hs_ledger_set_status(l, t->id, "reversed") == 0;
}

/* A reversal always ends approved: the terminal must be able to clear it.
 * Nothing found, or already reversed or declined, leaves nothing to undo. */
const char *hs_reversal(struct hs_request *r)
{
	struct hs_txn o;
	int found = hs_ledger_find(r->host->ledger, "stan", r->term->tid, r->stan, &o);

	if (found < 0)
		return RC_SYSTEM_ERROR;
	if (found && !strcmp(o.batch, r->batch) && !strcmp(o.status, "approved") &&
	    strcmp(o.kind, "balance") && !undo(r, &o))
		return RC_SYSTEM_ERROR;
	return RC_APPROVED;
}
