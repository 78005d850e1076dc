// SPDX-License-Identifier: MIT
#include "paycardd/session/card_session.h"

#include <errno.h>
#include <paycard/protocol.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/pan.h"
#include "emv/track.h"
#include "paycardd/bus/bus_server.h"
#include "paycardd/daemon.h"
#include "paycardd/bus/errors.h"
#include "paycardd/log.h"
#include "paycardd/session/prompts.h"
#include "paycardd/readers/reader_manager.h"
#include "paycardd/session/txn_flow.h"

struct card_session {
	struct reader *reader;
	sd_bus_message *call;
	sd_event_source *timeout;
	struct txn_flow *flow;		/* a transaction, or NULL for ReadCard */
};

static void emit_prompt(struct reader *r, enum prompt p)
{
	events_prompt(reader_manager_daemon(r->mgr), r->name, prompt_id(p), prompt_text_en(p),
		      prompt_text_zh_cn(p));
}

static void emit_state(struct reader *r, const char *state)
{
	events_transaction_state(reader_manager_daemon(r->mgr), r->name, state);
}

static void session_free(struct reader *r)
{
	struct card_session *s = r->session;
	struct paycardd *d = reader_manager_daemon(r->mgr);

	if (!s)
		return;
	r->session = NULL;
	if (d->server)
		bus_server_hold(d->server, sd_bus_message_get_bus(s->call), -1);
	sd_event_source_disable_unref(s->timeout);
	sd_bus_message_unref(s->call);
	txn_flow_free(s->flow);
	free(s);
	events_reader_changed(d, r, "Busy", NULL);
}

static void finish_ok(struct reader *r, const char *source, const char *masked_pan)
{
	/* signals first: a client sees the state change before the result */
	emit_prompt(r, PROMPT_CARD_READ);
	emit_state(r, "card-read");
	sd_bus_reply_method_return(r->session->call, "ss", source, masked_pan);
	session_free(r);
}

void card_session_fail(struct reader *r, const char *name, const char *text)
{
	if (!r->session)
		return;
	sd_bus_reply_method_errorf(r->session->call, name, "%s", text);
	session_free(r);
}

void card_session_reader_gone(struct reader *r)
{
	if (!r->session)
		return;
	emit_prompt(r, PROMPT_READER_GONE);
	emit_state(r, "reader-gone");
	card_session_fail(r, PAYCARD_ERROR_READER_GONE, "the reader was disconnected");
}

void card_session_abandon(struct reader *r)
{
	if (!r->session)
		return;
	emit_state(r, "abandoned");
	session_free(r);
}

static int on_timeout(sd_event_source *src, uint64_t usec, void *user)
{
	struct reader *r = user;

	emit_prompt(r, PROMPT_TIMEOUT);
	emit_state(r, "timeout");
	card_session_fail(r, PAYCARD_ERROR_TIMEOUT, r->session->flow ?
			  "no card or no PIN was presented in time" : "no card was presented in time");
	return 0;
}

int card_session_start(struct reader *r, sd_bus_message *call, unsigned timeout_s,
		       struct txn_flow *flow, sd_bus_error *err)
{
	struct paycardd *d = reader_manager_daemon(r->mgr);
	struct card_session *s = NULL;
	int rc;

	if (r->session)
		rc = sd_bus_error_setf(err, PAYCARD_ERROR_BUSY,
				       "reader %s is busy with another transaction", r->name);
	else if (!r->present)
		rc = sd_bus_error_setf(err, PAYCARD_ERROR_READER_GONE,
				       "reader %s is not connected", r->name);
	else if (!r->approved)
		rc = sd_bus_error_setf(err, PAYCARD_ERROR_NOT_APPROVED,
				       "reader %s (serial %s) is pending supervisor approval",
				       r->name, r->info.serial);
	else if (!(s = calloc(1, sizeof(*s))))
		rc = -ENOMEM;
	if (!s) {
		txn_flow_free(flow);
		return rc;
	}
	rc = sd_event_add_time_relative(d->event, &s->timeout, CLOCK_MONOTONIC,
					(uint64_t)timeout_s * 1000000ULL, 0, on_timeout, r);
	if (rc < 0) {
		txn_flow_free(flow);
		free(s);
		return rc;
	}
	s->reader = r;
	s->flow = flow;
	s->call = sd_bus_message_ref(call);
	r->session = s;
	if (d->server)
		bus_server_hold(d->server, sd_bus_message_get_bus(call), +1);
	events_reader_changed(d, r, "Busy", NULL);
	emit_state(r, "waiting-card");
	if (r->card_present) {	/* a chip card already sits in the slot */
		if (flow)
			txn_flow_chip(r, flow);
		else
			finish_ok(r, "chip", "");
		return 1;
	}
	emit_prompt(r, PROMPT_INSERT_OR_SWIPE);
	return 1;
}

