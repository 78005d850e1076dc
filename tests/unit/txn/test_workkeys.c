// SPDX-License-Identifier: MIT
/*
 * Field 62 of the sign-in answer per key set.  Key material:
 *   - DESIGN.md's UnionPay working-key vector: under the master key
 *     70F2A84CCBC2AE8625CBB0F2C22AB923, 96D605EA176B7E9E decrypts to
 *     C24A8FB57AA20123, check value 0547DB3E (single DES of 0^8);
 *   - a double-length key 0123456789ABCDEFFEDCBA9876543210, encrypted
 *     under the same master key with the openssl command line
 *     (enc -des-ede -nopad): 4C555721128EF42B482EF01EB4BA66AF; its check
 *     value (first 4 bytes of 3DES(K, 0^8), openssl) 08D7B4FB.
 * Layouts (docs/unionpay-messages.md, "Field 62 of the 0810"): 001 = PIK
 * 8+4, MAK 8+4 (24 bytes); 003 = PIK 16+4, MAK 8 ciphertext + 8 zero
 * bytes + 4 (40 bytes); 004 = 003 + TDK 16+4 (60 bytes); and the
 * compact 32/52-byte forms without the 8 zero bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/hex.h"
#include "txn/engine.h"
#include "txn/workkeys.h"

#define TMK		"70F2A84CCBC2AE8625CBB0F2C22AB923"
#define SINGLE_KEY	"96D605EA176B7E9E" "0547DB3E"
#define SINGLE_MAK_16	"96D605EA176B7E9E" "0000000000000000" "0547DB3E"
#define DOUBLE_KEY	"4C555721128EF42B482EF01EB4BA66AF" "08D7B4FB"

struct world {
	char dir[64], store[96], key[96];
	struct pcc_keystore *ks;
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	uint8_t tmk[16];

	snprintf(w->dir, sizeof(w->dir), "/tmp/paycard-wk-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	snprintf(w->store, sizeof(w->store), "%s/keys.store", w->dir);
	snprintf(w->key, sizeof(w->key), "%s/storage.key", w->dir);
	assert_int_equal(pcc_keystore_create_storage_key(w->key), PCC_OK);
	assert_int_equal(pcc_keystore_open(w->store, w->key, &w->ks), PCC_OK);
	assert_int_equal(hex_decode(TMK, 32, tmk, 16), 16);
	assert_int_equal(pcc_keystore_put(w->ks, TXN_KEY_MASTER, PCC_USAGE_MASTER,
					  PCC_ALG_TDES, tmk, 16), PCC_OK);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	pcc_keystore_close(w->ks);
	unlink(w->key);
	rmdir(w->dir);
	free(w);
	return 0;
}

static enum pcc_status load(struct world *w, const char *netcode,
			    const char *f62_hex, const char **refused)
{
	uint8_t f62[64];
	long n = hex_decode(f62_hex, strlen(f62_hex), f62, sizeof(f62));

	assert_true(n >= 0);
	return workkeys_load(w->ks, TXN_KEY_MASTER, netcode, f62, (size_t)n,
			     refused);
}

static void assert_key(struct world *w, const char *name, size_t len,
		       const char *kcv_hex)
{
	uint8_t kcv[4], want[4];
	size_t key_len;
	enum pcc_key_usage usage;
	enum pcc_alg alg;

	assert_int_equal(pcc_keystore_info(w->ks, name, &usage, &alg, &key_len),
			 PCC_OK);
	assert_int_equal(key_len, len);
	assert_int_equal(pcc_keystore_kcv(w->ks, name, PCC_KCV_CUP, kcv, 4), PCC_OK);
	assert_int_equal(hex_decode(kcv_hex, 8, want, 4), 4);
	assert_memory_equal(kcv, want, 4);
}

static void test_set_001(void **state)
{
	const char *refused;

	assert_int_equal(load(*state, "001", SINGLE_KEY SINGLE_KEY, &refused), PCC_OK);
	assert_key(*state, TXN_KEY_PIN, 8, "0547DB3E");
	assert_key(*state, TXN_KEY_MAC, 8, "0547DB3E");
}

/* 003: the MAK is single-length, sent as 8 bytes + 8 zero bytes. */
static void test_set_003_single_length_mak(void **state)
{
	const char *refused = "";

	assert_int_equal(load(*state, "003", DOUBLE_KEY SINGLE_MAK_16, &refused),
			 PCC_OK);
	assert_null(refused);
	assert_key(*state, TXN_KEY_PIN, 16, "08D7B4FB");
	assert_key(*state, TXN_KEY_MAC, 8, "0547DB3E");
}

static void test_set_004_with_tdk(void **state)
{
	const char *refused;

	assert_int_equal(load(*state, "004", DOUBLE_KEY SINGLE_MAK_16 DOUBLE_KEY,
			      &refused), PCC_OK);
	assert_key(*state, TXN_KEY_MAC, 8, "0547DB3E");
	assert_key(*state, TXN_KEY_DATA, 16, "08D7B4FB");
}

/*
 * The compact layout without the MAK's 8 zero bytes (003: 32 bytes, 004:
 * 52), as an open-source UnionPay terminal reads field 62
 * (github.com/teddy-lee/AIAUnionPay, CUPPackager.java procB62_CUP): sources
 * disagree, so both are accepted, told apart by the length.
 */
static void test_compact_layout_without_mak_padding(void **state)
{
	const char *refused;

	assert_int_equal(load(*state, "003", DOUBLE_KEY SINGLE_KEY, &refused), PCC_OK);
	assert_key(*state, TXN_KEY_PIN, 16, "08D7B4FB");
	assert_key(*state, TXN_KEY_MAC, 8, "0547DB3E");
	assert_int_equal(load(*state, "004", DOUBLE_KEY SINGLE_KEY DOUBLE_KEY, &refused),
			 PCC_OK);
	assert_key(*state, TXN_KEY_DATA, 16, "08D7B4FB");
}

/* The 8 bytes after the MAK must be zero: anything else is not the
 * single-length layout, and the MAK is refused by name. */
static void test_mak_padding_not_zero(void **state)
{
	const char *refused;

	assert_int_not_equal(load(*state, "003", DOUBLE_KEY "96D605EA176B7E9E"
				  "0000000000000001" "0547DB3E", &refused), PCC_OK);
	assert_string_equal(refused, TXN_KEY_MAC);
}

static void test_wrong_check_value_names_the_key(void **state)
{
	const char *refused;

	assert_int_equal(load(*state, "003", "4C555721128EF42B482EF01EB4BA66AF"
			      "08D7B4FC" SINGLE_MAK_16, &refused), PCC_E_CHECK_VALUE);
	assert_string_equal(refused, TXN_KEY_PIN);
}

static void test_wrong_length(void **state)
{
	const char *refused;

	/* 36 bytes: neither 40 nor the compact 32 */
	assert_int_not_equal(load(*state, "003", DOUBLE_KEY "96D605EA176B7E9E"
				  "0000000000000000", &refused), PCC_OK);
	assert_string_equal(refused, "field 62");
	assert_int_not_equal(load(*state, "004", DOUBLE_KEY SINGLE_MAK_16, &refused),
			     PCC_OK);
	assert_string_equal(refused, "field 62");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_001, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_003_single_length_mak, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_004_with_tdk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_layout_without_mak_padding, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mak_padding_not_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_check_value_names_the_key,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_length, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
