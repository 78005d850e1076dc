// SPDX-License-Identifier: MIT
/*
 * One request in, one reply out: decode, find the terminal, check merchant,
 * session, MAC, batch and STAN, pick the fault mode, run the handler in a
 * ledger transaction, build the answer (MAC'd with the session MAK) and
 * spoil it as the fault mode asks.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/cipher.h"
#include "iso8583/printer.h"
#include "iso8583/tlv.h"
#include "request.h"
#include "table.h"

/* Fields a response repeats from its request. */
static const int echoed[] = { 2, 3, 4, 11, 14, 22, 25, 41, 42, 49, 60, 61 };

void hs_new_txn(const struct hs_request *r, const char *kind, struct hs_txn *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->tid, sizeof(t->tid), "%s", r->term->tid);
	snprintf(t->batch, sizeof(t->batch), "%s", r->batch);
	snprintf(t->stan, sizeof(t->stan), "%s", r->stan);
	snprintf(t->date, sizeof(t->date), "%s", r->date);
	snprintf(t->kind, sizeof(t->kind), "%s", kind);
	snprintf(t->card_ref, sizeof(t->card_ref), "%s", r->card_ref);
	snprintf(t->pan_masked, sizeof(t->pan_masked), "%s", r->pan_masked);
	t->amount = r->amount;
}

void hs_assign_rrn(struct hs_request *r, struct hs_txn *t)
{
	unsigned long n = ++r->host->rrn_counter;

	snprintf(t->rrn, sizeof(t->rrn), "%012lu", n % 1000000000000UL);
	snprintf(t->auth, sizeof(t->auth), "%06lu", (n * 7919) % 1000000UL);
	iso_msg_set_str(r->resp, 37, t->rrn);
	iso_msg_set_str(r->resp, 38, t->auth);
}

static void read_request(struct hs_request *r)
{
	char track[40], *eq, amount[13] = "";
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(r->date, sizeof(r->date), "%m%d", &tm);
	iso_msg_get_str(r->req, 11, r->stan, sizeof(r->stan));
	iso_msg_get_str(r->req, 3, r->proc, sizeof(r->proc));
	iso_subfield_get(&iso_dialect_cup, r->req, 60, 1, r->type, sizeof(r->type));
	iso_subfield_get(&iso_dialect_cup, r->req, 60, 2, r->batch, sizeof(r->batch));
	iso_subfield_get(&iso_dialect_cup, r->req, 60, 3, r->netcode, sizeof(r->netcode));
	if (!iso_msg_get_str(r->req, 4, amount, sizeof(amount)))
		r->amount = atoll(amount);
	if (iso_msg_get_str(r->req, 2, r->pan, sizeof(r->pan)) &&
	    !iso_msg_get_str(r->req, 35, track, sizeof(track)) &&
	    (eq = strchr(track, '=')) && eq - track < (long)sizeof(r->pan)) {
		memcpy(r->pan, track, (size_t)(eq - track));
		r->pan[eq - track] = '\0';
	}
	if (r->pan[0]) {
		r->card = hs_card_find(r->host->cfg, r->pan);
		hs_card_ref(r->pan, r->card_ref);
		iso_mask_pan(r->pan, strlen(r->pan), r->pan_masked);
	}
	OPENSSL_cleanse(track, sizeof(track));
}

/*
 * The global fault (--fault) applies to every request but sign-in; card
 * and amount rules only to the financial request they name, not to its
 * reversal (which repeats the amount), settlement or batch upload.
 */
static void choose_fault(struct hs_request *r)
{
	struct hs_config *cfg = r->host->cfg;

	r->fault = cfg->global_fault;
	if (!strcmp(r->req->mti, "0400") || !strcmp(r->req->mti, "0500") ||
	    !strcmp(r->req->mti, "0320"))
		return;
	if (r->fault.kind == HS_FAULT_NONE && r->card)
		r->fault = r->card->fault;
	for (size_t i = 0; r->fault.kind == HS_FAULT_NONE && i < cfg->n_rules; i++)
		if (cfg->rules[i].amount == r->amount && r->amount > 0)
			r->fault = cfg->rules[i].fault;
}

static const char *dispatch(struct hs_request *r)
{
	const char *mti = r->req->mti, *p = r->proc, *t = r->type;

	if (!strcmp(mti, "0400"))
		return hs_reversal(r);
	if (!strcmp(mti, "0500"))
		return hs_settle(r);
	if (!strcmp(mti, "0320"))
		return hs_batch_upload(r);
	if (!strcmp(mti, "0200") && !strcmp(p, "000000") && !strcmp(t, "22"))
		return hs_sale(r);
	if (!strcmp(mti, "0200") && !strcmp(p, "200000") && !strcmp(t, "23"))
		return hs_void(r);
	if (!strcmp(mti, "0220") && !strcmp(p, "200000") && !strcmp(t, "25"))
		return hs_refund(r);
	if (!strcmp(mti, "0200") && !strcmp(p, "310000") && !strcmp(t, "01"))
		return hs_balance(r);
	if (!strcmp(mti, "0100") && !strcmp(p, "030000") && !strcmp(t, "10"))
		return hs_preauth(r);
	if (!strcmp(mti, "0100") && !strcmp(p, "200000") && !strcmp(t, "11"))
		return hs_preauth_void(r);
	if (!strcmp(mti, "0200") && !strcmp(p, "000000") && !strcmp(t, "20"))
		return hs_completion(r);
	return RC_NOT_SUPPORTED;
}

