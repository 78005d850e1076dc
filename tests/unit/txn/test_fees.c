// SPDX-License-Identifier: MIT
/* Fee rules: rate in basis points rounded half up to the fen, cap, card
 * class by BIN prefix, rule parsing.  Expected fees worked by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "txn/fees.h"

static const struct fee_table table = {
	.rule = { [CARD_DEBIT] = { 50, 2000 }, [CARD_CREDIT] = { 60, 0 } },
	.credit_prefixes = { "622588", "4" },
	.n_credit_prefixes = 2,
};

static void test_fee_rounding_and_cap(void **state)
{
	/* 0.50 % of 12.34 CNY = 6.17 fen -> 6 */
	assert_int_equal(fee_compute(&table, CARD_DEBIT, 1234), 6);
	/* 0.50 % of 1.00 CNY = 0.5 fen -> half up: 1 */
	assert_int_equal(fee_compute(&table, CARD_DEBIT, 100), 1);
	/* 0.50 % of 0.99 CNY = 0.495 fen -> 0 */
	assert_int_equal(fee_compute(&table, CARD_DEBIT, 99), 0);
	/* 0.50 % of 5000.00 CNY = 2500 fen, capped at 2000 */
	assert_int_equal(fee_compute(&table, CARD_DEBIT, 500000), 2000);
	/* exactly at the cap: 4000.00 CNY -> 2000 */
	assert_int_equal(fee_compute(&table, CARD_DEBIT, 400000), 2000);
	/* credit 0.60 %, no cap, the largest amount: 999999999999 fen x 0.006
	 * = 5999999999.994 fen, rounded to 6000000000 (and no overflow) */
	assert_int_equal(fee_compute(&table, CARD_CREDIT, 999999999999ULL), 6000000000ULL);
	assert_int_equal(fee_compute(&table, CARD_CREDIT, 100000), 600);
}

static void test_card_class(void **state)
{
	assert_int_equal(fee_card_class(&table, "6225880000000001"), CARD_CREDIT);
	assert_int_equal(fee_card_class(&table, "4111111111111111"), CARD_CREDIT);
	assert_int_equal(fee_card_class(&table, "6222021234567890128"), CARD_DEBIT);
	assert_string_equal(card_class_name(CARD_CREDIT), "credit");
	assert_string_equal(card_class_name(CARD_DEBIT), "debit");
}

static void test_rule_parse(void **state)
{
	struct fee_rule r;

	assert_true(fee_rule_parse("50 2000", &r));
	assert_int_equal(r.rate_bp, 50);
	assert_int_equal(r.cap, 2000);
	assert_true(fee_rule_parse("38", &r));
	assert_int_equal(r.rate_bp, 38);
	assert_int_equal(r.cap, 0);
	assert_false(fee_rule_parse("", &r));
	assert_false(fee_rule_parse("-5", &r));
	assert_false(fee_rule_parse("10001", &r));	/* above 100 % */
	assert_false(fee_rule_parse("50 x", &r));
	assert_false(fee_rule_parse("50 20 30", &r));
	assert_false(fee_rule_parse("0.5", &r));
	assert_false(fee_rule_parse("50 1000000000000", &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fee_rounding_and_cap),
		cmocka_unit_test(test_card_class),
		cmocka_unit_test(test_rule_parse),
	};

	return cmocka_run_group_tests_name("txn-fees", tests, NULL, NULL);
}
