// SPDX-License-Identifier: MIT
/*
 * The response code table against UnionPay's own: Q/CUP 006.6-2014 Annex
 * A.2 recommends, for 99 and A0, the display "...请重新签到" (sign in
 * again); the domestic POS tables say the same of 77.  22 in A.2 is a
 * wrong related transaction, a decline (see response_codes.c for the
 * sources that read it otherwise).  Every other code A.2 lists for POS
 * acquirers is a decline or an approval, never a sign-in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "txn/response_codes.h"

static void test_sign_in_again(void **state)
{
	static const char *const sign_in[] = { "77", "99", "A0" };
	/* the A.2 codes a POS terminal receives, and 00 */
	static const char *const not_sign_in[] = {
		"00", "01", "03", "04", "05", "12", "13", "14", "15", "22",
		"25", "30", "34", "38", "40", "41", "43", "45", "51", "54",
		"55", "57", "58", "59", "61", "62", "64", "65", "68", "75",
		"90", "91", "92", "94", "96", "97", "98", "A7",
	};

	for (size_t i = 0; i < sizeof(sign_in) / sizeof(sign_in[0]); i++) {
		const struct txn_response_code *c = txn_response_code(sign_in[i]);

		assert_non_null(c);
		assert_true(c->sign_in_again);
	}
	for (size_t i = 0; i < sizeof(not_sign_in) / sizeof(not_sign_in[0]); i++) {
		const struct txn_response_code *c =
			txn_response_code(not_sign_in[i]);

		if (!c)
			fail_msg("no text for %s", not_sign_in[i]);
		assert_false(c->sign_in_again);
	}
}

static void test_unknown(void **state)
{
	assert_null(txn_response_code("Q7"));
	assert_null(txn_response_code_text(""));
	assert_string_equal(txn_response_code_text("51"), "insufficient funds");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_in_again),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
