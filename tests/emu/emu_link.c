// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The transport-independent state of the emulator's link to the host. */
#include "emu_link.h"

void emu_link_init(struct emu_link *l, const struct emu_link_ops *ops)
{
	l->ops = ops;
	l->ready = false;
	l->generation = 0;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->changed, NULL);
}

void emu_link_set_ready(struct emu_link *l, bool ready)
{
	pthread_mutex_lock(&l->lock);
	l->ready = ready;
	pthread_cond_broadcast(&l->changed);
	pthread_mutex_unlock(&l->lock);
}

void emu_link_unplugged(struct emu_link *l)
{
	pthread_mutex_lock(&l->lock);
	l->ready = false;
	l->generation++;
	pthread_cond_broadcast(&l->changed);
	pthread_mutex_unlock(&l->lock);
}

unsigned int emu_link_wait_ready(struct emu_link *l)
{
	unsigned int gen;

	pthread_mutex_lock(&l->lock);
	while (!l->ready)
		pthread_cond_wait(&l->changed, &l->lock);
	gen = l->generation;
	pthread_mutex_unlock(&l->lock);
	return gen;
}

unsigned int emu_link_generation(struct emu_link *l)
{
	unsigned int gen;

	pthread_mutex_lock(&l->lock);
	gen = l->generation;
	pthread_mutex_unlock(&l->lock);
	return gen;
}

bool emu_link_ready(struct emu_link *l)
{
	bool ready;

	pthread_mutex_lock(&l->lock);
	ready = l->ready;
	pthread_mutex_unlock(&l->lock);
	return ready;
}
