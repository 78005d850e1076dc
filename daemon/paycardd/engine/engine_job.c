// SPDX-License-Identifier: MIT
#include "paycardd/engine/engine_job.h"

#include <errno.h>
#include <stdlib.h>

#include "paycardd/daemon.h"

struct engine_job *engine_job_new(struct paycardd *d, int (*start)(struct engine_job *job),
				  void (*done)(struct engine_job *job))
{
	struct engine_job *job = calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	job->d = d;
	job->start = start;
	job->done = done;
	job->next = d->jobs;
	d->jobs = job;
	return job;
}

static void unwatch(struct engine_job *job)
{
	job->io = sd_event_source_disable_unref(job->io);
	job->timer = sd_event_source_disable_unref(job->timer);
}

static void job_free(struct engine_job *job)
{
	for (struct engine_job **p = &job->d->jobs; *p; p = &(*p)->next) {
		if (*p == job) {
			*p = job->next;
			break;
		}
	}
	unwatch(job);
	link_queue_leave(&job->turn);
	txn_task_free(job->task);	/* lets the link go, when it held it */
	link_queue_released(job->d);
	if (job->owner_release)
		job->owner_release(job->owner);
	free(job);
}

/* Cannot go on (no memory, no event source): its owner is told. */
static void abandon(struct engine_job *job)
{
	if (job->abandoned)
		job->abandoned(job);
	job_free(job);
}

static void finish(struct engine_job *job)
{
	unwatch(job);
	if (job->done)
		job->done(job);
	job_free(job);
}

static int watch(struct engine_job *job);

static void step(struct engine_job *job)
{
	if (txn_task_step(job->task) == 0)
		finish(job);
	else if (watch(job) < 0)
		abandon(job);
}

static int on_io(sd_event_source *src, int fd, uint32_t revents, void *user)
{
	step(user);
	return 0;
}

static int on_timer(sd_event_source *src, uint64_t usec, void *user)
{
	step(user);
	return 0;
}

int engine_watch_link(struct paycardd *d, sd_event_source **io, sd_event_source **timer,
		      sd_event_io_handler_t io_handler, sd_event_time_handler_t time_handler,
		      void *user)
{
	const struct txn_engine *e = d->engine;
	int r;

	*io = sd_event_source_disable_unref(*io);
	*timer = sd_event_source_disable_unref(*timer);
	r = sd_event_add_io(d->event, io, txn_engine_link_fd(e), txn_engine_link_events(e),
			    io_handler, user);
	if (r >= 0)
		r = sd_event_add_time(d->event, timer, CLOCK_MONOTONIC,
				      txn_engine_link_deadline_usec(e), 1000, time_handler, user);
	return r;
}

/* Wait for what the task waits on: the link's fd or its deadline. */
static int watch(struct engine_job *job)
{
	return engine_watch_link(job->d, &job->io, &job->timer, on_io, on_timer, job);
}

static int run_started(struct engine_job *job, int rc);

/* Its turn for the link came (or its wait ran out). */
static void on_turn(void *job)
{
	engine_job_run(job);
}

int engine_job_run(struct engine_job *job)
{
	int r;

	job->turn.ready = on_turn;
	job->turn.user = job;
	r = link_queue_wait(job->d, &job->turn);
	if (r == 0)
		return run_started(job, job->start(job));
	if (r < 0)
		abandon(job);
	return r < 0 ? r : 0;
}

static int run_started(struct engine_job *job, int rc)
{
	int r;

	if (rc < 0) {
		abandon(job);
		return -ENOMEM;
	}
	if (rc == 0) {
		finish(job);
		return 0;
	}
	r = watch(job);
	if (r < 0)
		abandon(job);	/* frees the task: in flight, a lost answer */
	return r < 0 ? r : 0;
}

void engine_jobs_free(struct paycardd *d)
{
	while (d->jobs)
		job_free(d->jobs);
}
