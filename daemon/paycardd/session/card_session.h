/* SPDX-License-Identifier: MIT */
/*
 * The one long operation a reader runs at a time.  Today that is ReadCard
 * (wait for a chip insertion or a swipe); the transaction engine will run
 * its sales through the same slot, so a second caller gets Busy.  The reply
 * is sent asynchronously; progress goes out as Prompt and TransactionState
 * signals; Cancel (method or the reader's cancel key) ends it at any stage.
 */
#ifndef PAYCARDD_CARD_SESSION_H
#define PAYCARDD_CARD_SESSION_H

#include <linux/paycard.h>
#include <stddef.h>
#include <systemd/sd-bus.h>

#include "paycardd/session/prompts.h"

struct reader;
struct txn_flow;

/* Start waiting for a card; the reply comes later.  With @flow (a
 * transaction), the card, its keys and the reply belong to the flow; the
 * session owns and frees it.  Errors: Busy, ReaderGone, NotApproved. */
int card_session_start(struct reader *r, sd_bus_message *call, unsigned timeout_s,
		       struct txn_flow *flow, sd_bus_error *err);

/* For flows: signals, a new deadline, the final reply (sent, then the
 * session ends). */
void card_session_prompt(struct reader *r, enum prompt p);
void card_session_state(struct reader *r, const char *state);
int card_session_rearm(struct reader *r, unsigned timeout_s);
/* No deadline: the flow is with the host, whose own timeouts apply. */
int card_session_disarm(struct reader *r);
sd_bus_message *card_session_call(struct reader *r);
void card_session_finish(struct reader *r, sd_bus_message *reply);

/* Feed a reader event to the session, if one runs. */
void card_session_event(struct reader *r, const struct paycard_event *ev);

/* Cancel: 0, or NothingToCancel in @err. */
int card_session_cancel(struct reader *r, sd_bus_error *err);

/* End the session with error @name (reader gone, shutdown). */
void card_session_fail(struct reader *r, const char *name, const char *text);

/* The reader went away: prompt, state "reader-gone", ReaderGone error. */
void card_session_reader_gone(struct reader *r);

/* End it without a reply (the caller's connection closed). */
void card_session_abandon(struct reader *r);

/* The connection the session's caller is on. */
sd_bus *card_session_bus(struct reader *r);

#endif
