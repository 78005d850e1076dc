// SPDX-License-Identifier: MIT
/* BER-TLV codec against the DESIGN.md vectors and hand-made bad inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../test_hex.h"
#include "common/hex.h"
#include "iso8583/tlv.h"

/* 70 1A { 9F39 01 05, 57 10 4012..300F, 82 02 5900 } */
static void test_design_vector_template(void **state)
{
	uint8_t buf[64];
	size_t len = unhex("701A9F390105571040123456789095D2512201197339300F82025900", buf, sizeof(buf));
	size_t pos = 0, inner = 0;
	struct tlv t, u;

	assert_int_equal(tlv_next(buf, len, &pos, &t), TLV_OK);
	assert_int_equal(t.tag, 0x70);
	assert_true(t.constructed);
	assert_int_equal(t.len, 0x1A);
	assert_int_equal(pos, len);
	assert_int_equal(tlv_next(buf, len, &pos, &t), TLV_END);

	pos = 0;
	tlv_next(buf, len, &pos, &t);
	assert_int_equal(tlv_next(t.value, t.len, &inner, &u), TLV_OK);
	assert_int_equal(u.tag, 0x9F39);
	assert_false(u.constructed);
	assert_int_equal(u.len, 1);
	assert_int_equal(u.value[0], 0x05);
	assert_int_equal(tlv_next(t.value, t.len, &inner, &u), TLV_OK);
	assert_int_equal(u.tag, 0x57);
	assert_int_equal(u.len, 16);
	assert_int_equal(u.value[0], 0x40);
	assert_int_equal(u.value[15], 0x0F);
	assert_int_equal(tlv_next(t.value, t.len, &inner, &u), TLV_OK);
	assert_int_equal(u.tag, 0x82);
	assert_int_equal(u.len, 2);
	assert_int_equal(u.value[0], 0x59);
	assert_int_equal(tlv_next(t.value, t.len, &inner, &u), TLV_END);

	assert_int_equal(tlv_validate(buf, len, NULL), TLV_OK);
	assert_int_equal(tlv_find(buf, len, 0x82, &u), TLV_OK);
	assert_int_equal(u.value[1], 0x00);
	assert_int_equal(tlv_find(buf, len, 0x9F26, &u), TLV_END);
}

/* 9C8101FF, 9C820001FF and 9C8400000001FF all mean 9C = FF. */
static void test_long_form_lengths(void **state)
{
	static const char *const forms[] = { "9C01FF", "9C8101FF", "9C820001FF",
					     "9C8400000001FF" };

	for (size_t i = 0; i < 4; i++) {
		uint8_t buf[16];
		size_t len = unhex(forms[i], buf, sizeof(buf)), pos = 0;
		struct tlv t;

		assert_int_equal(tlv_next(buf, len, &pos, &t), TLV_OK);
		assert_int_equal(t.tag, 0x9C);
		assert_int_equal(t.len, 1);
		assert_int_equal(t.value[0], 0xFF);
		assert_int_equal(pos, len);
	}
}

static enum tlv_err first_error(const char *hex)
{
	uint8_t buf[64];
	size_t len = unhex(hex, buf, sizeof(buf));
	uint8_t *exact = test_malloc(len ? len : 1);
	enum tlv_err err;

	memcpy(exact, buf, len);	/* exact size: ASan catches over-reads */
	err = tlv_validate(exact, len, NULL);
	test_free(exact);
	return err;
}

static void test_malformed(void **state)
{
	assert_int_equal(first_error("9F"), TLV_ERR_SHORT_TAG);
	assert_int_equal(first_error("9F81"), TLV_ERR_SHORT_TAG);
	assert_int_equal(first_error("9FFFFFFF0100"), TLV_ERR_TAG_TOO_LONG);
	assert_int_equal(first_error("9C"), TLV_ERR_SHORT_LENGTH);
	assert_int_equal(first_error("9C82"), TLV_ERR_SHORT_LENGTH);
	assert_int_equal(first_error("9C8001FF0000"), TLV_ERR_INDEFINITE);
	assert_int_equal(first_error("9C850000000001FF"), TLV_ERR_LENGTH_FORM);
	assert_int_equal(first_error("9C02FF"), TLV_ERR_OVERRUN);
	assert_int_equal(first_error("9C84FFFFFFFFFF"), TLV_ERR_OVERRUN);
	/* the inner object of a template overruns the template */
	assert_int_equal(first_error("70039C02FF"), TLV_ERR_OVERRUN);
	assert_int_equal(first_error(""), TLV_OK);
}

static void test_error_offset_inside_template(void **state)
{
	uint8_t buf[16];
	size_t len = unhex("9C01FF70039C02FF", buf, sizeof(buf)), off = 0;

	/* inner 9C at byte 5 of the input claims 2 bytes, 1 is left */
	assert_int_equal(tlv_validate(buf, len, &off), TLV_ERR_OVERRUN);
	assert_int_equal(off, 5);
}

static void test_nesting_limit(void **state)
{
	/* ten nested 70 templates, innermost empty: deeper than 8 */
	uint8_t buf[20];

	for (int i = 0; i < 10; i++) {
		buf[2 * i] = 0x70;
		buf[2 * i + 1] = (uint8_t)(18 - 2 * i);
	}
	assert_int_equal(tlv_validate(buf, 20, NULL), TLV_ERR_TOO_DEEP);
}

static void test_encode_minimal_lengths(void **state)
{
	uint8_t value[300] = { 0xFF }, out[512];
	size_t pos = 0;

	assert_int_equal(tlv_encode(0x9C, value, 1, out, sizeof(out), &pos), TLV_OK);
	assert_int_equal(pos, 3);
	assert_memory_equal(out, "\x9C\x01\xFF", 3);
	pos = 0;
	assert_int_equal(tlv_encode(0x9F39, value, 200, out, sizeof(out), &pos), TLV_OK);
	assert_memory_equal(out, "\x9F\x39\x81\xC8", 4);	/* 200 = 0xC8 */
	assert_int_equal(pos, 4 + 200);
	pos = 0;
	assert_int_equal(tlv_encode(0xDF8101, value, 300, out, sizeof(out), &pos), TLV_OK);
	assert_memory_equal(out, "\xDF\x81\x01\x82\x01\x2C", 6);	/* 300 = 0x12C */
	pos = 0;
	assert_int_equal(tlv_encode(0x9C, value, 300, out, 100, &pos), TLV_ERR_NO_SPACE);
	/* 0x1234: first byte 0x12 does not announce more tag bytes */
	assert_int_equal(tlv_encode(0x1234, value, 1, out, sizeof(out), &pos),
			 TLV_ERR_BAD_TAG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_vector_template),
		cmocka_unit_test(test_long_form_lengths),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_error_offset_inside_template),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_encode_minimal_lengths),
	};

	return cmocka_run_group_tests_name("iso8583-tlv", tests, NULL, NULL);
}
