// SPDX-License-Identifier: MIT
/*
 * ISO 9564-1 PIN blocks.  Formats 1-4 vectors are built by hand from the
 * field layouts of ISO 9564-1:2017 clause 9 (control nibble, PIN length,
 * PIN digits, fill; PAN field for 0, 3, 4), shown nibble by nibble.
 */
#include "../test_hex.h"
#include "crypto/pinblock.h"

static const uint8_t fill[PCC_PIN_FILL_MAX] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF };

/* X9.24-1:2009 A.4 (DESIGN.md): PIN 1234, PAN 4012345678909. */
static void test_format0_vector(void **state)
{
	uint8_t block[8];
	char pin[PCC_PIN_MAX + 1];

	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "1234",
					     "4012345678909", block), PCC_OK);
	assert_hex(block, 8, "041274EDCBA9876F");
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO0, block, 8,
					     "4012345678909", pin), PCC_OK);
	assert_string_equal(pin, "1234");
}

/* Format 0 binds the 12 PAN digits before the check digit; a PAN that
 * differs there in the last digit turns the fill F into E:
 * 6F ^ 91 (PAN ..7891) = FE. */
static void test_format0_wrong_pan(void **state)
{
	uint8_t block[8];
	char pin[PCC_PIN_MAX + 1];

	unhex("041274EDCBA9876F", block, 8);
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO0, block, 8,
					     "4012345678919", pin),
			 PCC_E_PINBLOCK);
	assert_string_equal(pin, "");
}

/*
 * A 12-digit PAN has only 11 digits before its check digit: ISO 9564-1
 * pads the PAN field with a leading zero.  PAN 123456789012 -> PAN field
 * 0000 0 12345678901; PIN field 041234FFFFFFFFFF XOR 0000012345678901
 * = 041235DCBA9876FE.  (Found by the PIN block fuzzer: the first version
 * read one byte before the PAN.)
 */
static void test_format0_short_pan(void **state)
{
	uint8_t block[8];
	char pin[PCC_PIN_MAX + 1];

	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "1234",
					     "123456789012", block), PCC_OK);
	assert_hex(block, 8, "041235DCBA9876FE");
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO0, block, 8,
					     "123456789012", pin), PCC_OK);
	assert_string_equal(pin, "1234");
}

/* 1 | 4 | 1234 | fill nibbles 0123456789 -> 1412340123456789 */
static void test_format1(void **state)
{
	uint8_t block[8];
	char pin[PCC_PIN_MAX + 1];

	assert_int_equal(pcc_pinblock_encode_fill(PCC_PIN_ISO1, "1234", NULL,
						  fill, block), PCC_OK);
	assert_hex(block, 8, "1412340123456789");
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO1, block, 8, NULL, pin),
			 PCC_OK);
	assert_string_equal(pin, "1234");
}

/* 2 | 4 | 1234 | F..F and 2 | C | 123456789012 | FF */
static void test_format2(void **state)
{
	uint8_t block[8];
	char pin[PCC_PIN_MAX + 1];

	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO2, "1234", NULL, block),
			 PCC_OK);
	assert_hex(block, 8, "241234FFFFFFFFFF");
	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO2, "123456789012",
					     NULL, block), PCC_OK);
	assert_hex(block, 8, "2C123456789012FF");
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO2, block, 8, NULL, pin),
			 PCC_OK);
	assert_string_equal(pin, "123456789012");
}

/*
 * 3 | 4 | 1234 | fill A-F from nibbles 0..9 mod 6 = ABCDEFABCD
 *   PIN field 341234ABCDEFABCD XOR PAN field 0000401234567890
 *   = 341274B9F9B9D35D
 */
static void test_format3(void **state)
{
	uint8_t block[8];
	char pin[PCC_PIN_MAX + 1];

	assert_int_equal(pcc_pinblock_encode_fill(PCC_PIN_ISO3, "1234",
						  "4012345678909", fill, block),
			 PCC_OK);
	assert_hex(block, 8, "341274B9F9B9D35D");
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO3, block, 8,
					     "4012345678909", pin), PCC_OK);
	assert_string_equal(pin, "1234");
	/* a fill nibble below A breaks format 3 */
	block[7] ^= 0xD0;		/* fill nibble C -> 1 */
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO3, block, 8,
					     "4012345678909", pin),
			 PCC_E_PINBLOCK);
}

/* 4 | 4 | 1234 | A x 10, then the 8 random bytes */
static void test_format4_clear_field(void **state)
{
	uint8_t block[16];
	char pin[PCC_PIN_MAX + 1];

	assert_int_equal(pcc_pinblock_encode_fill(PCC_PIN_ISO4, "1234",
						  "4111111111111111", fill,
						  block), PCC_OK);
	assert_hex(block, 16, "441234AAAAAAAAAA0123456789ABCDEF");
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO4, block, 16, NULL,
					     pin), PCC_OK);
	assert_string_equal(pin, "1234");
}

/*
 * X9.24-3:2017 (DESIGN.md): the AES DUKPT PIN key AF8C.. decrypts the
 * format 4 block A912.. for PAN 4111111111111111 to PIN 1234; another PAN
 * breaks the block's format.
 */
