/* SPDX-License-Identifier: MIT */
/*
 * The queue for the engine's host link.  One exchange holds the link at a
 * time (txn_engine_busy): a sale's op, or a job's task (sign-in, flush,
 * settlement).  Whoever wants it while it is held waits here instead of
 * polling; whoever ends an exchange calls link_queue_released(), and from
 * the event loop the waiters get their turn in the order they came, until
 * one of them takes the link again.  A waiter that waited LINK_WAIT_USEC
 * goes on anyway and gets the engine's own answer (Busy...).
 */
#ifndef PAYCARDD_LINK_QUEUE_H
#define PAYCARDD_LINK_QUEUE_H

#include <stdint.h>
#include <systemd/sd-event.h>

struct paycardd;

struct link_waiter {
	/* its turn came (the link is free) or its wait ran out: try again */
	void (*ready)(void *user);
	void *user;
	uint64_t until;			/* CLOCK_MONOTONIC; 0: a new wait */
	sd_event_source *timeout;	/* set while queued */
	struct paycardd *d;		/* the queue it is in */
	struct link_waiter *next;
};

/* 0 when @w may go on (the link is free, or its wait ran out), 1 when it
 * is queued (@w->ready is called later; at once 1 while queued), negative
 * errno. */
int link_queue_wait(struct paycardd *d, struct link_waiter *w);
/* Take @w out of the queue (its owner goes away); NULL-safe. */
void link_queue_leave(struct link_waiter *w);
/* An exchange ended: the waiters get their turn from the event loop. */
void link_queue_released(struct paycardd *d);
/* At shutdown. */
void link_queue_free(struct paycardd *d);

#endif
