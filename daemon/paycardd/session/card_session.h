/* SPDX-License-Identifier: MIT */
/*
 * The one long operation a reader runs at a time: ReadCard (wait for a
 * chip insertion or a swipe) or a transaction (txn_flow.h), so a second
 * caller gets Busy.  It ends in one call of its caller's done callback
 * (bus/session_call.c turns it into the D-Bus reply); progress goes out as
 * events (prompts, transaction state); Cancel (method or the reader's
 * cancel key) ends it at any stage.
 */
#ifndef PAYCARDD_CARD_SESSION_H
#define PAYCARDD_CARD_SESSION_H

#include <linux/paycard.h>
#include <stddef.h>

#include "paycardd/session/prompts.h"

struct reader;
struct txn_result;

/* A transaction run inside the session (txn_flow.h: txn_flow_ops): the
 * card events it takes, and how it is freed. */
struct card_flow_ops {
	void (*chip)(struct reader *r, void *flow);		/* inserted */
	void (*swipe)(struct reader *r, void *flow, const char *track2, size_t len);
	void (*key)(struct reader *r, void *flow, unsigned code);
	void (*card_removed)(struct reader *r, void *flow);
	void (*free)(void *flow);
};

struct card_flow {
	const struct card_flow_ops *ops;
	void *flow;
};

/* Why a session was refused or ended without its result (bus/errors.c
 * names each for D-Bus). */
enum session_error {
	SESSION_ERROR_FAILED,
	SESSION_ERROR_BUSY,
	SESSION_ERROR_READER_GONE,
	SESSION_ERROR_NOT_APPROVED,
	SESSION_ERROR_NOTHING_TO_CANCEL,
	SESSION_ERROR_CANCELLED,
	SESSION_ERROR_TIMEOUT,
	SESSION_ERROR_CARD_ERROR,
	SESSION_ERROR_CARD_REMOVED,
	SESSION_ERROR_CARD_DECLINED,
	SESSION_ERROR_COUNT
};

enum session_end {
	SESSION_CARD_READ,		/* ReadCard: source and masked PAN */
	SESSION_TXN_DONE,		/* a transaction: the engine's result */
	SESSION_FAILED,			/* error and text */
	SESSION_ABANDONED,		/* no one to tell (the caller went away) */
};

struct session_result {
	enum session_end end;
	const char *source;		/* CARD_READ: "chip", "magstripe" */
	const char *masked_pan;		/* CARD_READ: "" for a chip */
	const struct txn_result *txn;	/* TXN_DONE */
	enum session_error error;	/* FAILED */
	const char *text;		/* FAILED: for the cashier/operator */
};

struct session_caller {
	/* once, when the session ends; @res lives only during the call */
	void (*done)(void *user, const struct session_result *res);
	void *user;
};

/* Start waiting for a card; the result goes to @caller later.  With @flow
 * (a transaction; NULL for ReadCard), the card, its keys and the result
 * belong to the flow; the session owns and frees it.  1 started; -EPERM
 * refused, with why in *@refused and @why (Busy, ReaderGone,
 * NotApproved); other negative errno. */
int card_session_start(struct reader *r, const struct session_caller *caller,
		       unsigned timeout_s, const struct card_flow *flow,
		       enum session_error *refused, char *why, size_t why_len);

/* For flows: events, a new deadline, the result (the session ends). */
void card_session_prompt(struct reader *r, enum prompt p);
void card_session_state(struct reader *r, const char *state);
int card_session_rearm(struct reader *r, unsigned timeout_s);
/* No deadline: the flow is with the host, whose own timeouts apply. */
int card_session_disarm(struct reader *r);
void card_session_finish_txn(struct reader *r, const struct txn_result *res);

/* The reader manager's listener (reader_manager.h): a reader's events
 * go to its session, if one runs; a reader gone or paycardd closing ends
 * it. */
extern const struct reader_listener card_session_listener;

/* Cancel: 0, or -ENOENT when nothing runs (NothingToCancel). */
int card_session_cancel(struct reader *r);

/* End the session with @error (reader gone, shutdown, a flow's error). */
void card_session_fail(struct reader *r, enum session_error error, const char *text);

/* End it without a result (the caller's connection closed). */
void card_session_abandon(struct reader *r);

#endif
