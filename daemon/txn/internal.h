/* SPDX-License-Identifier: MIT */
/* Shared by the engine's files; not for users of the library. */
#ifndef PAYCARD_TXN_INTERNAL_H
#define PAYCARD_TXN_INTERNAL_H

#include "iso8583/iso8583.h"
#include "txn/engine.h"

struct txn_engine {
	struct txn_config cfg;
	struct journal *journal;
	struct pcc_keystore *ks;
	struct hostlink *link;
	struct txn_hooks hooks;
	bool signed_in;
	int host_state;			/* -1 unknown, 0 unreachable, 1 reachable */
	char last_rc[3];		/* field 39 of the last answer, "" none */
	uint64_t host_usec;		/* time spent waiting on the host link */
	struct iso_envelope env;
	uint8_t raw[4096];		/* the last frame received */
	size_t raw_len;
	/* a non-blocking exchange in flight (txn_run_start): the link is
	 * its own until it ends */
	bool busy;
	bool receiving;			/* sent; waiting for the answer */
	uint64_t op_start;
};

/* What one request/answer exchange came to. */
enum link_result {
	LINK_OK,		/* an answer, decoded, MAC verified when asked */
	LINK_NOT_SENT,		/* no connection: nothing left the terminal */
	LINK_NO_ANSWER,		/* sent (maybe), no answer in time */
	LINK_GARBAGE,		/* an answer that does not decode */
	LINK_BAD_MAC,		/* an answer whose MAC is wrong */
	LINK_IN_PROGRESS,	/* non-blocking: step again (link_step) */
};

/* Connect if needed (no request is sent): false when the host cannot be
 * reached. */
bool link_ready(struct txn_engine *e);
/* Encode @req (with field 64 when @mac), send, receive, decode into @resp,
 * check the answer's MAC when @mac and the answer carries one. */
enum link_result link_exchange(struct txn_engine *e, struct iso_msg *req, bool mac,
			       struct iso_msg *resp);

/* The same without blocking: link_connect_start, then link_connect_step
 * on the link's fd or deadline while LINK_IN_PROGRESS, gives LINK_OK
 * (connected) or LINK_NOT_SENT (unreachable); then link_start sends what
 * it can and link_step continues until it returns something other than
 * LINK_IN_PROGRESS.  link_abort gives up (a request may have left). */
enum link_result link_connect_start(struct txn_engine *e);
enum link_result link_connect_step(struct txn_engine *e);
enum link_result link_start(struct txn_engine *e, struct iso_msg *req, bool mac,
			    struct iso_msg *resp);
enum link_result link_step(struct txn_engine *e, const struct iso_msg *req, bool mac,
			   struct iso_msg *resp);
void link_abort(struct txn_engine *e);

/* MTI, 3, 4, 11, 25, 41, 42, 49, 60 as every request starts. */
void msg_start(struct txn_engine *e, struct iso_msg *m, const char *mti, const char *proc,
	       uint64_t amount, const char *stan, const char *type, const char *batch,
	       const char *netcode);
/* Does @resp answer @req: MTI, STAN, terminal, merchant, amount?  On a
 * mismatch, a short reason in @why and false. */
bool response_matches(const struct txn_engine *e, const struct iso_msg *req,
		      const struct iso_msg *resp, char *why, size_t why_len);

/* The request kinds as UnionPay codes them. */
struct kind_def {
	const char *name, *mti, *proc, *type;
	bool needs_card;
	bool reversible;
};
const struct kind_def *kind_def(enum txn_kind k);

void engine_log(struct txn_engine *e, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void engine_notice(struct txn_engine *e, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void engine_set_signed_in(struct txn_engine *e, bool on);

/* Codes that mean "sign in again" (keys or batch out of step). */
bool rc_wants_sign_in(const char *rc);

/* The reversal (0400) of journal record @id: true when the host cleared it. */
bool reversal_send(struct txn_engine *e, int64_t id, const char *reason);

#endif
