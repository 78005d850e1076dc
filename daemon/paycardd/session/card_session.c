// SPDX-License-Identifier: MIT
#include "paycardd/session/card_session.h"

#include <errno.h>
#include <paycard/protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/pan.h"
#include "emv/track.h"
#include "paycardd/daemon.h"
#include "paycardd/log.h"
#include "paycardd/session/prompts.h"
#include "paycardd/readers/reader_manager.h"

struct card_session {
	struct reader *reader;
	struct session_caller caller;
	sd_event_source *timeout;
	struct card_flow flow;		/* a transaction; ops NULL for ReadCard */
};

static void flow_free(const struct card_flow *flow)
{
	if (flow && flow->ops)
		flow->ops->free(flow->flow);
}

static void emit_prompt(struct reader *r, enum prompt p)
{
	events_prompt(reader_manager_daemon(r->mgr), r->name, prompt_id(p), prompt_text_en(p),
		      prompt_text_zh_cn(p));
}

static void emit_state(struct reader *r, const char *state)
{
	events_transaction_state(reader_manager_daemon(r->mgr), r->name, state);
}

/* The caller gets @res, then the session ends. */
static void session_end(struct reader *r, const struct session_result *res)
{
	struct card_session *s = r->session;
	struct paycardd *d = reader_manager_daemon(r->mgr);

	if (!s)
		return;
	s->caller.done(s->caller.user, res);
	r->session = NULL;
	sd_event_source_disable_unref(s->timeout);
	flow_free(&s->flow);
	free(s);
	events_reader_changed(d, r, "Busy", NULL);
}

static void finish_ok(struct reader *r, const char *source, const char *masked_pan)
{
	/* signals first: a client sees the state change before the result */
	emit_prompt(r, PROMPT_CARD_READ);
	emit_state(r, "card-read");
	session_end(r, &(struct session_result){ .end = SESSION_CARD_READ, .source = source,
						 .masked_pan = masked_pan });
}

void card_session_fail(struct reader *r, enum session_error error, const char *text)
{
	session_end(r, &(struct session_result){ .end = SESSION_FAILED, .error = error,
						 .text = text });
}

static void reader_gone(struct reader *r)
{
	if (!r->session)
		return;
	emit_prompt(r, PROMPT_READER_GONE);
	emit_state(r, "reader-gone");
	card_session_fail(r, SESSION_ERROR_READER_GONE, "the reader was disconnected");
}

void card_session_abandon(struct reader *r)
{
	if (!r->session)
		return;
	emit_state(r, "abandoned");
	session_end(r, &(struct session_result){ .end = SESSION_ABANDONED });
}

static int on_timeout(sd_event_source *src, uint64_t usec, void *user)
{
	struct reader *r = user;

	emit_prompt(r, PROMPT_TIMEOUT);
	emit_state(r, "timeout");
	card_session_fail(r, SESSION_ERROR_TIMEOUT, r->session->flow.ops ?
			  "no card or no PIN was presented in time" : "no card was presented in time");
	return 0;
}

/* -EPERM with why in @refused and @why when @r cannot start one now. */
static int refusal(const struct reader *r, enum session_error *refused, char *why,
		   size_t why_len)
{
	if (r->session) {
		*refused = SESSION_ERROR_BUSY;
		snprintf(why, why_len, "reader %s is busy with another transaction", r->name);
	} else if (!r->present) {
		*refused = SESSION_ERROR_READER_GONE;
		snprintf(why, why_len, "reader %s is not connected", r->name);
	} else if (!r->approved) {
		*refused = SESSION_ERROR_NOT_APPROVED;
		snprintf(why, why_len, "reader %s (serial %s) is pending supervisor approval",
			 r->name, r->info.serial);
	} else {
		return 0;
	}
	return -EPERM;
}

int card_session_start(struct reader *r, const struct session_caller *caller,
		       unsigned timeout_s, const struct card_flow *flow,
		       enum session_error *refused, char *why, size_t why_len)
{
	struct paycardd *d = reader_manager_daemon(r->mgr);
	struct card_session *s = NULL;
	int rc = refusal(r, refused, why, why_len);

	if (rc == 0 && !(s = calloc(1, sizeof(*s))))
		rc = -ENOMEM;
	if (!s) {
		flow_free(flow);
		return rc;
	}
	rc = sd_event_add_time_relative(d->event, &s->timeout, CLOCK_MONOTONIC,
					(uint64_t)timeout_s * 1000000ULL, 0, on_timeout, r);
	if (rc < 0) {
		flow_free(flow);
		free(s);
		return rc;
	}
	s->reader = r;
	s->flow = flow ? *flow : (struct card_flow){ 0 };
	s->caller = *caller;
	r->session = s;
	events_reader_changed(d, r, "Busy", NULL);
	emit_state(r, "waiting-card");
	if (r->card_present) {	/* a chip card already sits in the slot */
		if (s->flow.ops)
			s->flow.ops->chip(r, s->flow.flow);
		else
			finish_ok(r, "chip", "");
		return 1;
	}
	emit_prompt(r, PROMPT_INSERT_OR_SWIPE);
	return 1;
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

	if (r->session->flow.ops) {
		if (t2->status == PAYCARD_TRACK_OK)
			r->session->flow.ops->swipe(r, r->session->flow.flow, data, len);
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

static void reader_event(struct reader *r, const struct paycard_event *ev)
{
	const struct card_flow *flow = r->session && r->session->flow.ops ? &r->session->flow
								     : NULL;

	if (!r->session)
		return;
	switch (ev->type) {
	case PAYCARD_EVENT_CARD_INSERTED:
		if (flow)
			flow->ops->chip(r, flow->flow);
		else
			finish_ok(r, "chip", "");
		break;
	case PAYCARD_EVENT_CARD_REMOVED:
		if (flow)
			flow->ops->card_removed(r, flow->flow);
		break;
	case PAYCARD_EVENT_MSR:
		on_swipe(r, &ev->msr.track[1]);
		break;
	case PAYCARD_EVENT_KEY:
		if (ev->key.code == PCP_KEY_CANCEL)
			card_session_cancel(r);
		else if (flow)
			flow->ops->key(r, flow->flow, ev->key.code);
		break;
	default:
		break;
	}
}

int card_session_cancel(struct reader *r)
{
	if (!r->session)
		return -ENOENT;
	if (r->dev)
		r->dev->ops->abort(r->dev);
	emit_prompt(r, PROMPT_CANCELLED);
	emit_state(r, "cancelled");
	card_session_fail(r, SESSION_ERROR_CANCELLED, "cancelled");
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

void card_session_finish_txn(struct reader *r, const struct txn_result *res)
{
	session_end(r, &(struct session_result){ .end = SESSION_TXN_DONE, .txn = res });
}

static void closing(struct reader *r)
{
	card_session_fail(r, SESSION_ERROR_CANCELLED, "paycardd is shutting down");
}

const struct reader_listener card_session_listener = {
	.event = reader_event,
	.gone = reader_gone,
	.closing = closing,
};
