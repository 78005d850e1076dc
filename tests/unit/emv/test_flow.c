// SPDX-License-Identifier: MIT
/*
 * The terminal flow against the virtual card, in process: a full chip read,
 * an ARQC verified from the issuer master key the way the host simulator
 * will (emv_issuer_verify_arqc on field 55), the issuer's
 * ARPC and the second GENERATE AC; plus the alternatives (no PSE, blocked
 * application, T=0 GET RESPONSE, card pulled out, decline, host silent,
 * issuer scripts).
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
#include "emv/issuer.h"
#include "emv/terminal.h"
#include "iso8583/tlv.h"
#include "terminal_config.h"
#include "virtual_card.h"

struct fixture {
	struct vcard_profile profile;
	struct vcard card;
	struct emv_transport t;
	struct emv_terminal_config cfg;
	struct emv_txn_params txn;
	struct emv_session s;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	vcard_profile_unionpay_debit(&f->profile);
	test_terminal_config(&f->cfg);
	f->txn = (struct emv_txn_params){
		.amount = 1234, .type = 0x00,
		.date = { 0x26, 0x11, 0x22 }, .time = { 0x12, 0x00, 0x00 },
		.unpredictable = { 0x11, 0x22, 0x33, 0x44 }, .sequence = 1,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vcard_wipe(&f->card);
	emv_session_end(&f->s);
	test_free(f);
	return 0;
}

/* (Re)start the card from f->profile and a fresh session. */
static void start(struct fixture *f)
{
	assert_int_equal(vcard_init(&f->card, &f->profile), 0);
	f->t.transceive = vcard_transceive;
	f->t.ctx = &f->card;
	emv_session_init(&f->s, &f->t, &f->cfg);
}

static const uint8_t *f55_value(const uint8_t *f55, size_t len, uint32_t tag,
				size_t *vlen)
{
	struct tlv t;

	if (tlv_find(f55, len, tag, &t) != TLV_OK)
		return NULL;
	*vlen = t.len;
	return t.value;
}

/* What the host simulator does with the request's field 55. */
static enum emv_status host_verify(const struct fixture *f,
				   const uint8_t *f55, size_t len,
				   const char arc[2], uint8_t iad[10])
{
	return emv_issuer_verify_arqc(f->profile.imk, f->profile.pan,
				      f->profile.psn, f55, len, arc, iad);
}

/* Read the card and get an ARQC; returns field 55 in @f55. */
static void read_to_arqc(struct fixture *f, uint8_t *f55, size_t *len)
{
	enum emv_ac_type type;

	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_int_equal(f->s.cvm, EMV_CVM_ONLINE_PIN);
	emv_session_pin_entered(&f->s);
	assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_ARQC);
	assert_int_equal(emv_session_field55(&f->s, &emv_field55_cup_request,
					     f55, 512, len), EMV_OK);
}

static void approve(struct fixture *f, const uint8_t *f55, size_t len,
		    struct emv_host_reply *reply, uint8_t iad[10])
{
	assert_int_equal(host_verify(f, f55, len, "00", iad), EMV_OK);
	assert_memory_equal(iad + 8, "00", 2);
	*reply = (struct emv_host_reply){
		.online = true, .arc = { '0', '0' },
		.issuer_auth = iad, .issuer_auth_len = 10,
	};
}

static void test_full_chip_sale(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply;
	uint8_t f55[512], iad[10];
	size_t len, vlen;
	enum emv_ac_type type;
	const uint8_t *v;

	start(f);
	read_to_arqc(f, f55, &len);
	/* card data as personalised in the profile */
	assert_string_equal(f->s.card.pan, "6212345678901232");
	assert_int_equal(f->s.card.psn, 1);
	assert_string_equal(f->s.card.name, "ZHANG/SAN");
	assert_int_equal(f->s.card.expiry.yy, 30);
	assert_string_equal(f->s.card.track2, "6212345678901232=3012220123450"
			    "0000");
	/* credit has priority 1, debit 2: credit is chosen */
	v = emv_data_get(&f->s.icc, 0x84, &vlen);
	assert_int_equal(vlen, 8);
	assert_int_equal(v[7], 0x02);
	/* CVM results: online PIN (42), if supported (03), unknown (00) */
	assert_memory_equal(f->s.cvm_results, "\x42\x03\x00", 3);
	/* TVR: ODA not performed (online-only), online PIN entered */
	assert_memory_equal(f->s.tvr, "\x80\x00\x04\x00\x00", 5);
	/* field 55 carries the tags the host needs, starting with 9F26 */
	assert_int_equal(f55[0], 0x9f);
	assert_int_equal(f55[1], 0x26);
	v = f55_value(f55, len, 0x9f02, &vlen);
	assert_non_null(v);
	assert_memory_equal(v, "\x00\x00\x00\x00\x12\x34", 6);
	assert_non_null(f55_value(f55, len, 0x9f1e, &vlen));
	assert_int_equal(tlv_validate(f55, len, NULL), TLV_OK);

	approve(f, f55, len, &reply, iad);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	assert_true(f->s.tsi[0] & EMV_TSI_ISSUER_AUTH);
	assert_false(emv_tvr_test(f->s.tvr, EMV_TVR_ISSUER_AUTH_FAILED));
}

static void test_arqc_tampered_amount_fails(void **state)
{
	struct fixture *f = *state;
	uint8_t f55[512], iad[10];
	size_t len, vlen;
	uint8_t *amount;

	start(f);
	read_to_arqc(f, f55, &len);
	amount = (uint8_t *)f55_value(f55, len, 0x9f02, &vlen);
	amount[5] ^= 0x01;	/* 12.34 -> 12.35 */
	assert_int_equal(host_verify(f, f55, len, "00", iad),
			 EMV_E_CRYPTOGRAM);
}

static void test_bad_arpc_declines(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply;
	uint8_t f55[512], iad[10];
	size_t len;
	enum emv_ac_type type;

	start(f);
	read_to_arqc(f, f55, &len);
	approve(f, f55, len, &reply, iad);
	iad[0] ^= 0xff;
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_AAC);
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_ISSUER_AUTH_FAILED));
}

static void test_host_declines(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply = { .online = true, .arc = { '5', '1' } };
	uint8_t f55[512];
	size_t len, vlen;
	enum emv_ac_type type;
	const uint8_t *arc;

	start(f);
	read_to_arqc(f, f55, &len);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_AAC);
	arc = emv_data_get(&f->s.terminal, 0x8a, &vlen);
	assert_memory_equal(arc, "51", 2);
}

static void test_issuer_auth_in_cdol2(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply;
	uint8_t f55[512], iad[10];
	size_t len;
	enum emv_ac_type type;

	f->profile.issuer_auth_in_cdol2 = true;
	start(f);
	read_to_arqc(f, f55, &len);
	approve(f, f55, len, &reply, iad);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	/* no EXTERNAL AUTHENTICATE when the card takes 91 in CDOL2 */
	assert_false(f->s.tsi[0] & EMV_TSI_ISSUER_AUTH);
}

