// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Edges: frames on USB packet boundaries, event queue overflow, reset,
 * system suspend. */
#include "vmtest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <paycard/protocol.h>

/* Extended echo with @lc data bytes: the command frame is lc + 25 bytes
 * (16 framing + 7 header/Lc + 2 Le), the response frame lc + 18 (16 + data
 * + SW).  Around lc = 103 / 110 / 487 / 494 / 999 / 1006 those hit 128,
 * 512 and 1024 (multiples of both packet sizes, 64 and 512): a transfer
 * ending on a packet boundary needs a zero-length packet. */
static int echo(int fd, uint32_t lc)
{
	uint8_t cmd[1100], rsp[1100];
	uint32_t n = 0;
	int ret;

	memcpy(cmd, "\x80\xee\x00\x00\x00", 5);
	cmd[5] = (uint8_t)(lc >> 8);
	cmd[6] = (uint8_t)lc;
	for (uint32_t i = 0; i < lc; i++)
		cmd[7 + i] = (uint8_t)(i ^ lc);
	cmd[7 + lc] = cmd[8 + lc] = 0;
	ret = vt_apdu(fd, cmd, lc + 9, rsp, sizeof(rsp), &n, 3000);
	if (ret || n != lc + 2 || memcmp(rsp, cmd + 7, lc) ||
	    rsp[lc] != 0x90) {
		VT_FAIL("echo of %u bytes (command frame %u, response frame %u): "
			"%s, %u bytes", lc, lc + 25, lc + 18,
			ret ? strerror(-ret) : "wrong answer", n);
		return 1;
	}
	return 0;
}

static int scenario_packet_boundaries(void)
{
	static const uint32_t around[] = { 103, 110, 487, 494, 999, 1006 };
	int fd = vt_open_with_card(), bad = 0;

	if (fd < 0)
		return 1;
	for (size_t i = 0; i < sizeof(around) / sizeof(around[0]); i++)
		for (uint32_t lc = around[i] - 2; lc <= around[i] + 2; lc++)
			bad |= echo(fd, lc);
	vt_close_with_card(fd);
	return bad;
}

#define FLOOD_EVENTS	105	/* 15 commands of 7 keys */

/* More events than the queue holds, none read: the oldest are kept or
 * dropped as the driver decides, but every one is accounted for (read or
 * counted lost) and the reader says so with PAYCARD_EVF_LOST. */
static int scenario_event_overflow(void)
{
	struct paycard_stats before, after;
	struct paycard_event ev;
	int fd = vt_open(VT_SERIAL, 0), got = 0, lost_flag = 0;
	uint64_t lost;

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	VT_CHECK(vt_keypad(fd, PAYCARD_KEYPAD_PIN) == 0);
	VT_CHECK(vt_stats(fd, &before) == 0);
	for (int i = 0; i < FLOOD_EVENTS / 7; i++)
		VT_CHECK(vt_emu1("key 1 2 3 4 5 6 7") == 0);
	/* let the last frames arrive: frames_rx stops moving */
	for (uint64_t last = 0;;) {
		vt_sleep_ms(300);
		VT_CHECK(vt_stats(fd, &after) == 0);
		if (after.frames_rx == last)
			break;
		last = after.frames_rx;
	}
	while (vt_read_event(fd, &ev, 0) == 1) {
		got++;
		lost_flag |= ev.flags & PAYCARD_EVF_LOST;
	}
	VT_CHECK(vt_stats(fd, &after) == 0);
	lost = after.events_lost - before.events_lost;
	/* A driver that keeps the oldest events flags the next one queued
	 * after the loss; one that keeps the newest flags one already read. */
	VT_CHECK(vt_emu1("key 8") == 0);
	VT_CHECK(vt_read_event(fd, &ev, 5000) == 1);
	lost_flag |= ev.flags & PAYCARD_EVF_LOST;
	memset(&ev, 0, sizeof(ev));
	VT_CHECK(vt_keypad(fd, PAYCARD_KEYPAD_OFF) == 0);
	close(fd);
	if (!lost || !lost_flag || (uint64_t)got + lost != FLOOD_EVENTS) {
		VT_FAIL("%d events read + %llu lost (flag %s), want %d in all, "
			"some lost", got, (unsigned long long)lost,
			lost_flag ? "seen" : "missing", FLOOD_EVENTS);
		return 1;
	}
	return 0;
}

