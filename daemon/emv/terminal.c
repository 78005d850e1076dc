// SPDX-License-Identifier: MIT
#include <string.h>

#include "crypto/cipher.h"
#include "emv/dol.h"
#include "emv/records.h"
#include "emv/terminal.h"
#include "iso8583/tlv.h"

void emv_session_init(struct emv_session *s, const struct emv_transport *t,
		      const struct emv_terminal_config *config)
{
	memset(s, 0, sizeof(*s));
	s->transport = t;
	s->config = config;
}

static void bcd_number(uint64_t v, uint8_t *out, size_t bytes)
{
	for (size_t i = bytes; i-- > 0;) {
		out[i] = (uint8_t)(v % 10);
		v /= 10;
		out[i] |= (uint8_t)(v % 10 << 4);
		v /= 10;
	}
}

static enum emv_status set_terminal_data(struct emv_session *s,
					 const struct emv_txn_params *txn)
{
	const struct emv_terminal_config *c = s->config;
	struct emv_data *d = &s->terminal;
	uint8_t amount[6], other[6], seq[4];
	enum emv_status st = EMV_OK;

	if (txn->amount > 999999999999ull || txn->amount_other >
	    999999999999ull || txn->sequence > 99999999)
		return EMV_E_ARGUMENT;
	bcd_number(txn->amount, amount, 6);
	bcd_number(txn->amount_other, other, 6);
	bcd_number(txn->sequence, seq, 4);
	emv_data_init(d);
	const struct { uint32_t tag; const void *v; size_t len; } items[] = {
		{ 0x9f02, amount, 6 }, { 0x9f03, other, 6 },
		{ 0x9c, &txn->type, 1 }, { 0x9a, txn->date, 3 },
		{ 0x9f21, txn->time, 3 }, { 0x9f37, txn->unpredictable, 4 },
		{ 0x9f41, seq, 4 }, { 0x9f1a, c->country, 2 },
		{ 0x5f2a, c->currency, 2 }, { 0x9f33, c->capabilities, 3 },
		{ 0x9f40, c->add_capabilities, 5 },
		{ 0x9f35, &c->terminal_type, 1 }, { 0x9f09, c->app_version, 2 },
		{ 0x9f66, c->ttq, 4 }, { 0x9f1e, c->ifd_serial, 8 },
		{ 0x95, s->tvr, 5 },
	};
	for (size_t i = 0; !st && i < sizeof(items) / sizeof(items[0]); i++)
		st = emv_data_set(d, items[i].tag, items[i].v, items[i].len);
	return st;
}

/* Keep the terminal store's 95 / 9B / 9F34 in step with the session. */
static enum emv_status sync_results(struct emv_session *s)
{
	enum emv_status st = emv_data_set(&s->terminal, 0x95, s->tvr, 5);

	if (!st)
		st = emv_data_set(&s->terminal, 0x9b, s->tsi, 2);
	if (!st)
		st = emv_data_set(&s->terminal, 0x9f34, s->cvm_results, 3);
	return st;
}

static bool transport_failed(enum emv_status st)
{
	return st == EMV_E_CARD_REMOVED || st == EMV_E_TRANSPORT;
}

/* The selected application's parameters, when the acquirer gave some:
 * its application version goes into 9F09 before the card sees it. */
static enum emv_status use_aid_params(struct emv_session *s)
{
	const struct emv_terminal_config *c = s->config;
	size_t len;
	const uint8_t *df = emv_data_get(&s->icc, 0x84, &len);

	s->app = df ? emv_aid_params_find(c->aid_params, c->n_aid_params, df,
					  len) : NULL;
	if (!s->app || !memcmp(s->app->app_version, "\0\0", 2))
		return EMV_OK;
	return emv_data_set(&s->terminal, 0x9f09, s->app->app_version, 2);
}

static const struct emv_tac *tac(const struct emv_session *s)
{
	return s->app ? &s->app->tac : &s->config->tac;
}

