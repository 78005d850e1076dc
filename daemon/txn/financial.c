// SPDX-License-Identifier: MIT
/*
 * The financial transactions: sale, void, refund, balance, pre-auth,
 * pre-auth void, completion.  Each one: pending reversals first; the
 * original looked up in the journal; the record and its reversal written
 * durably; the request sent with PIN block and MAC; the answer checked
 * (MAC, MTI, merchant, terminal, STAN, amount).  No valid answer means
 * a reversal; a response code asking for sign-in means sign in and one
 * retry under a new STAN.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "crypto/keystore.h"
#include "hostlink/hostlink.h"
#include "txn/internal.h"

struct run {
	struct txn_engine *e;
	const struct txn_request *req;
	const struct kind_def *def;
	struct txn_card *card;
	struct txn_result *res;
	struct journal_txn orig;	/* void, refund, preauth void, completion */
	bool has_orig;
	enum card_class cls;
	char pan_hash[65];
	/* DUKPT: the PIN key held in the key store's locked memory from the
	 * prepare step until the PIN block is made, and its KSN */
	char pin_key[PCC_KS_NAME_MAX + 1];	/* "" none held */
	uint8_t ksn[PCC_DUKPT_TDES_KSN_LEN];
	/* no valid answer: the record to reverse at once, and why */
	int64_t reverse_id;
	char reverse_why[96];
};

static void fail(struct txn_result *res, enum txn_error error, const char *msg)
{
	res->outcome = TXN_FAILED;
	res->error = error;
	snprintf(res->message, sizeof(res->message), "%s", msg);
}

/*
 * What the terminal itself keeps, before anything is sent: the refunds of
 * a sale pay back at most what it took, and a sale (partly) refunded can
 * no longer be voided, which would pay it back once more.  A voided sale
 * is no longer "approved", so it cannot be refunded either.
 */
static bool original_limits(struct run *r)
{
	uint64_t refunded = 0;

	if (r->req->kind != TXN_REFUND && r->req->kind != TXN_VOID)
		return true;
	if (journal_refunded(r->e->journal, r->orig.batch, r->orig.stan, &refunded)) {
		fail(r->res, TXN_ERROR_FAILED, "the journal cannot tell what was refunded");
		return false;
	}
	if (r->req->kind == TXN_VOID && refunded) {
		fail(r->res, TXN_ERROR_ORIGINAL_LIMIT, "the sale was refunded: it cannot be voided");
		return false;
	}
	if (r->req->kind == TXN_REFUND && r->req->amount > r->orig.amount - refunded) {
		char msg[96];

		snprintf(msg, sizeof(msg), "at most %llu fen of the sale is left to refund",
			 (unsigned long long)(r->orig.amount - refunded));
		fail(r->res, TXN_ERROR_ORIGINAL_LIMIT, msg);
		return false;
	}
	return true;
}

/* The original a void/refund/pre-auth void/completion acts on. */
static bool find_original(struct run *r)
{
	struct txn_engine *e = r->e;
	const struct txn_request *q = r->req;
	char batch[7];
	int found = 0;

	switch (q->kind) {
	case TXN_VOID:
		journal_batch(e->journal, batch);
		found = journal_find_stan(e->journal, batch, q->orig_stan, &r->orig) == 1 &&
			!strcmp(r->orig.kind, "sale");
		break;
	case TXN_REFUND:
		found = journal_find_rrn(e->journal, q->orig_rrn, &r->orig) == 1 &&
			!strcmp(r->orig.kind, "sale");
		break;
	case TXN_PREAUTH_VOID:
	case TXN_COMPLETION:
		found = journal_find_auth(e->journal, q->orig_auth, &r->orig) == 1;
		break;
	default:
		return true;
	}
	if (!found) {
		fail(r->res, TXN_ERROR_NO_ORIGINAL, "no such original transaction in this terminal's journal");
		return false;
	}
	if (strcmp(r->orig.state, "approved")) {
		char msg[64];

		snprintf(msg, sizeof(msg), "the original transaction is %s", r->orig.state);
		fail(r->res, TXN_ERROR_NO_ORIGINAL, msg);
		return false;
	}
	r->has_orig = true;
	return original_limits(r);
}