static void test_host_unreachable_default_action(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply = { .online = false };
	uint8_t f55[512];
	size_t len, vlen;
	enum emv_ac_type type;

	start(f);
	read_to_arqc(f, f55, &len);
	/* IAC-Default D8.. has "ODA not performed": decline (AAC) */
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_AAC);
	assert_memory_equal(emv_data_get(&f->s.terminal, 0x8a, &vlen), "Z3",
			    2);
}

static void test_t0_get_response(void **state)
{
	struct fixture *f = *state;
	uint8_t f55[512], iad[10];
	size_t len;

	f->profile.t0_get_response = true;
	start(f);
	read_to_arqc(f, f55, &len);
	assert_int_equal(host_verify(f, f55, len, "00", iad), EMV_OK);
}

static void test_no_pse_blocked_app(void **state)
{
	struct fixture *f = *state;
	uint8_t f55[512], iad[10];
	size_t len, vlen;
	const uint8_t *v;

	f->profile.has_pse = false;
	f->profile.apps[1].blocked = true;	/* credit */
	start(f);
	read_to_arqc(f, f55, &len);
	v = emv_data_get(&f->s.icc, 0x84, &vlen);
	assert_int_equal(v[7], 0x01);	/* debit */
	assert_int_equal(f->s.candidates.n, 1);
	assert_int_equal(host_verify(f, f55, len, "00", iad), EMV_OK);
}

static void test_card_removed(void **state)
{
	struct fixture *f = *state;
	enum emv_ac_type type;

	/* pulled out during the records */
	f->profile.remove_after = 5;
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn),
			 EMV_E_CARD_REMOVED);
	/* pulled out before GENERATE AC: count the APDUs of a read first */
	f->profile.remove_after = 0;
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	f->card.p.remove_after = f->card.commands = 1;
	assert_int_equal(emv_session_first_ac(&f->s, &type),
			 EMV_E_CARD_REMOVED);
}

static void test_expired_card_declined_offline(void **state)
{
	struct fixture *f = *state;
	enum emv_ac_type type;

	memcpy(f->profile.expiry, "\x25\x12\x31", 3);
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_EXPIRED));
	assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_AAC);
	/* the flow is over: no second AC */
	struct emv_host_reply reply = { .online = true, .arc = { '0', '0' } };
	assert_int_equal(emv_session_complete(&f->s, &reply, &type),
			 EMV_E_STATE);
}

static void test_not_yet_effective(void **state)
{
	struct fixture *f = *state;

	memcpy(f->profile.effective, "\x27\x01\x01", 3);
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_NOT_EFFECTIVE));
	assert_false(emv_tvr_test(f->s.tvr, EMV_TVR_EXPIRED));
}

static void test_issuer_scripts(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply;
	/* 71: id 11223344, GET DATA PIN try counter (accepted);
	 * 72: id 55667788, an instruction the card does not know (6D00) */
	static const uint8_t scripts[] = {
		0x71, 0x0e, 0x9f, 0x18, 0x04, 0x11, 0x22, 0x33, 0x44,
		0x86, 0x05, 0x80, 0xca, 0x9f, 0x17, 0x00,
		0x72, 0x0e, 0x9f, 0x18, 0x04, 0x55, 0x66, 0x77, 0x88,
		0x86, 0x05, 0x84, 0x16, 0x00, 0x00, 0x00,
	};
	uint8_t f55[512], iad[10], rev[64];
	size_t len, vlen;
	enum emv_ac_type type;
	const uint8_t *df31;

	start(f);
	read_to_arqc(f, f55, &len);
	approve(f, f55, len, &reply, iad);
	reply.scripts = scripts;
	reply.scripts_len = sizeof(scripts);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	assert_int_equal(f->s.scripts.n, 2);
	/* performed (20), failed at command 1 (11) */
	df31 = emv_data_get(&f->s.terminal, 0xdf31, &vlen);
	assert_int_equal(vlen, 10);
	assert_memory_equal(df31, "\x20\x11\x22\x33\x44\x11\x55\x66\x77\x88",
			    10);
	assert_false(emv_tvr_test(f->s.tvr, EMV_TVR_SCRIPT_FAILED_BEFORE));
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_SCRIPT_FAILED_AFTER));
	/* a reversal's field 55 after it: 95 (the list's first tag) with
	 * the TVR as it is now, and DF31 (the list's last) with both results */
	assert_int_equal(emv_session_field55(&f->s, &emv_field55_cup_reversal, rev,
					     sizeof(rev), &len), EMV_OK);
	assert_true(len > 7 + 13);
	assert_memory_equal(rev, "\x95\x05", 2);
	assert_memory_equal(rev + 2, f->s.tvr, 5);
	assert_memory_equal(rev + len - 13,
			    "\xdf\x31\x0a\x20\x11\x22\x33\x44\x11\x55\x66\x77\x88", 13);
}

/* The profile files the emulator will load, each through a whole sale. */
static void sale_with_profile_file(struct fixture *f, const char *path)
{
	struct emv_host_reply reply;
	uint8_t f55[512], iad[10];
	char err[128];
	size_t len;
	enum emv_ac_type type;

	assert_int_equal(vcard_profile_load(&f->profile, path, err,
					    sizeof(err)), 0);
	start(f);
	read_to_arqc(f, f55, &len);
	assert_string_equal(f->s.card.pan, f->profile.pan);
	approve(f, f55, len, &reply, iad);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	emv_session_end(&f->s);
}

/*
 * Book 3 10.5: a card without a CVM list sets "ICC data missing" and ends
 * cardholder verification without setting "cardholder verification was
 * performed" in the TSI; 9F34 says no CVM was performed (3F 00 00).
 */
static void test_no_cvm_list(void **state)
{
	struct fixture *f = *state;
	size_t len;

	f->profile.no_cvm_list = true;
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_ICC_DATA_MISSING));
	assert_false(f->s.tsi[0] & EMV_TSI_CVM_PERFORMED);
	assert_memory_equal(emv_data_get(&f->s.terminal, 0x9f34, &len),
			    "\x3f\x00\x00", 3);
	assert_int_equal(f->s.cvm, EMV_CVM_NONE);
}

/*
 * Terminal risk management in the flow (Book 3 10.6), with a card whose
 * AIP asks for it (b4) and carries LCOL 2 / UCOL 5: ATC 0x10 and last
 * online ATC 0x0C differ by 4, over the lower limit only; the test
 * terminal's floor limit is 0 (online only): "exceeds floor limit" too.
 * The TVR the card signs in its ARQC carries both (CDOL1 has 95).
 */
