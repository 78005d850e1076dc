// SPDX-License-Identifier: MIT
/* The masked PAN (first 6, last 4) ReadCard reports; module ABI check
 * against a sysfs-like directory.  Expected values written by hand.  (The
 * PAN of a swipe comes from emv_track2_parse: tests/unit/emv.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/pan.h"
#include "paycardd/readers/module_check.h"

static void test_pan_mask(void **state)
{
	char out[20];

	/* 16 digits: 401234 + 6 stars + 9012 */
	assert_true(pan_mask("4012345678909012", 16, out, sizeof(out)));
	assert_string_equal(out, "401234******9012");
	/* 13 digits: 401234 + 3 stars + 8909 */
	assert_true(pan_mask("4012345678909", 13, out, sizeof(out)));
	assert_string_equal(out, "401234***8909");
	/* 19 digits: 621234 + 9 stars + 4567 */
	assert_true(pan_mask("6212345678901234567", 19, out, sizeof(out)));
	assert_string_equal(out, "621234*********4567");
	assert_false(pan_mask("401234567890", 12, out, sizeof(out)));
	assert_false(pan_mask("40123456789012345678", 20, out, sizeof(out)));
	assert_false(pan_mask("40123456789X9012", 16, out, sizeof(out)));
	assert_false(pan_mask("4012345678909012", 16, out, 16));	/* no room for NUL */
}

static void write_abi(const char *dir, const char *content)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/parameters", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/parameters/abi_version", dir);
	f = fopen(path, "w");
	fputs(content, f);
	fclose(f);
}

static void test_module_abi_check(void **state)
{
	char dir[] = "/tmp/paycardd-mod-XXXXXX";
	char path[256];
	unsigned found;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(module_abi_check(dir, &found), MODULE_ABI_UNKNOWN);
	write_abi(dir, "1\n");
	assert_int_equal(module_abi_check(dir, &found), MODULE_OK);
	assert_int_equal(found, 1);
	write_abi(dir, "2\n");
	assert_int_equal(module_abi_check(dir, &found), MODULE_ABI_MISMATCH);
	assert_int_equal(found, 2);
	write_abi(dir, "one\n");
	assert_int_equal(module_abi_check(dir, &found), MODULE_ABI_UNKNOWN);
	write_abi(dir, "1x\n");
	assert_int_equal(module_abi_check(dir, &found), MODULE_ABI_UNKNOWN);
	snprintf(path, sizeof(path), "%s/parameters/abi_version", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/parameters", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pan_mask),
		cmocka_unit_test(test_module_abi_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