/*
 * Final SELECT and GPO of the first candidate.  A candidate whose final
 * SELECT fails in any way (Book 1 12.4) or whose GPO answers 6985 (Book 3
 * 10.1) is dropped and the next one tried.
 */
static enum emv_status select_application(struct emv_session *s)
{
	enum emv_status st;

	st = emv_build_candidates(s->transport, s->config->aids,
				  s->config->n_aids,
				  s->config->cardholder_confirmation,
				  &s->candidates);
	while (!st && s->candidates.n > 0) {
		st = emv_final_select(s->transport, &s->candidates.c[0],
				      &s->icc);
		if (transport_failed(st))
			return st;
		if (!st) {
			st = use_aid_params(s);
			if (!st)
				st = emv_gpo(s->transport, &s->terminal,
					     &s->icc, &s->trail);
			if (st != EMV_E_SW_CONDITIONS)
				return st;
		}
		emv_candidate_remove(&s->candidates, 0);
		st = EMV_OK;
	}
	return st ? st : EMV_E_NO_APPLICATION;
}

static struct emv_cvm_input cvm_input(const struct emv_session *s, bool pin_bypassed)
{
	return (struct emv_cvm_input){
		.icc = &s->icc, .capabilities = s->config->capabilities,
		.amount = s->amount, .currency = s->config->currency,
		.type = s->txn_type, .pin_bypassed = pin_bypassed,
		.offline_pin_failed = s->offline_pin_failed,
	};
}

static enum emv_status decide_cvm(struct emv_session *s, bool pin_bypassed)
{
	struct emv_cvm_input in = cvm_input(s, pin_bypassed);
	enum emv_status st;

	/* AIP byte 1 b5: cardholder verification supported */
	if (!(s->card.aip[0] & 0x10)) {
		memcpy(s->cvm_results, "\x3f\x00\x00", 3);
		s->cvm = EMV_CVM_NONE;
		return EMV_OK;
	}
	st = emv_cvm_select(&in, &s->cvm, s->cvm_results, s->tvr);
	/* Book 3 10.5: without a CVM list, verification ends with the TSI
	 * bit left clear */
	if (!st && emv_data_get(&s->icc, 0x8e, NULL))
		s->tsi[0] |= (uint8_t)EMV_TSI_CVM_PERFORMED;
	return st;
}

/* Book 3 10.3, right after the records: INTERNAL AUTHENTICATE (DDA) is
 * one more command while the card is being read. */
static enum emv_status offline_data_authentication(struct emv_session *s,
						   const struct emv_date *today)
{
	const struct emv_terminal_config *c = s->config;
	const struct emv_oda_input in = {
		.icc = &s->icc, .card = &s->card, .today = today,
		.static_data = &s->static_data,
		.capk_lookup = c->capk_lookup, .revoked = c->capk_revoked,
		.ctx = c->capk_ctx,
	};

	const uint8_t *ddol = c->default_ddol;
	size_t ddol_len = c->default_ddol_len;

	if (s->app && s->app->default_ddol_len) {
		ddol = s->app->default_ddol;
		ddol_len = s->app->default_ddol_len;
	}
	return emv_oda_perform(s->transport, &in, c->capabilities, ddol,
			       ddol_len, &s->terminal, &s->icc, s->tvr, s->tsi,
			       &s->oda);
}

