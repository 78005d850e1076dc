// SPDX-License-Identifier: MIT
/*
 * The EMV layer on hand-written card answers, good and malformed: APDU
 * status words and T=0 chaining, TLV records, AFL, GPO and GENERATE AC
 * responses, DOL building, selection, CVM and action analysis.  Each
 * expected value is read off the input by the rule cited next to it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../test_hex.h"
#include "common/hex.h"
#include "emv/card.h"
#include "emv/cvm.h"
#include "emv/dol.h"
#include "emv/field55.h"
#include "emv/genac.h"
#include "emv/records.h"
#include "emv/risk.h"
#include "emv/select.h"
#include "emv/terminal.h"
#include "script_transport.h"


/* ---- APDU exchange ------------------------------------------------ */

static void test_apdu_get_response_and_wrong_le(void **state)
{
	static const struct script_step steps[] = {
		/* 61 04: four bytes wait; GET RESPONSE Le 04 (Book 1 9.3) */
		{ "80A8000002830000", "6104", 0 },
		{ "00C0000004", "AABBCCDD9000", 0 },
		/* 6C 02: re-issue the same command with Le 02 */
		{ "80CA9F1700", "6C02", 0 },
		{ "80CA9F1702", "9F179000", 0 },
	};
	struct script_transport s;
	struct emv_apdu_response rsp;
	static const uint8_t gpo[] = { 0x83, 0x00 };

	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_apdu_command(&s.t, &(struct emv_command){
		.cla = 0x80, .ins = 0xa8, .data = gpo, .lc = 2, .le = true },
		&rsp), EMV_OK);
	assert_int_equal(rsp.len, 4);
	assert_memory_equal(rsp.data, "\xaa\xbb\xcc\xdd", 4);
	assert_int_equal(emv_apdu_command(&s.t, &(struct emv_command){
		.cla = 0x80, .ins = 0xca, .p1 = 0x9f, .p2 = 0x17, .le = true },
		&rsp), EMV_OK);
	assert_int_equal(rsp.len, 2);
	assert_int_equal(s.pos, s.n);
}

static void test_apdu_errors(void **state)
{
	static const struct script_step steps[] = {
		{ "00B2", NULL, -ENOMEDIUM },
		{ "00B2", NULL, -EIO },
		{ "00B2", "90", 0 },		/* no complete SW */
		{ "00B2", "6A82", 0 },
		{ "00B2", "6985", 0 },
		{ "00B2", "6283", 0 },
		{ "00B2", "63C2", 0 },
		{ "00B2", "6F00", 0 },
	};
	static const enum emv_status want[] = {
		EMV_E_CARD_REMOVED, EMV_E_TRANSPORT, EMV_E_PROTOCOL,
		EMV_E_SW_FILE_NOT_FOUND, EMV_E_SW_CONDITIONS,
		EMV_E_SW_WARNING_SELECTED_INVALIDATED, EMV_E_SW_COUNTER,
		EMV_E_SW_UNKNOWN,
	};
	struct script_transport s;
	struct emv_apdu_response rsp;
	struct emv_command rr = { .ins = 0xb2, .p1 = 1, .p2 = 0x0c,
				  .le = true };

	SCRIPT_INIT(&s, steps);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(emv_apdu_command(&s.t, &rr, &rsp), want[i]);
	assert_string_equal(emv_strerror(EMV_E_CARD_REMOVED), "card removed");
}

static void test_apdu_endless_61(void **state)
{
	static const struct script_step steps[] = {
		{ "00B2", "6101", 0 }, { "00C0", "006101", 0 },
		{ "00C0", "006101", 0 }, { "00C0", "006101", 0 },
		{ "00C0", "006101", 0 }, { "00C0", "006101", 0 },
		{ "00C0", "006101", 0 }, { "00C0", "006101", 0 },
		{ "00C0", "006101", 0 },
	};
	struct script_transport s;
	struct emv_apdu_response rsp;

	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_apdu_exchange(&s.t, &(struct emv_command){
		.ins = 0xb2, .p1 = 1, .p2 = 0x0c, .le = true }, &rsp),
		EMV_E_PROTOCOL);
}

/* ---- records --------------------------------------------------------- */

static enum emv_status record(const char *hex, struct emv_data *d)
{
	uint8_t buf[400];
	size_t n = unhex(hex, buf, sizeof(buf));

	emv_data_init(d);
	return emv_record_parse(d, buf, n);
}

static void test_record_good_with_padding(void **state)
{
	struct emv_data d;
	size_t len;
	const uint8_t *v;

	/* 70 11 { 5A 08 6212345678901232, 00 pad, 5F24 03 301231 } */
	assert_int_equal(record("70115A0862123456789012320" "05F2403301231",
				&d), EMV_OK);
	v = emv_data_get(&d, 0x5a, &len);
	assert_int_equal(len, 8);
	assert_int_equal(v[0], 0x62);
	assert_non_null(emv_data_get(&d, 0x5f24, NULL));
}

