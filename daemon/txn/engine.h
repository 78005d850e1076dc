/* SPDX-License-Identifier: MIT */
/*
 * The transaction engine (libpaycard-txn): sign-in, the financial
 * transactions, reversal and settlement against the acquirer, over the
 * host link, with keys from the key store and every state change in the
 * journal.  Every exchange with the host can run in the caller's event
 * loop: the financial transactions (txn_run_prepare, txn_op_send) and the
 * terminal's own tasks (txn_*_start).  Card data comes in already read (PAN,
 * track 2, PIN digits; for a chip card also field 23 and field 55);
 * the engine never logs or stores it, and wipes what it was given.
 */
#ifndef PAYCARD_TXN_ENGINE_H
#define PAYCARD_TXN_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "txn/fees.h"
#include "txn/journal.h"

struct pcc_keystore;
struct hostlink;

#define TXN_KEY_MASTER	"TMK"	/* names of the keys in the key store */
#define TXN_KEY_PIN	"PIK"
#define TXN_KEY_MAC	"MAK"
#define TXN_KEY_DATA	"TDK"
#define TXN_KEY_DUKPT	"DUKPT"	/* TDES DUKPT terminal state (pin_dukpt) */

struct txn_config {
	char terminal_id[9];
	char merchant_id[16];
	char operator_id[4];		/* 63.1, an3 */
	char netcode[4];		/* 60.3 of sign-in: 001, 003, 004 */
	unsigned reversal_attempts;	/* per pending reversal, then kept for later */
	int answer_timeout_ms;		/* non-blocking runs: wait for an answer
					 * (the link's io timeout); 0 = 30 s */
	bool pin_dukpt;			/* PIN blocks under the DUKPT PIN key of
					 * TXN_KEY_DUKPT (KSN in 62), not the PIK */
	struct fee_table fees;
};

/* Security notices and logs leave the engine through these hooks. */
struct txn_hooks {
	void (*notice)(void *user, const char *code, const char *text);
	void (*log)(void *user, int level, const char *text);	/* LOG_* */
	void (*signed_in_changed)(void *user, bool signed_in);
	void *user;
};

enum txn_kind {
	TXN_SALE,
	TXN_VOID,
	TXN_REFUND,
	TXN_BALANCE,
	TXN_PREAUTH,
	TXN_PREAUTH_VOID,
	TXN_COMPLETION,
	TXN_KIND_COUNT
};

/* What the cardholder presented; wiped by the engine. */
struct txn_card {
	char pan[20];
	char track2[41];		/* "PAN=YYMM..." or empty */
	char pin[13];			/* digits, or empty: no PIN */
	const char *entry;		/* "magstripe", "chip", "fallback" (swipe
					 * after the chip failed) */
	char psn[4];			/* chip: field 23 ("001"), empty when the
					 * card has no PAN sequence number */
	uint8_t icc[255];		/* chip: field 55 (with the ARQC) */
	size_t icc_len;
	uint8_t icc_reversal[64];	/* chip: field 55 of its reversal (TVR,
					 * IAD, ATC... after the first AC) */
	size_t icc_reversal_len;
};

/* Why a call FAILED (txn_result.error).  The library names no outside
 * protocol: the daemon maps each to its D-Bus error (paycardd/bus/errors.c). */
enum txn_error {
	TXN_ERROR_NONE,
	TXN_ERROR_FAILED,		/* journal error, no memory, unknown kind */
	TXN_ERROR_BUSY,			/* another exchange holds the host link */
	TXN_ERROR_CANCELLED,		/* cancelled before the request left */
	TXN_ERROR_NOT_SIGNED_IN,	/* no working keys and sign-in failed */
	TXN_ERROR_REVERSAL_PENDING,	/* an earlier transaction waits for its reversal */
	TXN_ERROR_NO_ORIGINAL,		/* void/refund/completion: no such original */
	TXN_ERROR_CARD_ERROR,		/* the card number is not valid */
	TXN_ERROR_CARD_MISMATCH,	/* not the card of the original transaction */
	TXN_ERROR_KEY_ERROR,		/* working keys or DUKPT PIN key unusable */
	TXN_ERROR_HOST_UNREACHABLE,	/* the request could not be sent */
	TXN_ERROR_HOST_TIMEOUT,		/* no valid answer in time */
	TXN_ERROR_HOST_ERROR,		/* the sign-in answer is not valid */
	TXN_ERROR_HOST_MISMATCH,	/* the answer is for another merchant/terminal */
	TXN_ERROR_ORIGINAL_LIMIT,	/* refunds over the sale, a void after a refund */
	TXN_ERROR_COUNT
};