static bool card_checks(struct run *r)
{
	if (!journal_card_ids(r->e->journal, r->card->pan, r->res->pan_masked, r->pan_hash)) {
		fail(r->res, TXN_ERROR_CARD_ERROR, "the card number is not valid");
		return false;
	}
	if (r->has_orig && strcmp(r->orig.pan_hash, r->pan_hash)) {
		fail(r->res, TXN_ERROR_CARD_MISMATCH, "this is not the card of the original transaction");
		return false;
	}
	return true;
}

static uint64_t amount_of(const struct run *r)
{
	/* a void and a pre-auth void repeat the original amount */
	if (r->req->kind == TXN_VOID || r->req->kind == TXN_PREAUTH_VOID)
		return r->orig.amount;
	return r->req->kind == TXN_BALANCE ? 0 : r->req->amount;
}

/*
 * DUKPT: the PIN key of the next counter, held in the key store with the
 * counter already spent on disk, before the PIN is typed: the store's
 * write happens while the cardholder types, off the cashier's path.  A
 * transaction that ends without using it spends the counter all the same
 * (X9.24-1 allows skipped counters; never a reused one).
 */
static bool hold_pin_key(struct run *r)
{
	struct txn_engine *e = r->e;
	enum pcc_status st;

	if (!e->cfg.pin_dukpt)
		return true;
	snprintf(r->pin_key, sizeof(r->pin_key), "dukpt-pin.%u", ++e->held_pin_keys);
	st = pcc_keystore_dukpt_hold_pin_key(e->ks, TXN_KEY_DUKPT, r->pin_key, r->ksn);
	if (st == PCC_OK)
		return true;
	r->pin_key[0] = '\0';
	engine_notice(e, "key.dukpt", "No DUKPT PIN key for the transaction (key store entry %s): %s",
		      TXN_KEY_DUKPT, pcc_strerror(st));
	fail(r->res, TXN_ERROR_KEY_ERROR, "no DUKPT PIN key can be made: transactions with a PIN are off");
	return false;
}

/* The held DUKPT PIN key wiped (used or not). */
static void drop_pin_key(struct run *r)
{
	if (r->pin_key[0])
		pcc_keystore_remove(r->e->ks, r->pin_key);
	r->pin_key[0] = '\0';
}

/* 52, 53 (and 62 = the KSN under DUKPT): the PIN in ISO 9564 format 0
 * under the session PIK or the held DUKPT PIN key, which goes with it. */
static void add_pin(struct run *r, struct iso_msg *m)
{
	struct txn_engine *e = r->e;
	const char *key = e->cfg.pin_dukpt ? r->pin_key : TXN_KEY_PIN;
	bool double_length = e->cfg.pin_dukpt || strcmp(e->cfg.netcode, "001");
	uint8_t block[8];

	if (key[0] && pcc_keystore_pin_encrypt(e->ks, key, PCC_PIN_ISO0, r->card->pin,
					       r->card->pan, block) == PCC_OK) {
		iso_msg_set(m, 52, block, sizeof(block));
		/* 26: the PIN pad takes up to 12 digits.  53.1 = 2: ANSI
		 * X9.8 (ISO 9564 format 0) with the PAN; 53.2 = 6 a double-
		 * length key (a TDES DUKPT PIN key always is), 0 single.
		 * docs/unionpay-messages.md, "Fields 26 and 53". */
		iso_msg_set_str(m, 26, "12");
		iso_msg_set_str(m, 53, double_length ? "2600000000000000" : "2000000000000000");
		if (e->cfg.pin_dukpt)
			iso_msg_set(m, 62, r->ksn, sizeof(r->ksn));
	}
	OPENSSL_cleanse(block, sizeof(block));
	drop_pin_key(r);
}

