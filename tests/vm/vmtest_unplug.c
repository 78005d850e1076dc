// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Hot-unplug with the file open and a caller asleep in read(), poll() or an
 * APDU: the sleeper wakes with a clean error, every later call gets
 * -ENODEV, and the replugged reader works again.
 */
#include "vmtest.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define WAKE_LIMIT_US	3000000		/* a sleeper must wake this fast */

enum sleeper_kind { SLEEP_READ, SLEEP_POLL, SLEEP_APDU };

struct sleeper {
	int fd;
	enum sleeper_kind kind;
	long ret;
	int err;
	short revents;
	volatile bool done;
};

static void *sleeper_thread(void *arg)
{
	struct sleeper *s = arg;
	struct paycard_event ev;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	uint8_t rsp[64];

	switch (s->kind) {
	case SLEEP_READ:
		s->ret = read(s->fd, &ev, sizeof(ev));
		s->err = errno;
		break;
	case SLEEP_POLL:
		s->ret = poll(&pfd, 1, 20000);
		s->revents = pfd.revents;
		break;
	case SLEEP_APDU:
		s->ret = vt_apdu(s->fd, "\x00\x84\x00\x00\x08", 5, rsp,
				 sizeof(rsp), NULL, 20000);
		break;
	}
	s->done = true;
	return NULL;
}

/* The replugged reader answers again (fresh open, identity, a swipe). */
static int check_replug(void)
{
	struct paycard_info info;
	struct paycard_event ev;
	int fd;

	if (vt_emu1("replug"))
		return 1;
	fd = vt_open(VT_SERIAL, 0);
	if (fd < 0) {
		VT_FAIL("reopen after replug: %s", strerror(errno));
		return 1;
	}
	VT_CHECK(ioctl(fd, PAYCARD_IOC_GET_INFO, &info) == 0);
	VT_CHECK(!strcmp(info.serial, VT_SERIAL));
	vt_drain(fd);
	VT_CHECK(vt_emu1("swipe - 4012345678909=2512 -") == 0);
	VT_CHECK(vt_read_event(fd, &ev, 5000) == 1 && ev.type == PAYCARD_EVENT_MSR);
	close(fd);
	return 0;
}

/* After the unplug every call but close() fails with ENODEV. */
static int check_dead_fd(int fd)
{
	struct paycard_info info;
	struct paycard_event ev;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	VT_CHECK(ioctl(fd, PAYCARD_IOC_GET_INFO, &info) == -1 && errno == ENODEV);
	VT_CHECK(read(fd, &ev, sizeof(ev)) == -1 && errno == ENODEV);
	VT_CHECK(poll(&pfd, 1, 0) == 1 &&
		 (pfd.revents & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR));
	return 0;
}

static int unplug_under(enum sleeper_kind kind)
{
	struct sleeper s = { .kind = kind };
	pthread_t t;
	uint64_t t0;
	int fd = vt_open(VT_SERIAL, 0), bad = 0;

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	if (kind == SLEEP_APDU) {
		VT_CHECK(vt_card_ready(fd) == 0);
		VT_CHECK(vt_emu1("delay 10000") == 0);
	}
	s.fd = fd;
	VT_CHECK(pthread_create(&t, NULL, sleeper_thread, &s) == 0);
	vt_sleep_ms(400);
	VT_CHECK(!s.done);	/* it really sleeps */
	t0 = vt_now_us();
	VT_CHECK(vt_emu1("unplug") == 0);
	while (!s.done && vt_now_us() - t0 < WAKE_LIMIT_US)
		vt_sleep_ms(10);
	if (!s.done) {
		VT_FAIL("sleeper still blocked %d ms after unplug",
			WAKE_LIMIT_US / 1000);
		return 1;	/* the thread is stuck: leave it to the timeout */
	}
	pthread_join(t, NULL);
	if (kind == SLEEP_READ && !(s.ret == -1 && s.err == ENODEV)) {
		VT_FAIL("read: %ld errno %d, want -1 ENODEV", s.ret, s.err);
		bad = 1;
	}
	if (kind == SLEEP_POLL &&
	    (s.ret != 1 || (s.revents & (POLLHUP | POLLERR)) != (POLLHUP | POLLERR))) {
		VT_FAIL("poll: %ld revents 0x%x, want POLLHUP|POLLERR", s.ret,
			s.revents);
		bad = 1;
	}
	if (kind == SLEEP_APDU && s.ret != -ENODEV) {
		VT_FAIL("APDU: %ld, want -ENODEV", s.ret);
		bad = 1;
	}
	bad |= check_dead_fd(fd);
	close(fd);
	if (vt_wait_gone(VT_SERIAL, 5000)) {
		VT_FAIL("device node still there after unplug");
		bad = 1;
	}
	if (kind == SLEEP_APDU)
		vt_emu1("remove");	/* the card left with the reader */
	return bad | check_replug();
}

static int scenario_unplug_read(void)
{
	return unplug_under(SLEEP_READ);
}

static int scenario_unplug_poll(void)
{
	return unplug_under(SLEEP_POLL);
}

static int scenario_unplug_apdu(void)
{
	return unplug_under(SLEEP_APDU);
}

/* Several quick cycles, alternately with and without an open file. */
static int scenario_replug_cycles(void)
{
	for (int i = 0; i < 4; i++) {
		int fd = (i & 1) ? vt_open(VT_SERIAL, 0) : -1;

		if ((i & 1) && fd < 0) {
			VT_FAIL("cycle %d: open: %s", i, strerror(errno));
			return 1;
		}
		VT_CHECK(vt_emu1("unplug") == 0);
		if (vt_wait_gone(VT_SERIAL, 5000)) {
			VT_FAIL("cycle %d: node stays after unplug", i);
			return 1;
		}
		if (fd >= 0)
			close(fd);
		if (check_replug())
			return 1;
	}
	return 0;
}

const struct vt_scenario vt_unplug_scenarios[] = {
	{ "unplug-during-read", scenario_unplug_read, NULL },
	{ "unplug-during-poll", scenario_unplug_poll, NULL },
	{ "unplug-during-apdu", scenario_unplug_apdu, NULL },
	{ "replug-cycles", scenario_replug_cycles, NULL },
	{ NULL, NULL, NULL }
};
