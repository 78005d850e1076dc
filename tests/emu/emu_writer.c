// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The writer (reader to host).  Link writes block until the host reads
 * (bulk IN, SPI blocks), so frames go through a queue drained by this
 * thread: a host that stops reading stalls only this thread, never the
 * control socket or the command reader.
 */
#include "emu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void emu_out_push(struct emu *e, enum emu_out_kind kind, const void *data,
		  size_t len)
{
	emu_out_push_item(e, kind, data, len, false);
}

void emu_out_push_item(struct emu *e, enum emu_out_kind kind,
		       const void *data, size_t len, bool hostile)
{
	struct emu_out *o = malloc(sizeof(*o) + len);

	if (!o) {
		fprintf(stderr, "paycard-emu: out of memory, frame dropped\n");
		return;
	}
	o->next = NULL;
	o->kind = kind;
	o->hostile = hostile;
	o->generation = emu_link_generation(e->link);
	o->len = len;
	if (len)
		memcpy(o->data, data, len);
	pthread_mutex_lock(&e->out_lock);
	if (e->out_tail)
		e->out_tail->next = o;
	else
		e->out_head = o;
	e->out_tail = o;
	e->out_bytes += len;
	pthread_cond_signal(&e->out_ready);
	pthread_mutex_unlock(&e->out_lock);
}

/* Forget queued frames: a reader that lost power loses its output. */
void emu_out_flush(struct emu *e)
{
	struct emu_out *o, *next;

	pthread_mutex_lock(&e->out_lock);
	for (o = e->out_head; o; o = next) {
		next = o->next;
		free(o);
	}
	e->out_head = e->out_tail = NULL;
	e->out_bytes = 0;
	pthread_cond_broadcast(&e->out_room);
	pthread_mutex_unlock(&e->out_lock);
}

static struct emu_out *pop(struct emu *e)
{
	struct emu_out *o;

	pthread_mutex_lock(&e->out_lock);
	while (!e->out_head)
		pthread_cond_wait(&e->out_ready, &e->out_lock);
	o = e->out_head;
	e->out_head = o->next;
	if (!e->out_head)
		e->out_tail = NULL;
	e->out_bytes -= o->len;
	pthread_cond_broadcast(&e->out_room);
	pthread_mutex_unlock(&e->out_lock);
	return o;
}

/* A write returns once the host took the bytes (bulk IN, SPI blocks): its
 * duration includes the time the host's driver spent on the previous
 * transfer, which is what the hostile run measures. */
static void write_data(struct emu *e, const struct emu_out *o)
{
	uint64_t t0 = emu_now_us(), us;

	if (e->link->ops->write(e->link, o->data, o->len)) {
		fprintf(stderr, "paycard-emu: %s write: %s (frame dropped)\n",
			e->link->ops->name, strerror(errno));
		return;
	}
	us = emu_now_us() - t0;
	pthread_mutex_lock(&e->out_lock);
	if (us > e->write_max_us)
		e->write_max_us = us;
	if (o->hostile)
		e->hostile_sent++;
	pthread_mutex_unlock(&e->out_lock);
}

static void halt(struct emu *e)
{
	if (!e->link->ops->halt || e->link->ops->halt(e->link))
		return;
	pthread_mutex_lock(&e->lock);
	e->halts++;
	pthread_mutex_unlock(&e->lock);
}

void *emu_writer_thread(void *arg)
{
	struct emu *e = arg;

	for (;;) {
		struct emu_out *o = pop(e);

		if (o->kind == EMU_OUT_UNPLUG) {
			e->link->ops->unplug(e->link);
			emu_out_flush(e);
		} else if (emu_link_wait_ready(e->link) == o->generation) {
			if (o->kind == EMU_OUT_HALT)
				halt(e);
			else
				write_data(e, o);
		}
		/* else it was made before an unplug: the reader lost it */
		free(o);
	}
	return NULL;
}