enum emv_status emv_session_read_card(struct emv_session *s,
				      const struct emv_txn_params *txn)
{
	struct emv_date today;
	enum emv_status st;

	if (!s || !txn || !s->transport || !s->config)
		return EMV_E_ARGUMENT;
	if (s->state != EMV_STATE_IDLE)
		return EMV_E_STATE;
	if (emv_date_decode(txn->date, &today))
		return EMV_E_ARGUMENT;
	memset(s->tvr, 0, sizeof(s->tvr));
	s->offline_pin_failed = false;
	memset(s->tsi, 0, sizeof(s->tsi));
	emv_data_init(&s->icc);
	memset(&s->static_data, 0, sizeof(s->static_data));
	memset(&s->trail, 0, sizeof(s->trail));
	st = set_terminal_data(s, txn);
	if (!st)
		st = select_application(s);
	if (!st)
		st = emv_read_records(s->transport, &s->icc, &s->static_data);
	if (!st)
		st = emv_card_extract(&s->icc, &s->card);
	if (!st)
		st = offline_data_authentication(s, &today);
	if (st)
		return st;
	emv_processing_restrictions(&s->card, &s->icc, &s->terminal, &today,
				    s->tvr);
	s->amount = txn->amount;
	s->txn_type = txn->type;
	s->random_number = txn->random_number;
	st = decide_cvm(s, false);
	if (!st)
		st = sync_results(s);
	if (!st)
		s->state = EMV_STATE_CARD_READ;
	return st;
}

void emv_session_pin_entered(struct emv_session *s)
{
	emv_tvr_set(s->tvr, EMV_TVR_ONLINE_PIN_ENTERED);
}

bool emv_session_pin_bypass_allowed(const struct emv_session *s)
{
	struct emv_cvm_input in = cvm_input(s, true);
	uint8_t tvr[5], results[3];
	enum emv_cvm cvm;

	memcpy(tvr, s->tvr, sizeof(tvr));
	return s->state == EMV_STATE_CARD_READ && s->cvm == EMV_CVM_ONLINE_PIN &&
	       emv_cvm_select(&in, &cvm, results, tvr) == EMV_OK && cvm != EMV_CVM_FAILED;
}

enum emv_status emv_session_pin_bypassed(struct emv_session *s)
{
	enum emv_status st;

	if (s->state != EMV_STATE_CARD_READ || s->cvm != EMV_CVM_ONLINE_PIN)
		return EMV_E_STATE;
	st = decide_cvm(s, true);
	return st ? st : sync_results(s);
}

/* Book 3 10.5.1: the offline PIN rule failed (no tries left, or the card
 * refused VERIFY); the CVM list walks on from it. */
static enum emv_status offline_pin_failed(struct emv_session *s,
					  bool try_limit)
{
	enum emv_status st;

	if (try_limit)
		emv_tvr_set(s->tvr, EMV_TVR_PIN_TRY_LIMIT);
	s->offline_pin_failed = true;
	st = decide_cvm(s, false);
	return st ? st : sync_results(s);
}

static bool offline_pin_step(const struct emv_session *s)
{
	return s->state == EMV_STATE_CARD_READ && s->cvm == EMV_CVM_OFFLINE_PIN;
}

enum emv_status emv_session_offline_pin_tries(struct emv_session *s,
					      int *tries)
{
	const struct emv_command cmd = {
		.cla = 0x80, .ins = 0xca, .p1 = 0x9f, .p2 = 0x17, .le = true,
	};
	struct emv_apdu_response rsp;
	enum emv_status st;

	if (!offline_pin_step(s))
		return EMV_E_STATE;
	st = emv_apdu_exchange(s->transport, &cmd, &rsp);
	if (st)
		return st;
	*tries = -1;	/* unknown: the card keeps its counter to itself */
	if (rsp.sw == 0x9000 && rsp.len == 4 && rsp.data[0] == 0x9f &&
	    rsp.data[1] == 0x17 && rsp.data[2] == 1)
		*tries = rsp.data[3];
	return *tries == 0 ? offline_pin_failed(s, true) : EMV_OK;
}

