// SPDX-License-Identifier: MIT
#include "paycardd/bus/terminal_engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/bus/authz.h"
#include "paycardd/session/card_session.h"
#include "paycardd/daemon.h"
#include "paycardd/engine/engine_job.h"
#include "paycardd/bus/engine_reply.h"
#include "paycardd/engine/engine_setup.h"
#include "paycardd/bus/errors.h"
#include "paycardd/bus/session_call.h"
#include "paycardd/readers/reader_manager.h"
#include "paycardd/session/txn_flow.h"
#include "txn/engine.h"
#include "txn/journal.h"

#define JOURNAL_QUERY_MAX	500

struct options {
	int pin;		/* -1: the kind's default */
	unsigned timeout_s;
};

static bool digits(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789") == len;
}

/* a{sv}: "pin" b, "timeout_s" u; anything else is refused. */
static int read_options(sd_bus_message *m, struct options *o, sd_bus_error *err)
{
	const char *key;
	int r = sd_bus_message_enter_container(m, 'a', "{sv}");

	o->pin = -1;
	o->timeout_s = 60;
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r < 0)
			return r;
		if (strcmp(key, "pin") == 0) {
			r = sd_bus_message_read(m, "v", "b", &o->pin);
		} else if (strcmp(key, "timeout_s") == 0) {
			r = sd_bus_message_read(m, "v", "u", &o->timeout_s);
			if (r >= 0 && (o->timeout_s < 1 || o->timeout_s > 300))
				return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
							 "timeout_s must be 1..300");
		} else {
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "unknown option '%s' (pin, timeout_s)", key);
		}
		if (r < 0)
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "option '%s' has the wrong type", key);
		r = sd_bus_message_exit_container(m);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

const struct engine_method engine_methods[CALL_COUNT] = {
	[CALL_SIGN_IN] = { "SignIn", CALL_SIGN_IN, ROLE_CASHIER, false, false },
	[CALL_SIGN_OUT] = { "SignOut", CALL_SIGN_OUT, ROLE_CASHIER, false, false },
	[CALL_SETTLE] = { "Settle", CALL_SETTLE, ROLE_SUPERVISOR, false, false },
	[CALL_SALE] = { "Sale", CALL_SALE, ROLE_CASHIER, true, true },
	[CALL_VOID] = { "Void", CALL_VOID, ROLE_SUPERVISOR, true, false },
	[CALL_REFUND] = { "Refund", CALL_REFUND, ROLE_SUPERVISOR, true, true },
	[CALL_BALANCE] = { "Balance", CALL_BALANCE, ROLE_CASHIER, true, false },
	[CALL_PREAUTH] = { "PreAuth", CALL_PREAUTH, ROLE_CASHIER, true, true },
	[CALL_PREAUTH_VOID] = { "PreAuthVoid", CALL_PREAUTH_VOID, ROLE_SUPERVISOR, true, false },
	[CALL_PREAUTH_COMPLETE] = { "PreAuthComplete", CALL_PREAUTH_COMPLETE, ROLE_CASHIER,
				    true, true },
	[CALL_PREAUTH_COMPLETE_VOID] = { "PreAuthCompleteVoid", CALL_PREAUTH_COMPLETE_VOID,
					 ROLE_SUPERVISOR, true, false },
};

/* The method's own arguments into @q; which kinds ask for a PIN. */
static int read_request(sd_bus_message *m, enum engine_call call, uint64_t amount,
			struct txn_request *q, bool *pin_default, sd_bus_error *err)
{
	const char *ref = NULL;
	int r = 0;

	memset(q, 0, sizeof(*q));
	q->amount = amount;
	*pin_default = false;
	if (call == CALL_SALE || call == CALL_BALANCE || call == CALL_PREAUTH) {
		q->kind = call == CALL_SALE ? TXN_SALE : call == CALL_BALANCE ? TXN_BALANCE :
		      TXN_PREAUTH;
		*pin_default = true;
		return 0;
	}
	r = sd_bus_message_read(m, "s", &ref);
	if (r < 0)
		return r;
	if (call == CALL_VOID) {
		q->kind = TXN_VOID;
		if (!digits(ref, 6))
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "original_trace: 6 digits (the sale's STAN)");
		memcpy(q->orig_stan, ref, 7);
	} else if (call == CALL_REFUND) {
		q->kind = TXN_REFUND;
		if (strlen(ref) != 12)
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "original_reference: the sale's 12-character RRN");
		memcpy(q->orig_rrn, ref, 13);
	} else {
		q->kind = call == CALL_PREAUTH_VOID ? TXN_PREAUTH_VOID : TXN_COMPLETION;
		if (strlen(ref) != 6)
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "auth_code: the pre-authorisation's 6-character code");
		memcpy(q->orig_auth, ref, 7);
	}
	return 0;
}

