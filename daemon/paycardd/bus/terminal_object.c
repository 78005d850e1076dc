// SPDX-License-Identifier: MIT
/*
 * /org/paycard/terminal, interface org.paycard.Terminal1: the terminal as a
 * whole.  Every method checks the caller's role first (AccessDenied), then
 * its arguments, then the reader (NoSuchReader, Busy), and only then runs.
 * The transaction engine's methods then run in terminal_engine.c; without
 * an engine (no acquirer configured) they answer NotSupported saying why:
 * never a made-up success.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/bus/authz.h"
#include "paycardd/bus/bus_objects.h"
#include "paycardd/session/card_session.h"
#include "paycardd/daemon.h"
#include "paycardd/bus/errors.h"
#include "paycardd/bus/key_inject.h"
#include "paycardd/bus/reload.h"
#include "paycardd/bus/session_call.h"
#include "paycardd/bus/signals.h"
#include "paycardd/readers/reader_manager.h"
#include "paycardd/bus/terminal_engine.h"
#include "txn/engine.h"
#include "txn/journal.h"

#define AMOUNT_MAX	999999999999ULL		/* ISO 8583 field 4: n12, in fen */
#define NOTICES_LIST_MAX 256

static struct reader *reader_arg(struct paycardd *d, const char *name, sd_bus_error *err)
{
	struct reader *r = reader_manager_find(d->readers, name);

	if (!r)
		sd_bus_error_setf(err, PAYCARD_ERROR_NO_SUCH_READER, "no reader named '%s'", name);
	return r;
}

/* The engine's methods after the vtable chose @em: role, reader, amount. */
static int method_engine(sd_bus_message *m, struct paycardd *d, const struct engine_method *em,
			 sd_bus_error *err)
{
	const char *name;
	uint64_t amount = 0;
	struct reader *r = NULL;
	int rc = authz_require(m, &d->cfg.roles, em->need, err);

	if (rc < 0)
		return rc;
	if (!em->reader)
		return terminal_engine_call(d, m, em, NULL, 0, err);
	rc = sd_bus_message_read(m, "s", &name);
	if (rc < 0)
		return rc;
	if (em->amount) {
		rc = sd_bus_message_read(m, "t", &amount);
		if (rc < 0)
			return rc;
		if (amount == 0 || amount > AMOUNT_MAX)
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "amount must be 1..%llu fen", AMOUNT_MAX);
	}
	r = reader_arg(d, name, err);
	if (!r)
		return -ENOENT;
	if (r->session)
		return sd_bus_error_setf(err, PAYCARD_ERROR_BUSY,
					 "reader %s is busy with another transaction", name);
	return terminal_engine_call(d, m, em, r, amount, err);
}

/* One handler per method: each knows its entry of engine_methods. */
#define ENGINE_HANDLER(fn, call)						\
	static int fn(sd_bus_message *m, void *user, sd_bus_error *err)	\
	{									\
		return method_engine(m, user, &engine_methods[call], err);	\
	}
ENGINE_HANDLER(method_sign_in, CALL_SIGN_IN)
ENGINE_HANDLER(method_sign_out, CALL_SIGN_OUT)
ENGINE_HANDLER(method_settle, CALL_SETTLE)
ENGINE_HANDLER(method_sale, CALL_SALE)
ENGINE_HANDLER(method_void, CALL_VOID)
ENGINE_HANDLER(method_refund, CALL_REFUND)
ENGINE_HANDLER(method_balance, CALL_BALANCE)
ENGINE_HANDLER(method_preauth, CALL_PREAUTH)
ENGINE_HANDLER(method_preauth_void, CALL_PREAUTH_VOID)
ENGINE_HANDLER(method_preauth_complete, CALL_PREAUTH_COMPLETE)
ENGINE_HANDLER(method_preauth_complete_void, CALL_PREAUTH_COMPLETE_VOID)