/* 22: 02x stripe, 05x chip, 80x stripe after a chip failure; x = 1 with
 * a PIN, 2 without. */
static void pos_entry_mode(const struct txn_card *c, char out[4])
{
	bool chip = c->entry && !strcmp(c->entry, "chip");
	bool fallback = c->entry && !strcmp(c->entry, "fallback");

	snprintf(out, 4, "%s%s", chip ? "05" : fallback ? "80" : "02", c->pin[0] ? "1" : "2");
}

static void add_card(struct run *r, struct iso_msg *m)
{
	struct txn_card *c = r->card;
	bool chip = c->entry && !strcmp(c->entry, "chip");
	char entry[4];

	iso_msg_set_str(m, 2, c->pan);
	if (c->track2[0])
		iso_msg_set_str(m, 35, c->track2);
	if (chip && c->psn[0])
		iso_msg_set_str(m, 23, c->psn);
	if (chip && c->icc_len)
		iso_msg_set(m, 55, c->icc, c->icc_len);
	pos_entry_mode(c, entry);
	iso_msg_set_str(m, 22, entry);
	if (c->pin[0])
		add_pin(r, m);
	else
		drop_pin_key(r);	/* no PIN after all: its counter is spent */
}

static void add_original(struct run *r, struct iso_msg *m)
{
	char f61[17];

	if (!r->has_orig)
		return;
	original_f61(&r->orig, f61);
	iso_msg_set_str(m, 61, f61);
	if (r->orig.rrn[0] && (r->req->kind == TXN_VOID || r->req->kind == TXN_REFUND))
		iso_msg_set_str(m, 37, r->orig.rrn);
	if (r->orig.auth[0] && (r->req->kind == TXN_PREAUTH_VOID || r->req->kind == TXN_COMPLETION))
		iso_msg_set_str(m, 38, r->orig.auth);
}

static void record_init(struct run *r, struct journal_txn *t)
{
	memset(t, 0, sizeof(*t));	/* batch and STAN: journal_insert */
	snprintf(t->kind, sizeof(t->kind), "%s", r->def->name);
	snprintf(t->mti, sizeof(t->mti), "%s", r->def->mti);
	snprintf(t->proc, sizeof(t->proc), "%s", r->def->proc);
	snprintf(t->type, sizeof(t->type), "%s", r->def->type);
	t->amount = amount_of(r);
	if (r->req->kind == TXN_SALE || r->req->kind == TXN_COMPLETION)
		t->fee = fee_compute(&r->e->cfg.fees, r->cls, t->amount);
	snprintf(t->card_class, sizeof(t->card_class), "%s", card_class_name(r->cls));
	snprintf(t->entry, sizeof(t->entry), "%s", r->card->entry ? r->card->entry : "magstripe");
	pos_entry_mode(r->card, t->pos_entry);	/* the reversal repeats it */
	snprintf(t->pan_masked, sizeof(t->pan_masked), "%s", r->res->pan_masked);
	snprintf(t->pan_hash, sizeof(t->pan_hash), "%s", r->pan_hash);
	if (r->has_orig) {
		snprintf(t->orig_batch, sizeof(t->orig_batch), "%s", r->orig.batch);
		snprintf(t->orig_stan, sizeof(t->orig_stan), "%s", r->orig.stan);
	}
}

/* Approved: the record, its reversal cleared and, for a void, pre-auth
 * void or completion, the original's new state, in one commit. */
static void record_approval(struct run *r, int64_t id)
{
	static const char *const after[TXN_KIND_COUNT] = {
		[TXN_VOID] = "voided", [TXN_PREAUTH_VOID] = "released",
		[TXN_COMPLETION] = "completed",
	};
	struct txn_result *res = r->res;
	/* a chip card still has to accept it (second GENERATE AC): the
	 * reversal record stays until txn_card_decision() */
	bool card_pending = r->card->icc_len && r->def->reversible;

	res->card_pending = card_pending;
	if (r->has_orig && after[r->req->kind])
		journal_set_state_with_original(r->e->journal, id, "approved", res->rc, res->rrn,
						res->auth, r->orig.id, after[r->req->kind]);
	else
		journal_set_state(r->e->journal, id, "approved", res->rc, res->rrn, res->auth,
				  !card_pending);
}