static bool is_duplicate(struct hs_request *r)
{
	struct hs_txn t;

	if (!strcmp(r->req->mti, "0400") || !strcmp(r->req->mti, "0500") ||
	    !strcmp(r->req->mti, "0320"))
		return false;
	return hs_ledger_find(r->host->ledger, "stan", r->term->tid, r->stan, &t) == 1 &&
	       !strcmp(t.batch, r->batch);
}

static const char *process(struct hs_request *r, const uint8_t *frame, size_t len)
{
	char mid[16] = "";
	const char *rc;

	if (!r->term)
		return RC_UNKNOWN_TERMINAL;
	if (iso_msg_get_str(r->req, 42, mid, sizeof(mid)) || strcmp(mid, r->term->mid))
		return RC_INVALID_MERCHANT;
	if (!strcmp(r->req->mti, "0800"))
		return hs_sign_in(r);
	if (!r->term->signed_in)
		return RC_SIGN_IN_AGAIN;
	if (!strcmp(r->req->mti, "0820"))
		return hs_sign_out(r);
	r->mac_response = true;
	if (!hs_mac_ok(r, frame, len))
		return RC_MAC_ERROR;
	if (strcmp(r->batch, r->term->batch))
		return RC_SIGN_IN_AGAIN;	/* batch out of step: sign in again */
	choose_fault(r);
	if (r->fault.kind == HS_FAULT_RC)
		return r->fault.value;
	if (is_duplicate(r))
		return RC_DUPLICATE;
	if (hs_ledger_begin(r->host->ledger))
		return RC_SYSTEM_ERROR;
	rc = dispatch(r);
	if (!strcmp(rc, RC_SYSTEM_ERROR)) {
		hs_ledger_rollback(r->host->ledger);
		return rc;
	}
	return hs_ledger_commit(r->host->ledger) ? RC_SYSTEM_ERROR : rc;
}

/* MTI + 10, the echoed fields and the host's own; 39 comes later. */
static void start_response(struct hs_request *r)
{
	char mti[5], when[16];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(mti, sizeof(mti), "%.2s%c%c", r->req->mti, r->req->mti[2] + 1,
		 r->req->mti[3]);
	iso_msg_init(r->resp, mti);
	for (size_t i = 0; i < sizeof(echoed) / sizeof(echoed[0]); i++) {
		size_t n;
		const uint8_t *v = iso_msg_get(r->req, echoed[i], &n);

		if (v)
			iso_msg_set(r->resp, echoed[i], v, n);
	}
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%H%M%S", &tm);
	iso_msg_set_str(r->resp, 12, when);
	iso_msg_set_str(r->resp, 13, r->date);
	iso_msg_set_str(r->resp, 32, r->host->cfg->acquirer_id);
}

/* Response faults that change the message itself. */
static void spoil_message(struct hs_request *r)
{
	char stan[12];

	switch (r->fault.kind) {
	case HS_FAULT_MERCHANT:
		iso_msg_set_str(r->resp, 42, r->fault.value);
		break;
	case HS_FAULT_TERMINAL:
		iso_msg_set_str(r->resp, 41, r->fault.value);
		break;
	case HS_FAULT_STAN_OTHER:
		snprintf(stan, sizeof(stan), "%06d", (int)((atol(r->stan) + 1) % 1000000));
		iso_msg_set_str(r->resp, 11, stan);
		break;
	default:
		break;
	}
}

/* Response faults that change the bytes. */
static void spoil_frame(struct hs_request *r, struct hs_reply *reply)
{
	if (r->fault.kind == HS_FAULT_BAD_MAC)
		reply->frame[reply->len - 1] ^= 0x01;
	if (r->fault.kind == HS_FAULT_GARBAGE)
		pcc_random(reply->frame + 2, reply->len - 2);
}

/* " icc=95,9F10,... atc=002A tvr=0000080000 tsc=00000012": which EMV
 * objects field 55 carried, the card's transaction counter (a test ties a
 * reversal to its ARQC), the terminal verification results and the
 * terminal's transaction sequence counter (9F41). */