static void test_format4_vector(void **state)
{
	uint8_t key[16], enc[16];
	char pin[PCC_PIN_MAX + 1];

	unhex("AF8CB133A78F8DC2D1359F18527593FB", key, 16);
	unhex("A912150391AB65A67E52883D81CE2D15", enc, 16);
	assert_int_equal(pcc_pinblock_decrypt(PCC_PIN_ISO4, key, 16, enc, 16,
					      "4111111111111111", pin), PCC_OK);
	assert_string_equal(pin, "1234");
	assert_int_equal(pcc_pinblock_decrypt(PCC_PIN_ISO4, key, 16, enc, 16,
					      "4111111111111112", pin),
			 PCC_E_PINBLOCK);
}

static void test_round_trips(void **state)
{
	static const char *pins[] = { "0000", "98765", "123456789012" };
	uint8_t tdes[16], aes[32], enc[16], enc2[16];
	char pin[PCC_PIN_MAX + 1];

	unhex("0123456789ABCDEFFEDCBA9876543210", tdes, 16);
	unhex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	      aes, 32);
	for (int f = PCC_PIN_ISO0; f <= PCC_PIN_ISO4; f++) {
		const uint8_t *key = f == PCC_PIN_ISO4 ? aes : tdes;
		size_t key_len = f == PCC_PIN_ISO4 ? 32 : 16;
		size_t len = pcc_pinblock_len((enum pcc_pin_format)f);

		for (size_t i = 0; i < 3; i++) {
			assert_int_equal(pcc_pinblock_encrypt(
				(enum pcc_pin_format)f, key, key_len, pins[i],
				"5413330089020011", enc), PCC_OK);
			assert_int_equal(pcc_pinblock_decrypt(
				(enum pcc_pin_format)f, key, key_len, enc, len,
				"5413330089020011", pin), PCC_OK);
			assert_string_equal(pin, pins[i]);
		}
	}
	/* format 4 random half: two encryptions differ */
	pcc_pinblock_encrypt(PCC_PIN_ISO4, aes, 16, "1234", "4111111111111111",
			     enc);
	pcc_pinblock_encrypt(PCC_PIN_ISO4, aes, 16, "1234", "4111111111111111",
			     enc2);
	assert_memory_not_equal(enc, enc2, 16);
}

static void test_input_errors(void **state)
{
	uint8_t block[16], key[16] = { 0 };
	char pin[PCC_PIN_MAX + 1];

	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "123",
					     "4012345678909", block),
			 PCC_E_PIN_LENGTH);
	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "1234567890123",
					     "4012345678909", block),
			 PCC_E_PIN_LENGTH);
	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "12a4",
					     "4012345678909", block),
			 PCC_E_PIN_DIGIT);
	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "1234",
					     "40123456789", block), PCC_E_PAN);
	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "1234",
					     "40123456789012345678", block),
			 PCC_E_PAN);
	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO0, "1234",
					     "401234567890X", block), PCC_E_PAN);
	assert_int_equal(pcc_pinblock_encode(PCC_PIN_ISO3, "1234", NULL,
					     block), PCC_E_PAN);
	assert_int_equal(pcc_pinblock_encode((enum pcc_pin_format)5, "1234",
					     NULL, block), PCC_E_ARGUMENT);
	/* format 4 needs an AES key, 0-3 a TDES key */
	assert_int_equal(pcc_pinblock_encrypt(PCC_PIN_ISO4, key, 8, "1234",
					      "4111111111111111", block),
			 PCC_E_KEY_LENGTH);
	assert_int_equal(pcc_pinblock_encrypt(PCC_PIN_ISO0, key, 32, "1234",
					      "4111111111111111", block),
			 PCC_E_KEY_LENGTH);
	assert_int_equal(pcc_pinblock_decrypt(PCC_PIN_ISO0, key, 16, block,
					      16, "4111111111111111", pin),
			 PCC_E_DATA_LENGTH);
}

static void test_decode_format_rules(void **state)
{
	uint8_t block[8];
	char pin[PCC_PIN_MAX + 1];

	unhex("141234FFFFFFFFFF", block, 8);	/* control 1, asked 2 */
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO2, block, 8, NULL, pin),
			 PCC_E_PINBLOCK);
	unhex("23123FFFFFFFFFFF", block, 8);	/* PIN length 3 */
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO2, block, 8, NULL, pin),
			 PCC_E_PINBLOCK);
	unhex("2D123456789012FF", block, 8);	/* PIN length 13 */
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO2, block, 8, NULL, pin),
			 PCC_E_PINBLOCK);
	unhex("24123AFFFFFFFFFF", block, 8);	/* digit A inside the PIN */
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO2, block, 8, NULL, pin),
			 PCC_E_PINBLOCK);
	unhex("241234FFFFFFFFFE", block, 8);	/* fill E, format 2 wants F */
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO2, block, 8, NULL, pin),
			 PCC_E_PINBLOCK);
	assert_int_equal(pcc_pinblock_decode(PCC_PIN_ISO2, block, 7, NULL, pin),
			 PCC_E_DATA_LENGTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format0_vector),
		cmocka_unit_test(test_format0_wrong_pan),
		cmocka_unit_test(test_format0_short_pan),
		cmocka_unit_test(test_format1),
		cmocka_unit_test(test_format2),
		cmocka_unit_test(test_format3),
		cmocka_unit_test(test_format4_clear_field),
		cmocka_unit_test(test_format4_vector),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_decode_format_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
