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

static const struct {
	const char *name;
	enum pcc_key_usage usage;
} working_keys[] = {
	{ TXN_KEY_PIN, PCC_USAGE_PIN },
	{ TXN_KEY_MAC, PCC_USAGE_MAC },
	{ TXN_KEY_DATA, PCC_USAGE_DATA },
};

static void result_init(struct txn_engine *e, struct txn_result *res, const char *stan)
{
	memset(res, 0, sizeof(*res));
	res->outcome = TXN_FAILED;
	snprintf(res->stan, sizeof(res->stan), "%s", stan);
	journal_batch(e->journal, res->batch);
}

static void fail(struct txn_result *res, const char *error, const char *msg)
{
	res->outcome = TXN_FAILED;
	snprintf(res->error, sizeof(res->error), "%s", error);
	snprintf(res->message, sizeof(res->message), "%s", msg);
}

static bool load_keys(struct txn_engine *e, const struct iso_msg *resp, struct txn_result *res)
{
	size_t key_len = strcmp(e->cfg.netcode, "001") ? 16 : 8, n;
	size_t count = strcmp(e->cfg.netcode, "004") ? 2 : 3;
	const uint8_t *f62 = iso_msg_get(resp, 62, &n);
	enum pcc_status st;

	if (!f62 || n != count * (key_len + 4)) {
		fail(res, "KeyError", "sign-in answer has no usable field 62");
		return false;
	}
	for (size_t i = 0; i < count; i++) {
		const uint8_t *k = f62 + i * (key_len + 4);

		st = pcc_keystore_load_working_key(e->ks, TXN_KEY_MASTER, working_keys[i].name,
						   working_keys[i].usage, k, key_len, k + key_len);
		if (st != PCC_OK) {
			snprintf(res->message, sizeof(res->message), "%s from the host refused: %s",
				 working_keys[i].name, pcc_strerror(st));
			snprintf(res->error, sizeof(res->error), "KeyError");
			engine_notice(e, "signin.key_refused", "%s", res->message);
			return false;
		}
	}
	/* kept across a restart, so a reversal left by a crash can be MAC'd
	 * even before the next sign-in */
	if (pcc_keystore_commit(e->ks) != PCC_OK)
		engine_log(e, LOG_WARNING, "working keys not saved in the key store");
	return true;
}

int txn_sign_in(struct txn_engine *e, struct txn_result *res)
{
	struct iso_msg req, resp;
	char stan[7], batch[7], why[96];
	enum link_result lr;

	if (journal_next_stan(e->journal, stan) || journal_batch(e->journal, batch))
		return -1;
	result_init(e, res, stan);
	msg_start(e, &req, "0800", NULL, 0, stan, "00", batch, e->cfg.netcode);
	iso_msg_set_str(&req, 63, e->cfg.operator_id);
	lr = link_exchange(e, &req, false, &resp);
	if (lr == LINK_NOT_SENT) {
		fail(res, "HostUnreachable", "the acquirer host cannot be reached");
		return 0;
	}
	if (lr != LINK_OK) {
		fail(res, "HostError", "no valid sign-in answer from the host");
		return 0;
	}
	if (!response_matches(e, &req, &resp, why, sizeof(why))) {
		engine_notice(e, "host.mismatch", "sign-in refused: %s", why);
		fail(res, "HostMismatch", why);
		return 0;
	}
	iso_msg_get_str(&resp, 39, res->rc, sizeof(res->rc));
	if (strcmp(res->rc, "00")) {
		res->outcome = TXN_DECLINED;
		snprintf(res->message, sizeof(res->message), "sign-in declined with code %s", res->rc);
		engine_set_signed_in(e, false);
		return 0;
	}
	if (!load_keys(e, &resp, res)) {
		engine_set_signed_in(e, false);
		return 0;
	}
	res->outcome = TXN_APPROVED;
	snprintf(res->message, sizeof(res->message), "signed in, batch %s", batch);
	engine_log(e, LOG_INFO, "signed in (60.3 %s), batch %s", e->cfg.netcode, batch);
	engine_set_signed_in(e, true);
	return 0;
}

int txn_sign_out(struct txn_engine *e, struct txn_result *res)
{
	struct iso_msg req, resp;
	char stan[7], batch[7];
	enum link_result lr;

	if (journal_next_stan(e->journal, stan) || journal_batch(e->journal, batch))
		return -1;
	result_init(e, res, stan);
	msg_start(e, &req, "0820", NULL, 0, stan, "00", batch, "002");
	iso_msg_set_str(&req, 63, e->cfg.operator_id);
	lr = link_exchange(e, &req, false, &resp);
	/* the terminal is signed out whatever the host says */
	engine_set_signed_in(e, false);
	for (size_t i = 0; i < sizeof(working_keys) / sizeof(working_keys[0]); i++)
		pcc_keystore_remove(e->ks, working_keys[i].name);
	pcc_keystore_commit(e->ks);
	if (lr != LINK_OK) {
		fail(res, "HostUnreachable", "signed out locally; the host did not answer");
		return 0;
	}
	iso_msg_get_str(&resp, 39, res->rc, sizeof(res->rc));
	res->outcome = strcmp(res->rc, "00") ? TXN_DECLINED : TXN_APPROVED;
	snprintf(res->message, sizeof(res->message), "signed out");
	return 0;
}
