/* SPDX-License-Identifier: MIT */
/*
 * The simulator's ledger (SQLite, WAL, synchronous=FULL): every request it
 * answered, card balances and holds, settlements and batch uploads, so a
 * test can reconcile what the terminal believes with what the host did.
 * Cards are stored by a SHA-256 reference and a masked PAN, never in clear.
 */
#ifndef PAYCARD_HOSTSIM_LEDGER_H
#define PAYCARD_HOSTSIM_LEDGER_H

#include <stdbool.h>

struct hs_ledger;

struct hs_txn {
	long long id;
	char tid[9], batch[7], stan[7], date[5];
	char kind[16];		/* sale void refund balance preauth
				 * preauth_void completion */
	char status[12];	/* approved declined voided reversed
				 * completed released */
	char rc[3], rrn[13], auth[7];
	char card_ref[65], pan_masked[20];
	long long amount;
	long long orig_id;	/* the transaction this one acts on, or 0 */
};

struct hs_totals {
	long long debit_amount, credit_amount;
	int debit_count, credit_count;
};

int hs_ledger_open(const char *path, struct hs_ledger **out);
void hs_ledger_close(struct hs_ledger *l);

void hs_card_ref(const char *pan, char ref[65]);

/* Balance and holds of a card, created with @opening on first use. */
int hs_ledger_account(struct hs_ledger *l, const char *card_ref,
		      long long opening, long long *balance, long long *held);
int hs_ledger_set_account(struct hs_ledger *l, const char *card_ref,
			  long long balance, long long held);

int hs_ledger_add(struct hs_ledger *l, struct hs_txn *t);	/* sets id */
int hs_ledger_set_status(struct hs_ledger *l, long long id, const char *status);
/* 1 found, 0 not found, -1 error. */
int hs_ledger_find(struct hs_ledger *l, const char *where_column,
		   const char *tid, const char *value, struct hs_txn *out);
long long hs_ledger_refunded(struct hs_ledger *l, long long orig_id);

int hs_ledger_totals(struct hs_ledger *l, const char *tid, const char *batch,
		     struct hs_totals *t);
int hs_ledger_record_settlement(struct hs_ledger *l, const char *tid,
				const char *batch, const struct hs_totals *host,
				const struct hs_totals *terminal, bool balanced);
/* Batch upload: 1 when (tid, batch, stan, amount) matches an approved
 * transaction (now marked uploaded), 0 when not. */
int hs_ledger_upload(struct hs_ledger *l, const char *tid, const char *batch,
		     const char *stan, long long amount);
int hs_ledger_uploaded_count(struct hs_ledger *l, const char *tid,
			     const char *batch);

int hs_ledger_begin(struct hs_ledger *l);
int hs_ledger_commit(struct hs_ledger *l);
void hs_ledger_rollback(struct hs_ledger *l);

#endif
