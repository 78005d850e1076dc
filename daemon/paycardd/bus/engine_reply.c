// SPDX-License-Identifier: MIT
#include "paycardd/bus/engine_reply.h"

#include <stdio.h>

#include "paycardd/bus/errors.h"

static const char *const outcome_names[] = {
	[TXN_APPROVED] = "approved", [TXN_DECLINED] = "declined",
	[TXN_REVERSED] = "reversed", [TXN_FAILED] = "failed",
};

static int add_s(sd_bus_message *m, const char *key, const char *v)
{
	return v[0] ? sd_bus_message_append(m, "{sv}", key, "s", v) : 0;
}

static int add_t(sd_bus_message *m, const char *key, uint64_t v)
{
	return sd_bus_message_append(m, "{sv}", key, "t", v);
}

/* The settlement report per card class: <class>_debit_amount, ... */
static int add_class(sd_bus_message *m, const char *cls, const struct journal_totals *t)
{
	char key[48];
	int r;

	snprintf(key, sizeof(key), "%s_debit_amount", cls);
	r = add_t(m, key, t->debit_amount);
	snprintf(key, sizeof(key), "%s_debit_count", cls);
	if (r >= 0)
		r = sd_bus_message_append(m, "{sv}", key, "u", t->debit_count);
	snprintf(key, sizeof(key), "%s_credit_amount", cls);
	if (r >= 0)
		r = add_t(m, key, t->credit_amount);
	snprintf(key, sizeof(key), "%s_credit_count", cls);
	if (r >= 0)
		r = sd_bus_message_append(m, "{sv}", key, "u", t->credit_count);
	snprintf(key, sizeof(key), "%s_fees", cls);
	if (r >= 0)
		r = add_t(m, key, t->fees);
	return r;
}

static int add_settlement(sd_bus_message *m, const struct txn_settlement *s)
{
	const struct journal_totals *t = &s->totals;
	int r = add_t(m, "debit_amount", t->debit_amount);

	for (int c = 0; r >= 0 && c < CARD_CLASS_COUNT; c++)
		r = add_class(m, card_class_name(c), &s->by_class[c]);

	if (r >= 0)
		r = sd_bus_message_append(m, "{sv}", "debit_count", "u", t->debit_count);
	if (r >= 0)
		r = add_t(m, "credit_amount", t->credit_amount);
	if (r >= 0)
		r = sd_bus_message_append(m, "{sv}", "credit_count", "u", t->credit_count);
	if (r >= 0)
		r = add_t(m, "fees", t->fees);
	if (r >= 0)
		r = sd_bus_message_append(m, "{sv}", "balanced", "b", s->balanced);
	if (r >= 0)
		r = sd_bus_message_append(m, "{sv}", "batch_uploaded", "b", s->uploaded);
	if (r >= 0)
		r = add_s(m, "new_batch", s->new_batch);
	return r;
}

static int fill(sd_bus_message *m, const struct txn_result *res, const struct txn_settlement *s)
{
	int r = sd_bus_message_open_container(m, 'a', "{sv}");

	if (r >= 0)
		r = add_s(m, "result", outcome_names[res->outcome]);
	if (r >= 0)
		r = add_s(m, "response_code", res->rc);
	if (r >= 0)
		r = add_s(m, "message", res->message);
	if (r >= 0)
		r = add_s(m, "stan", res->stan);
	if (r >= 0)
		r = add_s(m, "batch", res->batch);
	if (r >= 0)
		r = add_s(m, "rrn", res->rrn);
	if (r >= 0)
		r = add_s(m, "auth_code", res->auth);
	if (r >= 0)
		r = add_s(m, "masked_pan", res->pan_masked);
	if (r >= 0)
		r = add_s(m, "card_class", res->card_class);
	if (r >= 0)
		r = add_s(m, "balance", res->balance);
	if (r >= 0)
		r = add_s(m, "card_cryptogram", res->card_cryptogram);
	if (r >= 0 && res->amount)
		r = add_t(m, "amount", res->amount);
	if (r >= 0 && res->pan_masked[0])
		r = add_t(m, "fee", res->fee);
	if (r >= 0 && res->host_usec)
		r = add_t(m, "host_usec", res->host_usec);
	if (r >= 0 && res->elapsed_usec)
		r = add_t(m, "elapsed_usec", res->elapsed_usec);
	if (r >= 0 && res->journal_id)
		r = sd_bus_message_append(m, "{sv}", "journal_id", "x", (int64_t)res->journal_id);
	if (r >= 0 && s)
		r = add_settlement(m, s);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	return r;
}

sd_bus_message *engine_reply_new(sd_bus_message *call, const struct txn_result *res,
				 const struct txn_settlement *settlement)
{
	sd_bus_message *m = NULL;

	if (res->outcome == TXN_FAILED && res->error != TXN_ERROR_NONE) {
		if (sd_bus_message_new_method_errorf(call, &m, bus_error_from_txn(res->error), "%s",
						     res->message) < 0)
			return NULL;
		return m;
	}
	if (sd_bus_message_new_method_return(call, &m) < 0 || fill(m, res, settlement) < 0) {
		sd_bus_message_unref(m);
		return NULL;
	}
	return m;
}
