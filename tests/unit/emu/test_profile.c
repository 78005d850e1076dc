// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Card profile parser and APDU matcher of the reader emulator
 * (tests/emu/emu_profile.c).  Expected answers are read off the profile
 * text by hand (tests/emu/profiles/emv-test.card and the inline profiles).
 * The emv-card line: the real terminal flow (daemon/emv) through
 * emu_profile_answer() against tests/emu/profiles/emv-vcard-unionpay.card,
 * its ARQC verified with the issuer key written in the card's profile.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../emu/emu_profile.h"
#include "emv/issuer.h"
#include "emv/terminal.h"
#include "iso8583/tlv.h"

#define EMV_CARD "tests/emu/profiles/emv-test.card"
#define VCARD_EMU "tests/emu/profiles/emv-vcard-unionpay.card"

/* Write @text to a temporary profile file; returns its path (static). */
static const char *temp_profile(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/emu-profile-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	return path;
}

static void answer(const struct emu_profile *p, const char *cmd_hex,
		   const char *want_hex)
{
	uint8_t cmd[300], want[600], *rsp = NULL;
	size_t rsp_len = 0;
	int cn = emu_hex_parse(cmd_hex, cmd, sizeof(cmd));
	int wn = emu_hex_parse(want_hex, want, sizeof(want));

	assert_true(cn > 0 && wn > 0);
	assert_int_equal(emu_profile_answer(p, cmd, (size_t)cn, 65544, &rsp,
					    &rsp_len), 0);
	assert_int_equal(rsp_len, (size_t)wn);
	assert_memory_equal(rsp, want, (size_t)wn);
	free(rsp);
}

static void test_hex_parse(void **state)
{
	uint8_t b[4];

	(void)state;
	assert_int_equal(emu_hex_parse("3B 65\t0a", b, sizeof(b)), 3);
	assert_int_equal(b[0], 0x3b);
	assert_int_equal(b[2], 0x0a);
	assert_int_equal(emu_hex_parse("3B6", b, sizeof(b)), -1);	/* odd */
	assert_int_equal(emu_hex_parse("3G", b, sizeof(b)), -1);
	assert_int_equal(emu_hex_parse("0102030405", b, sizeof(b)), -1);
	assert_int_equal(emu_hex_parse("", b, sizeof(b)), 0);
}

static void test_emv_card_header(void **state)
{
	struct emu_profile p;
	char err[128];
	static const uint8_t atr[] = { 0x3b, 0x65, 0x00, 0x00, 0x9c, 0x11,
				       0x01, 0x01, 0x03 };

	(void)state;
	assert_int_equal(emu_profile_load(&p, EMV_CARD, err, sizeof(err)), 0);
	assert_string_equal(p.name, "emv-test-visa");
	assert_false(p.mute);
	assert_int_equal(p.atr_len, sizeof(atr));
	assert_memory_equal(p.atr, atr, sizeof(atr));
	assert_int_equal(p.n_rules, 13);	/* the "apdu" lines */
	emu_profile_free(&p);
}

static void test_emv_card_answers(void **state)
{
	struct emu_profile p;
	char err[128];

	(void)state;
	assert_int_equal(emu_profile_load(&p, EMV_CARD, err, sizeof(err)), 0);
	/* exact pattern */
	answer(&p, "0084000008", "0102030405060708 9000");
	/* exact pattern, longer command: no match, default 6D00 */
	answer(&p, "008400000800", "6D00");
	/* prefix + "*": SELECT PSE with Le */
	answer(&p, "00A404000E315041592E5359532E444446303100",
	       "6F1C840E315041592E5359532E4444463031A50A8801015F2D04656E7A68 9000");
	/* first matching line wins: SELECT of another AID falls through to
	 * the catch-all 6A82 line */
	answer(&p, "00A4040007A000000004101000", "6A82");
	/* echo: short case 4 returns the data field then the SW */
	answer(&p, "80EE000003AABBCC00", "AABBCC 9000");
	/* echo without data (case 1): just the SW */
	answer(&p, "80EE0000", "9000");
	emu_profile_free(&p);
}