static int method_inject_key(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	int rc = authz_require(m, &d->cfg.roles, ROLE_SUPERVISOR, err);

	if (rc < 0) {
		key_inject_refused(d, err);
		return rc;
	}
	return key_inject_call(d, m, err);
}

static int method_get_caller_role(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;

	return sd_bus_reply_method_return(m, "s", role_name(authz_caller_role(m, &d->cfg.roles)));
}

static int method_read_card(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	const char *name;
	uint32_t timeout_s;
	struct reader *r;
	int rc = authz_require(m, &d->cfg.roles, ROLE_CASHIER, err);

	if (rc < 0)
		return rc;
	rc = sd_bus_message_read(m, "su", &name, &timeout_s);
	if (rc < 0)
		return rc;
	if (timeout_s < 1 || timeout_s > 300)
		return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
					 "timeout must be 1..300 s");
	r = reader_arg(d, name, err);
	if (!r)
		return -ENOENT;
	return session_call_start(d, m, r, timeout_s, NULL, err);
}

static int method_cancel(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	const char *name;
	struct reader *r;
	int rc = authz_require(m, &d->cfg.roles, ROLE_CASHIER, err);

	if (rc < 0)
		return rc;
	rc = sd_bus_message_read(m, "s", &name);
	if (rc < 0)
		return rc;
	r = reader_arg(d, name, err);
	if (!r)
		return -ENOENT;
	if (card_session_cancel(r) < 0)
		return sd_bus_error_setf(err, PAYCARD_ERROR_NOTHING_TO_CANCEL,
					 "reader %s runs no transaction", r->name);
	return sd_bus_reply_method_return(m, NULL);
}

static int method_list_readers(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	sd_bus_message *reply = NULL;
	int rc = authz_require(m, &d->cfg.roles, ROLE_CASHIER, err);

	if (rc < 0)
		return rc;
	rc = sd_bus_message_new_method_return(m, &reply);
	if (rc >= 0)
		rc = sd_bus_message_open_container(reply, 'a', "o");
	for (size_t i = 0; rc >= 0 && i < reader_manager_count(d->readers); i++)
		rc = sd_bus_message_append(reply, "o", reader_manager_at(d->readers, i)->path);
	if (rc >= 0)
		rc = sd_bus_message_close_container(reply);
	if (rc >= 0)
		rc = sd_bus_message_send(reply);
	sd_bus_message_unref(reply);
	return rc;
}

static int method_approve_reader(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	const char *serial;
	int rc = authz_require(m, &d->cfg.roles, ROLE_SUPERVISOR, err);

	if (rc < 0)
		return rc;
	rc = sd_bus_message_read(m, "s", &serial);
	if (rc < 0)
		return rc;
	rc = reader_manager_approve(d->readers, serial);
	if (rc == -ENOENT)
		return sd_bus_error_setf(err, PAYCARD_ERROR_NO_SUCH_READER,
					 "no reader with serial '%s' was ever connected", serial);
	if (rc < 0)
		return sd_bus_error_setf(err, PAYCARD_ERROR_FAILED, "approval not stored");
	return sd_bus_reply_method_return(m, NULL);
}

static int append_notices(sd_bus_message *reply, struct paycardd *d, size_t max)
{
	struct notice list[NOTICES_LIST_MAX];
	int n = notices_list(d->notices, list, max < NOTICES_LIST_MAX ? max : NOTICES_LIST_MAX);
	int rc = sd_bus_message_open_container(reply, 'a', "(ttsssu)");

	for (int i = 0; rc >= 0 && i < n; i++)
		rc = sd_bus_message_append(reply, "(ttsssu)", list[i].id, list[i].usec,
					   notice_class_name(list[i].cls), list[i].code,
					   list[i].text, list[i].count);
	if (rc >= 0)
		rc = sd_bus_message_close_container(reply);
	return rc;
}