static void test_terminal_risk_management(void **state)
{
	struct fixture *f = *state;
	uint8_t f55[512];
	size_t len, vlen;
	const uint8_t *tvr;

	f->profile.aip[0] = 0x1c;
	f->profile.lcol = 2;
	f->profile.ucol = 5;
	f->profile.last_online_atc = 0x000c;
	start(f);
	read_to_arqc(f, f55, &len);
	assert_true(f->s.tsi[0] & EMV_TSI_TERMINAL_RISK_MGMT);
	tvr = f55_value(f55, len, 0x95, &vlen);
	assert_non_null(tvr);
	assert_int_equal(tvr[3], 0x80 | 0x40);
	assert_false(emv_tvr_test(f->s.tvr, EMV_TVR_NEW_CARD));
	assert_int_equal(host_verify(f, f55, len, "00", (uint8_t[10]){ 0 }),
			 EMV_OK);
}

/* A card that does not ask for it (AIP 14) gets none of it. */
static void test_no_terminal_risk_management(void **state)
{
	struct fixture *f = *state;
	uint8_t f55[512];
	size_t len;

	start(f);
	read_to_arqc(f, f55, &len);
	assert_false(f->s.tsi[0] & EMV_TSI_TERMINAL_RISK_MGMT);
	assert_int_equal(f->s.tvr[3], 0);
}

/*
 * The acquirer's per-AID parameters replace the terminal's defaults: the
 * real UnionPay debit AID record (see test_params.c) has floor limit
 * 500.00, random selection at 99 %, application version 0020, and the
 * TACs D84000A800 / D84004F800 / 0010000000.  With the velocity card
 * (LCOL exceeded) and amount 12.34: no floor-limit bit (the default
 * config's limit is 0), selected randomly instead, versions differ
 * (card 0030); TAC-Denial with the LCOL bit added declines offline.
 */
static void test_aid_params_from_acquirer(void **state)
{
	static const char record[] =
		"9F0608A000000333010101DF0101009F08020020DF1105D84000A800"
		"DF1205D84004F800DF130500100000009F1B040000C350DF150400000000"
		"DF160199DF170199DF14039F3704DF180101";
	struct fixture *f = *state;
	struct emv_aid_params params;
	uint8_t rec[128], f55[512];
	size_t len;
	enum emv_ac_type type;

	assert_int_equal(emv_aid_params_parse(rec, (size_t)hex_decode(record,
				strlen(record), rec, sizeof(rec)), &params), EMV_OK);
	f->profile.n_apps = 1;		/* the debit application only */
	f->profile.aip[0] = 0x1c;
	f->profile.lcol = 2;
	f->profile.ucol = 5;
	f->profile.last_online_atc = 0x000c;
	f->cfg.aid_params = &params;
	f->cfg.n_aid_params = 1;
	f->txn.random_number = 99;
	start(f);
	read_to_arqc(f, f55, &len);
	assert_ptr_equal(f->s.app, &params);
	assert_int_equal(f->s.tvr[3], 0x40 | 0x10);	/* LCOL, random */
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_VERSION_MISMATCH));
	emv_session_end(&f->s);
	vcard_wipe(&f->card);

	params.tac.denial[3] = 0x40;
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	emv_session_pin_entered(&f->s);
	assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_AAC);
}

/* ---- offline data authentication with the virtual card -------------- */

static const struct emv_capk *card_capk(void *ctx, const uint8_t rid[5],
					uint8_t index)
{
	static struct emv_capk k;
	const struct vcard *card = ctx;

	if (vcard_capk(card, &k) || memcmp(rid, k.rid, 5) || index != k.index)
		return NULL;
	return &k;
}

/* The virtual card personalised for @oda (and @fault); the terminal
 * knows the card's CA key. */
static void start_oda(struct fixture *f, enum vcard_oda oda,
		      enum vcard_oda_fault fault)
{
	f->profile.oda = oda;
	f->profile.oda_fault = fault;
	/* AIP: CVM, issuer authentication; SDA 40, DDA 20, CDA 21 */
	f->profile.aip[0] = oda == VCARD_ODA_SDA ? 0x54 :
			    oda == VCARD_ODA_DDA ? 0x34 : 0x35;
	start(f);
	f->cfg.capk_lookup = card_capk;
	f->cfg.capk_ctx = &f->card;
}

/* An SDA card and a DDA card, each approved (TC) after a clean ODA. */
static void test_oda_cards_approved(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply;
	enum emv_ac_type type;
	uint8_t f55[512], iad[10];
	size_t len, vlen;

	for (int oda = VCARD_ODA_SDA; oda <= VCARD_ODA_DDA; oda++) {
		start_oda(f, (enum vcard_oda)oda, VCARD_FAULT_NONE);
		read_to_arqc(f, f55, &len);
		assert_int_equal(f->s.oda.method, oda == VCARD_ODA_SDA ?
				 EMV_ODA_SDA : EMV_ODA_DDA);
		assert_int_equal(f->s.oda.error, EMV_ODA_OK);
		/* byte 1: only "SDA selected" for SDA, nothing for DDA */
		assert_int_equal(f->s.tvr[0], oda == VCARD_ODA_SDA ? 0x02 : 0);
		assert_true(f->s.tsi[0] & EMV_TSI_ODA_PERFORMED);
		assert_true(emv_data_get(&f->s.icc, oda == VCARD_ODA_SDA ?
					 0x9f45 : 0x9f4c, &vlen) != NULL);
		approve(f, f55, len, &reply, iad);
		assert_int_equal(emv_session_complete(&f->s, &reply, &type),
				 EMV_OK);
		assert_int_equal(type, EMV_AC_TC);
		emv_session_end(&f->s);
		vcard_wipe(&f->card);
	}
}

/* Each faulty card: its TVR bit, and the first AC the TACs dictate (the
 * test terminal's TAC-Denial does not hold ODA failures: online, ARQC;
 * with "SDA failed"/"DDA failed" in TAC-Denial: declined offline, AAC). */