static void test_seq_256(void **state)
{
	struct emu_profile p;
	char err[128];
	uint8_t cmd[] = { 0x00, 0xb0, 0x00, 0x00, 0x00 }, *rsp;
	size_t n;

	(void)state;
	assert_int_equal(emu_profile_load(&p, EMV_CARD, err, sizeof(err)), 0);
	assert_int_equal(emu_profile_answer(&p, cmd, sizeof(cmd), 65544, &rsp,
					    &n), 0);
	assert_int_equal(n, 258);
	for (int i = 0; i < 256; i++)
		assert_int_equal(rsp[i], i);
	assert_int_equal(rsp[256], 0x90);
	assert_int_equal(rsp[257], 0x00);
	free(rsp);
	/* the same answer does not fit in 257 bytes */
	assert_int_equal(emu_profile_answer(&p, cmd, sizeof(cmd), 257, &rsp,
					    &n), -EMSGSIZE);
	emu_profile_free(&p);
}

/* Extended case 4: 80 EE 00 00 | 00 01 00 | 256 data bytes | 00 00. */
static void test_echo_extended(void **state)
{
	struct emu_profile p;
	char err[128];
	uint8_t cmd[4 + 3 + 256 + 2], *rsp;
	size_t n;

	(void)state;
	assert_int_equal(emu_profile_load(&p, EMV_CARD, err, sizeof(err)), 0);
	memcpy(cmd, "\x80\xee\x00\x00\x00\x01\x00", 7);
	for (int i = 0; i < 256; i++)
		cmd[7 + i] = (uint8_t)(255 - i);
	cmd[263] = cmd[264] = 0;
	assert_int_equal(emu_profile_answer(&p, cmd, sizeof(cmd), 65544, &rsp,
					    &n), 0);
	assert_int_equal(n, 258);
	assert_memory_equal(rsp, cmd + 7, 256);
	assert_int_equal(rsp[256], 0x90);
	free(rsp);
	/* Lc larger than the bytes present: no data field is trusted */
	cmd[5] = 0xff;
	assert_int_equal(emu_profile_answer(&p, cmd, sizeof(cmd), 65544, &rsp,
					    &n), 0);
	assert_int_equal(n, 2);
	free(rsp);
	emu_profile_free(&p);
}

static void test_wildcard_and_default(void **state)
{
	struct emu_profile p;
	char err[128];
	const char *path = temp_profile(
		"name t\n"
		"atr 3B00\n"
		"default 6F00   # a comment\n"
		"apdu 00 .. 00 00 -> 6283\n");

	(void)state;
	assert_int_equal(emu_profile_load(&p, path, err, sizeof(err)), 0);
	unlink(path);
	answer(&p, "00120000", "6283");
	answer(&p, "00FF0000", "6283");
	answer(&p, "00120001", "6F00");
	emu_profile_free(&p);
}

static void test_mute(void **state)
{
	struct emu_profile p;
	char err[128];
	const char *path = temp_profile("atr mute\n");

	(void)state;
	assert_int_equal(emu_profile_load(&p, path, err, sizeof(err)), 0);
	unlink(path);
	assert_true(p.mute);
	emu_profile_free(&p);
}

static void expect_error(const char *text, const char *where)
{
	struct emu_profile p;
	char err[256];
	const char *path = temp_profile(text);

	assert_int_equal(emu_profile_load(&p, path, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, where));
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("atr 3B00\napdu 00A40400 6A82\n", ":2:");	/* no -> */
	expect_error("atr 3B00\napdu 00A4 -> 9000\n", ":2:");	/* < 4 bytes */
	expect_error("atr 3B00\napdu 00A40400 -> 9\n", ":2:");	/* odd hex */
	expect_error("atr 3B00\napdu 00A40400 -> 90\n", ":2:");	/* no SW2 */
	expect_error("atr 3B00\napdu 00A4* 00 -> 9000\n", ":2:");	/* * not last */
	expect_error("atr 3B00\napdu 00A40400 -> seq x 9000\n", ":2:");
	expect_error("atr 3B00\napdu 00A40400 -> seq 70000 9000\n", ":2:");
	expect_error("atr 3B00\nfrobnicate 1\n", ":2:");
	expect_error("name x\n", "no atr line");
	expect_error("atr 3B\n", ":1:");	/* an ATR has at least TS, T0 */
	{
		struct emu_profile p;
		char err[256];

		assert_int_equal(emu_profile_load(&p, "/nonexistent/card", err,
						  sizeof(err)), -1);
		assert_non_null(strstr(err, "No such file"));
	}
}