/* No valid answer: reverse (the record is already on disk). */
/* No valid answer: the record is already on disk with its reversal;
 * the 0400 goes at once, from the op (op_reverse). */
static void reverse(struct run *r, int64_t id, const char *reason, const char *why)
{
	r->res->outcome = TXN_REVERSED;
	journal_reversal_set(r->e->journal, id, reason, r->card->icc_reversal,
			     r->card->icc_reversal_len);
	journal_set_state(r->e->journal, id, "reversal-pending", NULL, NULL, NULL, false);
	r->reverse_id = id;
	snprintf(r->reverse_why, sizeof(r->reverse_why), "%s", why);
}

static void take_answer(struct run *r, const struct iso_msg *resp)
{
	struct txn_result *res = r->res;
	const uint8_t *icc;
	size_t icc_len = 0;
	char f54[21];

	iso_msg_get_str(resp, 37, res->rrn, sizeof(res->rrn));
	iso_msg_get_str(resp, 38, res->auth, sizeof(res->auth));
	iso_msg_get_str(resp, 13, res->date, sizeof(res->date));
	iso_msg_get_str(resp, 12, res->time, sizeof(res->time));
	/* 54: account type 2, amount type 2, currency 3, sign 1, amount 12 */
	if (iso_msg_get_str(resp, 54, f54, sizeof(f54)) == ISO_OK && strlen(f54) == 20)
		snprintf(res->balance, sizeof(res->balance), "%s%s", f54[7] == 'D' ? "-" : "",
			 f54 + 8);
	/* 55: issuer authentication data and scripts for the chip card */
	icc = iso_msg_get(resp, 55, &icc_len);
	if (icc && icc_len <= sizeof(res->icc)) {
		memcpy(res->icc, icc, icc_len);
		res->icc_len = icc_len;
	}
}

enum attempt { ATTEMPT_DONE, ATTEMPT_RETRY, ATTEMPT_SEND };

static enum attempt give_up(struct txn_result *res, enum txn_error error, const char *msg)
{
	fail(res, error, msg);
	return ATTEMPT_DONE;
}

/* The record (with its reversal, and the STAN taken with it) durable
 * before anything leaves. */
static enum attempt record(struct run *r, struct journal_txn *t)
{
	struct txn_result *res = r->res;

	record_init(r, t);
	if (journal_insert(r->e->journal, t, r->def->reversible ? "98" : NULL))
		return give_up(res, TXN_ERROR_FAILED, "journal error");
	res->journal_id = t->id;
	snprintf(res->stan, sizeof(res->stan), "%s", t->stan);
	snprintf(res->batch, sizeof(res->batch), "%s", t->batch);
	res->amount = t->amount;
	res->fee = t->fee;
	return ATTEMPT_SEND;
}

/* The request of record @t: card (PIN block, chip data), original. */
static void build(struct run *r, struct iso_msg *req, const struct journal_txn *t)
{
	struct txn_engine *e = r->e;

	msg_start(e, req, r->def->mti, r->def->proc, t->amount, t->stan, r->def->type, t->batch,
		  financial_f60_tail(r->card->entry));
	add_card(r, req);
	add_original(r, req);
	iso_msg_set_str(req, 63, e->cfg.operator_id);
}

