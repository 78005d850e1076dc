// SPDX-License-Identifier: MIT
#include "paycardd/bus/session_call.h"

#include <errno.h>
#include <stdlib.h>

#include "paycardd/bus/bus_server.h"
#include "paycardd/bus/engine_reply.h"
#include "paycardd/bus/errors.h"
#include "paycardd/daemon.h"
#include "paycardd/session/card_session.h"
#include "paycardd/session/txn_flow.h"

struct session_call {
	struct paycardd *d;
	struct reader *reader;
	sd_bus_message *call;
	struct session_call *next;	/* in d->session_calls */
};

static void reply(sd_bus_message *call, const struct session_result *res)
{
	sd_bus_message *m;

	switch (res->end) {
	case SESSION_CARD_READ:
		sd_bus_reply_method_return(call, "ss", res->source, res->masked_pan);
		break;
	case SESSION_TXN_DONE:
		m = engine_reply_new(call, res->txn, NULL);
		if (m)
			sd_bus_message_send(m);
		else
			sd_bus_reply_method_errorf(call, PAYCARD_ERROR_FAILED,
						   "no memory for the answer");
		sd_bus_message_unref(m);
		break;
	case SESSION_FAILED:
		sd_bus_reply_method_errorf(call, bus_error_from_session(res->error), "%s",
					   res->text);
		break;
	case SESSION_ABANDONED:
		break;
	}
}

static void call_free(struct session_call *c)
{
	for (struct session_call **p = &c->d->session_calls; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	/* its connection's idle timer may drop it again */
	if (c->d->server)
		bus_server_hold(c->d->server, sd_bus_message_get_bus(c->call), -1);
	sd_bus_message_unref(c->call);
	free(c);
}

static void on_session_done(void *user, const struct session_result *res)
{
	struct session_call *c = user;

	reply(c->call, res);
	call_free(c);
}

int session_call_start(struct paycardd *d, sd_bus_message *m, struct reader *r,
		       unsigned timeout_s, struct txn_flow *flow, sd_bus_error *err)
{
	struct session_call *c = calloc(1, sizeof(*c));
	struct session_caller caller = { on_session_done, c };
	struct card_flow txn = { &txn_flow_ops, flow };
	enum session_error refused;
	char why[160];
	int rc;

	if (!c) {
		txn_flow_free(flow);
		return -ENOMEM;
	}
	*c = (struct session_call){ .d = d, .reader = r, .call = sd_bus_message_ref(m),
				    .next = d->session_calls };
	d->session_calls = c;
	if (d->server)	/* a long call: its connection's idle timer waits */
		bus_server_hold(d->server, sd_bus_message_get_bus(m), +1);
	rc = card_session_start(r, &caller, timeout_s, flow ? &txn : NULL, &refused, why,
				sizeof(why));
	if (rc < 0)
		call_free(c);
	if (rc == -EPERM)
		return sd_bus_error_setf(err, bus_error_from_session(refused), "%s", why);
	return rc;
}

void session_calls_forget_bus(struct paycardd *d, sd_bus *bus)
{
	struct session_call *c = d->session_calls, *next;

	for (; c; c = next) {
		next = c->next;
		if (sd_bus_message_get_bus(c->call) == bus)
			card_session_abandon(c->reader);	/* frees c */
	}
}
