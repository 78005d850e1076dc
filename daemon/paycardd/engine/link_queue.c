// SPDX-License-Identifier: MIT
#include "paycardd/engine/link_queue.h"

#include "paycardd/daemon.h"
#include "txn/engine.h"

/* Whoever holds the link lets it go within its own timeouts (answer,
 * connect); a minute is well beyond them. */
#define LINK_WAIT_USEC	(60ULL * 1000000)

static void unqueue(struct link_waiter *w)
{
	for (struct link_waiter **p = &w->d->link_waiters; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	w->next = NULL;
	w->timeout = sd_event_source_disable_unref(w->timeout);
}

static int on_wait_over(sd_event_source *src, uint64_t usec, void *user)
{
	struct link_waiter *w = user;

	unqueue(w);
	w->ready(w->user);
	return 0;
}

int link_queue_wait(struct paycardd *d, struct link_waiter *w)
{
	struct link_waiter **tail;
	uint64_t now;
	int r;

	if (w->timeout)
		return 1;	/* already queued */
	if (!txn_engine_busy(d->engine))
		return 0;
	sd_event_now(d->event, CLOCK_MONOTONIC, &now);
	if (!w->until)
		w->until = now + LINK_WAIT_USEC;
	if (now >= w->until)
		return 0;
	r = sd_event_add_time(d->event, &w->timeout, CLOCK_MONOTONIC, w->until, 1000,
			      on_wait_over, w);
	if (r < 0)
		return r;
	w->d = d;
	w->next = NULL;
	for (tail = &d->link_waiters; *tail; tail = &(*tail)->next)
		;
	*tail = w;
	return 1;
}

void link_queue_leave(struct link_waiter *w)
{
	if (w && w->timeout)
		unqueue(w);
}

/* Turns in order while the link stays free: the first to take it ends the
 * round, the others keep their places for the next release. */
static int on_released(sd_event_source *src, void *user)
{
	struct paycardd *d = user;

	while (d->link_waiters && !txn_engine_busy(d->engine)) {
		struct link_waiter *w = d->link_waiters;

		unqueue(w);
		w->ready(w->user);
	}
	return 0;
}

void link_queue_released(struct paycardd *d)
{
	if (!d->link_waiters)
		return;
	if (d->link_release)
		sd_event_source_set_enabled(d->link_release, SD_EVENT_ONESHOT);
	else if (sd_event_add_defer(d->event, &d->link_release, on_released, d) >= 0)
		sd_event_source_set_enabled(d->link_release, SD_EVENT_ONESHOT);
}

void link_queue_free(struct paycardd *d)
{
	while (d->link_waiters)
		unqueue(d->link_waiters);
	d->link_release = sd_event_source_disable_unref(d->link_release);
}