/* ---- emv-card: a virtual EMV card behind the profile ---- */

/* The emulator's answer path as an EMV transport. */
static int via_profile(void *ctx, const uint8_t *capdu, size_t capdu_len,
		       uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	uint8_t *rsp;
	size_t n;
	int ret = emu_profile_answer(ctx, capdu, capdu_len, 65544, &rsp, &n);

	if (ret)
		return ret;
	if (n > rapdu_size) {
		free(rsp);
		return -EMSGSIZE;
	}
	memcpy(rapdu, rsp, n);
	*rapdu_len = n;
	free(rsp);
	return 0;
}

static void terminal_config(struct emv_terminal_config *c)
{
	memset(c, 0, sizeof(*c));
	c->aids = emv_default_aids;
	c->n_aids = emv_n_default_aids;
	memcpy(c->country, "\x01\x56", 2);
	memcpy(c->currency, "\x01\x56", 2);
	memcpy(c->capabilities, "\x20\x48\x08", 3);	/* online PIN */
	c->terminal_type = 0x22;
	memcpy(c->app_version, "\x00\x30", 2);
	memcpy(c->ifd_serial, "PAYCARD1", 8);
	memcpy(c->tac.online, "\xff\xff\xff\xff\xff", 5);
	memcpy(c->tac.dflt, "\xff\xff\xff\xff\xff", 5);
}

/*
 * One purchase through the profile: returns the ATC the card used.  The
 * issuer side uses what tests/emu/card/profiles/unionpay-debit.card says:
 * imk 0123456789ABCDEFFEDCBA9876543210, PAN 6212345678901232, PSN 01.
 */