static int method_list_notices(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	sd_bus_message *reply = NULL;
	uint32_t max;
	int rc = authz_require(m, &d->cfg.roles, ROLE_CASHIER, err);

	if (rc < 0)
		return rc;
	rc = sd_bus_message_read(m, "u", &max);
	if (rc < 0)
		return rc;
	if (max < 1 || max > NOTICES_LIST_MAX)
		return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS, "max must be 1..%d",
					 NOTICES_LIST_MAX);
	rc = sd_bus_message_new_method_return(m, &reply);
	if (rc >= 0)
		rc = append_notices(reply, d, max);
	if (rc >= 0)
		rc = sd_bus_message_send(reply);
	sd_bus_message_unref(reply);
	return rc;
}

static int method_post_notice(sd_bus_message *m, void *user, sd_bus_error *err)
{
	static const char *const verdicts[] = {
		[NOTICE_EMITTED] = "emitted", [NOTICE_DUPLICATE] = "duplicate",
		[NOTICE_RATE_LIMITED] = "rate-limited", [NOTICE_MUTED] = "muted",
		[NOTICE_FAILED] = "failed",
	};
	struct paycardd *d = user;
	const char *cls, *code, *text;
	enum notice_verdict v;
	struct notice out = { 0 };
	int c, rc = authz_require(m, &d->cfg.roles, ROLE_ADMIN, err);

	if (rc < 0)
		return rc;
	rc = sd_bus_message_read(m, "sss", &cls, &code, &text);
	if (rc < 0)
		return rc;
	c = notice_class_from_name(cls);
	if (c < 0 || !code[0] || strlen(code) >= NOTICE_CODE_LEN || !text[0] ||
	    strlen(text) >= NOTICE_TEXT_LEN)
		return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
					 "need a class (security, maintenance, marketing, info), a code under %d and a text under %d bytes",
					 NOTICE_CODE_LEN, NOTICE_TEXT_LEN);
	v = daemon_notice_raise(d, c, code, text, &out);
	return sd_bus_reply_method_return(m, "ts", out.id, verdicts[v]);
}

static int method_reload(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	char msg[CONFIG_ERR_LEN];
	int rc = authz_require(m, &d->cfg.roles, ROLE_ADMIN, err);

	if (rc < 0)
		return rc;
	if (reload_apply(d, msg, sizeof(msg)) < 0)
		return sd_bus_error_setf(err, PAYCARD_ERROR_FAILED, "%s", msg);
	return sd_bus_reply_method_return(m, NULL);
}

/* ---- properties: readable by cashiers and above ---- */

static int may_read(sd_bus *bus, struct paycardd *d, sd_bus_error *err)
{
	return authz_property_read(bus, &d->cfg.roles, err);
}

static int prop_string(sd_bus *bus, const char *path, const char *iface, const char *prop,
		       sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	const char *v = "";
	int rc = may_read(bus, d, err);

	if (rc < 0)
		return rc;
	if (strcmp(prop, "Version") == 0)
		v = PAYCARD_VERSION;
	else if (strcmp(prop, "TerminalId") == 0)
		v = d->cfg.terminal_id;
	else if (strcmp(prop, "MerchantId") == 0)
		v = d->cfg.merchant_id;
	else if (strcmp(prop, "MerchantName") == 0)
		v = d->cfg.engine.merchant_name;
	else if (strcmp(prop, "HostReachability") == 0)
		v = d->engine ? txn_engine_host_state(d->engine) : "not-configured";
	else if (strcmp(prop, "LastResponseCode") == 0)
		v = d->engine ? txn_engine_last_rc(d->engine) : "";
	else if (strcmp(prop, "ModuleState") == 0)
		v = d->module_state;
	return sd_bus_message_append(reply, "s", v);
}

static int prop_signed_in(sd_bus *bus, const char *path, const char *iface, const char *prop,
			  sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	int rc = may_read(bus, user, err);

	return rc < 0 ? rc : sd_bus_message_append(reply, "b",
						   d->engine && txn_engine_signed_in(d->engine));
}