static int reader_call(struct paycardd *d, sd_bus_message *m, enum engine_call call,
		       struct reader *r, uint64_t amount, sd_bus_error *err)
{
	struct txn_request q;
	struct options o;
	struct txn_flow *f;
	bool pin;
	int rc = read_request(m, call, amount, &q, &pin, err);

	if (rc >= 0)
		rc = read_options(m, &o, err);
	if (rc < 0)
		return rc;
	f = txn_flow_new(d, &q, o.pin < 0 ? pin : o.pin);
	if (!f)
		return -ENOMEM;
	return session_call_start(d, m, r, o.timeout_s, f, err);
}

static void reply_job(struct engine_job *job, const struct txn_settlement *s)
{
	sd_bus_message *reply = engine_reply_new(job->owner, &job->res, s);

	if (reply)
		sd_bus_message_send(reply);
	else
		sd_bus_reply_method_errorf(job->owner, PAYCARD_ERROR_FAILED, "no memory for the answer");
	sd_bus_message_unref(reply);
}

static void call_release(void *call)
{
	sd_bus_message_unref(call);
}

static void call_abandoned(struct engine_job *job)
{
	sd_bus_reply_method_errorf(job->owner, PAYCARD_ERROR_FAILED,
				   "no memory or event source for the exchange");
}

static void sign_in_done(struct engine_job *job)
{
	reply_job(job, NULL);
	/* what was pending waited for the keys */
	engine_flush_reversals(job->d);
}

static void sign_out_done(struct engine_job *job)
{
	reply_job(job, NULL);
}

static void settle_done(struct engine_job *job)
{
	events_terminal_changed(job->d, "BatchNumber", NULL);
	reply_job(job, &job->settlement);
}

/* SignIn, SignOut, Settle: the exchanges run in the event loop (after the
 * engine's own job, if one holds the link); the reply goes when they end. */
static int terminal_job(struct paycardd *d, sd_bus_message *m, enum engine_call call)
{
	struct engine_job *job;

	if (call == CALL_SIGN_IN)
		job = engine_job_new(d, engine_sign_in_start, sign_in_done);
	else if (call == CALL_SIGN_OUT)
		job = engine_job_new(d, engine_sign_out_start, sign_out_done);
	else
		job = engine_job_new(d, engine_settle_start, settle_done);
	if (!job)
		return -ENOMEM;
	job->owner = sd_bus_message_ref(m);
	job->owner_release = call_release;
	job->abandoned = call_abandoned;
	/* the reply is the job's now */
	return engine_job_run(job) < 0 ? -ENOMEM : 1;
}

int terminal_engine_call(struct paycardd *d, sd_bus_message *m, const struct engine_method *em,
			 struct reader *r, uint64_t amount, sd_bus_error *err)
{
	if (!d->engine || em->call == CALL_PREAUTH_COMPLETE_VOID)
		return sd_bus_error_setf(err, PAYCARD_ERROR_NOT_SUPPORTED, "%s: %s", em->member,
					 d->engine ? "not part of this paycardd yet" : d->engine_state);
	if (r)
		return reader_call(d, m, em->call, r, amount, err);
	return terminal_job(d, m, em->call);
}

/* ---- journal queries ---- */

static int append_record(sd_bus_message *reply, const struct journal_txn *t)
{
	int r = sd_bus_message_open_container(reply, 'a', "{sv}");

	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}",
			"id", "x", (int64_t)t->id, "kind", "s", t->kind, "state", "s", t->state,
			"batch", "s", t->batch, "stan", "s", t->stan, "amount", "t", t->amount,
			"fee", "t", t->fee, "card_class", "s", t->card_class, "entry", "s", t->entry,
			"masked_pan", "s", t->pan_masked, "response_code", "s", t->rc,
			"rrn", "s", t->rrn, "auth_code", "s", t->auth, "orig_stan", "s", t->orig_stan,
			"created_usec", "t", t->created_usec, "updated_usec", "t", t->updated_usec);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	return r;
}