struct txn_request {
	enum txn_kind kind;
	uint64_t amount;		/* fen; void/preauth void: from the original */
	char orig_stan[7];		/* void */
	char orig_rrn[13];		/* refund */
	char orig_auth[7];		/* preauth void, completion */
};

enum txn_outcome {
	TXN_APPROVED,
	TXN_DECLINED,		/* the host answered with another code */
	TXN_REVERSED,		/* no valid answer: reversed (or reversal pending) */
	TXN_FAILED,		/* nothing sent: see message */
};

struct txn_result {
	enum txn_outcome outcome;
	int64_t journal_id;
	char rc[3], rrn[13], auth[7];
	char stan[7], batch[7];
	char pan_masked[20];
	char card_class[8];
	uint64_t amount, fee;
	char balance[14];		/* balance inquiry: available, fen */
	char date[5], time[7];		/* host's 13 and 12 */
	uint64_t host_usec;		/* of the call's time, spent on the host link
					 * (connect, send, wait for the answer) */
	uint64_t elapsed_usec;		/* set by the caller: from the start of the
					 * online step to its answer */
	uint8_t icc[255];		/* field 55 of the answer (91, 71, 72) */
	size_t icc_len;
	bool card_pending;		/* approved by the host; the chip card's
					 * own decision is still due: call
					 * txn_card_decision() */
	char card_cryptogram[4];	/* chip: "TC" or "AAC", the card's second
					 * GENERATE AC; "" otherwise */
	enum txn_error error;		/* why, when FAILED */
	char message[160];		/* for the cashier/operator */
};

struct txn_engine;

int txn_engine_new(const struct txn_config *cfg, struct journal *j, struct pcc_keystore *ks,
		   struct hostlink *link, const struct txn_hooks *hooks, struct txn_engine **out);
void txn_engine_free(struct txn_engine *e);
void txn_engine_set_config(struct txn_engine *e, const struct txn_config *cfg);

bool txn_engine_signed_in(const struct txn_engine *e);
/* "reachable", "unreachable", "unknown" (no exchange yet). */
const char *txn_engine_host_state(const struct txn_engine *e);
/* Response code (field 39) of the last answer from the host; "" none. */
const char *txn_engine_last_rc(const struct txn_engine *e);

/*
 * Chip: the card's second GENERATE AC after a host approval that left
 * @res->card_pending.  @accepted (TC) clears the transaction's reversal
 * record; otherwise (AAC, card pulled out, card error) the transaction is
 * reversed with field 39 @reason and field 55 @icc (the card's data after
 * its last answer; NULL: none), @res becomes TXN_REVERSED and @why goes
 * into its message.  Until one of the two happens the reversal record
 * stays on disk, so a crash in between reverses it at the next start.
 */
int txn_card_decision(struct txn_engine *e, struct txn_result *res, bool accepted,
		      const char *reason, const char *why, const uint8_t *icc, size_t icc_len);