/* DESIGN.md's BER-TLV vector: 70{9F39=05, 57=4012..0F, 82=5900} */
static void test_record_design_vector(void **state)
{
	struct emv_data d;
	size_t len;
	const uint8_t *v;

	assert_int_equal(record("701A9F390105571040123456789095D2512201197339"
				"300F82025900", &d), EMV_OK);
	assert_int_equal(d.n, 3);
	assert_memory_equal(emv_data_get(&d, 0x9f39, &len), "\x05", 1);
	v = emv_data_get(&d, 0x57, &len);
	assert_int_equal(len, 16);
	assert_int_equal(v[15], 0x0f);
	assert_memory_equal(emv_data_get(&d, 0x82, &len), "\x59\x00", 2);
}

static void test_record_malformed(void **state)
{
	struct emv_data d;

	/* truncated: 70 says 0E bytes, 5 follow */
	assert_int_equal(record("700E5A08621234", &d), EMV_E_TLV);
	/* inner object runs past its template */
	assert_int_equal(record("70045A086212", &d), EMV_E_TLV);
	/* not a 70 template */
	assert_int_equal(record("77035F3401", &d), EMV_E_TEMPLATE);
	assert_int_equal(record("71045F340101", &d), EMV_E_TEMPLATE);
	/* trailing bytes after the template */
	assert_int_equal(record("70045F340101FF", &d), EMV_E_TEMPLATE);
	/* duplicate PSN */
	assert_int_equal(record("70085F3401015F340102", &d),
			 EMV_E_DUPLICATE_TAG);
	/* PAN of 11 bytes: cn 10 max (Book 3 Annex A) */
	assert_int_equal(record("700D5A0B6212345678901232FFFFFF", &d),
			 EMV_E_DATA_LENGTH);
	/* expiry of 2 bytes */
	assert_int_equal(record("70055F24023012", &d), EMV_E_DATA_LENGTH);
	/* indefinite length */
	assert_int_equal(record("70805F340101", &d), EMV_E_TLV);
	/* empty input */
	assert_int_equal(record("", &d), EMV_E_TLV);
}

static void test_record_oversized(void **state)
{
	/* 70 82 0101 + 257 bytes: more than a short R-APDU can carry */
	uint8_t buf[300];
	struct emv_data d;

	memset(buf, 0, sizeof(buf));
	buf[0] = 0x70;
	buf[1] = 0x82;
	buf[2] = 0x01;
	buf[3] = 0x01;
	emv_data_init(&d);
	assert_int_equal(emv_record_parse(&d, buf, 4 + 257),
			 EMV_E_RECORD_TOO_LONG);
	/* a 248-byte 9F4E (merchant name, 40 at most) in 70 81 FC */
	buf[1] = 0x81;
	buf[2] = 0xfc;
	buf[3] = 0x9f;
	buf[4] = 0x4e;
	buf[5] = 0x81;
	buf[6] = 0xf8;
	assert_int_equal(emv_record_parse(&d, buf, 3 + 0xfc),
			 EMV_E_DATA_LENGTH);
}

static void test_read_records_over_transport(void **state)
{
	static const struct script_step steps[] = {
		/* AFL 08 01 01 00: SFI 1 record 1 -> P2 = 1 << 3 | 4 = 0C */
		{ "00B2010C00", "70045F3401019000", 0 },
		{ "00B2010C00", "6A83", 0 },
	};
	struct script_transport s;
	struct emv_data d;
	static const uint8_t afl[] = { 0x08, 0x01, 0x01, 0x00 };

	SCRIPT_INIT(&s, steps);
	emv_data_init(&d);
	assert_int_equal(emv_data_set(&d, 0x94, afl, 4), EMV_OK);
	assert_int_equal(emv_read_records(&s.t, &d, NULL), EMV_OK);
	assert_true(emv_data_has(&d, 0x5f34));
	/* the card cannot find a record the AFL names */
	emv_data_init(&d);
	assert_int_equal(emv_data_set(&d, 0x94, afl, 4), EMV_OK);
	assert_int_equal(emv_read_records(&s.t, &d, NULL),
			 EMV_E_SW_RECORD_NOT_FOUND);
	/* no AFL at all */
	emv_data_init(&d);
	assert_int_equal(emv_read_records(&s.t, &d, NULL), EMV_E_MISSING_TAG);
}

/* ---- AFL ----------------------------------------------------------- */

static enum emv_status afl(const char *hex)
{
	uint8_t buf[64];
	struct emv_afl_entry e[EMV_AFL_MAX_ENTRIES];
	size_t n;

	return emv_afl_parse(buf, unhex(hex, buf, sizeof(buf)), e, &n);
}

