/* SPDX-License-Identifier: MIT */
/*
 * The transaction journal: one SQLite database (paycardd's own, WAL,
 * synchronous=FULL so a committed money record survives a power cut).
 *
 *   - every transaction and every state change of it (txn_events);
 *   - the card only as a masked PAN (first 6, last 4) and an HMAC-SHA256
 *     of the PAN under a journal key: never the PAN, track, PIN or CVV;
 *   - STAN and batch number counters, persisted; a STAN is never reused
 *     within a batch (UNIQUE(batch, stan) makes the database refuse it);
 *   - pending reversals, written before the request they cover is sent.
 */
#ifndef PAYCARD_TXN_JOURNAL_H
#define PAYCARD_TXN_JOURNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JOURNAL_HASH_KEY_LEN	32

struct journal;

/* One transaction as the journal keeps it (all strings NUL-terminated). */
struct journal_txn {
	int64_t id;
	char kind[16];		/* sale void refund balance preauth preauth_void
				 * completion completion_void */
	char state[20];		/* see journal.c: pending approved declined
				 * reversal-pending reversed voided refused
				 * cancelled (recorded, never sent) */
	char batch[7], stan[7];
	char mti[5], proc[7], type[3];	/* what was sent (60.1 = type) */
	uint64_t amount, fee;		/* fen */
	char card_class[8];		/* debit, credit */
	char entry[12];			/* magstripe, chip */
	char pos_entry[4];		/* field 22 as sent ("" in older rows) */
	char pan_masked[20];
	char pan_hash[65];		/* hex HMAC-SHA256 */
	char rc[3], rrn[13], auth[7];
	char orig_stan[7], orig_batch[7];	/* the transaction acted on */
	uint64_t created_usec, updated_usec;
};

struct journal_reversal {
	int64_t txn_id;
	char reason[3];		/* field 39 of the 0400: 98 no answer, A0 MAC... */
	unsigned attempts;
	uint8_t icc[64];	/* field 55 of the 0400 (chip), icc_len 0: none */
	size_t icc_len;
};

/* Totals of a batch as 0500 field 48 wants them. */
struct journal_totals {
	uint64_t debit_amount, credit_amount, fees;
	unsigned debit_count, credit_count;
};

/* Apply the schema to @db (already open, WAL).  @hash_key keys the PAN
 * hash.  NULL on failure. */
struct journal *journal_open(sqlite3 *db, const uint8_t hash_key[JOURNAL_HASH_KEY_LEN]);
void journal_close(struct journal *j);

/* Masked PAN and keyed hash of @pan (digits). false when it is no PAN. */
bool journal_card_ids(const struct journal *j, const char *pan, char masked[20],
		      char hash[65]);

/* The open batch ("000001".."999999"). */
int journal_batch(struct journal *j, char batch[7]);
/* The host's batch number (60.2 of the 0810): "000001".."999999", else
 * -1 and the open batch is kept. */
int journal_set_batch(struct journal *j, const char *batch);
/* Close the batch: the next one starts (after settlement). */
int journal_next_batch(struct journal *j, char batch[7]);
/* Take the next STAN (persisted before it is returned). */
int journal_next_stan(struct journal *j, char stan[7]);
/* The next EMV transaction sequence counter (9F41), 1..99999999,
 * persisted before it is returned: it never restarts with paycardd. */
int journal_next_sequence(struct journal *j, uint32_t *seq);

/*
 * Record a new transaction in state "pending" (batch, STAN, kind, amounts
 * and card ids filled by the caller) and, when @reversal_reason is not
 * NULL, its reversal record, in one durable SQLite transaction: when this
 * returns 0 the reversal exists on disk.  Sets t->id.  With t->stan empty,
 * the open batch and the next STAN are taken in the same transaction.
 */
int journal_insert(struct journal *j, struct journal_txn *t, const char *reversal_reason);

/* New state (and the host's answer when @rc is not NULL); logged as an
 * event.  @clear_reversal deletes the reversal record in the same SQLite
 * transaction. */
int journal_set_state(struct journal *j, int64_t id, const char *state, const char *rc,
		      const char *rrn, const char *auth, bool clear_reversal);
/* The same, and in the same SQLite transaction the original @orig_id
 * takes @orig_state (an approved void marks its sale voided: a crash can
 * never leave one without the other). */
int journal_set_state_with_original(struct journal *j, int64_t id, const char *state,
				    const char *rc, const char *rrn, const char *auth,
				    int64_t orig_id, const char *orig_state);
/* Why a pending reversal exists (timeout -> MAC error...) and, for a chip
 * card, the field 55 it carries (@icc NULL / @icc_len 0: none). */
int journal_reversal_set(struct journal *j, int64_t id, const char *reason, const uint8_t *icc,
			 size_t icc_len);
/* 1 found, 0 none, -1 error. */
int journal_reversal_get(struct journal *j, int64_t id, struct journal_reversal *out);
/* One more attempt at sending it. */
int journal_reversal_attempt(struct journal *j, int64_t id);

/* Pending reversals, oldest first: count (<= @max) or -1. */
int journal_reversals(struct journal *j, struct journal_reversal *out, size_t max);

/* 1 found, 0 none, -1 error. */
int journal_get(struct journal *j, int64_t id, struct journal_txn *out);
int journal_find_stan(struct journal *j, const char *batch, const char *stan,
		      struct journal_txn *out);
int journal_find_rrn(struct journal *j, const char *rrn, struct journal_txn *out);
int journal_find_auth(struct journal *j, const char *auth, struct journal_txn *out);
/* The amount refunded, or being refunded, of the sale @orig_batch/@orig_stan:
 * every refund of it not declined, failed, refused, cancelled or reversed. */
int journal_refunded(struct journal *j, const char *orig_batch, const char *orig_stan,
		     uint64_t *total);

/* Up to @max transactions, newest first; @batch NULL for all. */
int journal_list(struct journal *j, const char *batch, struct journal_txn *out, size_t max);

/* Debits (approved sales, completions), credits (approved refunds); of
 * one card class ("debit", "credit") when @card_class is not NULL. */
int journal_totals(struct journal *j, const char *batch, struct journal_totals *t);
int journal_class_totals(struct journal *j, const char *batch, const char *card_class,
			 struct journal_totals *t);

/* Every transaction, for a merchant's backup: CSV with a header row, or a
 * JSON array.  0 or -1. */
int journal_export_csv(struct journal *j, FILE *out);
int journal_export_json(struct journal *j, FILE *out);

#endif