/* What the link brought back for the request of record @t. */
static enum attempt conclude(struct run *r, bool may_retry, const struct iso_msg *req,
			     const struct journal_txn *t, enum link_result lr,
			     const struct iso_msg *resp_in)
{
	struct txn_engine *e = r->e;
	struct txn_result *res = r->res;
	const struct iso_msg *resp = resp_in;
	char why[96];

	switch (lr) {
	case LINK_NOT_SENT:
		journal_set_state(e->journal, t->id, "failed", NULL, NULL, NULL, true);
		return give_up(res, TXN_ERROR_HOST_UNREACHABLE, "the request could not be sent");
	case LINK_IN_PROGRESS:
		/* abandoned in flight (cancel, reader gone, shutdown): the
		 * reversal goes later (retry timer, next transaction) so the
		 * caller is not held up by the host it gave up on */
		if (r->def->reversible) {
			journal_reversal_set(e->journal, t->id, "98", r->card->icc_reversal,
					     r->card->icc_reversal_len);
			journal_set_state(e->journal, t->id, "reversal-pending", NULL, NULL, NULL, false);
			res->outcome = TXN_REVERSED;
			snprintf(res->message, sizeof(res->message),
				 "abandoned while with the host: the transaction is to be reversed");
		} else {
			journal_set_state(e->journal, t->id, "failed", NULL, NULL, NULL, false);
			fail(res, TXN_ERROR_HOST_TIMEOUT, "abandoned while with the host");
		}
		return ATTEMPT_DONE;
	case LINK_NO_ANSWER:
	case LINK_GARBAGE:
		if (r->def->reversible)
			reverse(r, t->id, "98", lr == LINK_GARBAGE ? "unreadable host answer" :
					       "no answer from the host");
		else
			journal_set_state(e->journal, t->id, "failed", NULL, NULL, NULL, false);
		if (!r->def->reversible)
			fail(res, TXN_ERROR_HOST_TIMEOUT, "no valid answer from the host");
		return ATTEMPT_DONE;
	case LINK_BAD_MAC:
		engine_notice(e, "host.bad_mac", "Answer to STAN %s failed its MAC check: refused",
			      t->stan);
		if (r->def->reversible)
			reverse(r, t->id, "A0", "the answer's MAC is wrong");
		else
			journal_set_state(e->journal, t->id, "refused", NULL, NULL, NULL, false);
		engine_set_signed_in(e, false);	/* keys out of step: sign in again */
		return ATTEMPT_DONE;
	case LINK_OK:
		break;
	}
	if (!response_matches(e, req, resp, why, sizeof(why))) {
		engine_notice(e, "host.mismatch", "Answer to STAN %s refused: %s", t->stan, why);
		if (r->def->reversible)
			reverse(r, t->id, "98", why);
		else
			journal_set_state(e->journal, t->id, "refused", NULL, NULL, NULL, false);
		res->error = TXN_ERROR_HOST_MISMATCH;
		return ATTEMPT_DONE;
	}
	iso_msg_get_str(resp, 39, res->rc, sizeof(res->rc));
	take_answer(r, resp);
	if (strcmp(res->rc, "00")) {
		journal_set_state(e->journal, t->id, "declined", res->rc, NULL, NULL, true);
		res->outcome = TXN_DECLINED;
		if (rc_wants_sign_in(res->rc)) {
			engine_set_signed_in(e, false);
			if (may_retry)
				return ATTEMPT_RETRY;
		}
		return ATTEMPT_DONE;
	}
	record_approval(r, t->id);
	res->outcome = TXN_APPROVED;
	return ATTEMPT_DONE;
}

/* A reversal is pending that no op under way owns. */
bool txn_engine_reversals_waiting(struct txn_engine *e)
{
	struct journal_reversal list[TASK_REVERSALS_MAX];
	int n = journal_reversals(e->journal, list, TASK_REVERSALS_MAX);

	for (int i = 0; i < n; i++)
		if (!engine_txn_live(e, list[i].txn_id))
			return true;
	return false;
}

/* Sign-in, pending reversals, the original and the card: false with
 * @res filled when the transaction cannot go ahead. */
