// SPDX-License-Identifier: MIT
#include "paycardd/bus/key_inject.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto/keystore.h"
#include "paycardd/daemon.h"
#include "paycardd/engine/engine_setup.h"
#include "paycardd/bus/errors.h"
#include "paycardd/log.h"
#include "txn/engine.h"

/* the working keys sign-in decrypted under the old master key */
static const char *const stale_keys[] = { TXN_KEY_PIN, TXN_KEY_MAC, TXN_KEY_DATA };

static void refusal_notice(struct paycardd *d, const char *why)
{
	daemon_notice(d, NOTICE_SECURITY, "key.inject.refused",
		      "Master key injection refused: %s", why);
}

/* A refusal: its notice, and its D-Bus error. */
static int refuse(struct paycardd *d, sd_bus_error *err, const char *name, const char *why)
{
	refusal_notice(d, why);
	return sd_bus_error_setf(err, name, "InjectKey: %s", why);
}

/* The block's header: a terminal master key (K0) or a typed refusal. */
static int check_header(struct paycardd *d, const char *block, sd_bus_error *err)
{
	struct pcc_tr31_header h;
	enum pcc_status st = pcc_tr31_parse_header(block, strlen(block), &h);
	char why[96];

	if (st != PCC_OK) {
		snprintf(why, sizeof(why), "not a valid TR-31 key block: %s", pcc_strerror(st));
		return refuse(d, err, PAYCARD_ERROR_BAD_KEY_BLOCK, why);
	}
	if (strcmp(h.usage, "K0") != 0) {
		snprintf(why, sizeof(why), "key usage %s, a terminal master key is K0", h.usage);
		return refuse(d, err, PAYCARD_ERROR_WRONG_KEY_USAGE, why);
	}
	return 0;
}

/* Unwrap the block into the master key entry: its failure as a D-Bus error. */
static int unwrap(struct paycardd *d, const char *block, sd_bus_error *err)
{
	enum pcc_status st = pcc_keystore_import_tr31(d->keystore, KEY_INJECT_KBPK,
						      TXN_KEY_MASTER, block, strlen(block));
	char why[96];

	if (st == PCC_OK)
		return 0;
	snprintf(why, sizeof(why), "%s", pcc_strerror(st));
	if (st == PCC_E_MAC)
		return refuse(d, err, PAYCARD_ERROR_KEY_BLOCK_MAC,
			      "the key block's MAC does not verify (tampered, or wrapped under "
			      "another KBPK)");
	if (st == PCC_E_KEY_USAGE)
		return refuse(d, err, PAYCARD_ERROR_WRONG_KEY_USAGE, why);
	if (st == PCC_E_IO || st == PCC_E_MEMORY || st == PCC_E_CIPHER)
		return refuse(d, err, PAYCARD_ERROR_FAILED, why);
	return refuse(d, err, PAYCARD_ERROR_BAD_KEY_BLOCK, why);
}

static int reply(sd_bus_message *m, const char *kcv, enum pcc_alg alg)
{
	return sd_bus_reply_method_return(m, "a{sv}", 3, "kcv", "s", kcv, "usage", "s", "K0",
					  "algorithm", "s", pcc_alg_name(alg));
}


static int store_new_master(struct paycardd *d, const char *block, char kcv_hex[7],
			    enum pcc_alg *alg, sd_bus_error *err)
{
	uint8_t kcv[3];
	enum pcc_status st;
	int r = unwrap(d, block, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(stale_keys) / sizeof(stale_keys[0]); i++)
		pcc_keystore_remove(d->keystore, stale_keys[i]);
	st = pcc_keystore_commit(d->keystore);
	if (st == PCC_OK)
		st = pcc_keystore_kcv(d->keystore, TXN_KEY_MASTER, PCC_KCV_CLASSIC, kcv, sizeof(kcv));
	if (st == PCC_OK)
		st = pcc_keystore_info(d->keystore, TXN_KEY_MASTER, NULL, alg, NULL);
	if (st != PCC_OK)
		return refuse(d, err, PAYCARD_ERROR_FAILED, pcc_strerror(st));
	snprintf(kcv_hex, 7, "%02X%02X%02X", kcv[0], kcv[1], kcv[2]);
	return 0;
}

int key_inject_call(struct paycardd *d, sd_bus_message *m, sd_bus_error *err)
{
	const char *block;
	char kcv[7];
	enum pcc_alg alg;
	int r = sd_bus_message_read(m, "s", &block);

	if (r < 0)
		return r;
	if (!d->keystore)
		return refuse(d, err, PAYCARD_ERROR_NOT_SUPPORTED, "no key store is open");
	if (pcc_keystore_info(d->keystore, KEY_INJECT_KBPK, NULL, NULL, NULL) != PCC_OK)
		return refuse(d, err, PAYCARD_ERROR_NO_KBPK,
			      "the key store holds no key block protection key (" KEY_INJECT_KBPK
			      "); it is provisioned at manufacturing");
	if (d->engine && txn_engine_busy(d->engine))
		return sd_bus_error_setf(err, PAYCARD_ERROR_BUSY,
					 "InjectKey: a transaction is with the host, try again in a moment");
	r = check_header(d, block, err);
	if (r >= 0)
		r = store_new_master(d, block, kcv, &alg, err);
	if (r < 0)
		return r;
	engine_sign_out(d);	/* the working keys are stale */
	daemon_notice(d, NOTICE_SECURITY, "key.inject",
		      "New terminal master key injected (KCV %s); sign in again", kcv);
	return reply(m, kcv, alg);
}

void key_inject_refused(struct paycardd *d, const sd_bus_error *err)
{
	refusal_notice(d, err && err->message ? err->message : "caller not allowed");
}