static void icc_summary(const struct iso_msg *m, char *out, size_t size)
{
	const uint8_t *f55;
	size_t len, pos = 0;
	struct tlv t;
	int n = 0, atc = -1;
	const uint8_t *tvr = NULL, *tsc = NULL;

	out[0] = '\0';
	f55 = iso_msg_get(m, 55, &len);
	if (!f55)
		return;
	n = snprintf(out, size, " icc=");
	while (n > 0 && (size_t)n < size && tlv_next(f55, len, &pos, &t) == TLV_OK) {
		n += snprintf(out + n, size - (size_t)n, "%s%X", out[n - 1] == '=' ? "" : ",",
			      (unsigned)t.tag);
		if (t.tag == 0x9f36 && t.len == 2)
			atc = t.value[0] << 8 | t.value[1];
		if (t.tag == 0x95 && t.len == 5)
			tvr = t.value;
		if (t.tag == 0x9f41 && t.len == 4)
			tsc = t.value;
	}
	if (atc >= 0 && n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, " atc=%04X", (unsigned)atc);
	if (tvr && n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, " tvr=%02X%02X%02X%02X%02X", tvr[0],
			      tvr[1], tvr[2], tvr[3], tvr[4]);
	if (tsc && n > 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, " tsc=%02X%02X%02X%02X", tsc[0], tsc[1], tsc[2],
			 tsc[3]);
}

static void log_request(const struct hs_request *r, const char *rc)
{
	static const char *const names[] = {
		"none", "delay", "noanswer", "disconnect", "reset", "garbage",
		"badmac", "merchant", "terminal", "stan:dup", "stan:other", "rc",
	};
	char icc[160];

	icc_summary(r->req, icc, sizeof(icc));
	fprintf(stderr, "paycard-hostsim: %s tid=%s stan=%s proc=%s pan=%s "
		"amount=%lld rc=%s fault=%s%s\n", r->req->mti,
		r->term ? r->term->tid : "?", r->stan, r->proc,
		r->pan_masked[0] ? r->pan_masked : "-", r->amount, rc,
		names[r->fault.kind], icc);
}

/* A request that breaks the written table is refused with 30 and the
 * rule it broke logged; known gaps are logged only. */
static bool table_refuses(const struct hs_host *host, const struct iso_msg *req)
{
	char why[256];
	enum hs_table_verdict v;

	if (!host->table)
		return false;
	v = hs_table_check(host->table, req, why, sizeof(why));
	if (v != HS_TABLE_OK)
		fprintf(stderr, "paycard-hostsim: table %s: %s\n",
			v == HS_TABLE_GAP ? "gap" : "refused", why);
	return v == HS_TABLE_BROKEN;
}

void hs_handle_frame(struct hs_host *host, const uint8_t *frame, size_t len,
		     struct hs_reply *reply)
{
	static struct iso_msg req, resp;
	struct iso_envelope env, out_env;
	struct hs_request r = { .host = host, .req = &req, .resp = &resp };
	struct iso_errinfo ei;
	char tid[9];
	const char *rc;
	enum iso_err err;

	memset(reply, 0, sizeof(*reply));
	if (iso_frame_decode(&iso_dialect_cup, frame, len, &env, &req, &ei)) {
		fprintf(stderr, "paycard-hostsim: undecodable request: %s (field %d,"
			" byte %zu): closing\n", iso_strerror(ei.code), ei.field, ei.offset);
		reply->fault.kind = HS_FAULT_DISCONNECT;
		return;
	}
	if (!iso_msg_get_str(&req, 41, tid, sizeof(tid)))
		r.term = hs_terminal_find(host->cfg, tid);
	read_request(&r);
	start_response(&r);
	rc = table_refuses(host, &req) ? RC_FORMAT_ERROR : process(&r, frame, len);
	hs_chip_answer(&r, rc);
	iso_msg_set_str(&resp, 39, rc);
	spoil_message(&r);
	log_request(&r, rc);
	/* the answer goes back the other way: TPDU source and destination
	 * swap, the application header is echoed */
	out_env = env;
	memcpy(out_env.tpdu + 1, env.tpdu + 3, 2);
	memcpy(out_env.tpdu + 3, env.tpdu + 1, 2);
	if (r.mac_response)
		err = iso_frame_encode_mac(&iso_dialect_cup, &out_env, &resp,
					   hs_mac_callback, r.term, reply->frame,
					   sizeof(reply->frame), &reply->len, &ei);
	else
		err = iso_frame_encode(&iso_dialect_cup, &out_env, &resp, reply->frame,
				       sizeof(reply->frame), &reply->len, &ei);
	if (err) {
		fprintf(stderr, "paycard-hostsim: cannot encode answer: %s (field %d)\n",
			iso_strerror(ei.code), ei.field);
		reply->fault.kind = HS_FAULT_DISCONNECT;
		return;
	}
	reply->send = true;
	reply->fault = r.fault;
	spoil_frame(&r, reply);
}
