// SPDX-License-Identifier: MIT
/*
 * Magnetic stripe parsing.  Expected values are read off the test tracks
 * by hand (ISO/IEC 7813 layouts): e.g. ";4111111111111111=2512101123?"
 * is PAN 4111111111111111 (the well-known Luhn-valid test number),
 * expiry 25/12, service code 101, discretionary "123".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emv/track.h"

static enum emv_status t2(const char *s, struct emv_track *t)
{
	return emv_track2_parse(s, strlen(s), t);
}

static enum emv_status t1(const char *s, struct emv_track *t)
{
	return emv_track1_parse(s, strlen(s), t);
}

static void test_luhn(void **state)
{
	/* 4111111111111111, from the right: 8 undoubled 1s = 8, 7 doubled
	 * 1s = 14, the doubled 4 = 8; 30 is a multiple of 10. */
	assert_true(emv_luhn_valid("4111111111111111", 16));
	assert_false(emv_luhn_valid("4111111111111112", 16));
	/* 79927398713: the ISO/IEC 7812 textbook example */
	assert_true(emv_luhn_valid("79927398713", 11));
	assert_false(emv_luhn_valid("79927398710", 11));
	assert_false(emv_luhn_valid("7992739871a", 11));
	assert_false(emv_luhn_valid("", 0));
}

static void test_track2_ok(void **state)
{
	struct emv_track t;

	assert_int_equal(t2(";4111111111111111=2512101123?", &t), EMV_OK);
	assert_string_equal(t.pan, "4111111111111111");
	assert_int_equal(t.expiry_yy, 25);
	assert_int_equal(t.expiry_mm, 12);
	assert_string_equal(t.service_code, "101");
	assert_string_equal(t.discretionary, "123");
	assert_string_equal(t.name, "");
	/* sentinels are optional; empty discretionary data */
	assert_int_equal(t2("4012345678909=3001201", &t), EMV_OK);
	assert_string_equal(t.pan, "4012345678909");
	assert_string_equal(t.service_code, "201");
	assert_string_equal(t.discretionary, "");
}

static void test_track2_errors(void **state)
{
	struct emv_track t;

	assert_int_equal(t2(";4111111111111112=2512101?", &t), EMV_E_PAN_LUHN);
	assert_string_equal(t.pan, "");	/* wiped on error */
	assert_int_equal(t2(";41111111111=2512101?", &t), EMV_E_PAN_LENGTH);
	assert_int_equal(t2(";41111111111111111111=2512101?", &t),
			 EMV_E_PAN_LENGTH);
	assert_int_equal(t2(";4111111111111111D2512101?", &t),
			 EMV_E_TRACK_CHARSET);
	assert_int_equal(t2(";4111111111111111?", &t), EMV_E_TRACK_FORMAT);
	assert_int_equal(t2(";4111111111111111=2513101?", &t),
			 EMV_E_EXPIRY_FORMAT);
	assert_int_equal(t2(";4111111111111111=2500101?", &t),
			 EMV_E_EXPIRY_FORMAT);
	assert_int_equal(t2(";4111111111111111=251?", &t), EMV_E_TRACK_FORMAT);
	assert_int_equal(t2(";4111111111111111=25121?", &t),
			 EMV_E_SERVICE_CODE);
	assert_int_equal(t2(";4111111111111111==512101?", &t),
			 EMV_E_EXPIRY_FORMAT);
	assert_int_equal(t2(";4111111111111111=251210112345678901234567?", &t),
			 EMV_E_TRACK_TOO_LONG);	/* 41 characters */
	assert_int_equal(t2("", &t), EMV_E_TRACK_FORMAT);
	assert_int_equal(emv_track2_parse(NULL, 0, &t), EMV_E_ARGUMENT);
}

static void test_track1_ok(void **state)
{
	struct emv_track t;

	assert_int_equal(t1("%B4111111111111111^DOE/JOHN^2512101000000123?",
			    &t), EMV_OK);
	assert_string_equal(t.pan, "4111111111111111");
	assert_string_equal(t.name, "DOE/JOHN");
	assert_int_equal(t.expiry_yy, 25);
	assert_int_equal(t.expiry_mm, 12);
	assert_string_equal(t.service_code, "101");
	assert_string_equal(t.discretionary, "000000123");
}

