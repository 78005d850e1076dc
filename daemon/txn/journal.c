// SPDX-License-Identifier: MIT
#include "txn/journal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/hex.h"
#include "common/pan.h"

struct journal {
	sqlite3 *db;
	uint8_t hash_key[JOURNAL_HASH_KEY_LEN];
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS txn_counters ("
	" name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"INSERT OR IGNORE INTO txn_counters VALUES ('stan', 0), ('batch', 1), ('tsc', 0);"
	"CREATE TABLE IF NOT EXISTS txns ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" kind TEXT NOT NULL, state TEXT NOT NULL,"
	" batch TEXT NOT NULL, stan TEXT NOT NULL,"
	" mti TEXT NOT NULL, proc TEXT NOT NULL, type TEXT NOT NULL,"
	" amount INTEGER NOT NULL, fee INTEGER NOT NULL,"
	" card_class TEXT NOT NULL, entry TEXT NOT NULL,"
	" pan_masked TEXT NOT NULL, pan_hash TEXT NOT NULL,"
	" rc TEXT NOT NULL DEFAULT '', rrn TEXT NOT NULL DEFAULT '',"
	" auth TEXT NOT NULL DEFAULT '',"
	" orig_batch TEXT NOT NULL, orig_stan TEXT NOT NULL,"
	" created_usec INTEGER NOT NULL, updated_usec INTEGER NOT NULL,"
	" pos_entry TEXT NOT NULL DEFAULT '',"
	" UNIQUE (batch, stan));"
	"CREATE INDEX IF NOT EXISTS txns_rrn ON txns(rrn);"
	"CREATE TABLE IF NOT EXISTS txn_events ("
	" txn_id INTEGER NOT NULL, usec INTEGER NOT NULL, state TEXT NOT NULL,"
	" rc TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE IF NOT EXISTS reversals ("
	" txn_id INTEGER PRIMARY KEY, reason TEXT NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0, created_usec INTEGER NOT NULL,"
	" icc BLOB);";

#define TXN_COLUMNS "id, kind, state, batch, stan, mti, proc, type, amount, fee, " \
	"card_class, entry, pan_masked, pan_hash, rc, rrn, auth, orig_batch, orig_stan, " \
	"created_usec, updated_usec, pos_entry"

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

/* A journal from an older version gets a column added since: reversals.icc
 * (field 55 of the 0400), txns.pos_entry (field 22 as sent). */
static int add_column(sqlite3 *db, const char *table, const char *column, const char *decl)
{
	sqlite3_stmt *st = NULL;
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT %s FROM %s", column, table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s", table, column, decl);
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

struct journal *journal_open(sqlite3 *db, const uint8_t hash_key[JOURNAL_HASH_KEY_LEN])
{
	struct journal *j;

	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    add_column(db, "reversals", "icc", "BLOB") ||
	    add_column(db, "txns", "pos_entry", "TEXT NOT NULL DEFAULT ''"))
		return NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->db = db;
	memcpy(j->hash_key, hash_key, JOURNAL_HASH_KEY_LEN);
	return j;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	OPENSSL_cleanse(j->hash_key, sizeof(j->hash_key));
	free(j);
}

bool journal_card_ids(const struct journal *j, const char *pan, char masked[20], char hash[65])
{
	size_t len = strlen(pan);
	uint8_t mac[32];
	unsigned mac_len = sizeof(mac);

	if (!pan_mask(pan, len, masked, 20))
		return false;
	if (!HMAC(EVP_sha256(), j->hash_key, JOURNAL_HASH_KEY_LEN, (const uint8_t *)pan, len,
		  mac, &mac_len))
		return false;
	hex_encode(mac, 32, hash);
	return true;
}

static int exec(struct journal *j, const char *sql)
{
	return sqlite3_exec(j->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int rollback(struct journal *j)
{
	exec(j, "ROLLBACK");
	return -1;
}


static sqlite3_stmt *prepare(struct journal *j, const char *sql)
{
	sqlite3_stmt *st = NULL;

	return sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) == SQLITE_OK ? st : NULL;
}

static int counter_get(struct journal *j, const char *name, int64_t *value)
{
	sqlite3_stmt *st = prepare(j, "SELECT value FROM txn_counters WHERE name = ?");
	int rc = -1;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static int counter_set(struct journal *j, const char *name, int64_t value)
{
	sqlite3_stmt *st = prepare(j, "UPDATE txn_counters SET value = ? WHERE name = ?");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, value);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

/* Counters run 1..999999: six digits. */
static int format6(char out[7], int64_t v)
{
	char text[24];

	snprintf(text, sizeof(text), "%06lld", (long long)(v % 1000000));
	memcpy(out, text, 7);
	return 0;
}

int journal_batch(struct journal *j, char batch[7])
{
	int64_t v;

	if (counter_get(j, "batch", &v))
		return -1;
	return format6(batch, v);
}

int journal_set_batch(struct journal *j, const char *batch)
{
	int64_t v = 0;

	for (int i = 0; i < 6; i++) {
		if (batch[i] < '0' || batch[i] > '9')
			return -1;
		v = v * 10 + (batch[i] - '0');
	}
	if (batch[6] || v == 0)
		return -1;
	return counter_set(j, "batch", v);
}

int journal_next_batch(struct journal *j, char batch[7])
{
	int64_t v;

	if (exec(j, "BEGIN IMMEDIATE"))
		return -1;
	/* batch numbers run 000001..999999; a new batch restarts nothing else:
	 * STANs keep counting, so they stay unique across batches too */
	if (counter_get(j, "batch", &v) || counter_set(j, "batch", v % 999999 + 1) ||
	    exec(j, "COMMIT"))
		return rollback(j);
	return journal_batch(j, batch);
}

/* The next STAN of the open batch: 000001..999999, skipping any the batch
 * already holds (after a wrap). */
static int take_stan(struct journal *j, const char *batch, char stan[7])
{
	int64_t v;
	struct journal_txn t;

	if (counter_get(j, "stan", &v))
		return -1;
	for (int tries = 0; tries < 999999; tries++) {
		int found;

		v = v % 999999 + 1;
		format6(stan, v);
		found = journal_find_stan(j, batch, stan, &t);
		if (found < 0)
			return -1;
		if (found == 0)
			break;
	}
	return counter_set(j, "stan", v);
}

int journal_next_stan(struct journal *j, char stan[7])
{
	char batch[7];

	if (exec(j, "BEGIN IMMEDIATE"))
		return -1;
	if (journal_batch(j, batch) || take_stan(j, batch, stan) || exec(j, "COMMIT"))
		return rollback(j);
	return 0;
}

int journal_next_sequence(struct journal *j, uint32_t *seq)
{
	int64_t v;

	if (exec(j, "BEGIN IMMEDIATE"))
		return -1;
	/* EMV 9F41 is n4..8: 1..99999999, then round again */
	if (counter_get(j, "tsc", &v) || counter_set(j, "tsc", v % 99999999 + 1) ||
	    exec(j, "COMMIT"))
		return rollback(j);
	*seq = (uint32_t)(v % 99999999 + 1);
	return 0;
}

static int add_event(struct journal *j, int64_t id, const char *state, const char *rc,
		     uint64_t usec)
{
	sqlite3_stmt *st = prepare(j, "INSERT INTO txn_events VALUES (?, ?, ?, ?)");
	int r;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (int64_t)usec);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rc ? rc : "", -1, SQLITE_STATIC);
	r = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return r;
}

static int insert_row(struct journal *j, struct journal_txn *t)
{
	sqlite3_stmt *st = prepare(j, "INSERT INTO txns (kind, state, batch, stan, mti, proc,"
				   " type, amount, fee, card_class, entry, pan_masked, pan_hash,"
				   " orig_batch, orig_stan, created_usec, updated_usec, pos_entry)"
				   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	const char *text[] = { t->kind, t->state, t->batch, t->stan, t->mti, t->proc, t->type };
	int r, k = 1;

	if (!st)
		return -1;
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		sqlite3_bind_text(st, k++, text[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k++, (int64_t)t->amount);
	sqlite3_bind_int64(st, k++, (int64_t)t->fee);
	sqlite3_bind_text(st, k++, t->card_class, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k++, t->entry, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k++, t->pan_masked, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k++, t->pan_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k++, t->orig_batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k++, t->orig_stan, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k++, (int64_t)t->created_usec);
	sqlite3_bind_int64(st, k++, (int64_t)t->updated_usec);
	sqlite3_bind_text(st, k++, t->pos_entry, -1, SQLITE_STATIC);
	r = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (r == 0)
		t->id = sqlite3_last_insert_rowid(j->db);
	return r;
}

static int insert_reversal(struct journal *j, int64_t id, const char *reason, uint64_t usec)
{
	sqlite3_stmt *st = prepare(j, "INSERT INTO reversals (txn_id, reason, created_usec)"
				   " VALUES (?, ?, ?)");
	int r;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)usec);
	r = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return r;
}

int journal_insert(struct journal *j, struct journal_txn *t, const char *reversal_reason)
{
	t->created_usec = t->updated_usec = now_usec();
	snprintf(t->state, sizeof(t->state), "pending");
	if (exec(j, "BEGIN IMMEDIATE"))
		return -1;
	/* one commit (one fsync) for the STAN, the record and its reversal */
	if ((!t->stan[0] && (journal_batch(j, t->batch) || take_stan(j, t->batch, t->stan))) ||
	    insert_row(j, t) || add_event(j, t->id, t->state, NULL, t->created_usec) ||
	    (reversal_reason && insert_reversal(j, t->id, reversal_reason, t->created_usec)) ||
	    exec(j, "COMMIT"))
		return rollback(j);
	return 0;
}

static int update_txn(struct journal *j, int64_t id, const char *state, const char *rc,
		      const char *rrn, const char *auth, uint64_t usec)
{
	sqlite3_stmt *st = prepare(j, "UPDATE txns SET state = ?, rc = coalesce(?, rc),"
				   " rrn = coalesce(?, rrn), auth = coalesce(?, auth),"
				   " updated_usec = ? WHERE id = ?");
	int r;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rrn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, auth, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)usec);
	sqlite3_bind_int64(st, 6, id);
	r = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(j->db) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	return r;
}