static void test_oda_faulty_cards(void **state)
{
	static const struct {
		enum vcard_oda oda;
		enum vcard_oda_fault fault;
		enum emv_oda_error error;
		uint8_t tvr1;
	} cases[] = {
		{ VCARD_ODA_SDA, VCARD_FAULT_SIGNATURE, EMV_ODA_FORMAT, 0x42 },
		{ VCARD_ODA_SDA, VCARD_FAULT_HASH, EMV_ODA_HASH, 0x42 },
		{ VCARD_ODA_SDA, VCARD_FAULT_EXPIRED_ISSUER, EMV_ODA_EXPIRED, 0x42 },
		{ VCARD_ODA_DDA, VCARD_FAULT_SIGNATURE, EMV_ODA_FORMAT, 0x08 },
		{ VCARD_ODA_DDA, VCARD_FAULT_HASH, EMV_ODA_HASH, 0x08 },
		{ VCARD_ODA_DDA, VCARD_FAULT_EXPIRED_ISSUER, EMV_ODA_EXPIRED, 0x08 },
		{ VCARD_ODA_DDA, VCARD_FAULT_WRONG_PAN, EMV_ODA_IDENTITY, 0x08 },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int deny = 0; deny <= 1; deny++) {
			enum emv_ac_type type;

			test_terminal_config(&f->cfg);
			if (deny)
				f->cfg.tac.denial[0] = 0x48;
			start_oda(f, cases[i].oda, cases[i].fault);
			assert_int_equal(emv_session_read_card(&f->s, &f->txn),
					 EMV_OK);
			assert_int_equal(f->s.oda.error, cases[i].error);
			assert_int_equal(f->s.tvr[0], cases[i].tvr1);
			emv_session_pin_entered(&f->s);
			assert_int_equal(emv_session_first_ac(&f->s, &type),
					 EMV_OK);
			assert_int_equal(type, deny ? EMV_AC_AAC : EMV_AC_ARQC);
			emv_session_end(&f->s);
			vcard_wipe(&f->card);
		}
	}
}

/*
 * CDA (Book 2 6.6): both GENERATE ACs carry the card's signature; the
 * cryptogram the terminal takes out of it is the one the issuer verifies
 * (host_verify on field 55's 9F26), and the second one is a TC.
 */
static void test_cda_card_approved(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply;
	enum emv_ac_type type;
	uint8_t f55[512], iad[10];
	size_t len;

	start_oda(f, VCARD_ODA_CDA, VCARD_FAULT_NONE);
	read_to_arqc(f, f55, &len);
	assert_int_equal(f->s.oda.method, EMV_ODA_CDA);
	assert_int_equal(f->s.oda.error, EMV_ODA_OK);
	assert_true(f->s.first_ac.signed_ac);
	assert_int_equal(f->s.tvr[0], 0);
	approve(f, f55, len, &reply, iad);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	assert_true(f->s.second_ac.signed_ac);
	assert_int_equal(f->s.oda.error, EMV_ODA_OK);
}

/* A CDA signature that does not verify: "CDA failed", declined offline;
 * keys that do not recover: "CDA failed" before, no signature asked. */
static void test_cda_failures(void **state)
{
	struct fixture *f = *state;
	enum emv_ac_type type;

	start_oda(f, VCARD_ODA_CDA, VCARD_FAULT_SIGNATURE);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_int_equal(f->s.oda.error, EMV_ODA_OK);	/* keys recovered */
	emv_session_pin_entered(&f->s);
	assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_AAC);
	assert_int_equal(f->s.tvr[0], 0x04);
	assert_int_equal(f->s.oda.error, EMV_ODA_FORMAT);
	emv_session_end(&f->s);
	vcard_wipe(&f->card);

	start_oda(f, VCARD_ODA_CDA, VCARD_FAULT_EXPIRED_ISSUER);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_int_equal(f->s.oda.error, EMV_ODA_EXPIRED);
	assert_int_equal(f->s.tvr[0], 0x04);
	emv_session_pin_entered(&f->s);
	assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_ARQC);	/* TACs: online */
	assert_false(f->s.first_ac.signed_ac);
}

/* The CA key files of the test world: keys/test-ca.capk (check value
 * made by openssl, see keys/make-test-ca) as a terminal loads it, and a
 * CDA card whose issuer certificate keys/test-ca.pem signed. */
static const struct emv_capk *file_capk(void *ctx, const uint8_t rid[5],
					uint8_t index)
{
	const struct emv_capk *k = ctx;

	return !memcmp(rid, k->rid, 5) && index == k->index ? k : NULL;
}

static void test_test_ca_files(void **state)
{
	struct fixture *f = *state;
	struct emv_capk capk;
	struct emv_date expiry;
	char hex[512], err[128];
	uint8_t rec[256], f55[512];
	size_t len;
	FILE *fp = fopen("tests/emu/card/keys/test-ca.capk", "r");

	assert_non_null(fp);
	assert_non_null(fgets(hex, sizeof(hex), fp));
	fclose(fp);
	hex[strcspn(hex, "\n")] = '\0';
	len = (size_t)hex_decode(hex, strlen(hex), rec, sizeof(rec));
	assert_int_equal(emv_capk_parse(rec, len, &capk, &expiry), EMV_OK);
	assert_int_equal(capk.index, VCARD_TEST_CA_INDEX);
	assert_int_equal(vcard_profile_load(&f->profile,
			 "tests/emu/card/profiles/unionpay-cda.card", err,
			 sizeof(err)), 0);
	assert_true(f->profile.has_ca);
	f->cfg.capk_lookup = file_capk;
	f->cfg.capk_ctx = &capk;
	start(f);
	read_to_arqc(f, f55, &len);
	assert_int_equal(f->s.oda.method, EMV_ODA_CDA);
	assert_int_equal(f->s.oda.error, EMV_ODA_OK);
	assert_true(f->s.first_ac.signed_ac);
}

/* The terminal without the card's CA key: SDA fails, nothing else. */
static void test_oda_unknown_ca_key(void **state)
{
	struct fixture *f = *state;

	start_oda(f, VCARD_ODA_SDA, VCARD_FAULT_NONE);
	f->cfg.capk_lookup = NULL;
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_int_equal(f->s.oda.error, EMV_ODA_NO_CAPK);
	assert_int_equal(f->s.tvr[0], 0x42);
}

/* ---- offline plaintext PIN (Book 3 10.5.1, 6.5.12) ------------------- */

/* A card whose CVM list is "offline plaintext PIN" (@rule: 01 fail if
 * unsuccessful, 41 apply next), then "no CVM"; PIN 1234; a terminal that
 * can do it. */
static void offline_pin_card(struct fixture *f, uint8_t rule)
{
	const uint8_t list[] = { 0, 0, 0, 0, 0, 0, 0, 0, rule, 0x00,
				 0x1f, 0x00 };

	memcpy(f->profile.cvm_list, list, sizeof(list));
	f->profile.cvm_list_len = sizeof(list);
	strcpy(f->profile.offline_pin, "1234");
	f->cfg.capabilities[1] |= 0x80;
}

/* That card with @tries left, read. */
static void start_offline_pin(struct fixture *f, uint8_t rule,
			      uint8_t tries)
{
	offline_pin_card(f, rule);
	f->profile.pin_try_counter = tries;
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
}

static uint8_t last_capdu[300];
static size_t last_capdu_len;

static int recording(void *card, const uint8_t *capdu, size_t len,
		     uint8_t *rapdu, size_t size, size_t *rlen)
{
	memcpy(last_capdu, capdu, len);
	last_capdu_len = len;
	return vcard_transceive(card, capdu, len, rapdu, size, rlen);
}

