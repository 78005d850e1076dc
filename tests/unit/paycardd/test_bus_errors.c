// SPDX-License-Identifier: MIT
/* The one table from the transaction library's errors (enum txn_error) to
 * D-Bus error names (bus/errors.c): every error has a name, each a name of
 * the documented API (docs/dbus/README.md, read here), no two the same,
 * and the names clients saw before the table (the library's strings glued
 * onto org.paycard.Error.) are kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "paycardd/bus/errors.h"

static char *read_api_doc(void)
{
	FILE *f = fopen("docs/dbus/README.md", "r");
	static char doc[65536];
	size_t n;

	if (!f)
		return NULL;
	n = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[n] = '\0';
	return doc;
}

static void every_error_is_documented_and_distinct(void **state)
{
	const char *doc = read_api_doc();
	char quoted[96];

	assert_non_null(doc);
	for (int e = TXN_ERROR_NONE + 1; e < TXN_ERROR_COUNT; e++) {
		const char *name = bus_error_from_txn(e);

		assert_non_null(name);
		snprintf(quoted, sizeof(quoted), "`%s`", name);
		if (!strstr(doc, quoted))
			fail_msg("txn error %d: %s is not in docs/dbus/README.md", e, name);
		for (int other = e + 1; other < TXN_ERROR_COUNT; other++)
			if (e != TXN_ERROR_FAILED && other != TXN_ERROR_FAILED)
				assert_string_not_equal(name, bus_error_from_txn(other));
	}
}

/* The suffixes the library returned before (daemon/txn at 4206928). */
static void names_clients_saw_are_kept(void **state)
{
	static const struct {
		enum txn_error e;
		const char *name;
	} kept[] = {
		{ TXN_ERROR_FAILED, "org.paycard.Error.Failed" },
		{ TXN_ERROR_BUSY, "org.paycard.Error.Busy" },
		{ TXN_ERROR_CANCELLED, "org.paycard.Error.Cancelled" },
		{ TXN_ERROR_NOT_SIGNED_IN, "org.paycard.Error.NotSignedIn" },
		{ TXN_ERROR_REVERSAL_PENDING, "org.paycard.Error.ReversalPending" },
		{ TXN_ERROR_NO_ORIGINAL, "org.paycard.Error.NoOriginal" },
		{ TXN_ERROR_ORIGINAL_LIMIT, "org.paycard.Error.OriginalLimit" },
		{ TXN_ERROR_CARD_ERROR, "org.paycard.Error.CardError" },
		{ TXN_ERROR_CARD_MISMATCH, "org.paycard.Error.CardMismatch" },
		{ TXN_ERROR_KEY_ERROR, "org.paycard.Error.KeyError" },
		{ TXN_ERROR_HOST_UNREACHABLE, "org.paycard.Error.HostUnreachable" },
		{ TXN_ERROR_HOST_TIMEOUT, "org.paycard.Error.HostTimeout" },
		{ TXN_ERROR_HOST_ERROR, "org.paycard.Error.HostError" },
		{ TXN_ERROR_HOST_MISMATCH, "org.paycard.Error.HostMismatch" },
	};

	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		assert_string_equal(bus_error_from_txn(kept[i].e), kept[i].name);
}

static void unknown_is_failed(void **state)
{
	assert_string_equal(bus_error_from_txn(TXN_ERROR_NONE), PAYCARD_ERROR_FAILED);
	assert_string_equal(bus_error_from_txn(TXN_ERROR_COUNT), PAYCARD_ERROR_FAILED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_error_is_documented_and_distinct),
		cmocka_unit_test(names_clients_saw_are_kept),
		cmocka_unit_test(unknown_is_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