static int delete_reversal(struct journal *j, int64_t id)
{
	sqlite3_stmt *st = prepare(j, "DELETE FROM reversals WHERE txn_id = ?");
	int r;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	r = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return r;
}

int journal_set_state(struct journal *j, int64_t id, const char *state, const char *rc,
		      const char *rrn, const char *auth, bool clear_reversal)
{
	uint64_t usec = now_usec();

	if (exec(j, "BEGIN IMMEDIATE"))
		return -1;
	if (update_txn(j, id, state, rc, rrn, auth, usec) || add_event(j, id, state, rc, usec) ||
	    (clear_reversal && delete_reversal(j, id)) || exec(j, "COMMIT"))
		return rollback(j);
	return 0;
}

int journal_set_state_with_original(struct journal *j, int64_t id, const char *state,
				    const char *rc, const char *rrn, const char *auth,
				    int64_t orig_id, const char *orig_state)
{
	uint64_t usec = now_usec();

	if (exec(j, "BEGIN IMMEDIATE"))
		return -1;
	if (update_txn(j, id, state, rc, rrn, auth, usec) || add_event(j, id, state, rc, usec) ||
	    delete_reversal(j, id) ||
	    update_txn(j, orig_id, orig_state, NULL, NULL, NULL, usec) ||
	    add_event(j, orig_id, orig_state, NULL, usec) || exec(j, "COMMIT"))
		return rollback(j);
	return 0;
}