static bool ready_to_send(struct run *r)
{
	struct txn_engine *e = r->e;
	struct txn_result *res = r->res;

	memset(res, 0, sizeof(*res));
	res->outcome = TXN_FAILED;
	e->host_usec = 0;
	if (!r->def)
		fail(res, TXN_ERROR_FAILED, "unknown transaction kind");
	else if (e->busy && txn_engine_reversals_waiting(e))
		fail(res, TXN_ERROR_REVERSAL_PENDING,
		     "an earlier transaction still waits for its reversal (being sent now)");
	else if (e->busy)
		fail(res, TXN_ERROR_BUSY, "another transaction is with the host: try again in a moment");
	else if (!e->signed_in)
		fail(res, TXN_ERROR_NOT_SIGNED_IN, "the terminal is not signed in and sign-in failed");
	else if (txn_engine_reversals_waiting(e))
		fail(res, TXN_ERROR_REVERSAL_PENDING, "an earlier transaction still waits for its reversal");
	else if (find_original(r) && card_checks(r)) {
		r->cls = fee_card_class(&e->cfg.fees, r->card->pan);
		snprintf(res->card_class, sizeof(res->card_class), "%s", card_class_name(r->cls));
		return true;
	}
	return false;
}

/* The transaction ended: the card wiped, the message for the cashier. */
static void finish(struct run *r)
{
	struct txn_engine *e = r->e;
	struct txn_result *res = r->res;

	drop_pin_key(r);
	OPENSSL_cleanse(r->card, sizeof(*r->card));
	res->host_usec = e->host_usec;
	if (res->outcome == TXN_DECLINED)
		snprintf(res->message, sizeof(res->message), "declined by the host (code %s)", res->rc);
	else if (res->outcome == TXN_APPROVED)
		snprintf(res->message, sizeof(res->message), "approved");
}

/* ---- non-blocking: the wait for the host's answer runs in the caller's
 * event loop ---- */

enum op_stage {
	OP_RECORDED,		/* on disk, nothing sent: waits for txn_op_send */
	OP_CONNECTING,		/* nothing sent yet */
	OP_WITH_HOST,		/* the request is (being) sent */
	OP_SIGNING_IN,		/* the host asked for it (A0, 22, 77): then one retry */
	OP_REVERSING,		/* no valid answer: the 0400 at once */
	OP_DONE,
};

struct txn_op {
	struct run r;
	struct txn_request req;
	struct journal_txn t;
	struct iso_msg msg;		/* the request: PAN, track 2, PIN block */
	enum op_stage stage;
	bool retried;			/* the one retry after a sign-in is used */
	struct txn_task *sign_in;
	struct txn_task *reversal;
	struct txn_result sign_in_res;
	struct txn_op *next;		/* in the engine's live list */
};

bool engine_txn_live(const struct txn_engine *e, int64_t id)
{
	for (const struct txn_op *op = e->live; op; op = op->next)
		if (op->stage != OP_DONE && op->t.id == id)
			return true;
	return false;
}

static void op_unlink(struct txn_op *op)
{
	for (struct txn_op **p = &op->r.e->live; *p; p = &(*p)->next) {
		if (*p == op) {
			*p = op->next;
			return;
		}
	}
}

/* @res final as it is. */
static int op_done(struct txn_op *op)
{
	op->stage = OP_DONE;
	OPENSSL_cleanse(&op->msg, sizeof(op->msg));
	finish(&op->r);
	return 0;
}

static int op_retry(struct txn_op *op);

/* The immediate reversal ended: sent and cleared, or left pending for
 * the retry timer and the next transaction. */
static int op_reversed(struct txn_op *op)
{
	struct txn_result *res = op->r.res;
	bool cleared = op->reversal && op->reversal->cleared;

	txn_task_free(op->reversal);
	op->reversal = NULL;
	snprintf(res->message, sizeof(res->message), "%s: the transaction is %s",
		 op->r.reverse_why, cleared ? "reversed" : "to be reversed (pending)");
	return op_done(op);
}

/* No valid answer: the 0400 before the caller hears back, in its event
 * loop too (the reply waits for it, as it always did). */