static void test_afl(void **state)
{
	uint8_t buf[8];
	struct emv_afl_entry e[EMV_AFL_MAX_ENTRIES];
	size_t n;

	/* 10 02 04 01: SFI 2 (10 >> 3), records 2..4, 1 for ODA */
	assert_int_equal(emv_afl_parse(buf, unhex("10020401", buf, 8), e, &n),
			 EMV_OK);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].sfi, 2);
	assert_int_equal(e[0].first, 2);
	assert_int_equal(e[0].last, 4);
	assert_int_equal(afl("00010100"), EMV_E_BAD_AFL);	/* SFI 0 */
	assert_int_equal(afl("F8010100"), EMV_E_BAD_AFL);	/* SFI 31 */
	assert_int_equal(afl("09010100"), EMV_E_BAD_AFL);	/* RFU bits */
	assert_int_equal(afl("08000100"), EMV_E_BAD_AFL);	/* record 0 */
	assert_int_equal(afl("08030200"), EMV_E_BAD_AFL);	/* last < first */
	assert_int_equal(afl("08010203"), EMV_E_BAD_AFL);	/* ODA 3 > 2 */
	assert_int_equal(afl("080101"), EMV_E_BAD_AFL);	/* not 4n bytes */
	assert_int_equal(afl(""), EMV_E_BAD_AFL);
}

/* ---- GPO ------------------------------------------------------------- */

static enum emv_status gpo(const char *hex, struct emv_data *d)
{
	uint8_t buf[64];

	emv_data_init(d);
	return emv_gpo_parse(d, buf, unhex(hex, buf, sizeof(buf)));
}

static void test_gpo_parse(void **state)
{
	struct emv_data d;
	size_t len;

	/* format 1: 80 06, AIP 1C00, AFL 08010100 */
	assert_int_equal(gpo("80061C0008010100", &d), EMV_OK);
	assert_memory_equal(emv_data_get(&d, 0x82, NULL), "\x1c\x00", 2);
	assert_non_null(emv_data_get(&d, 0x94, &len));
	assert_int_equal(len, 4);
	/* format 2 */
	assert_int_equal(gpo("770A82021C00940408010100", &d), EMV_OK);
	/* format 1 without a whole AFL entry */
	assert_int_equal(gpo("80051C00080101", &d), EMV_E_DATA_LENGTH);
	/* format 2 without AFL */
	assert_int_equal(gpo("770482021C00", &d), EMV_E_MISSING_TAG);
	assert_int_equal(gpo("6F0482021C00", &d), EMV_E_TEMPLATE);
	assert_int_equal(gpo("7710", &d), EMV_E_TLV);
}

static void test_gpo_conditions_not_satisfied(void **state)
{
	static const struct script_step steps[] = {
		/* PDOL 9F02 06: 83 06 + amount 000000001234 */
		{ "80A80000088306000000001234", "6985", 0 },
	};
	struct script_transport s;
	struct emv_data term, icc;
	static const uint8_t pdol[] = { 0x9f, 0x02, 0x06 };
	static const uint8_t amount[] = { 0, 0, 0, 0, 0x12, 0x34 };

	SCRIPT_INIT(&s, steps);
	emv_data_init(&term);
	emv_data_init(&icc);
	assert_int_equal(emv_data_set(&term, 0x9f02, amount, 6), EMV_OK);
	assert_int_equal(emv_data_set(&icc, 0x9f38, pdol, 3), EMV_OK);
	assert_int_equal(emv_gpo(&s.t, &term, &icc, NULL), EMV_E_SW_CONDITIONS);
}

static void test_gpo_long_pdol_data(void **state)
{
	static const struct script_step steps[] = {
		/* 128 bytes of PDOL data: Lc 83, template 83 81 80 */
		{ "80A8000083838180000000", "80061C00080101009000", 0 },
	};
	struct script_transport s;
	struct emv_data term, icc;
	static const uint8_t pdol[] = { 0x9f, 0x7f, 0x80 };

	SCRIPT_INIT(&s, steps);
	emv_data_init(&term);
	emv_data_init(&icc);
	assert_int_equal(emv_data_set(&icc, 0x9f38, pdol, 3), EMV_OK);
	assert_int_equal(emv_gpo(&s.t, &term, &icc, NULL), EMV_OK);
	assert_true(emv_data_has(&icc, 0x94));
}

/* ---- DOL ------------------------------------------------------------- */