int journal_reversal_set(struct journal *j, int64_t id, const char *reason, const uint8_t *icc,
			 size_t icc_len)
{
	sqlite3_stmt *st = prepare(j, "UPDATE reversals SET reason = ?, icc = ? WHERE txn_id = ?");
	int r;

	if (!st)
		return -1;
	if (icc_len > sizeof(((struct journal_reversal *)0)->icc))
		icc_len = 0;	/* more than a reversal's tags: leave 55 out */
	sqlite3_bind_text(st, 1, reason, -1, SQLITE_STATIC);
	if (icc && icc_len)
		sqlite3_bind_blob(st, 2, icc, (int)icc_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, id);
	r = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(j->db) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	return r;
}

int journal_reversal_attempt(struct journal *j, int64_t id)
{
	sqlite3_stmt *st = prepare(j, "UPDATE reversals SET attempts = attempts + 1"
				   " WHERE txn_id = ?");
	int r;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	r = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(j->db) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	return r;
}

static void reversal_row(sqlite3_stmt *st, struct journal_reversal *out)
{
	const void *icc = sqlite3_column_blob(st, 3);
	size_t len = (size_t)sqlite3_column_bytes(st, 3);

	out->txn_id = sqlite3_column_int64(st, 0);
	snprintf(out->reason, sizeof(out->reason), "%s", sqlite3_column_text(st, 1));
	out->attempts = (unsigned)sqlite3_column_int(st, 2);
	out->icc_len = icc && len <= sizeof(out->icc) ? len : 0;
	memcpy(out->icc, icc ? icc : "", out->icc_len);
}

#define REVERSAL_COLUMNS "txn_id, reason, attempts, icc"

