// SPDX-License-Identifier: MIT
/* Masking printer: what must show, and that no secret ever shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iso8583/printer.h"
#include "sale_frame.h"

static struct iso_msg msg;

static char *render(const struct iso_msg *m, const struct iso_envelope *env,
		    enum iso_print_format format)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	iso_print(f, &iso_dialect_cup, env, m, format);
	fclose(f);
	return text;
}

static void decode_sale(struct iso_envelope *env)
{
	assert_int_equal(iso_frame_decode(&iso_dialect_cup, sale_frame,
					  sizeof(sale_frame), env, &msg, NULL),
			 ISO_OK);
}

static void assert_no_secret(const char *text)
{
	/* the PAN's hidden middle digits, the track's discretionary data and
	 * the PIN block bytes must not appear in any form */
	assert_null(strstr(text, SALE_PAN));
	assert_null(strstr(text, "0212345678"));
	assert_null(strstr(text, "=2512101"));
	assert_null(strstr(text, "2512101"));
	assert_null(strstr(text, "0102030405060708"));
}

static void test_text_masks_and_hides(void **state)
{
	struct iso_envelope env;
	char *text;

	decode_sale(&env);
	text = render(&msg, &env, ISO_PRINT_TEXT);
	assert_no_secret(text);
	/* first 6 and last 4 of a 19-digit PAN, 9 stars between */
	assert_non_null(strstr(text, "622202*********0123"));
	assert_non_null(strstr(text, "[hidden 27 characters]"));	/* track 2 */
	assert_non_null(strstr(text, "[hidden 8 bytes]"));		/* PIN block */
	assert_non_null(strstr(text, "mti     0200"));
	assert_non_null(strstr(text, "bitmap  702404C020C09811"));
	assert_non_null(strstr(text, "tpdu    6000030000"));
	assert_non_null(strstr(text, "60.1=22 60.2=000001"));
	assert_non_null(strstr(text, "A1A2A3A4A5A6A7A8"));	/* MAC is public */
	free(text);
}

static void test_json_masks_and_hides(void **state)
{
	struct iso_envelope env;
	char *text;

	decode_sale(&env);
	text = render(&msg, &env, ISO_PRINT_JSON);
	assert_no_secret(text);
	assert_non_null(strstr(text, "\"mti\":\"0200\""));
	assert_non_null(strstr(text, "{\"field\":2,\"name\":\"primary account number\","
				     "\"length\":19,\"value\":\"622202*********0123\","
				     "\"hidden\":false}"));
	assert_non_null(strstr(text, "{\"field\":52,"));
	assert_non_null(strstr(text, "\"value\":\"[hidden 8 bytes]\",\"hidden\":true"));
	assert_non_null(strstr(text, "\"subfields\":{\"60.1\":\"22\",\"60.2\":\"000001\"}"));
	free(text);
}

static void test_keys_in_62_hidden(void **state)
{
	static const uint8_t keys[24] = { 0x96, 0xD6, 0x05, 0xEA, 0x17, 0x6B,
					  0x7E, 0x9E };
	char *text;

	iso_msg_init(&msg, "0810");
	iso_msg_set(&msg, 62, keys, sizeof(keys));
	text = render(&msg, NULL, ISO_PRINT_TEXT);
	assert_null(strstr(text, "96D605EA"));
	assert_non_null(strstr(text, "[hidden 24 bytes]"));
	free(text);
}

/* Field 55 with the DESIGN.md template: 57 (track 2 equivalent) hidden,
 * 5A (PAN 4012345678909, F-padded) masked, 9F39 shown. */
static void test_icc_data_tag_by_tag(void **state)
{
	static const uint8_t icc[] = {
		0x9F, 0x39, 0x01, 0x05,
		0x57, 0x10, 0x40, 0x12, 0x34, 0x56, 0x78, 0x90, 0x95, 0xD2, 0x51,
		0x22, 0x01, 0x19, 0x73, 0x39, 0x30, 0x0F,
		0x5A, 0x07, 0x40, 0x12, 0x34, 0x56, 0x78, 0x90, 0x9F,
	};
	char *text;

	iso_msg_init(&msg, "0200");
	iso_msg_set(&msg, 55, icc, sizeof(icc));
	text = render(&msg, NULL, ISO_PRINT_TEXT);
	assert_non_null(strstr(text, "9F39=05"));
	assert_non_null(strstr(text, "57=[hidden 16 bytes]"));
	assert_non_null(strstr(text, "5A=401234***8909"));
	assert_null(strstr(text, "4012345678909"));
	assert_null(strstr(text, "D2512"));
	free(text);
	/* malformed ICC data: nothing of it is shown */
	iso_msg_set(&msg, 55, icc, 10);
	text = render(&msg, NULL, ISO_PRINT_TEXT);
	assert_non_null(strstr(text, "[malformed BER-TLV"));
	assert_null(strstr(text, "40123456"));
	free(text);
}

static void test_mask_pan_short_values(void **state)
{
	char out[32];

	iso_mask_pan("4012345678909", 13, out);
	assert_string_equal(out, "401234***8909");
	iso_mask_pan("123456789012", 12, out);	/* < 13: last 4 only */
	assert_string_equal(out, "********9012");
	iso_mask_pan("1234", 4, out);
	assert_string_equal(out, "****");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_masks_and_hides),
		cmocka_unit_test(test_json_masks_and_hides),
		cmocka_unit_test(test_keys_in_62_hidden),
		cmocka_unit_test(test_icc_data_tag_by_tag),
		cmocka_unit_test(test_mask_pan_short_values),
	};

	return cmocka_run_group_tests_name("iso8583-printer", tests, NULL, NULL);
}
