// SPDX-License-Identifier: MIT
/* The engine's host link queue (engine/link_queue.c): waiters run in the
 * order they came, only once the link is let go (no polling: nothing runs
 * while it is held, however long the loop turns), one release hands the
 * link to the first waiter and keeps the others queued, and a waiter whose
 * wait ran out goes on anyway.  The link's holder is played by
 * txn_engine_busy() below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "paycardd/daemon.h"
#include "paycardd/engine/link_queue.h"
#include "txn/engine.h"

static bool link_held;

bool txn_engine_busy(const struct txn_engine *e)
{
	return link_held;
}

struct turns {
	char order[8];		/* names of the waiters, in the order they ran */
	size_t n;
	bool take_link;		/* a waiter takes the link on its turn */
};

struct test_waiter {
	struct link_waiter w;
	char name;
	struct turns *turns;
};

static void on_ready(void *user)
{
	struct test_waiter *t = user;

	t->turns->order[t->turns->n++] = t->name;
	if (t->turns->take_link)
		link_held = true;
}

static void waiter_init(struct test_waiter *t, char name, struct turns *turns)
{
	*t = (struct test_waiter){ .name = name, .turns = turns };
	t->w.ready = on_ready;
	t->w.user = t;
}

/* Turn the loop without blocking until nothing is pending. */
static void spin(sd_event *e)
{
	for (int i = 0; i < 10; i++)
		sd_event_run(e, 0);
}

static int setup(void **state)
{
	static struct paycardd d;

	d = (struct paycardd){ 0 };
	link_held = false;
	if (sd_event_new(&d.event) < 0)
		return -1;
	*state = &d;
	return 0;
}

static int teardown(void **state)
{
	struct paycardd *d = *state;

	link_queue_free(d);
	sd_event_unref(d->event);
	return 0;
}

static void free_link_goes_at_once(void **state)
{
	struct paycardd *d = *state;
	struct turns turns = { 0 };
	struct test_waiter a;

	waiter_init(&a, 'a', &turns);
	assert_int_equal(link_queue_wait(d, &a.w), 0);
	assert_null(d->link_waiters);
}

static void held_link_queues_until_released(void **state)
{
	struct paycardd *d = *state;
	struct turns turns = { .take_link = true };
	struct test_waiter a, b;

	link_held = true;
	waiter_init(&a, 'a', &turns);
	waiter_init(&b, 'b', &turns);
	assert_int_equal(link_queue_wait(d, &a.w), 1);
	assert_int_equal(link_queue_wait(d, &b.w), 1);
	assert_int_equal(link_queue_wait(d, &a.w), 1);	/* queued once */
	spin(d->event);
	assert_int_equal(turns.n, 0);			/* held: no one runs */

	link_queue_released(d);		/* a release while still held */
	spin(d->event);
	assert_int_equal(turns.n, 0);

	link_held = false;
	link_queue_released(d);
	assert_int_equal(turns.n, 0);	/* from the loop, not the releaser */
	spin(d->event);
	assert_int_equal(turns.n, 1);	/* a took the link: b keeps its place */
	assert_int_equal(turns.order[0], 'a');
	assert_ptr_equal(d->link_waiters, &b.w);

	link_held = false;
	link_queue_released(d);
	spin(d->event);
	assert_int_equal(turns.n, 2);
	assert_int_equal(turns.order[1], 'b');
	assert_null(d->link_waiters);
}

static void all_run_while_link_stays_free(void **state)
{
	struct paycardd *d = *state;
	struct turns turns = { .take_link = false };
	struct test_waiter a, b, c;

	link_held = true;
	waiter_init(&a, 'a', &turns);
	waiter_init(&b, 'b', &turns);
	waiter_init(&c, 'c', &turns);
	link_queue_wait(d, &a.w);
	link_queue_wait(d, &b.w);
	link_queue_wait(d, &c.w);
	link_queue_leave(&b.w);		/* b's owner went away */
	link_held = false;
	link_queue_released(d);
	spin(d->event);
	assert_int_equal(turns.n, 2);
	assert_memory_equal(turns.order, "ac", 2);
}

static void wait_runs_out(void **state)
{
	struct paycardd *d = *state;
	struct turns turns = { 0 };
	struct test_waiter a;
	uint64_t now;

	link_held = true;
	waiter_init(&a, 'a', &turns);
	sd_event_now(d->event, CLOCK_MONOTONIC, &now);
	a.w.until = now + 1000;		/* 1 ms left of its wait */
	assert_int_equal(link_queue_wait(d, &a.w), 1);
	assert_true(sd_event_run(d->event, 1000000) > 0);
	assert_int_equal(turns.n, 1);
	assert_null(d->link_waiters);
	assert_int_equal(link_queue_wait(d, &a.w), 0);	/* over: go on, held or not */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(free_link_goes_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(held_link_queues_until_released, setup, teardown),
		cmocka_unit_test_setup_teardown(all_run_while_link_stays_free, setup, teardown),
		cmocka_unit_test_setup_teardown(wait_runs_out, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
