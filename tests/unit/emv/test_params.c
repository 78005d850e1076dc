// SPDX-License-Identifier: MIT
/*
 * Acquirer parameters: UnionPay AID and CA public key records.
 *
 * The records are real ones, as public UnionPay POS code presets them
 * (and the IC parameter / CA key downloads of field 62 carry them): the
 * four UnionPay CA keys A000000333 #01-#04 with their check values DF03,
 * and the UnionPay debit AID record (9F06 A000000333010101, DF01 00, TACs
 * D84000A800 / D84004F800 / 0010000000, floor limit 0000C350, DDOL
 * 9F3704).  The check values were computed by UnionPay, not by us: our
 * SHA-1 over RID || index || modulus || exponent must equal them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../test_hex.h"
#include "common/hex.h"
#include "emv/params.h"

static const char *const unionpay_capks[] = {
	"9F0605A0000003339F220101DF05083230313431323331DF060101DF070101DF028180BBE9066D2517511D239C7BFA77884144AE20C7372F515147E8CE6537C54C0A6A4D45F8CA4D290870CDA59F1344EF71D17D3F35D92F3F06778D0D511EC2A7DC4FFEADF4FB1253CE37A7B2B5A3741227BEF72524DA7A2B7B1CB426BEE27BC513B0CB11AB99BC1BC61DF5AC6CC4D831D0848788CD74F6D543AD37C5A2B4C5D5A93BDF040103DF0314E881E390675D44C2DD81234DCE29C3F5AB2297A0",
	"9F0605A0000003339F220102DF05083230323131323331DF060101DF070101DF028190A3767ABD1B6AA69D7F3FBF28C092DE9ED1E658BA5F0909AF7A1CCD907373B7210FDEB16287BA8E78E1529F443976FD27F991EC67D95E5F4E96B127CAB2396A94D6E45CDA44CA4C4867570D6B07542F8D4BF9FF97975DB9891515E66F525D2B3CBEB6D662BFB6C3F338E93B02142BFC44173A3764C56AADD202075B26DC2F9F7D7AE74BD7D00FD05EE430032663D27A57DF040103DF031403BB335A8549A03B87AB089D006F60852E4B8060",
	"9F0605A0000003339F220103DF05083230323431323331DF060101DF070101DF0281B0B0627DEE87864F9C18C13B9A1F025448BF13C58380C91F4CEBA9F9BCB214FF8414E9B59D6ABA10F941C7331768F47B2127907D857FA39AAF8CE02045DD01619D689EE731C551159BE7EB2D51A372FF56B556E5CB2FDE36E23073A44CA215D6C26CA68847B388E39520E0026E62294B557D6470440CA0AEFC9438C923AEC9B2098D6D3A1AF5E8B1DE36F4B53040109D89B77CAFAF70C26C601ABDF59EEC0FDC8A99089140CD2E817E335175B03B7AA33DDF040103DF031487F0CD7C0E86F38F89A66F8C47071A8B88586F26",
	"9F0605A0000003339F220104DF05083230323531323331DF060101DF070101DF0281F8BC853E6B5365E89E7EE9317C94B02D0ABB0DBD91C05A224A2554AA29ED9FCB9D86EB9CCBB322A57811F86188AAC7351C72BD9EF196C5A01ACEF7A4EB0D2AD63D9E6AC2E7836547CB1595C68BCBAFD0F6728760F3A7CA7B97301B7E0220184EFC4F653008D93CE098C0D93B45201096D1ADFF4CF1F9FC02AF759DA27CD6DFD6D789B099F16F378B6100334E63F3D35F3251A5EC78693731F5233519CDB380F5AB8C0F02728E91D469ABD0EAE0D93B1CC66CE127B29C7D77441A49D09FCA5D6D9762FC74C31BB506C8BAE3C79AD6C2578775B95956B5370D1D0519E37906B384736233251E8F09AD79DFBE2C6ABFADAC8E4D8624318C27DAF1DF040103DF0314F527081CF371DD7E1FD4FA414A665036E0F5E6E5",
};

static const char unionpay_debit_aid[] =
	"9F0608A000000333010101DF0101009F08020020DF1105D84000A800"
	"DF1205D84004F800DF130500100000009F1B040000C350DF150400000000"
	"DF160199DF170199DF14039F3704DF1801019F7B06100000000000"
	"DF1906100000000000DF2006100000000000DF2106100000000000";


static void test_unionpay_capks(void **state)
{
	static const size_t modulus_len[] = { 128, 144, 176, 248 };
	static const uint8_t expiry_yy[] = { 14, 21, 24, 25 };

	for (size_t i = 0; i < 4; i++) {
		uint8_t rec[400];
		size_t len = unhex(unionpay_capks[i], rec, sizeof(rec));
		struct emv_capk k;
		struct emv_date exp;

		assert_int_equal(emv_capk_parse(rec, len, &k, &exp), EMV_OK);
		assert_memory_equal(k.rid, "\xa0\x00\x00\x03\x33", 5);
		assert_int_equal(k.index, i + 1);
		assert_int_equal(k.modulus_len, modulus_len[i]);
		assert_int_equal(k.exponent_len, 1);
		assert_int_equal(k.exponent[0], 3);
		assert_int_equal(exp.yy, expiry_yy[i]);
		assert_int_equal(exp.mm, 12);
		assert_int_equal(exp.dd, 31);
	}
}

/* One modulus bit, or one check value bit: the record is refused. */
static void test_capk_check_value_mismatch(void **state)
{
	uint8_t rec[400];
	size_t len = unhex(unionpay_capks[0], rec, sizeof(rec));
	struct emv_capk k;
	struct emv_date exp;

	rec[60] ^= 0x01;	/* inside DF02 */
	assert_int_equal(emv_capk_parse(rec, len, &k, &exp), EMV_E_CHECKSUM);
	rec[60] ^= 0x01;
	rec[len - 1] ^= 0x80;	/* DF03's last byte */
	assert_int_equal(emv_capk_parse(rec, len, &k, &exp), EMV_E_CHECKSUM);
	rec[len - 1] ^= 0x80;
	assert_int_equal(emv_capk_parse(rec, len, &k, &exp), EMV_OK);
	/* truncated: bad TLV */
	assert_int_equal(emv_capk_parse(rec, len - 3, &k, &exp), EMV_E_TLV);
	/* a hash algorithm other than SHA-1 (DF06 01 01 at offset 23) */
	assert_int_equal(rec[23], 0xdf);
	assert_int_equal(rec[24], 0x06);
	rec[26] = 0x02;
	assert_int_equal(emv_capk_parse(rec, len, &k, &exp), EMV_E_DATA_FORMAT);
}