static void test_dol_build_rules(void **state)
{
	struct emv_data term;
	const struct emv_data *src[] = { &term };
	uint8_t dol[32], out[64], want[64];
	size_t dl, n;
	static const uint8_t amount[] = { 0, 0, 0, 0, 0x12, 0x34 };
	static const uint8_t pan[] = { 0x62, 0x12, 0x34 };
	static const uint8_t tvr[] = { 0x80, 0, 0, 0, 0x01 };

	emv_data_init(&term);
	assert_int_equal(emv_data_set(&term, 0x9f02, amount, 6), EMV_OK);
	assert_int_equal(emv_data_set(&term, 0x5a, pan, 3), EMV_OK);
	assert_int_equal(emv_data_set(&term, 0x95, tvr, 5), EMV_OK);
	/*
	 * 9F02 04: numeric, 6 -> 4 bytes drops the leftmost: 00 00 12 34
	 * 9F02 08: numeric, padded left with zeros: 00 00 + 000000001234
	 * 5A 05:   cn, padded right with FF: 621234 FF FF
	 * 95 03:   binary, rightmost dropped: 80 00 00
	 * 9F7F 02: unknown, zeros: 00 00
	 * E1 01:   constructed, zeros: 00
	 */
	dl = unhex("9F02049F0208" "5A05" "9503" "9F7F02" "E101", dol,
		   sizeof(dol));
	assert_int_equal(emv_dol_build(dol, dl, src, 1, out, sizeof(out), &n),
			 EMV_OK);
	assert_int_equal(n, unhex("00001234" "0000000000001234" "621234FFFF"
				  "800000" "0000" "00", want, sizeof(want)));
	assert_memory_equal(out, want, n);
	/* truncated DOL: tag without length */
	dl = unhex("9F0206" "9F", dol, sizeof(dol));
	assert_int_equal(emv_dol_build(dol, dl, src, 1, out, sizeof(out), &n),
			 EMV_E_TLV);
	/* output too small */
	dl = unhex("9F0206", dol, sizeof(dol));
	assert_int_equal(emv_dol_build(dol, dl, src, 1, out, 5, &n),
			 EMV_E_BUFFER);
	assert_true(emv_dol_contains((const uint8_t *)"\x8a\x02\x91\x0a", 4,
				     0x91));
	assert_false(emv_dol_contains((const uint8_t *)"\x8a\x02", 2, 0x91));
}

/* ---- card data ---------------------------------------------------- */

static void base_card(struct emv_data *d)
{
	emv_data_init(d);
	assert_int_equal(record("70" "21" "5A0862123456789012325F24033012315F"
				"3401018C039F02068D028A02820214" "00", d),
			 EMV_OK);
}

static void test_card_extract(void **state)
{
	struct emv_data d;
	struct emv_card_info c;
	static const uint8_t bad_pan[] = { 0x62, 0x12, 0x3a, 0x45, 0x67,
					   0x89, 0x01, 0x2f };
	static const uint8_t short_pan[] = { 0x62, 0x12, 0x34, 0x5f };
	static const uint8_t bad_date[] = { 0x30, 0x13, 0x01 };

	base_card(&d);
	assert_int_equal(emv_card_extract(&d, &c), EMV_OK);
	assert_string_equal(c.pan, "6212345678901232");
	assert_int_equal(c.psn, 1);
	assert_int_equal(c.expiry.mm, 12);
	/* PAN nibble A is not a digit */
	assert_int_equal(emv_data_set(&d, 0x5a, bad_pan, 8), EMV_OK);
	assert_int_equal(emv_card_extract(&d, &c), EMV_E_DATA_FORMAT);
	assert_string_equal(c.pan, "");	/* wiped */
	/* 6 digits */
	assert_int_equal(emv_data_set(&d, 0x5a, short_pan, 4), EMV_OK);
	assert_int_equal(emv_card_extract(&d, &c), EMV_E_PAN_LENGTH);
	/* month 13 */
	base_card(&d);
	assert_int_equal(emv_data_set(&d, 0x5f24, bad_date, 3), EMV_OK);
	assert_int_equal(emv_card_extract(&d, &c), EMV_E_DATA_FORMAT);
	/* mandatory objects */
	emv_data_init(&d);
	assert_int_equal(record("70" "0A" "5F2403301231" "8C01" "00" "00", &d),
			 EMV_OK);
	assert_int_equal(emv_card_extract(&d, &c), EMV_E_MISSING_TAG);
}

/* ---- GENERATE AC ------------------------------------------------------ */

static enum emv_status ac(const char *hex, struct emv_ac_result *r)
{
	uint8_t buf[64];
	struct emv_data d;

	emv_data_init(&d);
	return emv_ac_response_parse(buf, unhex(hex, buf, sizeof(buf)), &d,
				     r);
}

static void test_ac_response(void **state)
{
	struct emv_ac_result r;

	/* format 1: CID 80, ATC 0011, AC 1122334455667788, IAD 0701 */
	assert_int_equal(ac("800D80001111223344556677880701", &r), EMV_OK);
	assert_int_equal(r.cid, 0x80);
	assert_int_equal(emv_cid_type(r.cid), EMV_AC_ARQC);
	assert_memory_equal(r.atc, "\x00\x11", 2);
	assert_int_equal(r.iad_len, 2);
	/* format 2 */
	assert_int_equal(ac("77" "14" "9F2701409F360200119F26081122334455"
			    "667788", &r), EMV_OK);
	assert_int_equal(emv_cid_type(r.cid), EMV_AC_TC);
	/* format 1 too short for the AC */
	assert_int_equal(ac("8006800011112233", &r), EMV_E_DATA_LENGTH);
	/* format 2 without the cryptogram */
	assert_int_equal(ac("77099F2701809F36020011", &r), EMV_E_MISSING_TAG);
	assert_int_equal(ac("800D8000111122", &r), EMV_E_TLV);
	assert_int_equal(ac("9F2701809F36020011", &r), EMV_E_TEMPLATE);
}

