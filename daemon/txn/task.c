// SPDX-License-Identifier: MIT
/*
 * Tasks: the terminal's own exchanges with the host (sign-in, sign-out,
 * the pending reversals, settlement) as state machines that run in the
 * caller's event loop, as a sale's txn_op does.  Each kind gives the next
 * request and takes its answer (struct task_kind); this file drives the
 * link in between (connect, send, wait for the answer) without blocking.
 * task_run_blocking runs one to the end in a poll() loop, for the one
 * exchange still made that way (reversal_send, after a chip card refused
 * an approval).
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hostlink/hostlink.h"
#include "txn/internal.h"

enum task_stage { TASK_NEXT, TASK_CONNECTING, TASK_WITH_HOST, TASK_DONE };

/* The request in t->req ended (answer, failure): on to the next one. */
static void answered(struct txn_task *t, enum link_result lr)
{
	t->kind->answer(t, lr);
	OPENSSL_cleanse(&t->req, sizeof(t->req));
	t->stage = TASK_NEXT;
}

/* Advance until the link makes us wait (1) or the task is done (0). */
static int run(struct txn_task *t)
{
	enum link_result lr;

	for (;;) {
		switch (t->stage) {
		case TASK_NEXT:
			if (!t->kind->next(t)) {
				t->stage = TASK_DONE;
				return 0;
			}
			t->stage = TASK_CONNECTING;
			lr = link_connect_start(t->e);
			break;
		case TASK_CONNECTING:
			lr = link_connect_step(t->e);
			break;
		case TASK_WITH_HOST:
			lr = link_step(t->e, &t->req, t->mac, &t->resp);
			break;
		case TASK_DONE:
		default:
			return 0;
		}
		if (lr == LINK_IN_PROGRESS)
			return 1;
		if (t->stage == TASK_CONNECTING && lr == LINK_OK) {
			t->stage = TASK_WITH_HOST;
			lr = link_start(t->e, &t->req, t->mac, &t->resp);
			if (lr == LINK_IN_PROGRESS)
				return 1;
		}
		answered(t, lr);
	}
}

int task_start(struct txn_engine *e, const struct task_kind *kind, struct txn_task *t)
{
	t->e = e;
	t->kind = kind;
	t->stage = TASK_NEXT;
	return run(t);
}

int txn_task_step(struct txn_task *t)
{
	return run(t);
}

int txn_engine_link_fd(const struct txn_engine *e)
{
	return hostlink_fd(e->link);
}

uint32_t txn_engine_link_events(const struct txn_engine *e)
{
	return (uint32_t)hostlink_events(e->link);
}

uint64_t txn_engine_link_deadline_usec(const struct txn_engine *e)
{
	return (uint64_t)hostlink_deadline(e->link) * 1000ULL;
}

void txn_task_free(struct txn_task *t)
{
	if (!t)
		return;
	if (t->stage == TASK_CONNECTING || t->stage == TASK_WITH_HOST) {
		/* given up in flight: what a lost answer gets */
		link_abort(t->e);
		answered(t, t->stage == TASK_CONNECTING ? LINK_NOT_SENT : LINK_NO_ANSWER);
	}
	free(t->uploads);
	OPENSSL_cleanse(t, sizeof(*t));
	free(t);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int task_run_blocking(struct txn_engine *e, const struct task_kind *kind, struct txn_task *t)
{
	int r = task_start(e, kind, t);

	while (r == 1) {
		struct pollfd p = { .fd = txn_engine_link_fd(e),
				    .events = (short)txn_engine_link_events(e) };
		int64_t wait = hostlink_deadline(e->link) - mono_ms();

		if (poll(&p, p.fd >= 0 ? 1 : 0, wait < 0 ? 0 : wait > 60000 ? 60000 : (int)wait) < 0 &&
		    errno != EINTR)
			break;
		r = txn_task_step(t);
	}
	return r == 0 ? 0 : -1;
}

struct txn_task *task_new(void)
{
	return calloc(1, sizeof(struct txn_task));
}
