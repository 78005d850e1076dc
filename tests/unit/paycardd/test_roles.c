// SPDX-License-Identifier: MIT
/* Roles from uid/gid lists: the highest matching role wins; supplementary
 * groups count; nobody else has a role. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "paycardd/roles.h"

static void add(struct id_list *l, uint32_t id)
{
	l->ids[l->n++] = id;
}

static struct role_table table(void)
{
	struct role_table t = { 0 };

	add(&t.uids[ROLE_CASHIER], 1000);
	add(&t.uids[ROLE_CASHIER], 1001);
	add(&t.gids[ROLE_SUPERVISOR], 500);
	add(&t.uids[ROLE_ADMIN], 0);
	add(&t.gids[ROLE_ADMIN], 600);
	return t;
}

static void test_uid_in_cashier_list(void **state)
{
	struct role_table t = table();

	assert_int_equal(role_for_caller(&t, 1001, 1001, NULL, 0), ROLE_CASHIER);
}

static void test_primary_gid_gives_supervisor(void **state)
{
	struct role_table t = table();

	/* uid 1000 is a cashier, but its group 500 makes it a supervisor */
	assert_int_equal(role_for_caller(&t, 1000, 500, NULL, 0), ROLE_SUPERVISOR);
}

static void test_supplementary_group_counts(void **state)
{
	struct role_table t = table();
	gid_t groups[] = { 10, 20, 600 };

	assert_int_equal(role_for_caller(&t, 4242, 4242, groups, 3), ROLE_ADMIN);
	assert_int_equal(role_for_caller(&t, 4242, 4242, groups, 2), ROLE_NONE);
}

static void test_outsider_has_no_role(void **state)
{
	struct role_table t = table();

	assert_int_equal(role_for_caller(&t, 1002, 1002, NULL, 0), ROLE_NONE);
	assert_int_equal(role_for_caller(&t, 65534, 65534, NULL, 0), ROLE_NONE);
}

static void test_empty_table_grants_nothing(void **state)
{
	struct role_table t = { 0 };

	assert_int_equal(role_for_caller(&t, 0, 0, NULL, 0), ROLE_NONE);
}

static void test_role_order_and_names(void **state)
{
	assert_true(ROLE_ADMIN > ROLE_SUPERVISOR && ROLE_SUPERVISOR > ROLE_CASHIER &&
		    ROLE_CASHIER > ROLE_NONE);
	assert_string_equal(role_name(ROLE_SUPERVISOR), "supervisor");
	assert_int_equal(role_from_name("admin"), ROLE_ADMIN);
	assert_int_equal(role_from_name("none"), ROLE_NONE);
	assert_int_equal(role_from_name("root"), ROLE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uid_in_cashier_list),
		cmocka_unit_test(test_primary_gid_gives_supervisor),
		cmocka_unit_test(test_supplementary_group_counts),
		cmocka_unit_test(test_outsider_has_no_role),
		cmocka_unit_test(test_empty_table_grants_nothing),
		cmocka_unit_test(test_role_order_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