static unsigned purchase(struct emu_profile *p)
{
	static const uint8_t imk[16] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
	};
	struct emv_transport t = { .transceive = via_profile, .ctx = p };
	struct emv_terminal_config cfg;
	struct emv_txn_params txn = {
		.amount = 1234, .date = { 0x26, 0x11, 0x22 },
		.unpredictable = { 1, 2, 3, 4 }, .sequence = 1,
	};
	struct emv_session s;
	struct emv_host_reply reply = { .online = true, .arc = { '0', '0' } };
	enum emv_ac_type type;
	uint8_t f55[255], iad[EMV_ISSUER_AUTH_LEN];
	size_t len;
	struct tlv atc;

	terminal_config(&cfg);
	emv_session_init(&s, &t, &cfg);
	assert_int_equal(emv_session_read_card(&s, &txn), EMV_OK);
	assert_string_equal(s.card.pan, "6212345678901232");
	emv_session_pin_entered(&s);
	assert_int_equal(emv_session_first_ac(&s, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_ARQC);
	assert_int_equal(emv_session_field55(&s, &emv_field55_cup_request, f55,
					     sizeof(f55), &len), EMV_OK);
	assert_int_equal(emv_issuer_verify_arqc(imk, "6212345678901232", 1,
						f55, len, "00", iad), EMV_OK);
	reply.issuer_auth = iad;
	reply.issuer_auth_len = sizeof(iad);
	assert_int_equal(emv_session_complete(&s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	assert_int_equal(tlv_find(f55, len, 0x9f36, &atc), TLV_OK);
	assert_int_equal(atc.len, 2);
	emv_session_end(&s);
	return (unsigned)atc.value[0] << 8 | atc.value[1];
}

static void test_emv_card_sale(void **state)
{
	struct emu_profile p;
	char err[256];
	static const uint8_t atr[] = { 0x3b, 0x65, 0x00, 0x00, 0x9c, 0x11,
				       0x01, 0x01, 0x03 };

	(void)state;
	assert_int_equal(emu_profile_load(&p, VCARD_EMU, err, sizeof(err)), 0);
	assert_string_equal(p.name, "emv-vcard-unionpay");
	assert_int_equal(p.atr_len, sizeof(atr));
	assert_memory_equal(p.atr, atr, sizeof(atr));
	assert_non_null(p.vcard);
	assert_int_equal(p.n_rules, 0);
	/* the profile says "atc 0010", the last one used: each first
	 * GENERATE AC counts up, and the card keeps it while inserted */
	assert_int_equal(purchase(&p), 0x0011);
	assert_int_equal(purchase(&p), 0x0012);
	/* removal: the card is wiped and gone */
	emu_profile_free(&p);
	assert_null(p.vcard);
}

/* Absolute paths; a card answer larger than the reader allows. */
static void test_emv_card_absolute_path(void **state)
{
	struct emu_profile p;
	char err[256], cwd[PATH_MAX], text[PATH_MAX + 64];
	/* SELECT 1PAY.SYS.DDF01 */
	static const uint8_t select_pse[] = {
		0x00, 0xa4, 0x04, 0x00, 0x0e, '1', 'P', 'A', 'Y', '.', 'S', 'Y',
		'S', '.', 'D', 'D', 'F', '0', '1', 0x00,
	};
	const char *path;
	uint8_t *rsp;
	size_t n;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(text, sizeof(text), "atr 3B00\nemv-card %s/%s\n", cwd,
		 "tests/emu/card/profiles/visa-no-pse.card");
	path = temp_profile(text);
	assert_int_equal(emu_profile_load(&p, path, err, sizeof(err)), 0);
	unlink(path);
	/* this card has no PSE: "file not found" */
	assert_int_equal(emu_profile_answer(&p, select_pse, sizeof(select_pse),
					    65544, &rsp, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(rsp, "\x6a\x82", 2);
	free(rsp);
	/* a reader limited to 1 byte cannot carry even the status word */
	assert_int_equal(emu_profile_answer(&p, select_pse, sizeof(select_pse),
					    1, &rsp, &n), -EMSGSIZE);
	emu_profile_free(&p);
}

static void test_emv_card_errors(void **state)
{
	(void)state;
	/* the virtual card's own loader names the missing file */
	expect_error("atr 3B00\nemv-card /nonexistent/x.card\n",
		     "/nonexistent/x.card: No such file");
	/* an empty file is no card (no PAN, no application) */
	expect_error("atr 3B00\nemv-card /dev/null\n", "/dev/null: needs pan");
	expect_error("atr 3B00\nemv-card\n", ":2: cannot parse");
	{
		char cwd[PATH_MAX], text[2 * PATH_MAX + 128];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		snprintf(text, sizeof(text), "atr 3B00\n"
			 "emv-card %s/tests/emu/card/profiles/visa-no-pse.card\n"
			 "emv-card %s/tests/emu/card/profiles/visa-no-pse.card\n",
			 cwd, cwd);
		expect_error(text, ":3: cannot parse");	/* one card only */
		snprintf(text, sizeof(text), "atr 3B00\n"
			 "emv-card %s/tests/emu/card/profiles/visa-no-pse.card\n"
			 "apdu 00A40400 * -> 9000\n", cwd);
		expect_error(text, "exclude each other");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_parse),
		cmocka_unit_test(test_emv_card_header),
		cmocka_unit_test(test_emv_card_answers),
		cmocka_unit_test(test_seq_256),
		cmocka_unit_test(test_echo_extended),
		cmocka_unit_test(test_wildcard_and_default),
		cmocka_unit_test(test_mute),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_emv_card_sale),
		cmocka_unit_test(test_emv_card_absolute_path),
		cmocka_unit_test(test_emv_card_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
