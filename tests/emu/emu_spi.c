// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The emulator's SPI link (emu_link.h) on /dev/paycard-vspi.
 *
 * Closing the device is the unplug, but a close() does not end a read()
 * or write() another thread is blocked in, and the file (and with it the
 * plug) lives on until they return.  So I/O runs non-blocking under
 * poll() together with an eventfd: unplug takes the descriptor away, kicks
 * the eventfd, waits until no thread uses the descriptor, then closes it.
 */
#include "emu_spi.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct emu_spi {
	struct emu_link link;
	const char *path;
	int kick;			/* eventfd: wakes I/O on unplug */
	pthread_mutex_t plug_lock;	/* one plug or unplug at a time */
	pthread_mutex_t lock;		/* fd, users */
	pthread_cond_t changed;
	int fd;				/* -1 while unplugged */
	unsigned int users;		/* threads doing I/O on fd */
};

static struct emu_spi *to_spi(struct emu_link *l)
{
	return (struct emu_spi *)((char *)l - offsetof(struct emu_spi, link));
}

/* The descriptor for one I/O call, waiting while unplugged. */
static int io_begin(struct emu_spi *s)
{
	int fd;

	pthread_mutex_lock(&s->lock);
	while (s->fd < 0)
		pthread_cond_wait(&s->changed, &s->lock);
	fd = s->fd;
	s->users++;
	pthread_mutex_unlock(&s->lock);
	return fd;
}

static void io_end(struct emu_spi *s)
{
	pthread_mutex_lock(&s->lock);
	s->users--;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

/* Wait until @fd is ready for @events; -1 with ESHUTDOWN on unplug. */
static int wait_io(struct emu_spi *s, int fd, short events)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = events },
		{ .fd = s->kick, .events = POLLIN },
	};

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[1].revents) {
			errno = ESHUTDOWN;
			return -1;
		}
		if (p[0].revents)
			return 0;
	}
}

static ssize_t spi_read(struct emu_link *l, void *buf, size_t cap,
			size_t frame_rest)
{
	struct emu_spi *s = to_spi(l);
	int fd = io_begin(s);
	ssize_t n;

	(void)frame_rest;	/* a stream: any amount may be read */
	do {
		n = wait_io(s, fd, POLLIN);
		if (!n)
			n = read(fd, buf, cap);
	} while (n < 0 && errno == EAGAIN);
	io_end(s);
	return n;
}

static int spi_write(struct emu_link *l, const void *buf, size_t len)
{
	struct emu_spi *s = to_spi(l);
	const uint8_t *p = buf;
	int fd = io_begin(s), ret = 0;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EAGAIN)
			n = wait_io(s, fd, POLLOUT);	/* the queue is full */
		else if (n > 0) {
			p += n;
			len -= (size_t)n;
		}
		if (n < 0) {
			ret = -1;
			break;
		}
	}
	io_end(s);
	return ret;
}

static int spi_plug(struct emu_link *l)
{
	struct emu_spi *s = to_spi(l);
	int fd, ret = 0;

	pthread_mutex_lock(&s->plug_lock);
	if (s->fd >= 0)
		goto out;
	/* The controller adds the SPI device now; paycard_spi probes it
	 * and sends HELLO, which the command thread answers. */
	fd = open(s->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "paycard-emu: open %s: %s\n", s->path,
			strerror(errno));
		ret = -1;
		goto out;
	}
	pthread_mutex_lock(&s->lock);
	s->fd = fd;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	emu_link_set_ready(l, true);
out:
	pthread_mutex_unlock(&s->plug_lock);
	return ret;
}

static int spi_unplug(struct emu_link *l)
{
	struct emu_spi *s = to_spi(l);
	const uint64_t one = 1;
	uint64_t drained;
	int fd;

	pthread_mutex_lock(&s->plug_lock);
	emu_link_unplugged(l);
	pthread_mutex_lock(&s->lock);
	fd = s->fd;
	s->fd = -1;
	if (fd >= 0 && write(s->kick, &one, sizeof(one)) != sizeof(one))
		fprintf(stderr, "paycard-emu: eventfd: %s\n", strerror(errno));
	while (s->users)
		pthread_cond_wait(&s->changed, &s->lock);
	/* Nobody polls the eventfd while unplugged: reset it for next time. */
	if (fd >= 0 && read(s->kick, &drained, sizeof(drained)) < 0)
		fprintf(stderr, "paycard-emu: eventfd: %s\n", strerror(errno));
	pthread_mutex_unlock(&s->lock);
	/* The last reference: the controller removes the SPI device. */
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&s->plug_lock);
	return 0;
}

static void spi_teardown(struct emu_link *l)
{
	spi_unplug(l);
}

static const struct emu_link_ops spi_ops = {
	.name = "spi",
	.plug = spi_plug,
	.unplug = spi_unplug,
	.teardown = spi_teardown,
	.read = spi_read,
	.write = spi_write,
};

struct emu_link *emu_spi_create(const char *path)
{
	static struct emu_spi s;

	emu_link_init(&s.link, &spi_ops);
	snprintf(s.link.where, sizeof(s.link.where), "%s", path);
	s.path = path;
	s.fd = -1;
	pthread_mutex_init(&s.plug_lock, NULL);
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.changed, NULL);
	s.kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s.kick < 0) {
		fprintf(stderr, "paycard-emu: eventfd: %s\n", strerror(errno));
		return NULL;
	}
	return &s.link;
}