sd_bus *card_session_bus(struct reader *r)
{
	return r->session ? sd_bus_message_get_bus(r->session->call) : NULL;
}

/* ReadCard takes a track 2 only when a sale would (the same EMV parse:
 * digits, Luhn, expiry, service code) and reports its masked PAN. */
static void on_swipe(struct reader *r, const struct paycard_track *t2)
{
	const char *data = (const char *)t2->data;
	size_t len = t2->len < sizeof(t2->data) ? t2->len : sizeof(t2->data);
	struct emv_track card;
	char masked[20];
	bool read;

	if (r->session->flow) {
		if (t2->status == PAYCARD_TRACK_OK)
			txn_flow_swipe(r, r->session->flow, data, len);
		else
			emit_prompt(r, PROMPT_READ_FAILED);
		return;
	}
	read = t2->status == PAYCARD_TRACK_OK && emv_track2_parse(data, len, &card) == EMV_OK &&
	       pan_mask(card.pan, strlen(card.pan), masked, sizeof(masked));
	emv_track_wipe(&card);
	if (read) {
		finish_ok(r, "magstripe", masked);
		explicit_bzero(masked, sizeof(masked));
		return;
	}
	emit_prompt(r, PROMPT_READ_FAILED);	/* stay waiting: the cashier swipes again */
}

void card_session_event(struct reader *r, const struct paycard_event *ev)
{
	struct txn_flow *flow = r->session ? r->session->flow : NULL;

	if (!r->session)
		return;
	switch (ev->type) {
	case PAYCARD_EVENT_CARD_INSERTED:
		if (flow)
			txn_flow_chip(r, flow);
		else
			finish_ok(r, "chip", "");
		break;
	case PAYCARD_EVENT_CARD_REMOVED:
		if (flow)
			txn_flow_card_removed(r, flow);
		break;
	case PAYCARD_EVENT_MSR:
		on_swipe(r, &ev->msr.track[1]);
		break;
	case PAYCARD_EVENT_KEY:
		if (ev->key.code == PCP_KEY_CANCEL)
			card_session_cancel(r, NULL);
		else if (flow)
			txn_flow_key(r, flow, ev->key.code);
		break;
	default:
		break;
	}
}

int card_session_cancel(struct reader *r, sd_bus_error *err)
{
	if (!r->session)
		return err ? sd_bus_error_setf(err, PAYCARD_ERROR_NOTHING_TO_CANCEL,
					       "reader %s runs no transaction", r->name) : 0;
	if (r->dev)
		r->dev->ops->abort(r->dev);
	emit_prompt(r, PROMPT_CANCELLED);
	emit_state(r, "cancelled");
	card_session_fail(r, PAYCARD_ERROR_CANCELLED, "cancelled");
	return 0;
}

void card_session_prompt(struct reader *r, enum prompt p)
{
	emit_prompt(r, p);
}

void card_session_state(struct reader *r, const char *state)
{
	emit_state(r, state);
}

int card_session_rearm(struct reader *r, unsigned timeout_s)
{
	uint64_t now;

	if (!r->session)
		return -ENOENT;
	sd_event_now(reader_manager_daemon(r->mgr)->event, CLOCK_MONOTONIC, &now);
	return sd_event_source_set_time(r->session->timeout, now + (uint64_t)timeout_s * 1000000ULL);
}

int card_session_disarm(struct reader *r)
{
	if (!r->session)
		return -ENOENT;
	return sd_event_source_set_enabled(r->session->timeout, SD_EVENT_OFF);
}

sd_bus_message *card_session_call(struct reader *r)
{
	return r->session ? r->session->call : NULL;
}

void card_session_finish(struct reader *r, sd_bus_message *reply)
{
	if (!r->session)
		return;
	sd_bus_message_send(reply);
	session_free(r);
}