static int op_reverse(struct txn_op *op)
{
	op->reversal = task_new();
	if (!op->reversal)
		return op_reversed(op);
	op->reversal->only_id = op->r.reverse_id;
	op->stage = OP_REVERSING;
	return task_start(op->r.e, &task_flush, op->reversal) == 1 ? 1 : op_reversed(op);
}

/* The exchange ended (answer, failure, or abandoned): the outcome, the
 * reversal that must go now, or the sign-in the host asked for (1: under
 * way). */
static int op_end(struct txn_op *op, enum link_result lr, const struct iso_msg *resp)
{
	enum attempt a = conclude(&op->r, !op->retried, &op->msg, &op->t, lr, resp);

	OPENSSL_cleanse(&op->msg, sizeof(op->msg));
	if (op->r.reverse_id)
		return op_reverse(op);
	return a == ATTEMPT_RETRY ? op_retry(op) : op_done(op);
}

/* Recorded, then given up before a byte left: the record says so
 * (@state "cancelled" or "failed") and its reversal goes (there is
 * nothing to reverse). */
static int op_unsent(struct txn_op *op, const char *state, enum txn_error error,
		     const char *msg)
{
	journal_set_state(op->r.e->journal, op->t.id, state, NULL, NULL, NULL, true);
	fail(op->r.res, error, msg);
	return op_done(op);
}

/* Connected: the request on its way. */
static int op_send(struct txn_op *op)
{
	struct iso_msg resp;
	enum link_result lr;

	op->stage = OP_WITH_HOST;
	build(&op->r, &op->msg, &op->t);
	lr = link_start(op->r.e, &op->msg, true, &resp);
	if (lr == LINK_IN_PROGRESS)
		return 1;
	return op_end(op, lr, &resp);
}

/* Connecting ended: on with the request, or nothing sent. */
static int op_connected(struct txn_op *op, enum link_result lr)
{
	if (lr == LINK_IN_PROGRESS)
		return 1;
	if (lr == LINK_OK)
		return op_send(op);
	return op_unsent(op, "failed", TXN_ERROR_HOST_UNREACHABLE, "the acquirer host cannot be reached");
}

/* Signed in again: the transaction once more under a new record (a new
 * STAN, a new DUKPT counter), or the host's refusal stands. */
static int op_signed_in(struct txn_op *op)
{
	struct txn_engine *e = op->r.e;
	bool approved = op->sign_in_res.outcome == TXN_APPROVED;

	txn_task_free(op->sign_in);
	op->sign_in = NULL;
	if (!approved || (op->r.card->pin[0] && !hold_pin_key(&op->r)) ||
	    record(&op->r, &op->t) != ATTEMPT_SEND)
		return op_done(op);
	op->stage = OP_CONNECTING;
	return op_connected(op, link_connect_start(e));
}

/* The host asked for a sign-in (A0, 22, 77): sign in, in the caller's
 * event loop too, then the one retry. */
static int op_retry(struct txn_op *op)
{
	struct txn_engine *e = op->r.e;
	int rc;

	engine_log(e, LOG_NOTICE, "host asked for sign-in (%s): signing in, retrying",
		   op->r.res->rc);
	op->retried = true;
	op->sign_in = task_new();
	if (!op->sign_in)
		return op_done(op);
	op->sign_in->res = &op->sign_in_res;
	op->stage = OP_SIGNING_IN;
	rc = task_start(e, &task_sign_in, op->sign_in);
	return rc == 1 ? 1 : op_signed_in(op);
}

/* Ready, the DUKPT PIN key held when a PIN may come (@pin_may_follow:
 * not typed yet), recorded. */
static int prepare_op(struct txn_engine *e, const struct txn_request *req, struct txn_card *card,
		      struct txn_result *res, struct txn_op **out, bool pin_may_follow)
{
	struct txn_op *op = calloc(1, sizeof(*op));