enum emv_status emv_session_offline_pin_result(struct emv_session *s,
					       uint16_t sw, int *tries_left)
{
	if (!offline_pin_step(s))
		return EMV_E_STATE;
	*tries_left = -1;
	if (sw == 0x9000) {
		s->cvm_results[2] = 0x02;	/* successful */
		return sync_results(s);
	}
	if ((sw & 0xfff0) == 0x63c0 && (sw & 0x0f)) {
		*tries_left = sw & 0x0f;	/* wrong PIN: ask again */
		return EMV_E_SW_AUTH_FAILED;
	}
	/* 63C0, 6983 (blocked), 6984: no tries left; anything else: the
	 * card refused the method */
	return offline_pin_failed(s, sw == 0x63c0 || sw == 0x6983 ||
				  sw == 0x6984);
}

/* Book 3 6.5.12: plaintext PIN block, control 2, length, digits, F pad. */
static enum emv_status plain_pin_block(const char *digits, uint8_t block[8])
{
	size_t n = strlen(digits);

	if (n < 4 || n > 12)
		return EMV_E_ARGUMENT;
	memset(block, 0xff, 8);
	block[0] = (uint8_t)(0x20 | n);
	for (size_t i = 0; i < n; i++) {
		uint8_t d = (uint8_t)(digits[i] - '0');

		if (d > 9)
			return EMV_E_ARGUMENT;
		block[1 + i / 2] = i % 2 ? (uint8_t)((block[1 + i / 2] & 0xf0) | d) :
				   (uint8_t)(d << 4 | 0x0f);
	}
	return EMV_OK;
}

enum emv_status emv_session_verify_plain_pin(struct emv_session *s,
					     const char *digits,
					     int *tries_left)
{
	uint8_t block[8];
	struct emv_command cmd = {
		.cla = 0x00, .ins = 0x20, .p2 = 0x80, .data = block, .lc = 8,
	};
	struct emv_apdu_response rsp;
	enum emv_status st;

	if (!offline_pin_step(s))
		return EMV_E_STATE;
	st = plain_pin_block(digits, block);
	if (!st)
		st = emv_apdu_exchange(s->transport, &cmd, &rsp);
	pcc_wipe(block, sizeof(block));
	if (!st)
		st = emv_session_offline_pin_result(s, rsp.sw, tries_left);
	pcc_wipe(&rsp, sizeof(rsp));
	return st;
}

static const struct emv_data *const *sources(const struct emv_session *s,
					     const struct emv_data *out[2])
{
	out[0] = &s->terminal;
	out[1] = &s->icc;
	return out;
}

/* Book 3 10.6, after cardholder verification and before terminal action
 * analysis; the journal and the exception file are the caller's. */
static enum emv_status risk_management(struct emv_session *s)
{
	const struct emv_terminal_config *c = s->config;
	struct emv_risk_input in = {
		.amount = s->amount, .random_number = s->random_number,
	};

	if (c->risk_lookup)
		c->risk_lookup(c->risk_ctx, &s->card, &in);
	return emv_terminal_risk_management(s->transport,
					    s->app ? &s->app->risk : &c->risk,
					    &in, &s->card, &s->icc, s->tvr,
					    s->tsi);
}

/* Book 2 6.6 / Book 3 10.8: ask for a CDA signature with a TC or an ARQC
 * when CDA was chosen and its keys recovered. */
static bool cda_requested(const struct emv_session *s, enum emv_ac_type type)
{
	return s->oda.method == EMV_ODA_CDA && !s->oda.error &&
	       type != EMV_AC_AAC;
}

/* The answer's objects except the signature itself, as sent. */
static size_t cda_parts(const struct emv_session *s,
			const struct emv_ac_result *r, struct pcc_part *parts,
			size_t max)
{
	struct tlv t;
	size_t pos = 0, start = 0, n = 0;

	parts[n++] = (struct pcc_part){ s->trail.buf, s->trail.len };
	while (n < max && tlv_next(r->objects, r->objects_len, &pos, &t) ==
	       TLV_OK) {
		if (t.tag != 0x9f4b)
			parts[n++] = (struct pcc_part){ r->objects + start,
							pos - start };
		start = pos;
	}
	return n;
}

