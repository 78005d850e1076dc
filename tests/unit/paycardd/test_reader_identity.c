// SPDX-License-Identifier: MIT
/* Reader identity pinning: first reader pinned, another serial pending until
 * approved, firmware warning once per (serial, firmware), kept across
 * restarts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "paycardd/readers/reader_identity.h"
#include "paycardd/store.h"

static int setup(void **state)
{
	sqlite3 *db = store_open(":memory:");

	*state = db;
	return db ? 0 : -1;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

static void test_first_reader_is_pinned(void **state)
{
	sqlite3 *db = *state;

	assert_int_equal(reader_identity_check(db, "SN1", "PCR", "1.0", 1), IDENTITY_FIRST_RECORDED);
	assert_true(reader_identity_is_approved(db, "SN1"));
	assert_int_equal(reader_identity_check(db, "SN1", "PCR", "1.0", 2), IDENTITY_APPROVED);
}

static void test_swapped_reader_waits_for_approval(void **state)
{
	sqlite3 *db = *state;

	reader_identity_check(db, "SN1", "PCR", "1.0", 1);
	assert_int_equal(reader_identity_check(db, "SN2", "PCR", "1.0", 2), IDENTITY_NEW_PENDING);
	assert_false(reader_identity_is_approved(db, "SN2"));
	assert_int_equal(reader_identity_check(db, "SN2", "PCR", "1.0", 3), IDENTITY_STILL_PENDING);
	assert_int_equal(reader_identity_approve(db, "SN2"), 0);
	assert_int_equal(reader_identity_check(db, "SN2", "PCR", "1.0", 4), IDENTITY_APPROVED);
	/* approving twice is harmless */
	assert_int_equal(reader_identity_approve(db, "SN2"), 0);
}

static void test_unknown_serial_cannot_be_approved(void **state)
{
	sqlite3 *db = *state;

	assert_int_equal(reader_identity_approve(db, "NEVER-SEEN"), -ENOENT);
	assert_false(reader_identity_is_approved(db, "NEVER-SEEN"));
}

static void test_reader_without_serial_is_refused(void **state)
{
	sqlite3 *db = *state;

	assert_int_equal(reader_identity_check(db, "", "PCR", "1.0", 1), IDENTITY_ERROR);
	/* and it did not take the "first reader" place */
	assert_int_equal(reader_identity_check(db, "SN1", "PCR", "1.0", 2), IDENTITY_FIRST_RECORDED);
}

static void test_firmware_warning_once_per_version(void **state)
{
	sqlite3 *db = *state;

	reader_identity_check(db, "SN1", "PCR", "1.0", 1);
	assert_true(reader_identity_firmware_warn_once(db, "SN1", "1.0"));
	assert_false(reader_identity_firmware_warn_once(db, "SN1", "1.0"));
	assert_false(reader_identity_firmware_warn_once(db, "SN1", "1.0"));
	assert_true(reader_identity_firmware_warn_once(db, "SN1", "1.1"));
	assert_false(reader_identity_firmware_warn_once(db, "UNKNOWN", "1.0"));
}

static void test_pins_survive_a_restart(void **state)
{
	char path[] = "/tmp/paycardd-pin-XXXXXX";
	int fd = mkstemp(path);
	sqlite3 *db;

	close(fd);
	db = store_open(path);
	assert_non_null(db);
	reader_identity_check(db, "SN1", "PCR", "1.0", 1);
	reader_identity_check(db, "SN2", "PCR", "1.0", 2);
	store_close(db);
	db = store_open(path);
	assert_non_null(db);
	assert_int_equal(reader_identity_check(db, "SN1", "PCR", "1.0", 3), IDENTITY_APPROVED);
	assert_int_equal(reader_identity_check(db, "SN2", "PCR", "1.0", 3), IDENTITY_STILL_PENDING);
	store_close(db);
	remove(path);
	for (const char *sfx = "-wal"; sfx; sfx = sfx[1] == 'w' ? "-shm" : NULL) {
		char side[64];

		snprintf(side, sizeof(side), "%s%s", path, sfx);
		remove(side);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_reader_is_pinned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swapped_reader_waits_for_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_serial_cannot_be_approved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_without_serial_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_firmware_warning_once_per_version, setup, teardown),
		cmocka_unit_test(test_pins_survive_a_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
