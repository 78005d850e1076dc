// SPDX-License-Identifier: MIT
/* Notices: de-duplication inside the window, per-class hourly rate limits,
 * marketing mute, storage and listing (SQLite in memory, schema of store.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "paycardd/notices.h"
#include "paycardd/store.h"

#define SEC	1000000ULL
#define T0	(1700000000ULL * SEC)

struct fixture {
	sqlite3 *db;
	struct notices *n;
};

static int setup(void **state)
{
	static struct fixture f;
	struct notice_policy p = {
		.per_hour = { [NOTICE_SECURITY] = 100, [NOTICE_MAINTENANCE] = 2,
			      [NOTICE_MARKETING] = 1, [NOTICE_INFO] = 10 },
		.dedup_window_s = 600,
	};

	f.db = store_open(":memory:");
	f.n = notices_new(f.db, &p);
	*state = &f;
	return f.db && f.n ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	notices_free(f->n);
	store_close(f->db);
	return 0;
}

static void test_duplicate_inside_window_is_folded(void **state)
{
	struct fixture *f = *state;
	struct notice a, b, list[4];

	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "same", T0, &a), NOTICE_EMITTED);
	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "same", T0 + 599 * SEC, &b),
			 NOTICE_DUPLICATE);
	assert_int_equal(b.id, a.id);
	assert_int_equal(b.count, 2);
	/* the window slides from the last occurrence (T0+599 s): +1198 s is inside */
	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "same", T0 + 1198 * SEC, &b),
			 NOTICE_DUPLICATE);
	assert_int_equal(b.count, 3);
	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "same", T0 + 1799 * SEC, &b),
			 NOTICE_EMITTED);
	assert_true(b.id > a.id);
	assert_int_equal(notices_list(f->n, list, 4), 2);
}

static void test_different_text_is_not_a_duplicate(void **state)
{
	struct fixture *f = *state;
	struct notice a;

	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "one", T0, &a), NOTICE_EMITTED);
	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "two", T0, &a), NOTICE_EMITTED);
	assert_int_equal(notices_raise(f->n, NOTICE_SECURITY, "x", "one", T0, &a), NOTICE_EMITTED);
}

static void test_rate_limit_per_class_per_hour(void **state)
{
	struct fixture *f = *state;
	struct notice a, list[8];

	assert_int_equal(notices_raise(f->n, NOTICE_MAINTENANCE, "m1", "a", T0, &a), NOTICE_EMITTED);
	assert_int_equal(notices_raise(f->n, NOTICE_MAINTENANCE, "m2", "b", T0 + SEC, &a), NOTICE_EMITTED);
	/* third maintenance notice inside the hour: stored, not signalled */
	assert_int_equal(notices_raise(f->n, NOTICE_MAINTENANCE, "m3", "c", T0 + 2 * SEC, &a),
			 NOTICE_RATE_LIMITED);
	/* another class is not affected */
	assert_int_equal(notices_raise(f->n, NOTICE_SECURITY, "s1", "d", T0 + 3 * SEC, &a), NOTICE_EMITTED);
	/* listing shows signalled notices only, newest first */
	assert_int_equal(notices_list(f->n, list, 8), 3);
	assert_string_equal(list[0].code, "s1");
	assert_string_equal(list[2].code, "m1");
	/* one hour after the window opened, maintenance may speak again */
	assert_int_equal(notices_raise(f->n, NOTICE_MAINTENANCE, "m4", "e", T0 + 3600 * SEC, &a),
			 NOTICE_EMITTED);
}

static void test_marketing_muted_is_dropped(void **state)
{
	struct fixture *f = *state;
	struct notice_policy p = { .marketing_muted = true,
				   .per_hour = { 10, 10, 10, 10 }, .dedup_window_s = 60 };
	struct notice a, list[4];

	notices_set_policy(f->n, &p);
	assert_int_equal(notices_raise(f->n, NOTICE_MARKETING, "promo", "50% off", T0, &a),
			 NOTICE_MUTED);
	assert_int_equal(notices_list(f->n, list, 4), 0);
	p.marketing_muted = false;
	notices_set_policy(f->n, &p);
	assert_int_equal(notices_raise(f->n, NOTICE_MARKETING, "promo", "50% off", T0, &a),
			 NOTICE_EMITTED);
}

static void test_zero_window_disables_dedup(void **state)
{
	struct fixture *f = *state;
	struct notice_policy p = { .per_hour = { 10, 10, 10, 10 }, .dedup_window_s = 0 };
	struct notice a;

	notices_set_policy(f->n, &p);
	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "y", T0, &a), NOTICE_EMITTED);
	assert_int_equal(notices_raise(f->n, NOTICE_INFO, "x", "y", T0, &a), NOTICE_EMITTED);
}

static void test_class_names(void **state)
{
	assert_string_equal(notice_class_name(NOTICE_MAINTENANCE), "maintenance");
	assert_int_equal(notice_class_from_name("marketing"), NOTICE_MARKETING);
	assert_int_equal(notice_class_from_name("spam"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_duplicate_inside_window_is_folded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_different_text_is_not_a_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit_per_class_per_hour, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marketing_muted_is_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_window_disables_dedup, setup, teardown),
		cmocka_unit_test(test_class_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