static void test_offline_pin_approved(void **state)
{
	struct fixture *f = *state;
	struct emv_host_reply reply;
	uint8_t f55[512], iad[10];
	enum emv_ac_type type;
	size_t len;
	int tries;

	start_offline_pin(f, 0x01, 3);
	f->t.transceive = recording;
	assert_int_equal(f->s.cvm, EMV_CVM_OFFLINE_PIN);
	assert_int_equal(emv_session_offline_pin_tries(&f->s, &tries), EMV_OK);
	assert_int_equal(tries, 3);
	assert_int_equal(emv_session_verify_plain_pin(&f->s, "1234", &tries),
			 EMV_OK);
	/* VERIFY 00 20 00 80 08, block 2N || PIN || F (Book 3 6.5.12) */
	assert_int_equal(last_capdu_len, 13);
	assert_memory_equal(last_capdu, "\x00\x20\x00\x80\x08"
			    "\x24\x12\x34\xff\xff\xff\xff\xff", 13);
	assert_memory_equal(emv_data_get(&f->s.terminal, 0x9f34, &len),
			    "\x01\x00\x02", 3);	/* performed, successful */
	assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_ARQC);
	assert_int_equal(emv_session_field55(&f->s, &emv_field55_cup_request,
					     f55, sizeof(f55), &len), EMV_OK);
	approve(f, f55, len, &reply, iad);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	assert_false(f->s.tvr[2] & 0xa0);	/* no CVM failure, no limit */
}

/* Three wrong PINs: two retries, then the card's tries are used up; the
 * rule (01, no "apply next") fails the CVM. */
static void test_offline_pin_blocked(void **state)
{
	struct fixture *f = *state;
	size_t len;
	int tries;

	start_offline_pin(f, 0x01, 3);
	assert_int_equal(emv_session_verify_plain_pin(&f->s, "9999", &tries),
			 EMV_E_SW_AUTH_FAILED);
	assert_int_equal(tries, 2);
	assert_int_equal(emv_session_verify_plain_pin(&f->s, "4321", &tries),
			 EMV_E_SW_AUTH_FAILED);
	assert_int_equal(tries, 1);
	assert_int_equal(emv_session_verify_plain_pin(&f->s, "0000", &tries),
			 EMV_OK);
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_PIN_TRY_LIMIT));
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_CVM_FAILED));
	assert_int_equal(f->s.cvm, EMV_CVM_FAILED);
	assert_memory_equal(emv_data_get(&f->s.terminal, 0x9f34, &len),
			    "\x3f\x00\x01", 3);
	assert_int_equal(f->card.p.pin_try_counter, 0);
}

/* A card already blocked: no prompt; "apply next" (41) moves on to "no
 * CVM required". */
static void test_offline_pin_no_tries_left(void **state)
{
	struct fixture *f = *state;
	int tries;

	start_offline_pin(f, 0x41, 0);
	assert_int_equal(emv_session_offline_pin_tries(&f->s, &tries), EMV_OK);
	assert_int_equal(tries, 0);
	assert_int_equal(f->s.cvm, EMV_CVM_NONE);
	assert_true(emv_tvr_test(f->s.tvr, EMV_TVR_PIN_TRY_LIMIT));
	assert_false(emv_tvr_test(f->s.tvr, EMV_TVR_CVM_FAILED));
	assert_int_equal(emv_session_verify_plain_pin(&f->s, "1234", &tries),
			 EMV_E_STATE);
}

/* A terminal without offline PIN in 9F33 skips the rule. */
static void test_offline_pin_not_supported(void **state)
{
	struct fixture *f = *state;
	const uint8_t list[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0x41, 0x03,
				 0x1f, 0x00 };

	memcpy(f->profile.cvm_list, list, sizeof(list));
	f->profile.cvm_list_len = sizeof(list);
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	assert_int_equal(f->s.cvm, EMV_CVM_NONE);
}

/* ---- every TVR and TSI bit: the scenario that sets it, one that must not */

enum stage { READ, FIRST_AC, COMPLETE };
enum host { APPROVE, BAD_ARPC, NO_ARPC, SCRIPT71_OK, SCRIPT71_FAIL,
	    SCRIPT72_OK, SCRIPT72_FAIL };

struct scenario {
	void (*prepare)(struct fixture *f);	/* NULL: the plain card */
	enum stage stage;
	enum host host;
	bool bypass_pin;
};

static void p_sda(struct fixture *f)
{
	f->profile.oda = VCARD_ODA_SDA;
	f->profile.aip[0] = 0x54;
	f->cfg.capk_lookup = card_capk;
	f->cfg.capk_ctx = &f->card;
}

static void p_sda_bad(struct fixture *f)
{
	p_sda(f);
	f->profile.oda_fault = VCARD_FAULT_HASH;
}

static void p_dda(struct fixture *f)
{
	p_sda(f);
	f->profile.oda = VCARD_ODA_DDA;
	f->profile.aip[0] = 0x34;
}

static void p_dda_bad(struct fixture *f)
{
	p_dda(f);
	f->profile.oda_fault = VCARD_FAULT_SIGNATURE;
}

static void p_cda(struct fixture *f)
{
	p_dda(f);
	f->profile.oda = VCARD_ODA_CDA;
	f->profile.aip[0] = 0x35;
}

static void p_cda_bad(struct fixture *f)
{
	p_cda(f);
	f->profile.oda_fault = VCARD_FAULT_HASH;
}

static void p_no_cvm_list(struct fixture *f)
{
	f->profile.no_cvm_list = true;
}

static void on_exception_file(void *ctx, const struct emv_card_info *card,
			      struct emv_risk_input *in)
{
	in->on_exception_file = !strcmp(card->pan, "6212345678901232");
}

static void p_exception_file(struct fixture *f)
{
	f->cfg.risk_lookup = on_exception_file;
}

static void p_app_version(struct fixture *f)
{
	memcpy(f->cfg.app_version, "\x00\x20", 2);	/* card: 0030 */
}

static void p_expired(struct fixture *f)
{
	memcpy(f->profile.expiry, "\x25\x12\x31", 3);
}

static void p_not_effective(struct fixture *f)
{
	memcpy(f->profile.effective, "\x27\x01\x01", 3);
}

/* AUC: not valid at terminals other than ATMs (Book 3 10.4.2) */
static void p_auc_atm_only(struct fixture *f)
{
	f->profile.has_auc = true;
	memcpy(f->profile.auc, "\x02\x00", 2);
}

static void p_auc_all(struct fixture *f)
{
	f->profile.has_auc = true;
	memcpy(f->profile.auc, "\xff\x00", 2);
}

/* velocity card: LCOL 2, UCOL 5, ATC 0x10 */
static void velocity(struct fixture *f, uint16_t last_online)
{
	f->profile.aip[0] = 0x1c;
	f->profile.lcol = 2;
	f->profile.ucol = 5;
	f->profile.last_online_atc = last_online;
}