static int prop_batch(sd_bus *bus, const char *path, const char *iface, const char *prop,
		      sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	char batch[7];
	int rc = may_read(bus, user, err);

	/* 0: no journal (no engine) */
	if (rc >= 0 && (!d->journal || journal_batch(d->journal, batch) < 0))
		batch[0] = '\0';
	return rc < 0 ? rc : sd_bus_message_append(reply, "u", (uint32_t)strtoul(batch, NULL, 10));
}

static int prop_marketing_muted(sd_bus *bus, const char *path, const char *iface,
				const char *prop, sd_bus_message *reply, void *user,
				sd_bus_error *err)
{
	struct paycardd *d = user;
	int rc = may_read(bus, d, err);

	return rc < 0 ? rc : sd_bus_message_append(reply, "b", d->cfg.notices.marketing_muted);
}

static int prop_readers(sd_bus *bus, const char *path, const char *iface, const char *prop,
			sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	int rc = may_read(bus, d, err);

	if (rc >= 0)
		rc = sd_bus_message_open_container(reply, 'a', "o");
	for (size_t i = 0; rc >= 0 && i < reader_manager_count(d->readers); i++)
		rc = sd_bus_message_append(reply, "o", reader_manager_at(d->readers, i)->path);
	return rc < 0 ? rc : sd_bus_message_close_container(reply);
}

static int prop_notices(sd_bus *bus, const char *path, const char *iface, const char *prop,
			sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	int rc = may_read(bus, d, err);

	return rc < 0 ? rc : append_notices(reply, d, 20);
}

/* The acquirer link as configured ([host], read at start): what paycardctl
 * doctor needs to test the same path (plain TCP or TLS with this CA). */
static int prop_host_link(sd_bus *bus, const char *path, const char *iface, const char *prop,
			  sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	const struct host_config *h = &d->cfg.host;
	int rc = may_read(bus, d, err);

	if (rc >= 0)
		rc = sd_bus_message_append(reply, "a{sv}", 7, "primary", "s", h->primary,
					   "backup", "s", h->backup, "tls", "b", (int)h->tls,
					   "ca_file", "s", h->ca_file, "cert_file", "s", h->cert_file,
					   "key_file", "s", h->key_file,
					   "server_name", "s", h->server_name);
	return rc;
}

#define U SD_BUS_VTABLE_UNPRIVILEGED
#define OPT_RESULT SD_BUS_RESULT("a{sv}", result)

