// SPDX-License-Identifier: MIT
#include "paycardd/card_session.h"

#include <errno.h>
#include <paycard/protocol.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paycardd/bus_server.h"
#include "paycardd/card_pan.h"
#include "paycardd/daemon.h"
#include "paycardd/errors.h"
#include "paycardd/log.h"
#include "paycardd/prompts.h"
#include "paycardd/reader_manager.h"

struct card_session {
	struct reader *reader;
	sd_bus_message *call;
	sd_event_source *timeout;
};

static void emit_prompt(struct reader *r, enum prompt p)
{
	daemon_broadcast_signal(reader_manager_daemon(r->mgr), TERMINAL_PATH, TERMINAL_IFACE,
				"Prompt", "ssss", r->name, prompt_id(p), prompt_text_en(p),
				prompt_text_zh_cn(p));
}

static void emit_state(struct reader *r, const char *state)
{
	daemon_broadcast_signal(reader_manager_daemon(r->mgr), TERMINAL_PATH, TERMINAL_IFACE,
				"TransactionState", "ss", r->name, state);
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
	free(s);
	daemon_broadcast_properties(d, r->path, READER_IFACE, "Busy", NULL);
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
	card_session_fail(r, PAYCARD_ERROR_TIMEOUT, "no card was presented in time");
	return 0;
}

int card_session_start(struct reader *r, sd_bus_message *call, unsigned timeout_s,
		       sd_bus_error *err)
{
	struct paycardd *d = reader_manager_daemon(r->mgr);
	struct card_session *s;
	int rc;

	if (r->session)
		return sd_bus_error_setf(err, PAYCARD_ERROR_BUSY,
					 "reader %s is busy with another transaction", r->name);
	if (!r->present)
		return sd_bus_error_setf(err, PAYCARD_ERROR_READER_GONE,
					 "reader %s is not connected", r->name);
	if (!r->approved)
		return sd_bus_error_setf(err, PAYCARD_ERROR_NOT_APPROVED,
					 "reader %s (serial %s) is pending supervisor approval",
					 r->name, r->info.serial);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	rc = sd_event_add_time_relative(d->event, &s->timeout, CLOCK_MONOTONIC,
					(uint64_t)timeout_s * 1000000ULL, 0, on_timeout, r);
	if (rc < 0) {
		free(s);
		return rc;
	}
	s->reader = r;
	s->call = sd_bus_message_ref(call);
	r->session = s;
	if (d->server)
		bus_server_hold(d->server, sd_bus_message_get_bus(call), +1);
	daemon_broadcast_properties(d, r->path, READER_IFACE, "Busy", NULL);
	emit_state(r, "waiting-card");
	if (r->card_present) {	/* a chip card already sits in the slot */
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

static void on_swipe(struct reader *r, const struct paycard_track *t2)
{
	const char *data = (const char *)t2->data;
	size_t len = t2->len < sizeof(t2->data) ? t2->len : sizeof(t2->data);
	size_t pan_len = t2->status == PAYCARD_TRACK_OK ? track2_pan_length(data, len) : 0;
	char masked[20];

	if (pan_len && pan_mask(data + (data[0] == ';'), pan_len, masked, sizeof(masked))) {
		finish_ok(r, "magstripe", masked);
		explicit_bzero(masked, sizeof(masked));
		return;
	}
	emit_prompt(r, PROMPT_READ_FAILED);	/* stay waiting: the cashier swipes again */
}

void card_session_event(struct reader *r, const struct paycard_event *ev)
{
	if (!r->session)
		return;
	switch (ev->type) {
	case PAYCARD_EVENT_CARD_INSERTED:
		finish_ok(r, "chip", "");
		break;
	case PAYCARD_EVENT_MSR:
		on_swipe(r, &ev->msr.track[1]);
		break;
	case PAYCARD_EVENT_KEY:
		if (ev->key.code == PCP_KEY_CANCEL)
			card_session_cancel(r, NULL);
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