static void p_new_card(struct fixture *f) { velocity(f, 0x0000); }
static void p_lcol(struct fixture *f) { velocity(f, 0x000c); }	/* 4 */
static void p_ucol(struct fixture *f) { velocity(f, 0x000a); }	/* 6 */
static void p_within(struct fixture *f) { velocity(f, 0x000e); }	/* 2 */

static void p_high_floor(struct fixture *f)
{
	p_within(f);
	f->cfg.risk.floor_limit = 100000;
}

static void random_selection(struct fixture *f, uint8_t rn)
{
	p_high_floor(f);
	f->cfg.risk.random = (struct emv_random_selection){ 0, 50, 50 };
	f->txn.random_number = rn;
}

static void p_random_10(struct fixture *f) { random_selection(f, 10); }
static void p_random_60(struct fixture *f) { random_selection(f, 60); }

/* the terminal supports none of the card's CVMs */
static void p_no_cvm_supported(struct fixture *f)
{
	f->cfg.capabilities[1] = 0x00;
}

/* an unrecognised method 1D (apply next), then "no CVM required" */
static void p_unrecognised_cvm(struct fixture *f)
{
	static const uint8_t list[] = { 0, 0, 0, 0, 0, 0, 0, 0,
					0x5d, 0x00, 0x1f, 0x00 };

	memcpy(f->profile.cvm_list, list, sizeof(list));
	f->profile.cvm_list_len = sizeof(list);
}

static void p_offline_pin(struct fixture *f)
{
	offline_pin_card(f, 0x41);
}

static void p_offline_pin_blocked(struct fixture *f)
{
	p_offline_pin(f);
	f->profile.pin_try_counter = 0;
}

#define AT(p, st)	{ .prepare = p, .stage = st }
#define HOST(p, h)	{ .prepare = p, .stage = COMPLETE, .host = h }
#define BYPASS(p)	{ .prepare = p, .stage = FIRST_AC, .bypass_pin = true }

static const struct bit_row {
	const char *name;
	bool tsi;
	uint16_t bit;		/* EMV_TVR_* or a TSI byte 1 mask */
	struct scenario set, clear;
} bit_rows[] = {
	{ "ODA not performed", false, EMV_TVR_ODA_NOT_PERFORMED,
	  AT(NULL, READ), AT(p_sda, READ) },
	{ "SDA failed", false, EMV_TVR_SDA_FAILED,
	  AT(p_sda_bad, READ), AT(p_sda, READ) },
	{ "ICC data missing", false, EMV_TVR_ICC_DATA_MISSING,
	  AT(p_no_cvm_list, READ), AT(NULL, READ) },
	{ "card on exception file", false, EMV_TVR_EXCEPTION_FILE,
	  AT(p_exception_file, FIRST_AC), AT(NULL, FIRST_AC) },
	{ "DDA failed", false, EMV_TVR_DDA_FAILED,
	  AT(p_dda_bad, READ), AT(p_dda, READ) },
	{ "CDA failed", false, EMV_TVR_CDA_FAILED,
	  AT(p_cda_bad, FIRST_AC), AT(p_cda, FIRST_AC) },
	{ "SDA selected", false, EMV_TVR_SDA_SELECTED,
	  AT(p_sda, READ), AT(p_dda, READ) },
	{ "different application versions", false, EMV_TVR_VERSION_MISMATCH,
	  AT(p_app_version, READ), AT(NULL, READ) },
	{ "expired application", false, EMV_TVR_EXPIRED,
	  AT(p_expired, READ), AT(NULL, READ) },
	{ "application not yet effective", false, EMV_TVR_NOT_EFFECTIVE,
	  AT(p_not_effective, READ), AT(NULL, READ) },
	{ "service not allowed", false, EMV_TVR_SERVICE_NOT_ALLOWED,
	  AT(p_auc_atm_only, READ), AT(p_auc_all, READ) },
	{ "new card", false, EMV_TVR_NEW_CARD,
	  AT(p_new_card, FIRST_AC), AT(p_lcol, FIRST_AC) },
	{ "cardholder verification not successful", false, EMV_TVR_CVM_FAILED,
	  AT(p_no_cvm_supported, READ), AT(NULL, READ) },
	{ "unrecognised CVM", false, EMV_TVR_UNRECOGNISED_CVM,
	  AT(p_unrecognised_cvm, READ), AT(NULL, READ) },
	{ "PIN try limit exceeded", false, EMV_TVR_PIN_TRY_LIMIT,
	  AT(p_offline_pin_blocked, FIRST_AC), AT(p_offline_pin, FIRST_AC) },
	{ "PIN not entered", false, EMV_TVR_PIN_NOT_ENTERED,
	  BYPASS(NULL), AT(NULL, FIRST_AC) },
	{ "online PIN entered", false, EMV_TVR_ONLINE_PIN_ENTERED,
	  AT(NULL, FIRST_AC), BYPASS(NULL) },
	{ "exceeds floor limit", false, EMV_TVR_FLOOR_LIMIT_EXCEEDED,
	  AT(p_within, FIRST_AC), AT(p_high_floor, FIRST_AC) },
	{ "lower consecutive offline limit", false, EMV_TVR_LCOL_EXCEEDED,
	  AT(p_lcol, FIRST_AC), AT(p_within, FIRST_AC) },
	{ "upper consecutive offline limit", false, EMV_TVR_UCOL_EXCEEDED,
	  AT(p_ucol, FIRST_AC), AT(p_lcol, FIRST_AC) },
	{ "selected randomly", false, EMV_TVR_RANDOMLY_SELECTED,
	  AT(p_random_10, FIRST_AC), AT(p_random_60, FIRST_AC) },
	{ "issuer authentication failed", false, EMV_TVR_ISSUER_AUTH_FAILED,
	  HOST(NULL, BAD_ARPC), HOST(NULL, APPROVE) },
	{ "script failed before final GENERATE AC", false,
	  EMV_TVR_SCRIPT_FAILED_BEFORE,
	  HOST(NULL, SCRIPT71_FAIL), HOST(NULL, SCRIPT71_OK) },
	{ "script failed after final GENERATE AC", false,
	  EMV_TVR_SCRIPT_FAILED_AFTER,
	  HOST(NULL, SCRIPT72_FAIL), HOST(NULL, SCRIPT72_OK) },
	{ "TSI: ODA performed", true, EMV_TSI_ODA_PERFORMED,
	  AT(p_sda_bad, READ), AT(NULL, READ) },
	{ "TSI: cardholder verification performed", true, EMV_TSI_CVM_PERFORMED,
	  AT(NULL, READ), AT(p_no_cvm_list, READ) },
	{ "TSI: card risk management performed", true, EMV_TSI_CARD_RISK_MGMT,
	  AT(NULL, FIRST_AC), AT(NULL, READ) },
	{ "TSI: issuer authentication performed", true, EMV_TSI_ISSUER_AUTH,
	  HOST(NULL, APPROVE), HOST(NULL, NO_ARPC) },
	{ "TSI: terminal risk management performed", true,
	  EMV_TSI_TERMINAL_RISK_MGMT,
	  AT(p_within, FIRST_AC), AT(NULL, FIRST_AC) },
	{ "TSI: script processing performed", true, EMV_TSI_SCRIPT,
	  HOST(NULL, SCRIPT72_OK), HOST(NULL, APPROVE) },
};