	*out = op;
	if (!op)
		return -1;
	op->req = *req;
	op->r = (struct run){ .e = e, .req = &op->req, .def = kind_def(req->kind), .card = card,
			      .res = res };
	if (!ready_to_send(&op->r) ||
	    ((pin_may_follow || card->pin[0]) && !hold_pin_key(&op->r)) ||
	    record(&op->r, &op->t) != ATTEMPT_SEND)
		return op_done(op);
	op->stage = OP_RECORDED;
	op->next = e->live;
	e->live = op;
	return 1;
}

int txn_run_prepare(struct txn_engine *e, const struct txn_request *req, struct txn_card *card,
		    struct txn_result *res, struct txn_op **out)
{
	return prepare_op(e, req, card, res, out, true);
}

int txn_op_send(struct txn_op *op)
{
	struct txn_engine *e = op->r.e;

	if (op->stage != OP_RECORDED)
		return 0;
	e->host_usec = 0;
	if (e->busy)
		return op_unsent(op, "failed", TXN_ERROR_BUSY,
				 "another transaction is with the host: try again in a moment");
	/* a chip's reversal data (field 55, known since its ARQC) joins the
	 * reversal row before the request leaves, so a crash from here on
	 * still reverses with it: one more commit, for chip cards only */
	if (op->r.def->reversible && op->r.card->icc_reversal_len &&
	    journal_reversal_set(e->journal, op->t.id, "98", op->r.card->icc_reversal,
				 op->r.card->icc_reversal_len))
		return op_unsent(op, "failed", TXN_ERROR_FAILED, "journal error");
	op->stage = OP_CONNECTING;
	return op_connected(op, link_connect_start(e));
}

int txn_run_start(struct txn_engine *e, const struct txn_request *req, struct txn_card *card,
		  struct txn_result *res, struct txn_op **op)
{
	int rc = prepare_op(e, req, card, res, op, false);

	return rc == 1 ? txn_op_send(*op) : rc;
}

int txn_op_step(struct txn_op *op)
{
	struct iso_msg resp;
	enum link_result lr;

	switch (op->stage) {
	case OP_CONNECTING:
		return op_connected(op, link_connect_step(op->r.e));
	case OP_WITH_HOST:
		lr = link_step(op->r.e, &op->msg, true, &resp);
		if (lr == LINK_IN_PROGRESS)
			return 1;
		return op_end(op, lr, &resp);
	case OP_SIGNING_IN:
		return txn_task_step(op->sign_in) == 1 ? 1 : op_signed_in(op);
	case OP_REVERSING:
		return txn_task_step(op->reversal) == 1 ? 1 : op_reversed(op);
	case OP_RECORDED:
		return 1;	/* waits for txn_op_send */
	case OP_DONE:
		break;
	}
	return 0;
}


void txn_op_free(struct txn_op *op)
{
	if (!op)
		return;
	switch (op->stage) {
	case OP_CONNECTING:
		link_abort(op->r.e);	/* the link is this op's only now */
		op_unsent(op, "cancelled", TXN_ERROR_CANCELLED, "cancelled before the request was sent");
		break;
	case OP_RECORDED:
		op_unsent(op, "cancelled", TXN_ERROR_CANCELLED, "cancelled before the request was sent");
		break;
	case OP_WITH_HOST:
		/* the request may be with the host: what a lost answer
		 * gets, a reversal */
		link_abort(op->r.e);
		op->retried = true;	/* no sign-in and retry now */
		op_end(op, LINK_IN_PROGRESS, NULL);
		break;
	case OP_SIGNING_IN:
		/* the host's refusal stands; no retry */
		txn_task_free(op->sign_in);
		op_done(op);
		break;
	case OP_REVERSING:
		/* given up in flight: an attempt; the retry timer goes on */
		op_reversed(op);
		break;
	case OP_DONE:
		break;
	}
	op_unlink(op);
	OPENSSL_cleanse(op, sizeof(*op));
	free(op);
}
