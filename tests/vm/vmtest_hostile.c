// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * hostile-reader (issue 12): the emulator sends HOSTILE_ITEMS hostile
 * items (tests/emu/emu_hostile.c: event floods, bad CRCs at every size
 * class up to past the protocol maximum, oversize headers, truncated
 * frames, garbage, 64 KiB resync bait, ZLP storms) while this client keeps
 * using the reader: a GET CHALLENGE every PROBE_EVERY_MS, and every event
 * read.  Afterwards a normal command must work at once.
 *
 * Time per feed is measured from the guest as the worst stall of a 1 ms
 * periodic timer in a thread of its own: the VM has one CPU, so while
 * the driver digests a transfer (URB completion, interrupts off under its
 * lock) nothing else runs, and the timer fires late by that much.  It is
 * an upper bound on the longest feed (it includes whatever else ran), and
 * under QEMU's emulated CPU with KASAN everything is tens of times slower
 * than on hardware.  The emulator's longest link write (which waits for
 * the host to take the bytes) is printed beside it.
 */
#include "vmtest.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOSTILE_ITEMS		100000
#define HOSTILE_SEED		20261206
#define PROBE_EVERY_MS		250
#define PROBE_TIMEOUT_MS	5000
/* The whole run; the guest's time limit for the scenario is above it. */
#define RUN_LIMIT_S		1500
/*
 * The bound on the worst stall, between the two drivers measured here
 * (QEMU without KVM, the host's 2 cores loaded by other builds):
 * issue 12's O(n^2) resync stalled 2949 ms on Debian's kernel and
 * 4124 ms on the debug kernel; with the one-pass resync (wt12k) 227 ms
 * and 376 ms, the timer's lateness with no storm at all 10-21 ms.  The
 * timer cannot tell the driver from the host descheduling QEMU, hence the
 * margin above the fixed driver.
 */
#define STALL_BOUND_MS		1000
/* During the storm a probe's answer may land inside a frame the hostile
 * reader announced and be lost with it; this many in a row may fail. */
#define PROBE_FAIL_RUN_MAX	4
/* The timer's worst lateness with the reader idle, measured first: what
 * the emulated CPU and the host's other load cost without any storm. */
#define BASELINE_MS		3000

static atomic_bool ticking;
static atomic_uint_fast64_t worst_stall_us;

static void *tick_thread(void *arg)
{
	const struct timespec ms = { 0, 1000000 };

	(void)arg;
	while (atomic_load(&ticking)) {
		uint64_t t0 = vt_now_us(), late;

		nanosleep(&ms, NULL);
		late = vt_now_us() - t0 - 1000;
		if (late > atomic_load(&worst_stall_us))
			atomic_store(&worst_stall_us, late);
	}
	return NULL;
}