/*
 * A TC or ARQC that came with a CDA request must carry a valid signature
 * over the transaction data; otherwise "CDA failed" and the transaction
 * is declined offline (Book 2 6.6.2).  A valid one gives the cryptogram.
 */
static enum emv_status check_cda(struct emv_session *s,
				 struct emv_ac_result *r,
				 enum emv_ac_type *type)
{
	struct pcc_part parts[8];
	struct tlv sdad;
	size_t n;
	const uint8_t *un = emv_data_get(&s->terminal, 0x9f37, NULL);
	enum emv_oda_error e = EMV_ODA_CARD;

	if (*type == EMV_AC_AAC)
		return EMV_OK;		/* the card declined: nothing signed */
	n = cda_parts(s, r, parts, 8);
	if (r->signed_ac && un && !s->trail.overflow &&
	    tlv_find(r->objects, r->objects_len, 0x9f4b, &sdad) == TLV_OK)
		e = emv_verify_cda(&s->oda.icc_key, sdad.value, sdad.len, un,
				   r->cid, parts, n, r->ac);
	s->oda.error = e;
	if (e) {
		emv_tvr_set(s->tvr, EMV_TVR_CDA_FAILED);
		*type = EMV_AC_AAC;
		return EMV_OK;
	}
	return emv_data_set(&s->icc, 0x9f26, r->ac, 8);
}

enum emv_status emv_session_first_ac(struct emv_session *s,
				     enum emv_ac_type *type)
{
	const struct emv_data *src[2];
	const uint8_t *cdol1;
	size_t len;
	bool cda;
	enum emv_status st;

	if (!s || !type)
		return EMV_E_ARGUMENT;
	if (s->state != EMV_STATE_CARD_READ)
		return EMV_E_STATE;
	cdol1 = emv_data_get(&s->icc, 0x8c, &len);
	st = risk_management(s);
	if (!st)
		st = sync_results(s);
	if (st)
		return st;
	s->tsi[0] |= (uint8_t)EMV_TSI_CARD_RISK_MGMT;
	*type = emv_taa_first(s->tvr, tac(s), &s->icc);
	cda = cda_requested(s, *type);
	st = emv_generate_ac(s->transport, *type, cda, cdol1, len,
			     sources(s, src), 2, &s->icc, &s->first_ac,
			     &s->trail);
	if (st)
		return st;
	*type = emv_cid_type(s->first_ac.cid);
	if (cda)
		st = check_cda(s, &s->first_ac, type);
	if (st)
		return st;
	s->state = *type == EMV_AC_ARQC ? EMV_STATE_FIRST_AC : EMV_STATE_DONE;
	return sync_results(s);
}

enum emv_status emv_session_field55(const struct emv_session *s,
				    const struct emv_field55_list *list,
				    uint8_t *out, size_t size, size_t *len)
{
	const struct emv_data *src[2];

	if (!s)
		return EMV_E_ARGUMENT;
	if (s->state == EMV_STATE_IDLE || s->state == EMV_STATE_CARD_READ)
		return EMV_E_STATE;
	/* card first: 9F26/9F27/9F36 come from the card's last answer */
	src[0] = &s->icc;
	src[1] = &s->terminal;
	return emv_field55_build(list, src, 2, out, size, len);
}

/* Issuer authentication: in CDOL2 (91 requested) or EXTERNAL AUTHENTICATE. */
static enum emv_status issuer_auth(struct emv_session *s,
				   const struct emv_host_reply *r,
				   const uint8_t *cdol2, size_t cdol2_len)
{
	enum emv_status st;

	if (!r->issuer_auth || !(s->card.aip[0] & 0x04))
		return EMV_OK;	/* AIP b3: issuer authentication supported */
	st = emv_data_set(&s->terminal, 0x91, r->issuer_auth,
			  r->issuer_auth_len);
	if (st || emv_dol_contains(cdol2, cdol2_len, 0x91))
		return st;
	s->tsi[0] |= (uint8_t)EMV_TSI_ISSUER_AUTH;
	st = emv_external_authenticate(s->transport, r->issuer_auth,
				       r->issuer_auth_len);
	if (st == EMV_E_CARD_REMOVED || st == EMV_E_TRANSPORT)
		return st;
	if (st)
		emv_tvr_set(s->tvr, EMV_TVR_ISSUER_AUTH_FAILED);
	return EMV_OK;
}