/* filter a{sv}: "batch" s, "id" x, "limit" u */
static int read_filter(sd_bus_message *m, char batch[7], int64_t *id, uint32_t *limit,
		       sd_bus_error *err)
{
	const char *key, *b;
	int r = sd_bus_message_enter_container(m, 'a', "{sv}");

	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0 && !strcmp(key, "batch")) {
			r = sd_bus_message_read(m, "v", "s", &b);
			if (r >= 0 && !digits(b, 6))
				return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS, "batch: 6 digits");
			if (r >= 0)
				memcpy(batch, b, 7);
		} else if (r >= 0 && !strcmp(key, "id")) {
			r = sd_bus_message_read(m, "v", "x", id);
		} else if (r >= 0 && !strcmp(key, "limit")) {
			r = sd_bus_message_read(m, "v", "u", limit);
			if (r >= 0 && (*limit < 1 || *limit > JOURNAL_QUERY_MAX))
				return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
							 "limit: 1..%d", JOURNAL_QUERY_MAX);
		} else if (r >= 0) {
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "unknown filter '%s' (batch, id, limit)", key);
		}
		if (r < 0)
			return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS,
						 "filter '%s' has the wrong type", key);
		r = sd_bus_message_exit_container(m);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

int terminal_query_journal(sd_bus_message *m, void *user, sd_bus_error *err)
{
	static struct journal_txn list[JOURNAL_QUERY_MAX];
	struct paycardd *d = user;
	sd_bus_message *reply = NULL;
	char batch[7] = "";
	int64_t id = 0;
	uint32_t limit = 50;
	int n, rc = authz_require(m, &d->cfg.roles, ROLE_CASHIER, err);

	if (rc < 0)
		return rc;
	rc = read_filter(m, batch, &id, &limit, err);
	if (rc < 0)
		return rc;
	if (!d->journal)
		return sd_bus_error_setf(err, PAYCARD_ERROR_NOT_SUPPORTED, "QueryJournal: %s",
					 d->engine_state);
	if (id)
		n = journal_get(d->journal, id, list);
	else
		n = journal_list(d->journal, batch[0] ? batch : NULL, list, limit);
	if (n < 0)
		return sd_bus_error_setf(err, PAYCARD_ERROR_FAILED, "journal read failed");
	rc = sd_bus_message_new_method_return(m, &reply);
	if (rc >= 0)
		rc = sd_bus_message_open_container(reply, 'a', "a{sv}");
	for (int i = 0; rc >= 0 && i < n; i++)
		rc = append_record(reply, &list[i]);
	if (rc >= 0)
		rc = sd_bus_message_close_container(reply);
	if (rc >= 0)
		rc = sd_bus_message_send(reply);
	sd_bus_message_unref(reply);
	return rc;
}

int terminal_export_journal(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct paycardd *d = user;
	const char *format;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc = authz_require(m, &d->cfg.roles, ROLE_SUPERVISOR, err);

	if (rc < 0)
		return rc;
	rc = sd_bus_message_read(m, "s", &format);
	if (rc < 0)
		return rc;
	if (strcmp(format, "csv") && strcmp(format, "json"))
		return sd_bus_error_setf(err, PAYCARD_ERROR_INVALID_ARGS, "format: csv or json");
	if (!d->journal)
		return sd_bus_error_setf(err, PAYCARD_ERROR_NOT_SUPPORTED, "ExportJournal: %s",
					 d->engine_state);
	f = open_memstream(&text, &len);
	if (!f)
		return -ENOMEM;
	rc = format[0] == 'c' ? journal_export_csv(d->journal, f) : journal_export_json(d->journal, f);
	fclose(f);
	if (rc == 0)
		rc = sd_bus_reply_method_return(m, "s", text);
	else
		rc = sd_bus_error_setf(err, PAYCARD_ERROR_FAILED, "journal export failed");
	free(text);
	return rc;
}
