/* SPDX-License-Identifier: MIT */
/*
 * The engine's own exchanges with the host (sign-in, sign-out, pending
 * reversals, settlement: txn_*_start) run in paycardd's event loop: the
 * API keeps answering while the host thinks.  One runner per task; the
 * daemon keeps them all and frees what is left at shutdown.
 */
#ifndef PAYCARDD_ENGINE_JOB_H
#define PAYCARDD_ENGINE_JOB_H

#include <systemd/sd-event.h>

#include "paycardd/engine/link_queue.h"
#include "txn/engine.h"

struct paycardd;

/* What a task is for: filled by the engine, read when it is done. */
struct engine_job {
	struct paycardd *d;
	/* whoever waits for the end (bus/: the method call to answer) and
	 * what lets it go when the job is freed; NULL for the engine's own */
	void *owner;
	void (*owner_release)(void *owner);
	struct txn_result res;
	struct txn_settlement settlement;
	struct txn_task *task;
	sd_event_source *io, *timer;
	struct link_waiter turn;	/* for the link, while another exchange has it */
	/* fills task with a txn_*_start and returns what that returned */
	int (*start)(struct engine_job *job);
	/* called once when the task ended; then the job is freed */
	void (*done)(struct engine_job *job);
	/* instead of @done when it could not go on (no memory, no event
	 * source); NULL: nothing to tell */
	void (*abandoned)(struct engine_job *job);
	struct engine_job *next;	/* in d->jobs */
};

/* A job started by @start, ending in @done (set owner and abandoned
 * after, for a caller waiting). */
struct engine_job *engine_job_new(struct paycardd *d, int (*start)(struct engine_job *job),
				  void (*done)(struct engine_job *job));
/* Start it (once the engine's link is free: another job or a sale may hold
 * it for a moment) and run it.  0 when it is done or under way (@done is
 * called later), negative errno when it could not be (@done is not called;
 * the job is freed). */
int engine_job_run(struct engine_job *job);
/* At shutdown: every job still under way ends without its done. */
void engine_jobs_free(struct paycardd *d);

/* Watch the engine's host link for an op or a job: *@io on its fd,
 * *@timer at its deadline (both replaced; NULL-safe to unref). */
int engine_watch_link(struct paycardd *d, sd_event_source **io, sd_event_source **timer,
		      sd_event_io_handler_t io_handler, sd_event_time_handler_t time_handler,
		      void *user);

#endif
