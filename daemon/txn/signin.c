// SPDX-License-Identifier: MIT
/*
 * Sign-in (0800/0810) and sign-out (0820/0830).  60.3 picks the key set
 * (001 single-length PIK+MAK, 003 double-length, 004 with a TDK); field 62
 * of the answer carries each key under the master key followed by its
 * 4-byte check value, and the key store refuses a key whose check value
 * does not match, so a corrupted or foreign key is never used.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "crypto/keystore.h"
#include "txn/internal.h"
#include "txn/workkeys.h"

static const char *const working_keys[] = { TXN_KEY_PIN, TXN_KEY_MAC, TXN_KEY_DATA };

static void result_init(struct txn_engine *e, struct txn_result *res, const char *stan)
{
	memset(res, 0, sizeof(*res));
	res->outcome = TXN_FAILED;
	snprintf(res->stan, sizeof(res->stan), "%s", stan);
	journal_batch(e->journal, res->batch);
}

static void fail(struct txn_result *res, enum txn_error error, const char *msg)
{
	res->outcome = TXN_FAILED;
	res->error = error;
	snprintf(res->message, sizeof(res->message), "%s", msg);
}

/* Signed out here: no working keys left, whatever the host says. */
static void sign_out_locally(struct txn_task *t)
{
	engine_set_signed_in(t->e, false);
	for (size_t i = 0; i < sizeof(working_keys) / sizeof(working_keys[0]); i++)
		pcc_keystore_remove(t->e->ks, working_keys[i]);
	pcc_keystore_commit(t->e->ks);
}

static bool load_keys(struct txn_engine *e, const struct iso_msg *resp, struct txn_result *res)
{
	const char *refused;
	size_t n = 0;
	const uint8_t *f62 = iso_msg_get(resp, 62, &n);
	enum pcc_status st = workkeys_load(e->ks, TXN_KEY_MASTER, e->cfg.netcode, f62, n,
					   &refused);

	if (st == PCC_E_DATA_LENGTH && !strcmp(refused, "field 62")) {
		fail(res, TXN_ERROR_KEY_ERROR, "sign-in answer has no usable field 62");
		return false;
	}
	if (st != PCC_OK) {
		snprintf(res->message, sizeof(res->message), "%s from the host refused: %s",
			 refused, pcc_strerror(st));
		res->error = TXN_ERROR_KEY_ERROR;
		engine_notice(e, "signin.key_refused", "%s", res->message);
		return false;
	}
	/* kept across a restart, so a reversal left by a crash can be MAC'd
	 * even before the next sign-in */
	if (pcc_keystore_commit(e->ks) != PCC_OK)
		engine_log(e, LOG_WARNING, "working keys not saved in the key store");
	return true;
}

/* The batch is the host's: 60.2 of the 0810, which the journal follows
 * (docs/unionpay-messages.md, "Batch number"). */
static void adopt_host_batch(struct txn_engine *e, const struct iso_msg *resp,
			     struct txn_result *res)
{
	char batch[7];

	if (iso_subfield_get(&iso_dialect_cup, resp, 60, 2, batch, sizeof(batch)) ||
	    journal_set_batch(e->journal, batch)) {
		engine_log(e, LOG_WARNING, "sign-in answer without a usable batch (60.2): keeping %s",
			   res->batch);
		return;
	}
	snprintf(res->batch, sizeof(res->batch), "%s", batch);
}

/* 0800: 60.3 = the key set, 63 = the operator.  False (@res failed)
 * when no STAN can be taken. */
bool sign_in_request(struct txn_engine *e, struct iso_msg *req, struct txn_result *res)
{
	char stan[7], batch[7];

	if (journal_next_stan(e->journal, stan) || journal_batch(e->journal, batch)) {
		result_init(e, res, "");
		fail(res, TXN_ERROR_FAILED, "journal error");
		return false;
	}
	result_init(e, res, stan);
	msg_start(e, req, "0800", NULL, 0, stan, "00", batch, e->cfg.netcode);
	iso_msg_set_str(req, 63, e->cfg.operator_id);
	return true;
}