static int scenario_reset(void)
{
	char reply[256];
	uint8_t rsp[64];
	int fd = vt_open_with_card();

	if (fd < 0)
		return 1;
	VT_CHECK(vt_keypad(fd, PAYCARD_KEYPAD_PIN) == 0);
	VT_CHECK(ioctl(fd, PAYCARD_IOC_RESET) == 0);
	VT_CHECK(vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "status") == 0);
	VT_CHECK(strstr(reply, "powered=0 keypad=0 "));
	/* the card is still in, but no longer powered */
	VT_CHECK(vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp), NULL, 0) ==
		 -ENOMEDIUM);
	VT_CHECK(vt_power(fd, true, NULL) == 0);
	VT_CHECK(vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp), NULL, 0) == 0);
	vt_close_with_card(fd);
	return 0;
}

static int write_sys(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f) {
		VT_FAIL("%s: %s", path, strerror(errno));
		return -1;
	}
	ret = fputs(value, f) < 0 ? -1 : 0;
	if (fclose(f) || ret) {
		VT_FAIL("write %s to %s: %s", value, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* After a failure: does the emulator answer with our driver out of the
 * way?  Tells a driver bug from an emulator bug in the log. */
static void raw_diagnosis(void)
{
	char path[PATH_MAX], target[PATH_MAX], intf[64];
	const char *dev = vt_dev_path(VT_SERIAL, 1000);
	struct vt_usb u;
	uint8_t rsp[64];
	uint32_t n;
	ssize_t len;
	int st;

	if (!dev)
		return;
	snprintf(path, sizeof(path), "/sys/class/paycard/%s/device",
		 strrchr(dev, '/') + 1);
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return;
	target[len] = '\0';
	snprintf(intf, sizeof(intf), "%s", strrchr(target, '/') + 1);
	if (write_sys("/sys/bus/usb/drivers/paycard_usb/unbind", intf) ||
	    vt_usb_open(&u))
		return;
	st = vt_usb_cmd(&u, PCP_CMD_CHIP_POWER_ON, NULL, 0, rsp, sizeof(rsp), &n);
	if (st == PCP_STATUS_OK)
		st = vt_usb_cmd(&u, PCP_CMD_APDU, "\x00\x84\x00\x00\x08", 5,
				rsp, sizeof(rsp), &n);
	vt_usb_close(&u);
	write_sys("/sys/bus/usb/drivers/paycard_usb/bind", intf);
	VT_FAIL("diagnosis: with paycard_usb unbound, over raw usbfs, the "
		"emulator %s (status %d)", st == PCP_STATUS_OK ?
		"answers the same APDU: the fault is on the driver side" :
		"does not answer either", st);
}

/* System sleep with the file open (s2idle, devices stage of pm_test: every
 * driver's suspend and resume run, the machine does not really sleep).
 * The host may reset the device on resume (reset_resume) or re-enumerate
 * it: either way the reader must answer again, with no oops.  Runs last:
 * a reader left dead here would fail every later scenario. */
static int scenario_system_suspend(void)
{
	uint8_t rsp[64];
	int fd = vt_open_with_card(), ret;

	if (fd < 0)
		return 1;
	if (write_sys("/sys/module/suspend/parameters/pm_test_delay", "1") ||
	    write_sys("/sys/power/pm_test", "devices"))
		return 1;
	ret = write_sys("/sys/power/state", "freeze");
	write_sys("/sys/power/pm_test", "none");
	if (ret)
		return 1;
	ret = vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp), NULL,
		      2000);
	if (ret == -ENODEV || ret == -ENOMEDIUM) {
		/* re-enumerated: a new device, a card to power again */
		close(fd);
		fd = vt_open(VT_SERIAL, 0);
		VT_CHECK(fd >= 0);
		VT_CHECK(vt_power(fd, true, NULL) == 0);
		ret = vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp),
			      NULL, 2000);
	}
	if (ret) {
		VT_FAIL("APDU after resume: %s", strerror(-ret));
		close(fd);
		if (vt_on_usb())
			raw_diagnosis();
		return 1;
	}
	vt_close_with_card(fd);
	return 0;
}

const struct vt_scenario vt_limit_scenarios[] = {
	{ "apdu-packet-boundaries", scenario_packet_boundaries, "usb" },
	{ "event-queue-overflow", scenario_event_overflow, NULL },
	{ "reset-ioctl", scenario_reset, NULL },
	{ NULL, NULL, NULL }
};

const struct vt_scenario vt_pm_scenarios[] = {
	{ "system-suspend-resume", scenario_system_suspend, NULL },
	{ NULL, NULL, NULL }
};