static void test_generate_ac_cid_above_request(void **state)
{
	static const struct script_step steps[] = {
		/* asked for ARQC (P1 80), the card answers TC (CID 40) */
		{ "80AE800001", "800B40001111223344556677889000", 0 },
		/* asked for AAC (P1 00), the card answers ARQC */
		{ "80AE000001", "800B80001111223344556677889000", 0 },
	};
	struct script_transport s;
	struct emv_data term, icc;
	const struct emv_data *src[] = { &term };
	struct emv_ac_result r;
	static const uint8_t dol[] = { 0x9c, 0x01 };

	SCRIPT_INIT(&s, steps);
	emv_data_init(&term);
	emv_data_init(&icc);
	assert_int_equal(emv_generate_ac(&s.t, EMV_AC_ARQC, false, dol, 2, src, 1,
					 &icc, &r, NULL), EMV_E_CID);
	assert_int_equal(emv_generate_ac(&s.t, EMV_AC_AAC, false, dol, 2, src, 1,
					 &icc, &r, NULL), EMV_E_CID);
}

/* ---- selection ------------------------------------------------------ */

static void test_select_pse_blocked_card(void **state)
{
	static const struct script_step steps[] = {
		{ "00A404000E315041592E5359532E444446303100", "6A81", 0 },
	};
	struct script_transport s;
	struct emv_candidate_list l;

	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_build_candidates(&s.t, emv_default_aids,
					      emv_n_default_aids, false, &l),
			 EMV_E_CARD_BLOCKED);
}

static void test_select_pse_malformed_falls_back(void **state)
{
	static const struct script_step steps[] = {
		/* PSE FCI truncated: fall back to the list of AIDs */
		{ "00A404000E", "6F10840E315041599000", 0 },
		{ "00A4040008A000000333010101", "6A82", 0 },
		{ "00A4040008A000000333010102", "6A82", 0 },
		{ "00A4040008A000000333010103", "6A82", 0 },
		/* Visa, partial match: A0000000031010 + 01 */
		{ "00A4040007A0000000031010",
		  "6F0F8408A000000003101001A5035001569000", 0 },
		{ "00A4040207A0000000031010", "6A82", 0 },
		{ "00A4040007A0000000041010", "6A82", 0 },
	};
	struct script_transport s;
	struct emv_candidate_list l;

	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_build_candidates(&s.t, emv_default_aids,
					      emv_n_default_aids, false, &l),
			 EMV_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.c[0].aid_len, 8);
	assert_string_equal(l.c[0].label, "V");
	assert_int_equal(s.pos, s.n);
}

/*
 * UnionPay AIDs allow partial selection: every UnionPay AID parameter set
 * in public UnionPay POS code (the IC parameter download's TLVs, e.g.
 * 9F0608A000000333010101 DF0101 00 ...) carries ASI DF01 = 00, which
 * public EMV kernel headers code as "partial match allowed" (0) versus
 * "exact match" (1); see daemon/emv/select.c.  A card application
 * A000000333010101 + 01 is then a candidate (EMV Book 1 12.3.1).
 */
static void test_select_unionpay_partial(void **state)
{
	static const struct script_step steps[] = {
		{ "00A404000E",
		  "6F15840E315041592E5359532E4444463031A503880101" "9000", 0 },
		{ "00B2010C00",
		  "700D610B4F09A000000333010101019000", 0 },
		{ "00B2020C00", "6A83", 0 },
	};
	struct script_transport s;
	struct emv_candidate_list l;

	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_build_candidates(&s.t, emv_default_aids,
					      emv_n_default_aids, false, &l),
			 EMV_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.c[0].aid_len, 9);
	assert_int_equal(l.c[0].aid[8], 0x01);
}

