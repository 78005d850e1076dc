// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The emulator misbehaves on purpose; the kernel must survive, count what
 * it dropped, and keep the device usable (or drop it cleanly).  The probe
 * is a short APDU with a 1 s timeout, so a lost answer costs 1 s.
 */
#include "vmtest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBE_TIMEOUT_MS	1000

static int probe(int fd)
{
	return vt_probe(fd, PROBE_TIMEOUT_MS);
}

struct mb_case {
	const char *mode;
	bool probe_fails;	/* the answer is destroyed */
	bool any_probe_result;	/* may fail or succeed (stall recovery) */
	size_t counter;		/* offset in paycard_stats that must grow */
};

/* The emulator's count of bulk IN halts that took effect. */
static long emu_halts(void)
{
	char reply[256], *h;

	if (vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "status"))
		return -1;
	h = strstr(reply, "halts=");
	return h ? strtol(h + 6, NULL, 10) : -1;
}

#define STAT(f)	offsetof(struct paycard_stats, f)

static uint64_t stat_at(const struct paycard_stats *s, size_t off)
{
	return *(const uint64_t *)((const char *)s + off);
}

static int run_case(const struct mb_case *c)
{
	struct paycard_stats before, after;
	int fd = vt_open(VT_SERIAL, 0), ret, bad = 0;

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	VT_CHECK(vt_card_ready(fd) == 0);
	VT_CHECK(probe(fd) == 0);
	VT_CHECK(vt_stats(fd, &before) == 0);
	VT_CHECK(vt_emu1("misbehave %s", c->mode) == 0);
	ret = probe(fd);
	if (!c->any_probe_result && (ret != 0) != c->probe_fails) {
		VT_FAIL("probe under %s: %d (%s)", c->mode, ret, strerror(-ret));
		bad = 1;
	}
	/* the device is still usable: at most one more lost exchange */
	if (probe(fd) && probe(fd)) {
		VT_FAIL("device unusable after %s", c->mode);
		bad = 1;
	}
	VT_CHECK(vt_stats(fd, &after) == 0);
	if (c->counter != (size_t)-1 &&
	    stat_at(&after, c->counter) <= stat_at(&before, c->counter)) {
		VT_FAIL("%s: counter at offset %zu did not move (%llu)", c->mode,
			c->counter, (unsigned long long)stat_at(&after, c->counter));
		bad = 1;
	}
	vt_emu1("remove");
	close(fd);
	return bad;
}

static int scenario_bad_crc(void)
{
	const struct mb_case c = { "bad-crc", true, false, STAT(bad_crc) };

	return run_case(&c);
}

static int scenario_oversize(void)
{
	const struct mb_case c = { "oversize", true, false, STAT(bad_length) };

	return run_case(&c);
}

/* Garbage (with one false "PC" start carrying an unknown type) before a
 * good answer: the stream resynchronises and the probe succeeds. */
static int scenario_garbage(void)
{
	const struct mb_case c = { "garbage", false, false, STAT(bad_type) };

	return run_case(&c);
}

/* The halt must really have happened (the emulator counts it) and the
 * answer queued behind it must get through once the host clears it. */
static int scenario_stall(void)
{
	const struct mb_case c = { "stall", false, true, (size_t)-1 };
	long before = emu_halts();

	if (run_case(&c))
		return 1;
	if (before < 0 || emu_halts() != before + 1) {
		VT_FAIL("emulator halts %ld -> %ld, want one more", before,
			emu_halts());
		return 1;
	}
	return 0;
}

static int scenario_unsolicited(void)
{
	const struct mb_case c = { "unsolicited-response", false, false,
				   STAT(unmatched) };

	return run_case(&c);
}

static int scenario_disconnect_mid_response(void)
{
	int fd = vt_open(VT_SERIAL, 0), ret;

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	VT_CHECK(vt_card_ready(fd) == 0);
	VT_CHECK(vt_emu1("misbehave disconnect-mid-response") == 0);
	ret = probe(fd);
	if (ret != -ENODEV) {
		VT_FAIL("probe cut mid-response: %d (%s), want -ENODEV", ret,
			strerror(-ret));
		return 1;
	}
	close(fd);
	VT_CHECK(vt_wait_gone(VT_SERIAL, 5000) == 0);
	VT_CHECK(vt_emu1("remove") == 0);
	VT_CHECK(vt_emu1("replug") == 0);
	fd = vt_open(VT_SERIAL, 0);
	VT_CHECK(fd >= 0);
	vt_drain(fd);
	VT_CHECK(vt_card_ready(fd) == 0);
	VT_CHECK(probe(fd) == 0);
	vt_emu1("remove");
	close(fd);
	return 0;
}

const struct vt_scenario vt_misbehave_scenarios[] = {
	{ "misbehave-bad-crc", scenario_bad_crc, NULL },
	{ "misbehave-oversize", scenario_oversize, NULL },
	{ "misbehave-garbage", scenario_garbage, NULL },
	{ "misbehave-stall", scenario_stall, "usb" },
	{ "misbehave-unsolicited-response", scenario_unsolicited, NULL },
	{ "misbehave-disconnect-mid-response", scenario_disconnect_mid_response, NULL },
	{ NULL, NULL, NULL }
};
