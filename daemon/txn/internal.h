/* SPDX-License-Identifier: MIT */
/* Shared by the engine's files; not for users of the library. */
#ifndef PAYCARD_TXN_INTERNAL_H
#define PAYCARD_TXN_INTERNAL_H

#include "iso8583/iso8583.h"
#include "txn/engine.h"
#include "txn/journal.h"

struct txn_engine {
	struct txn_config cfg;
	struct journal *journal;
	struct pcc_keystore *ks;
	struct hostlink *link;
	struct txn_hooks hooks;
	bool signed_in;
	int host_state;			/* -1 unknown, 0 unreachable, 1 reachable */
	char last_rc[3];		/* field 39 of the last answer, "" none */
	uint64_t host_usec;		/* time spent waiting on the host link */
	struct iso_envelope env;
	uint8_t raw[4096];		/* the last frame received */
	size_t raw_len;
	/* a non-blocking exchange in flight (txn_run_start): the link is
	 * its own until it ends */
	bool busy;
	bool receiving;			/* sent; waiting for the answer */
	unsigned held_pin_keys;		/* DUKPT PIN keys held so far: names them */
	uint64_t op_start;
	/* every op between txn_run_prepare and txn_op_free: their records'
	 * reversals are theirs to send, not the flush's */
	struct txn_op *live;
};

/* What one request/answer exchange came to. */
enum link_result {
	LINK_OK,		/* an answer, decoded, MAC verified when asked */
	LINK_NOT_SENT,		/* no connection: nothing left the terminal */
	LINK_NO_ANSWER,		/* sent (maybe), no answer in time */
	LINK_GARBAGE,		/* an answer that does not decode */
	LINK_BAD_MAC,		/* an answer whose MAC is wrong */
	LINK_IN_PROGRESS,	/* non-blocking: step again (link_step) */
};

/* Connect if needed (no request is sent): false when the host cannot be
 * reached. */
bool link_ready(struct txn_engine *e);
/* Encode @req (with field 64 when @mac), send, receive, decode into @resp,
 * check the answer's MAC when @mac and the answer carries one. */
enum link_result link_exchange(struct txn_engine *e, struct iso_msg *req, bool mac,
			       struct iso_msg *resp);

/* The same without blocking: link_connect_start, then link_connect_step
 * on the link's fd or deadline while LINK_IN_PROGRESS, gives LINK_OK
 * (connected) or LINK_NOT_SENT (unreachable); then link_start sends what
 * it can and link_step continues until it returns something other than
 * LINK_IN_PROGRESS.  link_abort gives up (a request may have left). */
enum link_result link_connect_start(struct txn_engine *e);
enum link_result link_connect_step(struct txn_engine *e);
enum link_result link_start(struct txn_engine *e, struct iso_msg *req, bool mac,
			    struct iso_msg *resp);
enum link_result link_step(struct txn_engine *e, const struct iso_msg *req, bool mac,
			   struct iso_msg *resp);
void link_abort(struct txn_engine *e);

/*
 * MTI, 3, 4, 11, 25, 41, 42, 49, 60 as every request starts.  60 is
 * @type (60.1), @batch (60.2) and @tail: 60.3 for management messages,
 * financial_f60_tail() for financial ones.
 */
void msg_start(struct txn_engine *e, struct iso_msg *m, const char *mti, const char *proc,
	       uint64_t amount, const char *stan, const char *type, const char *batch,
	       const char *tail);
/* 61 for original @orig: 61.1 batch, 61.2 STAN, 61.3 its local date
 * MMDD (from when the journal recorded it). */
void original_f61(const struct journal_txn *orig, char out[17]);
/* 60.3-60.5 of a financial message for a card read as @entry
 * ("magstripe", "chip", "fallback"; NULL = magstripe). */
const char *financial_f60_tail(const char *entry);
/* Does @resp answer @req: MTI, STAN, terminal, merchant, amount?  On a
 * mismatch, a short reason in @why and false. */
bool response_matches(const struct txn_engine *e, const struct iso_msg *req,
		      const struct iso_msg *resp, char *why, size_t why_len);

/* The request kinds as UnionPay codes them. */
struct kind_def {
	const char *name, *mti, *proc, *type;
	bool needs_card;
	bool reversible;
};
const struct kind_def *kind_def(enum txn_kind k);

void engine_log(struct txn_engine *e, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void engine_notice(struct txn_engine *e, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void engine_set_signed_in(struct txn_engine *e, bool on);

/* Codes that mean "sign in again" (keys or batch out of step). */
bool rc_wants_sign_in(const char *rc);

/*
 * A task (task.c): the terminal's own exchanges, one request at a time.
 * @next puts the next request in t->req (t->mac: with field 64) or says
 * the task is done; @answer takes what came back (t->resp when LINK_OK).
 */
struct task_kind {
	bool (*next)(struct txn_task *t);
	void (*answer)(struct txn_task *t, enum link_result lr);
};

#define TASK_REVERSALS_MAX	16	/* looked at per flush */

struct txn_task {
	struct txn_engine *e;
	const struct task_kind *kind;
	int stage;
	struct iso_msg req, resp;
	bool mac;
	struct txn_result *res;		/* what the caller is told */
	bool asked;			/* sign-in, sign-out: request made;
					 * flush: reversals listed */
	/* pending reversals: those looked at, the one in flight, the ones
	 * still pending; only_id: reversal_send's one record */
	struct journal_reversal list[TASK_REVERSALS_MAX];
	int n, i, left;
	int64_t only_id;
	bool cleared;
	/* settlement: where it is, the batch upload's records */
	struct txn_settlement *settlement;
	int step;
	struct journal_txn *uploads;
	int n_uploads, next_upload, uploaded;
	struct txn_result signin;
};

extern const struct task_kind task_sign_in, task_sign_out, task_flush, task_settle;

/* The 0800 and its answer, for the tasks that end with a sign-in. */
bool sign_in_request(struct txn_engine *e, struct iso_msg *req, struct txn_result *res);
void sign_in_answer(struct txn_engine *e, enum link_result lr, const struct iso_msg *req,
		    const struct iso_msg *resp, struct txn_result *res);

/* Start @t (zeroed, with its kind's inputs set): 1 under way, 0 done. */
int task_start(struct txn_engine *e, const struct task_kind *kind, struct txn_task *t);
/* The same to the end, blocking: 0, or -1 when the wait failed. */
int task_run_blocking(struct txn_engine *e, const struct task_kind *kind, struct txn_task *t);
/* Zeroed, or NULL. */
struct txn_task *task_new(void);

/* Journal record @id belongs to an op still under way (its cardholder may
 * be typing the PIN): its reversal row is not pending yet. */
bool engine_txn_live(const struct txn_engine *e, int64_t id);

/* The reversal (0400) of journal record @id, with the reason and field 55
 * its reversal row holds: true when the host cleared it. */
bool reversal_send(struct txn_engine *e, int64_t id);

#endif