static void test_select_priority_and_confirmation(void **state)
{
	/* PSE with 3 entries: priority 3, none, 1; a fourth needs
	 * confirmation (87 = 81) and the terminal cannot ask */
	static const struct script_step steps[] = {
		{ "00A404000E",
		  "6F15840E315041592E5359532E4444463031A503880101" "9000", 0 },
		{ "00B2010C00",
		  "7038"
		  "610D4F08A000000333010101870103"
		  "610A4F08A000000333010102"
		  "610D4F08A000000333010103870101"
		  "610C4F07A0000000041010870181"
		  "9000", 0 },
		{ "00B2020C00", "6A83", 0 },
	};
	struct script_transport s;
	struct emv_candidate_list l;

	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_build_candidates(&s.t, emv_default_aids,
					      emv_n_default_aids, false, &l),
			 EMV_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.c[0].aid[7], 0x03);	/* priority 1 */
	assert_int_equal(l.c[1].aid[7], 0x01);	/* priority 3 */
	assert_int_equal(l.c[2].aid[7], 0x02);	/* none: last */
	emv_candidate_remove(&l, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.c[0].aid[7], 0x01);
}

static void test_final_select_mismatch(void **state)
{
	static const struct script_step steps[] = {
		{ "00A4040008A000000333010101",
		  "6F0A8408A0000003330101029000", 0 },
		{ "00A4040008A000000333010101", "6283", 0 },
	};
	struct script_transport s;
	struct emv_candidate c = {
		.aid = { 0xa0, 0, 0, 0x03, 0x33, 0x01, 0x01, 0x01 },
		.aid_len = 8,
	};
	struct emv_data icc;

	SCRIPT_INIT(&s, steps);
	emv_data_init(&icc);
	assert_int_equal(emv_final_select(&s.t, &c, &icc), EMV_E_DATA_FORMAT);
	assert_int_equal(emv_final_select(&s.t, &c, &icc),
			 EMV_E_SW_WARNING_SELECTED_INVALIDATED);
}

/* ---- CVM, action analysis, field 55 ------------------------------------ */

static void test_cvm_rules(void **state)
{
	struct emv_data icc;
	enum emv_cvm cvm;
	uint8_t res[3], tvr[5] = { 0 };
	uint8_t list[32];
	static const uint8_t caps_pin[3] = { 0x20, 0x40, 0x00 };
	static const uint8_t caps_pin_sig[3] = { 0x20, 0x60, 0x00 };
	static const uint8_t cur[2] = { 0x01, 0x56 };
	struct emv_cvm_input in = {
		.icc = &icc, .capabilities = caps_pin, .amount = 5000,
		.currency = cur,
	};

	emv_data_init(&icc);
	assert_int_equal(emv_data_set(&icc, 0x9f42, cur, 2), EMV_OK);
	/* X = 10000 (100.00): no CVM under X (1F 06), online PIN (02 00);
	 * the terminal lacks "no CVM", so 1F is unsupported and, without
	 * the 40 bit, fails the CVM: results 3F 00 01 */
	assert_int_equal(emv_data_set(&icc, 0x8e, list, unhex(
		"0000271000000000" "1F06" "0200", list, sizeof(list))),
		EMV_OK);
	assert_int_equal(emv_cvm_select(&in, &cvm, res, tvr), EMV_OK);
	assert_int_equal(cvm, EMV_CVM_FAILED);
	assert_memory_equal(res, "\x3f\x00\x01", 3);
	assert_true(tvr[2] & 0x80);
	/* with 5F (apply next): falls through to online PIN 02 00 */
	memset(tvr, 0, 5);
	assert_int_equal(emv_data_set(&icc, 0x8e, list, unhex(
		"0000271000000000" "5F06" "0200", list, sizeof(list))),
		EMV_OK);
	assert_int_equal(emv_cvm_select(&in, &cvm, res, tvr), EMV_OK);
	assert_int_equal(cvm, EMV_CVM_ONLINE_PIN);
	assert_memory_equal(res, "\x02\x00\x00", 3);
	/* the PIN bypassed (Book 3 10.5.2): online PIN without the 40 bit
	 * (02) fails the CVM; TVR byte 3: 08 "PIN not entered" + 80 */
	memset(tvr, 0, 5);
	in.pin_bypassed = true;
	assert_int_equal(emv_cvm_select(&in, &cvm, res, tvr), EMV_OK);
	assert_int_equal(cvm, EMV_CVM_FAILED);
	assert_memory_equal(res, "\x3f\x00\x01", 3);
	assert_int_equal(tvr[2], 0x88);
	/* online PIN with 40 (42 00), then signature (1E 00), which this
	 * terminal can take (9F33 byte 2 b6): the bypass moves on to the
	 * signature rule; TVR byte 3: only 08 */
	memset(tvr, 0, 5);
	assert_int_equal(emv_data_set(&icc, 0x8e, list, unhex(
		"0000271000000000" "4200" "1E00", list, sizeof(list))), EMV_OK);
	in.capabilities = caps_pin_sig;
	assert_int_equal(emv_cvm_select(&in, &cvm, res, tvr), EMV_OK);
	assert_int_equal(cvm, EMV_CVM_SIGNATURE);
	assert_memory_equal(res, "\x1e\x00", 2);
	assert_int_equal(tvr[2], 0x08);
	in.capabilities = caps_pin;
	in.pin_bypassed = false;
	/* malformed list: odd length */
	assert_int_equal(emv_data_set(&icc, 0x8e, list, unhex(
		"0000271000000000" "5F06" "02", list, sizeof(list))), EMV_OK);
	assert_int_equal(emv_cvm_select(&in, &cvm, res, tvr),
			 EMV_E_DATA_LENGTH);
}