/* Bits this terminal never sets, with why: checked after every scenario. */
static const struct { uint16_t bit; const char *why; } never_set[] = {
	{ 0x0210, "PIN pad not present: every paycard reader has one" },
	{ 0x0308, "merchant forced online: no such operator function" },
	{ 0x0480, "default TDOL used: no TC hash, no TDOL" },
};

static void host_scripts(struct emv_host_reply *r, enum host h)
{
	/* GET DATA PIN try counter (9000) / an unknown instruction (6D00) */
	static const uint8_t ok71[] = { 0x71, 0x0e, 0x9f, 0x18, 0x04, 1, 2, 3,
		4, 0x86, 0x05, 0x80, 0xca, 0x9f, 0x17, 0x00 };
	static const uint8_t bad71[] = { 0x71, 0x0e, 0x9f, 0x18, 0x04, 1, 2, 3,
		4, 0x86, 0x05, 0x84, 0x16, 0x00, 0x00, 0x00 };
	static const uint8_t ok72[] = { 0x72, 0x0e, 0x9f, 0x18, 0x04, 1, 2, 3,
		4, 0x86, 0x05, 0x80, 0xca, 0x9f, 0x17, 0x00 };
	static const uint8_t bad72[] = { 0x72, 0x0e, 0x9f, 0x18, 0x04, 1, 2, 3,
		4, 0x86, 0x05, 0x84, 0x16, 0x00, 0x00, 0x00 };
	static const uint8_t *const scripts[] = {
		[SCRIPT71_OK] = ok71, [SCRIPT71_FAIL] = bad71,
		[SCRIPT72_OK] = ok72, [SCRIPT72_FAIL] = bad72,
	};

	if (h >= SCRIPT71_OK) {
		r->scripts = scripts[h];
		r->scripts_len = sizeof(ok71);
	}
}

/* Run @sc on a fresh virtual card; the TVR and TSI at its stage. */
static void run_scenario(struct fixture *f, const struct scenario *sc,
			 uint8_t tvr[5], uint8_t tsi[2])
{
	struct emv_host_reply reply;
	uint8_t f55[512], iad[10];
	enum emv_ac_type type;
	size_t len;

	vcard_profile_unionpay_debit(&f->profile);
	test_terminal_config(&f->cfg);
	f->txn.random_number = 0;
	if (sc->prepare)
		sc->prepare(f);
	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	if (sc->stage > READ) {
		int tries;

		if (sc->bypass_pin)
			assert_int_equal(emv_session_pin_bypassed(&f->s), EMV_OK);
		else if (f->s.cvm == EMV_CVM_ONLINE_PIN)
			emv_session_pin_entered(&f->s);
		else if (f->s.cvm == EMV_CVM_OFFLINE_PIN &&
			 !emv_session_offline_pin_tries(&f->s, &tries) &&
			 f->s.cvm == EMV_CVM_OFFLINE_PIN)
			assert_int_equal(emv_session_verify_plain_pin(&f->s,
					 "1234", &tries), EMV_OK);
		assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_OK);
	}
	if (sc->stage > FIRST_AC) {
		assert_int_equal(type, EMV_AC_ARQC);
		assert_int_equal(emv_session_field55(&f->s,
				 &emv_field55_cup_request, f55, sizeof(f55),
				 &len), EMV_OK);
		approve(f, f55, len, &reply, iad);
		if (sc->host == BAD_ARPC)
			iad[0] ^= 0xff;
		if (sc->host == NO_ARPC)
			reply.issuer_auth = NULL;
		host_scripts(&reply, sc->host);
		assert_int_equal(emv_session_complete(&f->s, &reply, &type),
				 EMV_OK);
	}
	memcpy(tvr, f->s.tvr, 5);
	memcpy(tsi, f->s.tsi, 2);
	emv_session_end(&f->s);
	vcard_wipe(&f->card);
}

static bool bit_is_set(const struct bit_row *row, const uint8_t tvr[5],
		       const uint8_t tsi[2])
{
	return row->tsi ? tsi[0] & row->bit : emv_tvr_test(tvr, row->bit);
}

static void test_every_tvr_tsi_bit(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bit_rows) / sizeof(bit_rows[0]); i++) {
		const struct bit_row *row = &bit_rows[i];
		uint8_t tvr[5], tsi[2];

		for (int clear = 0; clear <= 1; clear++) {
			run_scenario(f, clear ? &row->clear : &row->set, tvr,
				     tsi);
			if (bit_is_set(row, tvr, tsi) != !clear)
				fail_msg("%s: %s scenario", row->name,
					 clear ? "clearing" : "setting");
			for (size_t k = 0; k < sizeof(never_set) /
						sizeof(never_set[0]); k++)
				if (emv_tvr_test(tvr, never_set[k].bit))
					fail_msg("%s set (%s)", never_set[k].why,
						 row->name);
		}
	}
}

/*
 * Book 3 10.10: a script that fails is recorded (TVR, DF31), never the
 * end of an approval.  A 72 script with malformed data, or a card pulled
 * out while a 72 script runs, after the card's TC: still TC, "script
 * failed after final GENERATE AC".  A malformed 71 script: the second
 * GENERATE AC still happens, "script failed before".
 */
static void test_script_failures_keep_the_approval(void **state)
{
	static const uint8_t bad72[] = { 0x72, 0x05, 0x9f, 0x18, 0x04, 0x01 };
	static const uint8_t bad71[] = { 0x71, 0x05, 0x9f, 0x18, 0x04, 0x01 };
	static const uint8_t ok72[] = { 0x72, 0x0e, 0x9f, 0x18, 0x04, 1, 2, 3,
		4, 0x86, 0x05, 0x80, 0xca, 0x9f, 0x17, 0x00 };
	const struct { const uint8_t *s; size_t len; unsigned remove_at;
		       uint16_t bit; } cases[] = {
		{ bad72, sizeof(bad72), 0, EMV_TVR_SCRIPT_FAILED_AFTER },
		{ ok72, sizeof(ok72), 1, EMV_TVR_SCRIPT_FAILED_AFTER },
		{ bad71, sizeof(bad71), 0, EMV_TVR_SCRIPT_FAILED_BEFORE },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct emv_host_reply reply;
		uint8_t f55[512], iad[10];
		enum emv_ac_type type;
		size_t len;

		vcard_profile_unionpay_debit(&f->profile);
		start(f);
		read_to_arqc(f, f55, &len);
		approve(f, f55, len, &reply, iad);
		reply.scripts = cases[i].s;
		reply.scripts_len = cases[i].len;
		/* the card is pulled out right after the second GENERATE AC */
		if (cases[i].remove_at)
			f->card.p.remove_after = f->card.commands + 2;
		assert_int_equal(emv_session_complete(&f->s, &reply, &type),
				 EMV_OK);
		assert_int_equal(type, EMV_AC_TC);
		assert_true(emv_tvr_test(f->s.tvr, cases[i].bit));
		emv_session_end(&f->s);
		vcard_wipe(&f->card);
	}
}

