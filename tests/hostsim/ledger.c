// SPDX-License-Identifier: MIT
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "ledger.h"

struct hs_ledger {
	sqlite3 *db;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS txn ("
	" id INTEGER PRIMARY KEY, tid TEXT NOT NULL, batch TEXT NOT NULL,"
	" stan TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL,"
	" status TEXT NOT NULL, rc TEXT NOT NULL, rrn TEXT NOT NULL,"
	" auth TEXT NOT NULL, card_ref TEXT NOT NULL, pan_masked TEXT NOT NULL,"
	" amount INTEGER NOT NULL, orig_id INTEGER NOT NULL,"
	" uploaded INTEGER NOT NULL DEFAULT 0,"
	" created TEXT NOT NULL DEFAULT (datetime('now')));"
	"CREATE INDEX IF NOT EXISTS txn_stan ON txn(tid, batch, stan);"
	"CREATE TABLE IF NOT EXISTS account ("
	" card_ref TEXT PRIMARY KEY, balance INTEGER NOT NULL,"
	" held INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS settlement ("
	" id INTEGER PRIMARY KEY, tid TEXT NOT NULL, batch TEXT NOT NULL,"
	" host_debit_count INTEGER, host_debit_amount INTEGER,"
	" host_credit_count INTEGER, host_credit_amount INTEGER,"
	" term_debit_count INTEGER, term_debit_amount INTEGER,"
	" term_credit_count INTEGER, term_credit_amount INTEGER,"
	" balanced INTEGER NOT NULL,"
	" created TEXT NOT NULL DEFAULT (datetime('now')));";

int hs_ledger_open(const char *path, struct hs_ledger **out)
{
	struct hs_ledger *l = calloc(1, sizeof(*l));
	char *err = NULL;

	if (!l)
		return -1;
	if (sqlite3_open(path, &l->db) != SQLITE_OK ||
	    sqlite3_exec(l->db, schema, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "paycard-hostsim: ledger %s: %s\n", path,
			err ? err : sqlite3_errmsg(l->db));
		sqlite3_free(err);
		sqlite3_close(l->db);
		free(l);
		return -1;
	}
	sqlite3_busy_timeout(l->db, 5000);
	*out = l;
	return 0;
}

void hs_ledger_close(struct hs_ledger *l)
{
	if (!l)
		return;
	sqlite3_close(l->db);
	free(l);
}

void hs_card_ref(const char *pan, char ref[65])
{
	uint8_t digest[32];
	unsigned int n = 0;

	EVP_Digest(pan, strlen(pan), digest, &n, EVP_sha256(), NULL);
	hex_encode(digest, sizeof(digest), ref);
}

static sqlite3_stmt *prepare(struct hs_ledger *l, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
		fprintf(stderr, "paycard-hostsim: ledger: %s\n", sqlite3_errmsg(l->db));
	return st;
}

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int hs_ledger_account(struct hs_ledger *l, const char *card_ref,
		      long long opening, long long *balance, long long *held)
{
	sqlite3_stmt *st = prepare(l, "INSERT OR IGNORE INTO account VALUES (?, ?, 0)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, card_ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, opening);
	if (step_done(st))
		return -1;
	st = prepare(l, "SELECT balance, held FROM account WHERE card_ref = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, card_ref, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*balance = sqlite3_column_int64(st, 0);
		*held = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int hs_ledger_set_account(struct hs_ledger *l, const char *card_ref,
			  long long balance, long long held)
{
	sqlite3_stmt *st = prepare(l, "UPDATE account SET balance = ?, held = ? "
				   "WHERE card_ref = ?");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, balance);
	sqlite3_bind_int64(st, 2, held);
	sqlite3_bind_text(st, 3, card_ref, -1, SQLITE_TRANSIENT);
	return step_done(st);
}

int hs_ledger_add(struct hs_ledger *l, struct hs_txn *t)
{
	sqlite3_stmt *st = prepare(l,
		"INSERT INTO txn (tid, batch, stan, date, kind, status, rc, rrn, auth,"
		" card_ref, pan_masked, amount, orig_id)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	const char *texts[] = { t->tid, t->batch, t->stan, t->date, t->kind,
				t->status, t->rc, t->rrn, t->auth, t->card_ref,
				t->pan_masked };

	if (!st)
		return -1;
	for (int i = 0; i < 11; i++)
		sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 12, t->amount);
	sqlite3_bind_int64(st, 13, t->orig_id);
	if (step_done(st))
		return -1;
	t->id = sqlite3_last_insert_rowid(l->db);
	return 0;
}

int hs_ledger_set_status(struct hs_ledger *l, long long id, const char *status)
{
	sqlite3_stmt *st = prepare(l, "UPDATE txn SET status = ? WHERE id = ?");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return step_done(st);
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	snprintf(out, size, "%s", v ? (const char *)v : "");
}

int hs_ledger_find(struct hs_ledger *l, const char *where_column,
		   const char *tid, const char *value, struct hs_txn *out)
{
	char sql[300];
	sqlite3_stmt *st;
	int rc;

	/* @where_column is one of our own constants, never outside input */
	snprintf(sql, sizeof(sql),
		 "SELECT id, tid, batch, stan, date, kind, status, rc, rrn, auth,"
		 " card_ref, pan_masked, amount, orig_id FROM txn"
		 " WHERE tid = ? AND %s = ? ORDER BY id DESC LIMIT 1", where_column);
	st = prepare(l, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		copy_col(st, 1, out->tid, sizeof(out->tid));
		copy_col(st, 2, out->batch, sizeof(out->batch));
		copy_col(st, 3, out->stan, sizeof(out->stan));
		copy_col(st, 4, out->date, sizeof(out->date));
		copy_col(st, 5, out->kind, sizeof(out->kind));
		copy_col(st, 6, out->status, sizeof(out->status));
		copy_col(st, 7, out->rc, sizeof(out->rc));
		copy_col(st, 8, out->rrn, sizeof(out->rrn));
		copy_col(st, 9, out->auth, sizeof(out->auth));
		copy_col(st, 10, out->card_ref, sizeof(out->card_ref));
		copy_col(st, 11, out->pan_masked, sizeof(out->pan_masked));
		out->amount = sqlite3_column_int64(st, 12);
		out->orig_id = sqlite3_column_int64(st, 13);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

long long hs_ledger_refunded(struct hs_ledger *l, long long orig_id)
{
	sqlite3_stmt *st = prepare(l, "SELECT COALESCE(SUM(amount), 0) FROM txn"
				   " WHERE orig_id = ? AND kind = 'refund'"
				   " AND status = 'approved'");
	long long sum = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, orig_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		sum = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return sum;
}

int hs_ledger_totals(struct hs_ledger *l, const char *tid, const char *batch,
		     struct hs_totals *t)
{
	/* debits: money from cardholders (sales, completions); credits:
	 * refunds.  Voided, reversed and declined ones do not count. */
	sqlite3_stmt *st = prepare(l,
		"SELECT kind = 'refund', COUNT(*), COALESCE(SUM(amount), 0) FROM txn"
		" WHERE tid = ? AND batch = ? AND status = 'approved'"
		" AND kind IN ('sale', 'completion', 'refund') GROUP BY kind = 'refund'");

	memset(t, 0, sizeof(*t));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, batch, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0)) {
			t->credit_count = sqlite3_column_int(st, 1);
			t->credit_amount = sqlite3_column_int64(st, 2);
		} else {
			t->debit_count = sqlite3_column_int(st, 1);
			t->debit_amount = sqlite3_column_int64(st, 2);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

int hs_ledger_record_settlement(struct hs_ledger *l, const char *tid,
				const char *batch, const struct hs_totals *host,
				const struct hs_totals *terminal, bool balanced)
{
	sqlite3_stmt *st = prepare(l, "INSERT INTO settlement (tid, batch,"
		" host_debit_count, host_debit_amount, host_credit_count,"
		" host_credit_amount, term_debit_count, term_debit_amount,"
		" term_credit_count, term_credit_amount, balanced)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, batch, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, host->debit_count);
	sqlite3_bind_int64(st, 4, host->debit_amount);
	sqlite3_bind_int(st, 5, host->credit_count);
	sqlite3_bind_int64(st, 6, host->credit_amount);
	sqlite3_bind_int(st, 7, terminal->debit_count);
	sqlite3_bind_int64(st, 8, terminal->debit_amount);
	sqlite3_bind_int(st, 9, terminal->credit_count);
	sqlite3_bind_int64(st, 10, terminal->credit_amount);
	sqlite3_bind_int(st, 11, balanced);
	return step_done(st);
}

int hs_ledger_upload(struct hs_ledger *l, const char *tid, const char *batch,
		     const char *stan, long long amount)
{
	sqlite3_stmt *st = prepare(l, "UPDATE txn SET uploaded = 1 WHERE tid = ?"
				   " AND batch = ? AND stan = ? AND amount = ?"
				   " AND status = 'approved'");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, batch, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, stan, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, amount);
	if (step_done(st))
		return -1;
	return sqlite3_changes(l->db) > 0;
}

int hs_ledger_uploaded_count(struct hs_ledger *l, const char *tid,
			     const char *batch)
{
	sqlite3_stmt *st = prepare(l, "SELECT COUNT(*) FROM txn WHERE tid = ?"
				   " AND batch = ? AND uploaded = 1");
	int n = -1;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, batch, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int hs_ledger_begin(struct hs_ledger *l)
{
	return sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int hs_ledger_commit(struct hs_ledger *l)
{
	return sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void hs_ledger_rollback(struct hs_ledger *l)
{
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}