static enum emv_status scripts(struct emv_session *s,
			       const struct emv_host_reply *r, uint32_t tmpl)
{
	enum emv_status st;

	if (!r->scripts)
		return EMV_OK;
	st = emv_run_scripts(s->transport, tmpl, r->scripts, r->scripts_len,
			     &s->scripts, s->tvr);
	if (s->scripts.n)
		s->tsi[0] |= (uint8_t)EMV_TSI_SCRIPT;
	/* Book 3 10.10: a script that cannot be run (malformed by the host,
	 * too many, the card gone) is recorded, never the end of the
	 * transaction; only a card gone before the final GENERATE AC is */
	if (st) {
		emv_tvr_set(s->tvr, tmpl == 0x71 ? EMV_TVR_SCRIPT_FAILED_BEFORE :
			    EMV_TVR_SCRIPT_FAILED_AFTER);
		if (tmpl == 0x71 && transport_failed(st))
			return st;
		st = EMV_OK;
	}
	if (s->scripts.n)
		st = emv_data_set(&s->terminal, 0xdf31, s->scripts.r[0],
				  5 * s->scripts.n);
	return st;
}

enum emv_status emv_session_complete(struct emv_session *s,
				     const struct emv_host_reply *reply,
				     enum emv_ac_type *type)
{
	const struct emv_data *src[2];
	const uint8_t *cdol2;
	size_t len;
	enum emv_ac_type want;
	bool cda;
	enum emv_status st;

	if (!s || !reply || !type)
		return EMV_E_ARGUMENT;
	if (s->state != EMV_STATE_FIRST_AC)
		return EMV_E_STATE;
	cdol2 = emv_data_get(&s->icc, 0x8d, &len);
	st = emv_data_set(&s->terminal, 0x8a, (const uint8_t *)
			  (reply->online ? reply->arc : "Z3"), 2);
	if (!st && reply->online)
		st = issuer_auth(s, reply, cdol2, len);
	if (!st && reply->online)
		st = scripts(s, reply, 0x71);
	if (st)
		return st;
	if (reply->online)
		want = !memcmp(reply->arc, "00", 2) ? EMV_AC_TC : EMV_AC_AAC;
	else
		want = emv_taa_unable_online(s->tvr, tac(s), &s->icc);
	cda = cda_requested(s, want);
	st = sync_results(s);
	if (!st)
		st = emv_generate_ac(s->transport, want, cda, cdol2, len,
				     sources(s, src), 2, &s->icc,
				     &s->second_ac, &s->trail);
	if (st)
		return st;
	s->state = EMV_STATE_DONE;
	*type = emv_cid_type(s->second_ac.cid);
	if (*type == EMV_AC_ARQC)
		return EMV_E_CID;	/* never allowed on the second AC */
	if (cda)
		st = check_cda(s, &s->second_ac, type);
	if (st)
		return st;
	if (reply->online)
		st = scripts(s, reply, 0x72);
	return st ? st : sync_results(s);
}

void emv_session_end(struct emv_session *s)
{
	const struct emv_transport *t = s->transport;
	const struct emv_terminal_config *c = s->config;

	emv_data_wipe(&s->icc);
	emv_data_wipe(&s->terminal);
	emv_card_wipe(&s->card);
	pcc_wipe(s, sizeof(*s));
	emv_session_init(s, t, c);
}