/* Commands a whole approved sale sends to the card (read, first AC,
 * completion), by kind of card. */
static unsigned apdus_per_sale(struct fixture *f)
{
	struct emv_host_reply reply;
	uint8_t f55[512], iad[10];
	enum emv_ac_type type;
	unsigned n;
	size_t len;

	read_to_arqc(f, f55, &len);
	approve(f, f55, len, &reply, iad);
	assert_int_equal(emv_session_complete(&f->s, &reply, &type), EMV_OK);
	assert_int_equal(type, EMV_AC_TC);
	n = f->card.commands;
	emv_session_end(&f->s);
	vcard_wipe(&f->card);
	return n;
}

/* What each feature costs on the card: DDA one INTERNAL AUTHENTICATE,
 * CDA and SDA nothing more than a plain card's records, velocity checking
 * two GET DATA.  The counts go to the log (make check's unit-emv-flow). */
static void test_apdus_per_card_kind(void **state)
{
	struct fixture *f = *state;
	unsigned plain, sda, dda, cda, trm;

	f->profile.remove_after = 100000;	/* counts commands, never fires */
	start(f);
	plain = apdus_per_sale(f);
	start_oda(f, VCARD_ODA_SDA, VCARD_FAULT_NONE);
	sda = apdus_per_sale(f);
	start_oda(f, VCARD_ODA_DDA, VCARD_FAULT_NONE);
	dda = apdus_per_sale(f);
	start_oda(f, VCARD_ODA_CDA, VCARD_FAULT_NONE);
	cda = apdus_per_sale(f);
	f->profile.oda = VCARD_ODA_NONE;
	f->profile.aip[0] = 0x1c;
	f->profile.lcol = 2;
	f->profile.ucol = 5;
	start(f);
	trm = apdus_per_sale(f);
	print_message("APDUs per approved sale: plain %u, SDA %u, DDA %u, CDA %u, "
		      "velocity checking %u\n", plain, sda, dda, cda, trm);
	/* the ODA cards have two more records (SFI 3) than the plain one */
	assert_int_equal(sda, plain + 2);
	assert_int_equal(cda, sda);
	assert_int_equal(dda, sda + 1);
	assert_int_equal(trm, plain + 2);
}

static void test_profile_files(void **state)
{
	struct fixture *f = *state;

	sale_with_profile_file(f, "tests/emu/card/profiles/unionpay-debit.card");
	sale_with_profile_file(f, "tests/emu/card/profiles/visa-no-pse.card");
	assert_int_equal(f->profile.psn, -1);
	assert_true(f->profile.t0_get_response);
	sale_with_profile_file(f, "tests/emu/card/profiles/unionpay-velocity.card");
	assert_int_equal(f->profile.lcol, 2);
	assert_int_equal(f->profile.ucol, 5);
	assert_int_equal(f->profile.last_online_atc, 0x000c);
	assert_false(f->profile.no_cvm_list);
}

static void test_profile_file_errors(void **state)
{
	struct vcard_profile p;
	char path[] = "/tmp/vcard-profile-XXXXXX", err[128];
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("pan 6212345678901232\napp A000000333010101 2 Debit\n"
	      "psn 100\n", fp);
	fclose(fp);
	assert_int_equal(vcard_profile_load(&p, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":3:"));
	fp = fopen(path, "w");
	fputs("psn 01\n", fp);	/* no PAN, no application */
	fclose(fp);
	assert_int_equal(vcard_profile_load(&p, path, err, sizeof(err)), -1);
	fp = fopen(path, "w");
	fputs("pan 6212345678901232\napp A000000333010101 2 Debit\n"
	      "cvm-list perhaps\n", fp);
	fclose(fp);
	assert_int_equal(vcard_profile_load(&p, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":3:"));
	fp = fopen(path, "w");
	fputs("pan 6212345678901232\napp A000000333010101 2 Debit\n"
	      "cvm-list no\nucol 256\n", fp);
	fclose(fp);
	assert_int_equal(vcard_profile_load(&p, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":4:"));
	unlink(path);
	assert_int_equal(vcard_profile_load(&p, "/nonexistent/x.card", err,
					    sizeof(err)), -1);
}

static void test_steps_out_of_order(void **state)
{
	struct fixture *f = *state;
	enum emv_ac_type type;
	uint8_t f55[64];
	size_t len;

	start(f);
	assert_int_equal(emv_session_first_ac(&f->s, &type), EMV_E_STATE);
	assert_int_equal(emv_session_field55(&f->s, &emv_field55_cup_request,
					     f55, sizeof(f55), &len),
			 EMV_E_STATE);
}

static void test_session_end_wipes(void **state)
{
	struct fixture *f = *state;

	start(f);
	assert_int_equal(emv_session_read_card(&f->s, &f->txn), EMV_OK);
	emv_session_end(&f->s);
	assert_string_equal(f->s.card.pan, "");
	assert_int_equal(f->s.icc.n, 0);
	assert_int_equal(f->s.state, EMV_STATE_IDLE);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_full_chip_sale),
		T(test_arqc_tampered_amount_fails),
		T(test_bad_arpc_declines),
		T(test_host_declines),
		T(test_issuer_auth_in_cdol2),
		T(test_host_unreachable_default_action),
		T(test_t0_get_response),
		T(test_no_pse_blocked_app),
		T(test_card_removed),
		T(test_expired_card_declined_offline),
		T(test_not_yet_effective),
		T(test_issuer_scripts),
	T(test_no_cvm_list),
	T(test_terminal_risk_management),
	T(test_no_terminal_risk_management),
	T(test_aid_params_from_acquirer),
	T(test_oda_cards_approved),
	T(test_oda_faulty_cards),
	T(test_cda_card_approved),
	T(test_cda_failures),
	T(test_test_ca_files),
	T(test_oda_unknown_ca_key),
	T(test_offline_pin_approved),
	T(test_offline_pin_blocked),
	T(test_offline_pin_no_tries_left),
	T(test_offline_pin_not_supported),
	T(test_script_failures_keep_the_approval),
	T(test_apdus_per_card_kind),
	T(test_every_tvr_tsi_bit),
	T(test_profile_files),
		T(test_profile_file_errors),
		T(test_steps_out_of_order),
		T(test_session_end_wipes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