int journal_reversals(struct journal *j, struct journal_reversal *out, size_t max)
{
	sqlite3_stmt *st = prepare(j, "SELECT " REVERSAL_COLUMNS " FROM reversals"
				   " ORDER BY txn_id LIMIT ?");
	int n = 0, r;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)max);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		reversal_row(st, &out[n++]);
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? n : -1;
}

int journal_reversal_get(struct journal *j, int64_t id, struct journal_reversal *out)
{
	sqlite3_stmt *st = prepare(j, "SELECT " REVERSAL_COLUMNS " FROM reversals"
				   " WHERE txn_id = ?");
	int r;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		reversal_row(st, out);
	sqlite3_finalize(st);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", v ? (const char *)v : "");
}

static void read_row(sqlite3_stmt *st, struct journal_txn *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, t->kind, sizeof(t->kind));
	copy_col(st, 2, t->state, sizeof(t->state));
	copy_col(st, 3, t->batch, sizeof(t->batch));
	copy_col(st, 4, t->stan, sizeof(t->stan));
	copy_col(st, 5, t->mti, sizeof(t->mti));
	copy_col(st, 6, t->proc, sizeof(t->proc));
	copy_col(st, 7, t->type, sizeof(t->type));
	t->amount = (uint64_t)sqlite3_column_int64(st, 8);
	t->fee = (uint64_t)sqlite3_column_int64(st, 9);
	copy_col(st, 10, t->card_class, sizeof(t->card_class));
	copy_col(st, 11, t->entry, sizeof(t->entry));
	copy_col(st, 12, t->pan_masked, sizeof(t->pan_masked));
	copy_col(st, 13, t->pan_hash, sizeof(t->pan_hash));
	copy_col(st, 14, t->rc, sizeof(t->rc));
	copy_col(st, 15, t->rrn, sizeof(t->rrn));
	copy_col(st, 16, t->auth, sizeof(t->auth));
	copy_col(st, 17, t->orig_batch, sizeof(t->orig_batch));
	copy_col(st, 18, t->orig_stan, sizeof(t->orig_stan));
	t->created_usec = (uint64_t)sqlite3_column_int64(st, 19);
	t->updated_usec = (uint64_t)sqlite3_column_int64(st, 20);
	copy_col(st, 21, t->pos_entry, sizeof(t->pos_entry));
}