static void test_taa(void **state)
{
	struct emv_data icc;
	struct emv_tac tac = { 0 };
	uint8_t tvr[5] = { 0x80, 0, 0, 0, 0 };
	static const uint8_t iac_denial[5] = { 0x80, 0, 0, 0, 0 };

	emv_data_init(&icc);
	assert_int_equal(emv_taa_first(tvr, &tac, &icc), EMV_AC_ARQC);
	/* no IAC-Default: treated as all ones -> AAC when offline */
	assert_int_equal(emv_taa_unable_online(tvr, &tac, &icc), EMV_AC_AAC);
	assert_int_equal(emv_data_set(&icc, 0x9f0e, iac_denial, 5), EMV_OK);
	assert_int_equal(emv_taa_first(tvr, &tac, &icc), EMV_AC_AAC);
	tvr[0] = 0;
	assert_int_equal(emv_taa_first(tvr, &tac, &icc), EMV_AC_ARQC);
	assert_int_equal(emv_taa_unable_online(tvr, &tac, &icc), EMV_AC_TC);
}

static void test_processing_restrictions(void **state)
{
	struct emv_data icc, term;
	struct emv_card_info card;
	struct emv_date today = { 26, 11, 22 };
	uint8_t tvr[5] = { 0 };
	static const uint8_t cn[2] = { 0x01, 0x56 }, us[2] = { 0x08, 0x40 };
	static const uint8_t goods = 0x00, cash = 0x01;
	/* AUC FF00 minus domestic cash (80): 7F00 */
	static const uint8_t auc_no_dom_cash[2] = { 0x7f, 0x00 };
	static const uint8_t auc_atm_only[2] = { 0x02, 0x00 };

	base_card(&icc);
	assert_int_equal(emv_card_extract(&icc, &card), EMV_OK);
	emv_data_init(&term);
	assert_int_equal(emv_data_set(&term, 0x9f1a, cn, 2), EMV_OK);
	assert_int_equal(emv_data_set(&term, 0x9c, &cash, 1), EMV_OK);
	assert_int_equal(emv_data_set(&icc, 0x5f28, cn, 2), EMV_OK);
	assert_int_equal(emv_data_set(&icc, 0x9f07, auc_no_dom_cash, 2),
			 EMV_OK);
	/* domestic cash not allowed by the AUC: 95 byte 2 bit 5 */
	emv_processing_restrictions(&card, &icc, &term, &today, tvr);
	assert_memory_equal(tvr, "\x00\x10\x00\x00\x00", 5);
	/* the same card abroad (international cash 40 is set): fine */
	memset(tvr, 0, 5);
	assert_int_equal(emv_data_set(&term, 0x9f1a, us, 2), EMV_OK);
	emv_processing_restrictions(&card, &icc, &term, &today, tvr);
	assert_memory_equal(tvr, "\x00\x00\x00\x00\x00", 5);
	/* ATM-only card at a POS */
	memset(tvr, 0, 5);
	assert_int_equal(emv_data_set(&term, 0x9c, &goods, 1), EMV_OK);
	assert_int_equal(emv_data_set(&icc, 0x9f07, auc_atm_only, 2), EMV_OK);
	emv_processing_restrictions(&card, &icc, &term, &today, tvr);
	assert_true(emv_tvr_test(tvr, EMV_TVR_SERVICE_NOT_ALLOWED));
	/* expired the day after 31 Dec 2030; version mismatch */
	memset(tvr, 0, 5);
	assert_int_equal(emv_data_set(&icc, 0x9f08, (const uint8_t *)"\x00\x20",
				      2), EMV_OK);
	assert_int_equal(emv_data_set(&term, 0x9f09, (const uint8_t *)"\x00\x30",
				      2), EMV_OK);
	today = (struct emv_date){ 31, 1, 1 };
	emv_processing_restrictions(&card, &icc, &term, &today, tvr);
	assert_true(emv_tvr_test(tvr, EMV_TVR_EXPIRED));
	assert_true(emv_tvr_test(tvr, EMV_TVR_VERSION_MISMATCH));
	today = (struct emv_date){ 30, 12, 31 };
	memset(tvr, 0, 5);
	emv_processing_restrictions(&card, &icc, &term, &today, tvr);
	assert_false(emv_tvr_test(tvr, EMV_TVR_EXPIRED));
}