/* The 0810: the working keys checked and loaded. */
void sign_in_answer(struct txn_engine *e, enum link_result lr, const struct iso_msg *req,
		    const struct iso_msg *resp, struct txn_result *res)
{
	char why[96];

	if (lr == LINK_NOT_SENT) {
		fail(res, TXN_ERROR_HOST_UNREACHABLE, "the acquirer host cannot be reached");
		return;
	}
	if (lr != LINK_OK) {
		fail(res, TXN_ERROR_HOST_ERROR, "no valid sign-in answer from the host");
		return;
	}
	if (!response_matches(e, req, resp, why, sizeof(why))) {
		engine_notice(e, "host.mismatch", "sign-in refused: %s", why);
		fail(res, TXN_ERROR_HOST_MISMATCH, why);
		return;
	}
	iso_msg_get_str(resp, 39, res->rc, sizeof(res->rc));
	if (strcmp(res->rc, "00")) {
		res->outcome = TXN_DECLINED;
		snprintf(res->message, sizeof(res->message), "sign-in declined with code %s", res->rc);
		engine_set_signed_in(e, false);
		return;
	}
	if (!load_keys(e, resp, res)) {
		engine_set_signed_in(e, false);
		return;
	}
	adopt_host_batch(e, resp, res);
	res->outcome = TXN_APPROVED;
	snprintf(res->message, sizeof(res->message), "signed in, batch %s", res->batch);
	engine_log(e, LOG_INFO, "signed in (60.3 %s), batch %s", e->cfg.netcode, res->batch);
	engine_set_signed_in(e, true);
}

static bool sign_in_next(struct txn_task *t)
{
	if (t->asked)
		return false;
	t->asked = true;
	t->mac = false;
	return sign_in_request(t->e, &t->req, t->res);
}

static void sign_in_taken(struct txn_task *t, enum link_result lr)
{
	sign_in_answer(t->e, lr, &t->req, &t->resp, t->res);
}

const struct task_kind task_sign_in = { sign_in_next, sign_in_taken };

/* 0820; the terminal is signed out at once, whatever the host says. */
static bool sign_out_next(struct txn_task *t)
{
	struct txn_engine *e = t->e;
	char stan[7], batch[7];

	if (t->asked)
		return false;
	t->asked = true;
	sign_out_locally(t);
	if (journal_next_stan(e->journal, stan) || journal_batch(e->journal, batch)) {
		result_init(e, t->res, "");
		fail(t->res, TXN_ERROR_FAILED, "signed out locally; journal error");
		return false;
	}
	result_init(e, t->res, stan);
	msg_start(e, &t->req, "0820", NULL, 0, stan, "00", batch, "002");
	iso_msg_set_str(&t->req, 63, e->cfg.operator_id);
	t->mac = false;
	return true;
}

static void sign_out_answer(struct txn_task *t, enum link_result lr)
{
	struct txn_result *res = t->res;

	if (lr != LINK_OK) {
		fail(res, TXN_ERROR_HOST_UNREACHABLE, "signed out locally; the host did not answer");
		return;
	}
	iso_msg_get_str(&t->resp, 39, res->rc, sizeof(res->rc));
	res->outcome = strcmp(res->rc, "00") ? TXN_DECLINED : TXN_APPROVED;
	snprintf(res->message, sizeof(res->message), "signed out");
}

const struct task_kind task_sign_out = { sign_out_next, sign_out_answer };

static int start(struct txn_engine *e, const struct task_kind *kind, struct txn_result *res,
		 struct txn_task **out)
{
	struct txn_task *t = task_new();

	*out = t;
	if (!t)
		return -1;
	t->res = res;
	return task_start(e, kind, t);
}

int txn_sign_in_start(struct txn_engine *e, struct txn_result *res, struct txn_task **task)
{
	return start(e, &task_sign_in, res, task);
}

int txn_sign_out_start(struct txn_engine *e, struct txn_result *res, struct txn_task **task)
{
	return start(e, &task_sign_out, res, task);
}