static void test_track1_errors(void **state)
{
	struct emv_track t;

	assert_int_equal(t1("%A4111111111111111^DOE/JOHN^2512101?", &t),
			 EMV_E_TRACK_FORMAT);	/* format code must be B */
	assert_int_equal(t1("%B4111111111111111^DOE/JOHN2512101?", &t),
			 EMV_E_TRACK_FORMAT);	/* second ^ missing */
	assert_int_equal(t1("%B4111111111111111^X^2512101?", &t),
			 EMV_E_TRACK_FORMAT);	/* name under 2 characters */
	assert_int_equal(t1("%B4111111111111111^ABCDEFGHIJKLMNOPQRSTUVWXYZA^"
			    "2512101?", &t), EMV_E_TRACK_FORMAT); /* 27 chars */
	assert_int_equal(t1("%B4111111111111111^doe/john^2512101?", &t),
			 EMV_E_TRACK_CHARSET);	/* lower case is not in set */
	assert_int_equal(t1("%B4111111111111113^DOE/JOHN^2512101?", &t),
			 EMV_E_PAN_LUHN);
	char long_track[90];
	memset(long_track, '1', sizeof(long_track) - 1);
	long_track[sizeof(long_track) - 1] = '\0';
	assert_int_equal(t1(long_track, &t), EMV_E_TRACK_TOO_LONG);
}

static void test_service_code_rule(void **state)
{
	struct emv_track t;

	/* 2xx: international card with chip -> insert it */
	assert_int_equal(t2("4111111111111111=2512201", &t), EMV_OK);
	assert_int_equal(emv_swipe_decide(&t, false), EMV_SWIPE_INSERT_CHIP);
	assert_int_equal(emv_swipe_decide(&t, true), EMV_SWIPE_ACCEPT);
	/* 6xx: national card with chip */
	assert_int_equal(t2("4111111111111111=2512620", &t), EMV_OK);
	assert_int_equal(emv_swipe_decide(&t, false), EMV_SWIPE_INSERT_CHIP);
	/* 1xx: stripe only */
	assert_int_equal(t2("4111111111111111=2512101", &t), EMV_OK);
	assert_int_equal(emv_swipe_decide(&t, false), EMV_SWIPE_ACCEPT);
	/* third digit (ISO 7813): 1 no restrictions, so no PIN required; 0
	 * and 5 say "PIN required", 3 "ATM only, PIN required", 6 "use PIN
	 * where feasible" (a bypass is allowed) */
	assert_false(emv_track_pin_required(&t));
	assert_int_equal(t2("4111111111111111=2512120", &t), EMV_OK);
	assert_true(emv_track_pin_required(&t));
	assert_int_equal(t2("4111111111111111=2512125", &t), EMV_OK);
	assert_true(emv_track_pin_required(&t));
	assert_int_equal(t2("4111111111111111=2512123", &t), EMV_OK);
	assert_true(emv_track_pin_required(&t));
	assert_int_equal(t2("4111111111111111=2512126", &t), EMV_OK);
	assert_false(emv_track_pin_required(&t));
}

static void test_expiry(void **state)
{
	struct emv_track t;

	assert_int_equal(t2("4111111111111111=2511101", &t), EMV_OK);
	/* valid through the end of November 2025 */
	assert_int_equal(emv_track_check_expiry(&t, 25, 11), EMV_OK);
	assert_int_equal(emv_track_check_expiry(&t, 25, 10), EMV_OK);
	assert_int_equal(emv_track_check_expiry(&t, 25, 12), EMV_E_EXPIRED);
	assert_int_equal(emv_track_check_expiry(&t, 26, 1), EMV_E_EXPIRED);
	assert_int_equal(emv_track_check_expiry(&t, 25, 13), EMV_E_ARGUMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_luhn),
		cmocka_unit_test(test_track2_ok),
		cmocka_unit_test(test_track2_errors),
		cmocka_unit_test(test_track1_ok),
		cmocka_unit_test(test_track1_errors),
		cmocka_unit_test(test_service_code_rule),
		cmocka_unit_test(test_expiry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