static void test_unionpay_aid_record(void **state)
{
	uint8_t rec[200];
	size_t len = unhex(unionpay_debit_aid, rec, sizeof(rec));
	struct emv_aid_params p;

	assert_int_equal(emv_aid_params_parse(rec, len, &p), EMV_OK);
	assert_int_equal(p.aid.len, 8);
	assert_memory_equal(p.aid.aid, "\xa0\x00\x00\x03\x33\x01\x01\x01", 8);
	assert_true(p.aid.partial);		/* DF01 00 */
	assert_memory_equal(p.app_version, "\x00\x20", 2);	/* sent as 9F08 */
	assert_memory_equal(p.tac.dflt, "\xd8\x40\x00\xa8\x00", 5);
	assert_memory_equal(p.tac.online, "\xd8\x40\x04\xf8\x00", 5);
	assert_memory_equal(p.tac.denial, "\x00\x10\x00\x00\x00", 5);
	assert_int_equal(p.risk.floor_limit, 50000);	/* 500.00 CNY */
	assert_int_equal(p.risk.random.threshold, 0);
	assert_int_equal(p.risk.random.target_percent, 99);
	assert_int_equal(p.risk.random.max_target_percent, 99);
	assert_int_equal(p.default_ddol_len, 3);
	assert_memory_equal(p.default_ddol, "\x9f\x37\x04", 3);
	assert_true(p.online_pin);
}

static void test_aid_record_errors(void **state)
{
	uint8_t rec[200];
	struct emv_aid_params p;
	size_t len;

	/* no TAC-Denial */
	len = unhex("9F0608A000000333010101DF1105D84000A800DF1205D84004F800",
		    rec, sizeof(rec));
	assert_int_equal(emv_aid_params_parse(rec, len, &p), EMV_E_MISSING_TAG);
	/* a 4-byte TAC */
	len = unhex("9F0608A000000333010101DF1104D84000A8DF1205D84004F800"
		    "DF13050010000000", rec, sizeof(rec));
	assert_int_equal(emv_aid_params_parse(rec, len, &p), EMV_E_DATA_LENGTH);
	/* a percentage that is not BCD */
	len = unhex("9F0608A000000333010101DF1105D84000A800DF1205D84004F800"
		    "DF13050010000000DF17015A", rec, sizeof(rec));
	assert_int_equal(emv_aid_params_parse(rec, len, &p), EMV_E_DATA_FORMAT);
	/* DF01 01: exact selection only */
	len = unhex("9F0608A000000333010101DF010101DF1105D84000A800"
		    "DF1205D84004F800DF13050010000000", rec, sizeof(rec));
	assert_int_equal(emv_aid_params_parse(rec, len, &p), EMV_OK);
	assert_false(p.aid.partial);
}

static void test_aid_params_find(void **state)
{
	struct emv_aid_params list[2];
	uint8_t rec[200];
	size_t len = unhex(unionpay_debit_aid, rec, sizeof(rec));

	assert_int_equal(emv_aid_params_parse(rec, len, &list[0]), EMV_OK);
	list[1] = list[0];
	list[1].aid.aid[7] = 0x02;
	list[1].aid.partial = false;
	assert_ptr_equal(emv_aid_params_find(list, 2, list[0].aid.aid, 8),
			 &list[0]);
	assert_ptr_equal(emv_aid_params_find(list, 2,
			 (const uint8_t *)"\xa0\x00\x00\x03\x33\x01\x01\x01\x01", 9),
			 &list[0]);
	assert_ptr_equal(emv_aid_params_find(list, 2,
			 (const uint8_t *)"\xa0\x00\x00\x03\x33\x01\x01\x02\x01", 9),
			 NULL);
	assert_ptr_equal(emv_aid_params_find(list, 2, list[1].aid.aid, 8),
			 &list[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unionpay_capks),
		cmocka_unit_test(test_capk_check_value_mismatch),
		cmocka_unit_test(test_unionpay_aid_record),
		cmocka_unit_test(test_aid_record_errors),
		cmocka_unit_test(test_aid_params_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