static void test_field55(void **state)
{
	struct emv_data d;
	const struct emv_data *src[] = { &d };
	uint8_t out[256];
	size_t n;
	static const struct emv_field55_tag tags[] = {
		{ 0x9f36, true }, { 0x95, false }, { 0x9f26, true },
	};
	const struct emv_field55_list list = { tags, 3 };

	emv_data_init(&d);
	assert_int_equal(emv_data_set(&d, 0x9f26, (const uint8_t *)
				      "\x11\x22\x33\x44\x55\x66\x77\x88", 8),
			 EMV_OK);
	assert_int_equal(emv_field55_build(&list, src, 1, out, sizeof(out),
					   &n), EMV_E_MISSING_TAG);
	assert_int_equal(emv_data_set(&d, 0x9f36, (const uint8_t *)"\x00\x2a",
				      2), EMV_OK);
	/* list order, optional 95 absent: 9F3602002A 9F26081122334455667788 */
	assert_int_equal(emv_field55_build(&list, src, 1, out, sizeof(out),
					   &n), EMV_OK);
	assert_int_equal(n, 16);
	assert_memory_equal(out, "\x9f\x36\x02\x00\x2a\x9f\x26\x08\x11\x22"
			    "\x33\x44\x55\x66\x77\x88", 16);
	assert_int_equal(emv_field55_build(&list, src, 1, out, 10, &n),
			 EMV_E_BUFFER);
	/* the UnionPay list needs the cryptogram and more */
	assert_int_equal(emv_field55_build(&emv_field55_cup_request, src, 1,
					   out, sizeof(out), &n),
			 EMV_E_MISSING_TAG);
}

/* Book 3 10.1: GPO 6985 drops the application, the next one is selected;
 * a candidate whose final SELECT fails is dropped too (Book 1 12.4). */
static void test_session_next_candidate(void **state)
{
	static const struct script_step steps[] = {
		{ "00A404000E",
		  "6F15840E315041592E5359532E4444463031A503880101" "9000", 0 },
		{ "00B2010C00",
		  "702D"
		  "610D4F08A000000333010101870101"
		  "610D4F08A000000333010102870102"
		  "610D4F08A000000333010103870103" "9000", 0 },
		{ "00B2020C00", "6A83", 0 },
		{ "00A4040008A000000333010101", "6F0A8408A0000003330101019000",
		  0 },
		{ "80A8000002830000", "6985", 0 },
		{ "00A4040008A000000333010102", "6A82", 0 },
		{ "00A4040008A000000333010103", "6F0A8408A0000003330101039000",
		  0 },
		/* AIP 0000 (no CVM), AFL SFI 1 record 1 */
		{ "80A8000002830000", "800600000801010090" "00", 0 },
		{ "00B2010C00", "701D5A0862123456789012325F24033012315F340101"
		  "8C039F02068D028A02" "9000", 0 },
	};
	struct script_transport s;
	struct emv_terminal_config cfg = {
		.aids = emv_default_aids, .n_aids = emv_n_default_aids,
	};
	struct emv_txn_params txn = { .amount = 1, .date = { 0x26, 1, 1 } };
	static struct emv_session session;
	size_t len;

	SCRIPT_INIT(&s, steps);
	emv_session_init(&session, &s.t, &cfg);
	assert_int_equal(emv_session_read_card(&session, &txn), EMV_OK);
	assert_int_equal(s.pos, s.n);
	assert_int_equal(emv_data_get(&session.icc, 0x84, &len)[7], 0x03);
	assert_int_equal(session.candidates.n, 1);
	assert_int_equal(session.cvm, EMV_CVM_NONE);
	emv_session_end(&session);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apdu_get_response_and_wrong_le),
		cmocka_unit_test(test_apdu_errors),
		cmocka_unit_test(test_apdu_endless_61),
		cmocka_unit_test(test_record_good_with_padding),
		cmocka_unit_test(test_record_design_vector),
		cmocka_unit_test(test_record_malformed),
		cmocka_unit_test(test_record_oversized),
		cmocka_unit_test(test_read_records_over_transport),
		cmocka_unit_test(test_afl),
		cmocka_unit_test(test_gpo_parse),
		cmocka_unit_test(test_gpo_conditions_not_satisfied),
		cmocka_unit_test(test_gpo_long_pdol_data),
		cmocka_unit_test(test_dol_build_rules),
		cmocka_unit_test(test_card_extract),
		cmocka_unit_test(test_ac_response),
		cmocka_unit_test(test_generate_ac_cid_above_request),
		cmocka_unit_test(test_select_pse_blocked_card),
		cmocka_unit_test(test_select_pse_malformed_falls_back),
		cmocka_unit_test(test_select_unionpay_partial),
		cmocka_unit_test(test_select_priority_and_confirmation),
		cmocka_unit_test(test_final_select_mismatch),
		cmocka_unit_test(test_cvm_rules),
		cmocka_unit_test(test_taa),
		cmocka_unit_test(test_processing_restrictions),
		cmocka_unit_test(test_field55),
		cmocka_unit_test(test_session_next_candidate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