static const sd_bus_vtable terminal_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Version", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("SignedIn", "b", prop_signed_in, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("TerminalId", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("MerchantId", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("MerchantName", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("BatchNumber", "u", prop_batch, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("HostReachability", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("LastResponseCode", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
	SD_BUS_PROPERTY("HostLink", "a{sv}", prop_host_link, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ModuleState", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("MarketingMuted", "b", prop_marketing_muted, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Readers", "ao", prop_readers, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Notices", "a(ttsssu)", prop_notices, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
	SD_BUS_METHOD_WITH_ARGS("GetCallerRole", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", role),
				method_get_caller_role, U),
	SD_BUS_METHOD_WITH_ARGS("SignIn", SD_BUS_NO_ARGS, OPT_RESULT, method_sign_in, U),
	SD_BUS_METHOD_WITH_ARGS("SignOut", SD_BUS_NO_ARGS, OPT_RESULT, method_sign_out, U),
	SD_BUS_METHOD_WITH_ARGS("ReadCard", SD_BUS_ARGS("s", reader, "u", timeout_s),
				SD_BUS_RESULT("s", source, "s", masked_pan), method_read_card, U),
	SD_BUS_METHOD_WITH_ARGS("Sale", SD_BUS_ARGS("s", reader, "t", amount, "a{sv}", options),
				OPT_RESULT, method_sale, U),
	SD_BUS_METHOD_WITH_ARGS("Void", SD_BUS_ARGS("s", reader, "s", original_trace, "a{sv}", options),
				OPT_RESULT, method_void, U),
	SD_BUS_METHOD_WITH_ARGS("Refund", SD_BUS_ARGS("s", reader, "t", amount, "s", original_reference,
						      "a{sv}", options),
				OPT_RESULT, method_refund, U),
	SD_BUS_METHOD_WITH_ARGS("Balance", SD_BUS_ARGS("s", reader, "a{sv}", options),
				OPT_RESULT, method_balance, U),
	SD_BUS_METHOD_WITH_ARGS("PreAuth", SD_BUS_ARGS("s", reader, "t", amount, "a{sv}", options),
				OPT_RESULT, method_preauth, U),
	SD_BUS_METHOD_WITH_ARGS("PreAuthVoid", SD_BUS_ARGS("s", reader, "s", auth_code, "a{sv}", options),
				OPT_RESULT, method_preauth_void, U),
	SD_BUS_METHOD_WITH_ARGS("PreAuthComplete", SD_BUS_ARGS("s", reader, "t", amount, "s", auth_code,
							       "a{sv}", options),
				OPT_RESULT, method_preauth_complete, U),
	SD_BUS_METHOD_WITH_ARGS("PreAuthCompleteVoid", SD_BUS_ARGS("s", reader, "s", original_trace,
								   "a{sv}", options),
				OPT_RESULT, method_preauth_complete_void, U),
	SD_BUS_METHOD_WITH_ARGS("Settle", SD_BUS_NO_ARGS, OPT_RESULT, method_settle, U),
	SD_BUS_METHOD_WITH_ARGS("Cancel", SD_BUS_ARGS("s", reader), SD_BUS_NO_RESULT, method_cancel, U),
	SD_BUS_METHOD_WITH_ARGS("QueryJournal", SD_BUS_ARGS("a{sv}", filter),
				SD_BUS_RESULT("aa{sv}", records), terminal_query_journal, U),
	SD_BUS_METHOD_WITH_ARGS("ExportJournal", SD_BUS_ARGS("s", format), SD_BUS_RESULT("s", data),
				terminal_export_journal, U),
	SD_BUS_METHOD_WITH_ARGS("InjectKey", SD_BUS_ARGS("s", key_block), SD_BUS_RESULT("a{sv}", key),
				method_inject_key, U),
	SD_BUS_METHOD_WITH_ARGS("ListReaders", SD_BUS_NO_ARGS, SD_BUS_RESULT("ao", readers),
				method_list_readers, U),
	SD_BUS_METHOD_WITH_ARGS("ApproveReader", SD_BUS_ARGS("s", serial), SD_BUS_NO_RESULT,
				method_approve_reader, U),
	SD_BUS_METHOD_WITH_ARGS("ListNotices", SD_BUS_ARGS("u", max),
				SD_BUS_RESULT("a(ttsssu)", notices), method_list_notices, U),
	SD_BUS_METHOD_WITH_ARGS("PostNotice", SD_BUS_ARGS("s", class, "s", code, "s", text),
				SD_BUS_RESULT("t", id, "s", verdict), method_post_notice, U),
	SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_reload, U),
	SD_BUS_SIGNAL_WITH_ARGS("Prompt", SD_BUS_ARGS("s", reader, "s", message_id, "s", text_en,
						      "s", text_zh_cn), 0),
	SD_BUS_SIGNAL_WITH_ARGS("CardEvent", SD_BUS_ARGS("s", reader, "s", event), 0),
	SD_BUS_SIGNAL_WITH_ARGS("PinDigits", SD_BUS_ARGS("s", reader, "u", count), 0),
	SD_BUS_SIGNAL_WITH_ARGS("TransactionState", SD_BUS_ARGS("s", reader, "s", state), 0),
	SD_BUS_SIGNAL_WITH_ARGS("Notice", SD_BUS_ARGS("t", id, "t", usec, "s", class, "s", code,
						      "s", text), 0),
	SD_BUS_VTABLE_END
};

int terminal_object_register(struct paycardd *d, sd_bus *bus)
{
	return sd_bus_add_object_vtable(bus, NULL, TERMINAL_PATH, TERMINAL_IFACE,
					terminal_vtable, d);
}
