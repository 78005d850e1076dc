// SPDX-License-Identifier: MIT
/* The transaction journal: STAN and batch counters, durable reversal
 * records, state changes, totals, card ids, export (SQLite files in a
 * temporary directory, opened the way paycardd's store opens them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "txn/journal.h"

struct fixture {
	char dir[64], path[96];
	sqlite3 *db;
	struct journal *j;
};

static uint8_t hash_key[JOURNAL_HASH_KEY_LEN];

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
				      NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	for (int i = 0; i < JOURNAL_HASH_KEY_LEN; i++)
		hash_key[i] = (uint8_t)i;
	snprintf(f->dir, sizeof(f->dir), "/tmp/txn-journal-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/j.db", f->dir);
	f->db = open_db(f->path);
	f->j = journal_open(f->db, hash_key);
	*state = f;
	return f->j ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	journal_close(f->j);
	sqlite3_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void sale(struct fixture *f, struct journal_txn *t, uint64_t amount, const char *reversal)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->kind, "sale");
	assert_int_equal(journal_batch(f->j, t->batch), 0);
	assert_int_equal(journal_next_stan(f->j, t->stan), 0);
	strcpy(t->mti, "0200");
	strcpy(t->proc, "000000");
	strcpy(t->type, "22");
	t->amount = amount;
	strcpy(t->card_class, "debit");
	assert_int_equal(journal_insert(f->j, t, reversal), 0);
}

static void test_counters_start_and_persist(void **state)
{
	struct fixture *f = *state;
	char stan[7], batch[7];
	struct journal *again;
	uint32_t seq;

	assert_int_equal(journal_batch(f->j, batch), 0);
	assert_string_equal(batch, "000001");
	assert_int_equal(journal_next_sequence(f->j, &seq), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(journal_next_stan(f->j, stan), 0);
	assert_string_equal(stan, "000001");
	assert_int_equal(journal_next_stan(f->j, stan), 0);
	assert_string_equal(stan, "000002");
	/* a restart (new journal on the same file) continues, never repeats */
	journal_close(f->j);
	sqlite3_close(f->db);
	f->db = open_db(f->path);
	again = journal_open(f->db, hash_key);
	assert_non_null(again);
	f->j = again;
	assert_int_equal(journal_next_stan(f->j, stan), 0);
	assert_string_equal(stan, "000003");
	assert_int_equal(journal_next_batch(f->j, batch), 0);
	assert_string_equal(batch, "000002");
	/* 9F41 too; n8 at most: 99999999 is followed by 1 */
	assert_int_equal(journal_next_sequence(f->j, &seq), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(sqlite3_exec(f->db, "UPDATE txn_counters SET value = 99999998"
				      " WHERE name = 'tsc'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(journal_next_sequence(f->j, &seq), 0);
	assert_int_equal(seq, 99999999);
	assert_int_equal(journal_next_sequence(f->j, &seq), 0);
	assert_int_equal(seq, 1);
}

/* The batch is the host's: the 0810 gives it in 60.2 and the journal
 * takes it (persisted); anything but 6 digits 000001..999999 is refused
 * and leaves the open batch as it was. */
static void test_batch_set_by_host(void **state)
{
	struct fixture *f = *state;
	char batch[7];

	assert_int_equal(journal_set_batch(f->j, "000077"), 0);
	assert_int_equal(journal_batch(f->j, batch), 0);
	assert_string_equal(batch, "000077");
	assert_int_equal(journal_next_batch(f->j, batch), 0);
	assert_string_equal(batch, "000078");
	assert_int_not_equal(journal_set_batch(f->j, "000000"), 0);
	assert_int_not_equal(journal_set_batch(f->j, "12345"), 0);
	assert_int_not_equal(journal_set_batch(f->j, "12345A"), 0);
	assert_int_equal(journal_batch(f->j, batch), 0);
	assert_string_equal(batch, "000078");
}

static void test_stan_wraps_and_skips_used(void **state)
{
	struct fixture *f = *state;
	struct journal_txn t;
	char stan[7];

	/* 000001 is used in batch 1; put the counter at the end of its range */
	sale(f, &t, 100, NULL);
	assert_string_equal(t.stan, "000001");
	assert_int_equal(sqlite3_exec(f->db, "UPDATE txn_counters SET value = 999998 WHERE name = 'stan'",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(journal_next_stan(f->j, stan), 0);
	assert_string_equal(stan, "999999");
	/* wraps to 1, which batch 1 holds: skipped */
	assert_int_equal(journal_next_stan(f->j, stan), 0);
	assert_string_equal(stan, "000002");
}

static void test_same_stan_refused_in_batch(void **state)
{
	struct fixture *f = *state;
	struct journal_txn a, b;

	sale(f, &a, 100, NULL);
	b = a;
	assert_int_equal(journal_insert(f->j, &b, NULL), -1);
}

static void test_insert_takes_batch_and_stan(void **state)
{
	struct fixture *f = *state;
	struct journal_txn a = { .kind = "sale", .mti = "0200", .amount = 1 }, b = a;
	char stan[7];

	assert_int_equal(journal_next_stan(f->j, stan), 0);	/* 000001 */
	assert_int_equal(journal_insert(f->j, &a, "98"), 0);
	assert_string_equal(a.batch, "000001");
	assert_string_equal(a.stan, "000002");
	assert_int_equal(journal_insert(f->j, &b, NULL), 0);
	assert_string_equal(b.stan, "000003");
}

/* Field 22 as it was sent is kept, so the reversal can repeat it; a
 * journal from before the column gets it when opened. */
static void test_pos_entry_kept(void **state)
{
	struct fixture *f = *state;
	struct journal_txn a = { .kind = "sale", .mti = "0200", .amount = 1, .pos_entry = "051" };
	struct journal_txn got;

	assert_int_equal(journal_insert(f->j, &a, "98"), 0);
	assert_int_equal(journal_get(f->j, a.id, &got), 1);
	assert_string_equal(got.pos_entry, "051");
	journal_close(f->j);
	assert_int_equal(sqlite3_exec(f->db, "ALTER TABLE txns DROP COLUMN pos_entry", NULL, NULL,
				      NULL), SQLITE_OK);
	f->j = journal_open(f->db, hash_key);
	assert_non_null(f->j);
	assert_int_equal(journal_get(f->j, a.id, &got), 1);
	assert_string_equal(got.pos_entry, "");
}

static void test_reversal_durable_before_send(void **state)
{
	struct fixture *f = *state;
	struct journal_txn t;
	static const uint8_t icc[] = { 0x95, 0x05, 0x00, 0x00, 0x00, 0x80, 0x00,
				       0x9f, 0x36, 0x02, 0x00, 0x2a };
	uint8_t big[65] = { 0 };
	struct journal_reversal r[4], one;
	sqlite3 *other;
	struct journal *oj;

	sale(f, &t, 1234, "98");
	/* another connection (a restarted paycardd) sees it committed */
	other = open_db(f->path);
	oj = journal_open(other, hash_key);
	assert_int_equal(journal_reversals(oj, r, 4), 1);
	assert_int_equal(r[0].txn_id, t.id);
	assert_string_equal(r[0].reason, "98");
	assert_int_equal(r[0].attempts, 0);
	assert_int_equal(r[0].icc_len, 0);
	assert_int_equal(journal_reversal_attempt(oj, t.id), 0);
	/* a chip card's reversal data (95 TVR, 9F36 ATC) kept with it */
	assert_int_equal(journal_reversal_set(oj, t.id, "A0", icc, sizeof(icc)), 0);
	journal_close(oj);
	sqlite3_close(other);
	assert_int_equal(journal_reversals(f->j, r, 4), 1);
	assert_string_equal(r[0].reason, "A0");
	assert_int_equal(r[0].attempts, 1);
	assert_int_equal(r[0].icc_len, sizeof(icc));
	assert_memory_equal(r[0].icc, icc, sizeof(icc));
	assert_int_equal(journal_reversal_get(f->j, t.id, &one), 1);
	assert_string_equal(one.reason, "A0");
	assert_memory_equal(one.icc, icc, sizeof(icc));
	/* more than a reversal's tags: kept without field 55 */
	assert_int_equal(journal_reversal_set(f->j, t.id, "98", big, sizeof(big)), 0);
	assert_int_equal(journal_reversal_get(f->j, t.id, &one), 1);
	assert_int_equal(one.icc_len, 0);
	/* the 0410 clears it together with the new state */
	assert_int_equal(journal_set_state(f->j, t.id, "reversed", NULL, NULL, NULL, true), 0);
	assert_int_equal(journal_reversals(f->j, r, 4), 0);
	assert_int_equal(journal_reversal_get(f->j, t.id, &one), 0);
}

static void test_state_changes_and_lookups(void **state)
{
	struct fixture *f = *state;
	struct journal_txn t, got;
	int events = -1;
	sqlite3_stmt *st;

	sale(f, &t, 500, "98");
	assert_int_equal(journal_set_state(f->j, t.id, "approved", "00", "000000000042", "123456",
					   true), 0);
	assert_int_equal(journal_find_rrn(f->j, "000000000042", &got), 1);
	assert_int_equal(got.id, t.id);
	assert_string_equal(got.state, "approved");
	assert_string_equal(got.auth, "123456");
	assert_int_equal(journal_find_stan(f->j, t.batch, t.stan, &got), 1);
	assert_int_equal(journal_find_rrn(f->j, "999999999999", &got), 0);
	assert_int_equal(journal_set_state(f->j, 9999, "approved", NULL, NULL, NULL, false), -1);
	/* every state change is an event: pending, approved */
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT count(*) FROM txn_events WHERE txn_id = ?",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, t.id);
	if (sqlite3_step(st) == SQLITE_ROW)
		events = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(events, 2);
}

static void test_void_marks_original_in_one_commit(void **state)
{
	struct fixture *f = *state;
	struct journal_txn s, v, got;
	struct journal_reversal r[2];

	sale(f, &s, 700, NULL);
	sale(f, &v, 700, "98");
	assert_int_equal(journal_set_state_with_original(f->j, v.id, "approved", "00", NULL, NULL,
							 s.id, "voided"), 0);
	assert_int_equal(journal_get(f->j, s.id, &got), 1);
	assert_string_equal(got.state, "voided");
	assert_int_equal(journal_reversals(f->j, r, 2), 0);
	/* an unknown original rolls the whole change back */
	sale(f, &v, 700, "98");
	assert_int_equal(journal_set_state_with_original(f->j, v.id, "approved", "00", NULL, NULL,
							 9999, "voided"), -1);
	assert_int_equal(journal_get(f->j, v.id, &got), 1);
	assert_string_equal(got.state, "pending");
	assert_int_equal(journal_reversals(f->j, r, 2), 1);
}

static void test_totals(void **state)
{
	struct fixture *f = *state;
	struct journal_txn a, b, c, d;
	struct journal_totals tt;
	char batch[7];

	sale(f, &a, 1000, NULL);
	sale(f, &b, 2000, NULL);
	sale(f, &c, 4000, NULL);
	sale(f, &d, 300, NULL);
	strcpy(d.kind, "refund");
	assert_int_equal(sqlite3_exec(f->db, "UPDATE txns SET kind = 'refund', fee = 0 WHERE amount = 300;"
				      "UPDATE txns SET fee = 5 WHERE amount = 1000;"
				      "UPDATE txns SET fee = 10 WHERE amount = 2000;",
				      NULL, NULL, NULL), SQLITE_OK);
	journal_set_state(f->j, a.id, "approved", "00", NULL, NULL, false);
	journal_set_state(f->j, b.id, "approved", "00", NULL, NULL, false);
	journal_set_state(f->j, c.id, "reversed", NULL, NULL, NULL, false);
	journal_set_state(f->j, d.id, "approved", "00", NULL, NULL, false);
	assert_int_equal(journal_batch(f->j, batch), 0);
	assert_int_equal(journal_totals(f->j, batch, &tt), 0);
	/* debits: the two approved sales; the reversed one counts nowhere */
	assert_int_equal(tt.debit_amount, 3000);
	assert_int_equal(tt.debit_count, 2);
	assert_int_equal(tt.credit_amount, 300);
	assert_int_equal(tt.credit_count, 1);
	assert_int_equal(tt.fees, 15);
	/* the same split by card class: the 1000 sale is a credit card's */
	assert_int_equal(sqlite3_exec(f->db, "UPDATE txns SET card_class = 'credit' WHERE amount = 1000",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(journal_class_totals(f->j, batch, "credit", &tt), 0);
	assert_int_equal(tt.debit_amount, 1000);
	assert_int_equal(tt.debit_count, 1);
	assert_int_equal(tt.credit_count, 0);
	assert_int_equal(tt.fees, 5);
	assert_int_equal(journal_class_totals(f->j, batch, "debit", &tt), 0);
	assert_int_equal(tt.debit_amount, 2000);
	assert_int_equal(tt.credit_amount, 300);
	assert_int_equal(tt.fees, 10);
}

static void test_card_ids(void **state)
{
	struct fixture *f = *state;
	char masked[20], hash[65];

	assert_true(journal_card_ids(f->j, "6222021234567890128", masked, hash));
	assert_string_equal(masked, "622202*********0128");
	/* HMAC-SHA256 under the key 00 01 .. 1F, computed independently with
	 * Python's hmac module: hmac.new(bytes(range(32)), b"6222021234567890128",
	 * hashlib.sha256).hexdigest().upper() */
	assert_string_equal(hash, "310F19A78F90FD54BF2F79B3A26E50B502E563382F605523F3B7BB532DDAEE12");
	assert_false(journal_card_ids(f->j, "622202123456", masked, hash));	/* 12 digits */
	assert_false(journal_card_ids(f->j, "62220212345678901A", masked, hash));
	assert_false(journal_card_ids(f->j, "62220212345678901234", masked, hash));	/* 20 */
}

static void test_export(void **state)
{
	struct fixture *f = *state;
	struct journal_txn t;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	sale(f, &t, 1234, NULL);
	strcpy(t.pan_masked, "622202*********0128");
	assert_int_equal(sqlite3_exec(f->db, "UPDATE txns SET pan_masked = '622202*********0128'",
				      NULL, NULL, NULL), SQLITE_OK);
	out = open_memstream(&text, &len);
	assert_int_equal(journal_export_csv(f->j, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "id,kind,state,batch,stan,"));
	assert_non_null(strstr(text, "\n1,sale,pending,000001,000001,0200,000000,22,1234,0,debit,,622202*********0128,"));
	free(text);
	out = open_memstream(&text, &len);
	assert_int_equal(journal_export_json(f->j, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "\"kind\": \"sale\", \"state\": \"pending\""));
	assert_non_null(strstr(text, "\"amount\": 1234"));
	assert_true(text[0] == '[' && strstr(text, "\n]\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counters_start_and_persist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_set_by_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stan_wraps_and_skips_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_stan_refused_in_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_insert_takes_batch_and_stan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pos_entry_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reversal_durable_before_send, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_changes_and_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_void_marks_original_in_one_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export, setup, teardown),
	};

	return cmocka_run_group_tests_name("txn-journal", tests, NULL, NULL);
}