/*
 * One financial transaction, for an event loop, in two steps.
 *
 * txn_run_prepare: refused (NotSignedIn, ReversalPending) when the
 * terminal is not signed in (start, after a MAC error or A0/22/77) or a
 * reversal waits: the caller runs those tasks first; the original and the
 * card checked, then the journal record with its reversal and STAN written
 * durably.  @card needs its PAN, track 2 and entry mode by now; the PIN
 * and the chip's field 55 may come later: call it when the card has been
 * read, and the record's disk write overlaps the cardholder's PIN entry.
 * With pin_dukpt the DUKPT PIN key is made here too: the counter advanced
 * and the key store committed (a crash never reuses a counter), the key
 * held in the store's locked memory until txn_op_send makes the PIN block
 * (a cancelled transaction spends its counter).
 * Returns 1 with *@op recorded, 0 when @res is final at once (nothing
 * recorded or sent), -1 on no memory.
 *
 * txn_op_send: the card data complete, the connect (TCP, TLS handshake),
 * the request's send and the wait for its answer, none of them blocking
 * (name resolution does: configure addresses).  Returns 1 with *@op in
 * flight: watch txn_engine_link_fd() for txn_engine_link_events() and wake
 * at txn_engine_link_deadline_usec(), calling txn_op_step()
 * until it returns 0; then @res is final (any outcome).  Returns 0 when
 * @res is final at once.  @res->host_usec counts the host link's share
 * from txn_op_send on.  An answer asking for a sign-in (A0, 22, 77) makes
 * the op sign in and retry once under a new STAN, in the loop as well.
 *
 * txn_run_start does both at once.  *@op is freed with txn_op_free() in
 * every case: freeing a recorded op marks its record cancelled (nothing
 * was sent); freeing one in flight abandons it (reversed later, like a
 * lost answer).  @card and @res must live until the op ends; the engine
 * wipes the card.  While an op is with the host the engine refuses other
 * exchanges (txn_engine_busy).
 */
struct txn_op;
int txn_run_prepare(struct txn_engine *e, const struct txn_request *req, struct txn_card *card,
		    struct txn_result *res, struct txn_op **op);
int txn_op_send(struct txn_op *op);
int txn_run_start(struct txn_engine *e, const struct txn_request *req, struct txn_card *card,
		  struct txn_result *res, struct txn_op **op);
int txn_op_step(struct txn_op *op);
void txn_op_free(struct txn_op *op);

/* What an op or task under way waits for: the host link's fd, for
 * POLLIN/POLLOUT, until the deadline (CLOCK_MONOTONIC, usec). */
int txn_engine_link_fd(const struct txn_engine *e);
uint32_t txn_engine_link_events(const struct txn_engine *e);
uint64_t txn_engine_link_deadline_usec(const struct txn_engine *e);

/* An exchange is in flight (txn_run_start): other calls would be refused. */
bool txn_engine_busy(const struct txn_engine *e);
/* Before a transaction: a reversal waits (of no transaction under way).
 * Sign-in and these go first (txn_sign_in_start, txn_flush_start):
 * txn_run_prepare refuses with NotSignedIn / ReversalPending. */
bool txn_engine_reversals_waiting(struct txn_engine *e);

struct txn_settlement {
	struct journal_totals totals;
	struct journal_totals by_class[CARD_CLASS_COUNT];	/* the report */
	bool balanced;			/* after batch upload when it was needed */
	bool uploaded;
	char batch[7];			/* the batch settled */
	char new_batch[7];
};

/*
 * The terminal's own exchanges, for an event loop: sign-in (0800/0810, the
 * working keys loaded and verified), sign-out (0820), the pending
 * reversals (oldest first; txn_task_left() tells how many remain), and
 * settlement (0500 with the batch totals, 0320 batch upload when the host
 * disagrees, a new batch and a sign-in after).  Each returns 1 with *@task under way (watch the link as for an op,
 * calling txn_task_step() until it returns 0), 0 when it ended at once, -1 on no
 * memory.  @res (and @s) are final when it ends and must live until then;
 * txn_task_left() is what a flush left pending.  *@task is freed with
 * txn_task_free() in every case (in flight: treated as a lost answer).
 * A task holds the link like a sale: other exchanges are refused meanwhile
 * (txn_engine_busy).
 */
struct txn_task;
int txn_sign_in_start(struct txn_engine *e, struct txn_result *res, struct txn_task **task);
int txn_sign_out_start(struct txn_engine *e, struct txn_result *res, struct txn_task **task);
int txn_flush_start(struct txn_engine *e, struct txn_task **task);
int txn_settle_start(struct txn_engine *e, struct txn_settlement *s, struct txn_result *res,
		     struct txn_task **task);
int txn_task_step(struct txn_task *task);
int txn_task_left(const struct txn_task *task);
void txn_task_free(struct txn_task *task);

const char *txn_kind_name(enum txn_kind k);

#endif