/* A number after "KEY=" in the emulator's status reply, or -1. */
static long long emu_status_field(const char *key)
{
	char reply[512], pat[64], *p;

	if (vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "status"))
		return -1;
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(reply, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

struct probe_tally {
	unsigned int ok, failed, fail_run, worst_fail_run;
	uint64_t worst_us;
	int last_error;
};

static void probe_once(int fd, struct probe_tally *t)
{
	uint64_t t0 = vt_now_us(), us;
	int ret = vt_probe(fd, PROBE_TIMEOUT_MS);

	us = vt_now_us() - t0;
	if (us > t->worst_us)
		t->worst_us = us;
	if (!ret) {
		t->ok++;
		t->fail_run = 0;
		return;
	}
	t->failed++;
	t->last_error = ret;
	if (++t->fail_run > t->worst_fail_run)
		t->worst_fail_run = t->fail_run;
}

/* Probe and read events until the emulator has sent everything. */
static int storm(int fd, struct probe_tally *t)
{
	uint64_t end = vt_now_us() + (uint64_t)RUN_LIMIT_S * 1000000;

	while (emu_status_field("hostile") == 1) {
		if (vt_now_us() > end) {
			VT_FAIL("hostile run not done after %d s (%lld sent)",
				RUN_LIMIT_S, emu_status_field("hostile_sent"));
			return 1;
		}
		probe_once(fd, t);
		vt_drain(fd);
		vt_sleep_ms(PROBE_EVERY_MS);
	}
	return 0;
}

static int scenario_hostile_reader(void)
{
	struct paycard_stats before, after;
	struct probe_tally t = { 0 };
	long long sent, write_max_us;
	pthread_t ticker;
	uint64_t t0, secs, baseline_us;
	int fd, bad = 0;

	fd = vt_open_with_card();
	VT_CHECK(fd >= 0);
	VT_CHECK(vt_probe(fd, PROBE_TIMEOUT_MS) == 0);
	VT_CHECK(vt_stats(fd, &before) == 0);
	atomic_store(&ticking, true);
	VT_CHECK(pthread_create(&ticker, NULL, tick_thread, NULL) == 0);
	vt_sleep_ms(BASELINE_MS);
	baseline_us = atomic_exchange(&worst_stall_us, 0);
	t0 = vt_now_us();
	VT_CHECK(vt_emu1("hostile %d %d", HOSTILE_ITEMS, HOSTILE_SEED) == 0);
	bad |= storm(fd, &t);
	secs = (vt_now_us() - t0) / 1000000;
	atomic_store(&ticking, false);
	pthread_join(ticker, NULL);

	/* After the storm: a normal command works (one retry for an answer
	 * swallowed by the last hostile frame still being assembled). */
	if (vt_probe(fd, PROBE_TIMEOUT_MS) && vt_probe(fd, PROBE_TIMEOUT_MS)) {
		VT_FAIL("the reader does not answer after the storm");
		bad = 1;
	}
	VT_CHECK(vt_stats(fd, &after) == 0);
	sent = emu_status_field("hostile_sent");
	write_max_us = emu_status_field("write_max_us");

	printf("hostile: %lld frames sent (seed %d) in %llu s\n", sent,
	       HOSTILE_SEED, (unsigned long long)secs);
	printf("hostile: worst-case time per feed <= %.1f ms (worst 1 ms timer stall in the guest; %.1f ms idle before the storm), bound %d ms\n",
	       atomic_load(&worst_stall_us) / 1000.0, baseline_us / 1000.0,
	       STALL_BOUND_MS);
	printf("hostile: longest emulator write %.1f ms; probes during the storm %u ok, %u failed (longest run %u), slowest %.1f ms\n",
	       write_max_us / 1000.0, t.ok, t.failed, t.worst_fail_run,
	       t.worst_us / 1000.0);
	printf("hostile: driver counted frames_rx +%llu bad_crc +%llu bad_length +%llu bad_type +%llu unmatched +%llu events_lost +%llu\n",
	       (unsigned long long)(after.frames_rx - before.frames_rx),
	       (unsigned long long)(after.bad_crc - before.bad_crc),
	       (unsigned long long)(after.bad_length - before.bad_length),
	       (unsigned long long)(after.bad_type - before.bad_type),
	       (unsigned long long)(after.unmatched - before.unmatched),
	       (unsigned long long)(after.events_lost - before.events_lost));

	if (sent != HOSTILE_ITEMS) {
		VT_FAIL("%lld of %d hostile items reached the host", sent,
			HOSTILE_ITEMS);
		bad = 1;
	}
	if (atomic_load(&worst_stall_us) > STALL_BOUND_MS * 1000ULL) {
		VT_FAIL("a feed stalled the CPU for %.1f ms (bound %d ms)",
			atomic_load(&worst_stall_us) / 1000.0, STALL_BOUND_MS);
		bad = 1;
	}
	if (!t.ok || t.worst_fail_run > PROBE_FAIL_RUN_MAX) {
		VT_FAIL("during the storm: %u probes ok, %u failed in a row (last %s)",
			t.ok, t.worst_fail_run, strerror(-t.last_error));
		bad = 1;
	}
	if (after.bad_crc == before.bad_crc || after.bad_length == before.bad_length ||
	    after.bad_type == before.bad_type) {
		VT_FAIL("the driver did not count the hostile frames");
		bad = 1;
	}
	vt_close_with_card(fd);
	return bad;
}

const struct vt_scenario vt_hostile_scenarios[] = {
	{ "hostile-reader", scenario_hostile_reader, NULL },
	{ NULL, NULL, NULL }
};
