/* SPDX-License-Identifier: MIT */
/*
 * The transaction engine (libpaycard-txn): sign-in, the financial
 * transactions, reversal and settlement against the acquirer, over the
 * host link, with keys from the key store and every state change in the
 * journal.  Calls are synchronous: each blocks for at most the host link's
 * timeouts.  Card data comes in already read (PAN, track 2, PIN digits);
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

struct txn_config {
	char terminal_id[9];
	char merchant_id[16];
	char operator_id[4];		/* 63.1, an3 */
	char netcode[4];		/* 60.3 of sign-in: 001, 003, 004 */
	unsigned reversal_attempts;	/* per pending reversal, then kept for later */
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
	char error[32];			/* D-Bus error suffix when FAILED */
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

/* 0800/0810: working keys loaded and verified.  Result in @res. */
int txn_sign_in(struct txn_engine *e, struct txn_result *res);
int txn_sign_out(struct txn_engine *e, struct txn_result *res);

/* Send every pending reversal (oldest first).  Returns how many remain. */
int txn_flush_reversals(struct txn_engine *e);

/* One financial transaction; a sign-in first when the terminal is not
 * signed in (start, after a MAC error or A0/22/77), pending reversals
 * next.  0 with @res filled (any outcome), -1 only on internal errors. */
int txn_run(struct txn_engine *e, const struct txn_request *req, struct txn_card *card,
	    struct txn_result *res);

struct txn_settlement {
	struct journal_totals totals;
	struct journal_totals by_class[CARD_CLASS_COUNT];	/* the report */
	bool balanced;			/* after batch upload when it was needed */
	bool uploaded;
	char batch[7];			/* the batch settled */
	char new_batch[7];
};

/* 0500 with the batch totals; 0320 batch upload when the host disagrees;
 * a new batch after. */
int txn_settle(struct txn_engine *e, struct txn_settlement *s, struct txn_result *res);

const char *txn_kind_name(enum txn_kind k);

#endif