/* One row where @column = @value (text) or id = @id. */
static int find_one(struct journal *j, const char *where, const char *a, const char *b,
		    int64_t id, struct journal_txn *out)
{
	char sql[256];
	sqlite3_stmt *st;
	int r;

	snprintf(sql, sizeof(sql), "SELECT " TXN_COLUMNS " FROM txns WHERE %s ORDER BY id DESC LIMIT 1",
		 where);
	st = prepare(j, sql);
	if (!st)
		return -1;
	if (a) {
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		if (b)
			sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 1, id);
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		read_row(st, out);
	sqlite3_finalize(st);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

int journal_get(struct journal *j, int64_t id, struct journal_txn *out)
{
	return find_one(j, "id = ?", NULL, NULL, id, out);
}

int journal_find_stan(struct journal *j, const char *batch, const char *stan,
		      struct journal_txn *out)
{
	return find_one(j, "batch = ? AND stan = ?", batch, stan, 0, out);
}

int journal_find_rrn(struct journal *j, const char *rrn, struct journal_txn *out)
{
	return find_one(j, "rrn = ? AND rrn != ''", rrn, NULL, 0, out);
}

int journal_find_auth(struct journal *j, const char *auth, struct journal_txn *out)
{
	return find_one(j, "auth = ? AND kind = 'preauth'", auth, NULL, 0, out);
}

int journal_refunded(struct journal *j, const char *orig_batch, const char *orig_stan,
		     uint64_t *total)
{
	sqlite3_stmt *st = prepare(j,
		"SELECT coalesce(sum(amount), 0) FROM txns WHERE kind = 'refund'"
		" AND orig_batch = ? AND orig_stan = ?"
		" AND state NOT IN ('declined', 'failed', 'refused', 'cancelled', 'reversed')");
	int r;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, orig_batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, orig_stan, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*total = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r == SQLITE_ROW ? 0 : -1;
}

int journal_list(struct journal *j, const char *batch, struct journal_txn *out, size_t max)
{
	sqlite3_stmt *st = prepare(j, batch ?
				   "SELECT " TXN_COLUMNS " FROM txns WHERE batch = ? ORDER BY id DESC LIMIT ?" :
				   "SELECT " TXN_COLUMNS " FROM txns ORDER BY id DESC LIMIT ?");
	int n = 0, r, k = 1;

	if (!st)
		return -1;
	if (batch)
		sqlite3_bind_text(st, k++, batch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k, (int64_t)max);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		read_row(st, &out[n++]);
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? n : -1;
}

int journal_class_totals(struct journal *j, const char *batch, const char *card_class,
			 struct journal_totals *t)
{
	sqlite3_stmt *st = prepare(j,
		"SELECT kind IN ('sale', 'completion'), count(*), coalesce(sum(amount), 0),"
		" coalesce(sum(fee), 0) FROM txns WHERE batch = ? AND state = 'approved'"
		" AND kind IN ('sale', 'completion', 'refund')"
		" AND (?2 IS NULL OR card_class = ?2) GROUP BY 1");
	int r;

	memset(t, 0, sizeof(*t));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, card_class, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		unsigned count = (unsigned)sqlite3_column_int(st, 1);
		uint64_t amount = (uint64_t)sqlite3_column_int64(st, 2);

		if (sqlite3_column_int(st, 0)) {
			t->debit_count = count;
			t->debit_amount = amount;
		} else {
			t->credit_count = count;
			t->credit_amount = amount;
		}
		t->fees += (uint64_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? 0 : -1;
}

int journal_totals(struct journal *j, const char *batch, struct journal_totals *t)
{
	return journal_class_totals(j, batch, NULL, t);
}

typedef void (*row_writer)(FILE *out, const struct journal_txn *t, bool first);

static int export_rows(struct journal *j, FILE *out, row_writer write)
{
	sqlite3_stmt *st = prepare(j, "SELECT " TXN_COLUMNS " FROM txns ORDER BY id");
	struct journal_txn t;
	bool first = true;
	int r;

	if (!st)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &t);
		write(out, &t, first);
		first = false;
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE && !ferror(out) ? 0 : -1;
}

/* Every exported value is digits, letters, '*', '-' or '_' (all written by
 * paycardd itself), so neither CSV nor JSON needs escaping. */
static void csv_row(FILE *out, const struct journal_txn *t, bool first)
{
	fprintf(out, "%lld,%s,%s,%s,%s,%s,%s,%s,%llu,%llu,%s,%s,%s,%s,%s,%s,%s,%s,%s,%llu\n",
		(long long)t->id, t->kind, t->state, t->batch, t->stan, t->mti, t->proc, t->type,
		(unsigned long long)t->amount, (unsigned long long)t->fee, t->card_class, t->entry,
		t->pan_masked, t->pan_hash, t->rc, t->rrn, t->auth, t->orig_batch, t->orig_stan,
		(unsigned long long)t->created_usec);
}

int journal_export_csv(struct journal *j, FILE *out)
{
	fputs("id,kind,state,batch,stan,mti,proc,type,amount,fee,card_class,entry,pan_masked,"
	      "pan_hash,rc,rrn,auth,orig_batch,orig_stan,created_usec\n", out);
	return export_rows(j, out, csv_row);
}

static void json_row(FILE *out, const struct journal_txn *t, bool first)
{
	fprintf(out, "%s\n {\"id\": %lld, \"kind\": \"%s\", \"state\": \"%s\", \"batch\": \"%s\","
		" \"stan\": \"%s\", \"mti\": \"%s\", \"proc\": \"%s\", \"type\": \"%s\","
		" \"amount\": %llu, \"fee\": %llu, \"card_class\": \"%s\", \"entry\": \"%s\","
		" \"pan_masked\": \"%s\", \"pan_hash\": \"%s\", \"rc\": \"%s\", \"rrn\": \"%s\","
		" \"auth\": \"%s\", \"orig_batch\": \"%s\", \"orig_stan\": \"%s\","
		" \"created_usec\": %llu}", first ? "" : ",", (long long)t->id, t->kind, t->state,
		t->batch, t->stan, t->mti, t->proc, t->type, (unsigned long long)t->amount,
		(unsigned long long)t->fee, t->card_class, t->entry, t->pan_masked, t->pan_hash,
		t->rc, t->rrn, t->auth, t->orig_batch, t->orig_stan,
		(unsigned long long)t->created_usec);
}

int journal_export_json(struct journal *j, FILE *out)
{
	int r;

	fputs("[", out);
	r = export_rows(j, out, json_row);
	fputs("\n]\n", out);
	return r;
}
