// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Scenarios with a healthy reader: identity, swipes, chip, keypad, UI. */
#include "vmtest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <paycard/protocol.h>

static int scenario_bind_sysfs(void)
{
	const char *dev = vt_dev_path(VT_SERIAL, 15000);
	char sys[PATH_MAX], link[PATH_MAX];
	const char *name;
	ssize_t n;
	bool ok = true;

	if (!dev) {
		VT_FAIL("no /dev/paycardN for serial %s after 15 s", VT_SERIAL);
		return 1;
	}
	name = strrchr(dev, '/') + 1;
	snprintf(sys, sizeof(sys), "/sys/class/paycard/%s/model", name);
	ok &= vt_file_equals(sys, VT_MODEL);
	snprintf(sys, sizeof(sys), "/sys/class/paycard/%s/serial", name);
	ok &= vt_file_equals(sys, VT_SERIAL);
	snprintf(sys, sizeof(sys), "/sys/class/paycard/%s/firmware", name);
	ok &= vt_file_equals(sys, VT_FIRMWARE);
	snprintf(sys, sizeof(sys), "/sys/class/paycard/%s/protocol_version",
		 name);
	ok &= vt_file_equals(sys, "1.0");
	snprintf(sys, sizeof(sys), "/sys/class/paycard/%s/transport", name);
	ok &= vt_file_equals(sys, vt_transport());
	snprintf(sys, sizeof(sys), "/sys/class/paycard/%s/device/driver", name);
	n = readlink(sys, link, sizeof(link) - 1);
	if (n < 0) {
		VT_FAIL("%s: %s", sys, strerror(errno));
		return 1;
	}
	link[n] = '\0';
	if (!strstr(link, "paycard")) {
		VT_FAIL("bound driver is %s", link);
		ok = false;
	}
	return ok ? 0 : 1;
}

static int scenario_info_ioctl(void)
{
	struct paycard_info info;
	int fd = vt_open(VT_SERIAL, 0);

	if (fd < 0) {
		VT_FAIL("open: %s", strerror(errno));
		return 1;
	}
	memset(&info, 0xa5, sizeof(info));
	VT_CHECK(ioctl(fd, PAYCARD_IOC_GET_INFO, &info) == 0);
	close(fd);
	VT_CHECK(info.proto_major == 1 && info.proto_minor == 0);
	VT_CHECK(info.caps == 0xff);	/* the emulator declares all 8 */
	VT_CHECK(info.max_apdu == VT_MAX_APDU);
	VT_CHECK(info.abi_version == PAYCARD_ABI_VERSION);
	VT_CHECK(!strcmp(info.model, VT_MODEL));
	VT_CHECK(!strcmp(info.serial, VT_SERIAL));
	VT_CHECK(!strcmp(info.firmware, VT_FIRMWARE));
	if (strcmp(info.transport, vt_transport())) {
		VT_FAIL("transport \"%.*s\", want \"%s\"",
			(int)sizeof(info.transport), info.transport,
			vt_transport());
		return 1;
	}
	return 0;
}

struct track_want {
	uint8_t status;
	const char *data;
};

static int check_track(const struct paycard_track *t, int i,
		       const struct track_want *w)
{
	size_t len = strlen(w->data);

	if (t->status != w->status || t->len != len ||
	    memcmp(t->data, w->data, len)) {
		VT_FAIL("track %d: status %u len %u, want status %u len %zu",
			i + 1, t->status, t->len, w->status, len);
		return 1;
	}
	return 0;
}

/* Swipe with the emulator's arguments, check the MSR event. */
static int swipe(const char *t1, const char *t2, const char *t3,
		 const struct track_want want[3])
{
	struct paycard_event ev;
	int fd = vt_open(VT_SERIAL, 0), bad = 0;

	if (fd < 0) {
		VT_FAIL("open: %s", strerror(errno));
		return 1;
	}
	vt_drain(fd);
	if (vt_emu1("swipe %s %s %s", t1, t2, t3) ||
	    vt_read_event(fd, &ev, 5000) != 1) {
		VT_FAIL("no event after swipe");
		close(fd);
		return 1;
	}
	close(fd);
	if (ev.type != PAYCARD_EVENT_MSR) {
		VT_FAIL("event type %u, want MSR", ev.type);
		return 1;
	}
	for (int i = 0; i < 3; i++)
		bad |= check_track(&ev.msr.track[i], i, &want[i]);
	memset(&ev, 0, sizeof(ev));
	return bad;
}

/* Test card data (PAN 4012345678909, the DESIGN.md PIN block PAN). */
#define T1 "B4012345678909^TEST%20CARD/MR^2512101"
#define T1_DATA "B4012345678909^TEST CARD/MR^2512101"
#define T2 "4012345678909=25121011000"
#define T3 "014012345678909=1560000000000"

static int scenario_swipe_1(void)
{
	const struct track_want w[3] = { { 0, "" }, { 1, T2 }, { 0, "" } };

	return swipe("-", T2, "-", w);
}

static int scenario_swipe_2(void)
{
	const struct track_want w[3] = { { 1, T1_DATA }, { 1, T2 }, { 0, "" } };

	return swipe(T1, T2, "-", w);
}

static int scenario_swipe_3(void)
{
	const struct track_want w[3] = { { 1, T1_DATA }, { 1, T2 }, { 1, T3 } };

	return swipe(T1, T2, T3, w);
}

static int scenario_swipe_bad(void)
{
	const struct track_want w[3] = {
		{ PAYCARD_TRACK_LRC_ERROR, "" },
		{ PAYCARD_TRACK_PARITY_ERROR, "40123" },
		{ PAYCARD_TRACK_NO_SENTINEL, "" },
	};

	return swipe("lrc:", "parity:40123", "nosentinel:", w);
}

static int scenario_chip_atr(void)
{
	struct paycard_chip_power p;
	struct paycard_event ev;
	int fd = vt_open(VT_SERIAL, 0), ret;

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	ret = vt_power(fd, true, NULL);
	if (ret != -ENOMEDIUM) {
		VT_FAIL("power on without card: %d, want -ENOMEDIUM", ret);
		return 1;
	}
	VT_CHECK(vt_emu1("insert %s", VT_PROFILE) == 0);
	VT_CHECK(vt_read_event(fd, &ev, 5000) == 1);
	VT_CHECK(ev.type == PAYCARD_EVENT_CARD_INSERTED);
	VT_CHECK(vt_power(fd, true, &p) == 0);
	VT_CHECK(p.atr_len == sizeof(VT_ATR) - 1);
	VT_CHECK(!memcmp(p.atr, VT_ATR, p.atr_len));
	VT_CHECK(vt_power(fd, false, NULL) == 0);
	VT_CHECK(vt_emu1("remove") == 0);
	VT_CHECK(vt_read_event(fd, &ev, 5000) == 1);
	VT_CHECK(ev.type == PAYCARD_EVENT_CARD_REMOVED);
	/* A card that never answers reset */
	VT_CHECK(vt_emu1("insert %s", VT_MUTE_PROFILE) == 0);
	ret = vt_power(fd, true, NULL);
	if (ret != -EIO) {
		VT_FAIL("power on a mute card: %d, want -EIO", ret);
		return 1;
	}
	VT_CHECK(vt_emu1("remove") == 0);
	close(fd);
	return 0;
}

static int scenario_apdu_short(void)
{
	static const uint8_t select_pse[] =
		"\x00\xa4\x04\x00\x0e" "1PAY.SYS.DDF01" "\x00";
	uint8_t rsp[512];
	uint32_t n;
	int fd = vt_open_with_card(), ret;

	if (fd < 0)
		return 1;
	ret = vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp), &n, 0);
	VT_CHECK(ret == 0);
	VT_CHECK(n == 10 && !memcmp(rsp, "\x01\x02\x03\x04\x05\x06\x07\x08\x90\x00", 10));
	ret = vt_apdu(fd, select_pse, sizeof(select_pse) - 1, rsp, sizeof(rsp),
		      &n, 0);
	VT_CHECK(ret == 0);
	/* FCI template 6F, 0x1C bytes, then SW 9000 */
	VT_CHECK(n == 2 + 0x1c + 2 && rsp[0] == 0x6f && rsp[1] == 0x1c &&
		 rsp[n - 2] == 0x90 && rsp[n - 1] == 0x00);
	/* unknown instruction: the card's default status word */
	VT_CHECK(vt_apdu(fd, "\x00\xca\x9f\x17\x00", 5, rsp, sizeof(rsp), &n, 0) == 0);
	VT_CHECK(n == 2 && rsp[0] == 0x6d && rsp[1] == 0x00);
	/* shorter than a header: refused before it reaches the reader */
	VT_CHECK(vt_apdu(fd, "\x00\x84\x00", 3, rsp, sizeof(rsp), &n, 0) == -EINVAL);
	vt_close_with_card(fd);
	return 0;
}

static int scenario_apdu_256(void)
{
	uint8_t rsp[300];
	uint32_t n;
	int fd = vt_open_with_card();

	if (fd < 0)
		return 1;
	VT_CHECK(vt_apdu(fd, "\x00\xb0\x00\x00\x00", 5, rsp, sizeof(rsp), &n, 0) == 0);
	VT_CHECK(n == 258);
	for (int i = 0; i < 256; i++)
		VT_CHECK(rsp[i] == i);
	VT_CHECK(rsp[256] == 0x90 && rsp[257] == 0x00);
	/* a buffer one byte short of the R-APDU */
	VT_CHECK(vt_apdu(fd, "\x00\xb0\x00\x00\x00", 5, rsp, 257, &n, 0) == -EMSGSIZE);
	vt_close_with_card(fd);
	return 0;
}

/* 80 EE 00 00 | 00 FF FF | 65535 bytes | 00 00 = 65544 = max_apdu bytes. */
static int scenario_apdu_extended(void)
{
	uint8_t *cmd = malloc(VT_MAX_APDU + 1), *rsp = malloc(VT_MAX_APDU);
	uint32_t n = 0;
	int fd = vt_open_with_card(), ret;

	if (fd < 0 || !cmd || !rsp)
		return 1;
	memcpy(cmd, "\x80\xee\x00\x00\x00\xff\xff", 7);
	for (uint32_t i = 0; i < 65535; i++)
		cmd[7 + i] = (uint8_t)(i * 13 + 5);
	cmd[VT_MAX_APDU - 2] = cmd[VT_MAX_APDU - 1] = 0;
	ret = vt_apdu(fd, cmd, VT_MAX_APDU, rsp, VT_MAX_APDU, &n, 10000);
	if (ret) {
		VT_FAIL("extended APDU of %d bytes: %s", VT_MAX_APDU, strerror(-ret));
		return 1;
	}
	VT_CHECK(n == 65537);
	VT_CHECK(!memcmp(rsp, cmd + 7, 65535));
	VT_CHECK(rsp[65535] == 0x90 && rsp[65536] == 0x00);
	/* one byte above what the reader declares */
	ret = vt_apdu(fd, cmd, VT_MAX_APDU + 1, rsp, VT_MAX_APDU, &n, 0);
	if (ret != -EINVAL) {
		VT_FAIL("APDU of max_apdu + 1 bytes: %d, want -EINVAL", ret);
		return 1;
	}
	vt_close_with_card(fd);
	free(cmd);
	free(rsp);
	return 0;
}

/* A whole EMV contact flow against profiles/emv-test.card. */
static int scenario_emv_flow(void)
{
	static const struct {
		const char *cmd;
		size_t len;
		uint8_t tag;
	} steps[] = {
		{ "\x00\xa4\x04\x00\x0e" "1PAY.SYS.DDF01" "\x00", 20, 0x6f },
		{ "\x00\xb2\x01\x0c\x00", 5, 0x70 },
		{ "\x00\xa4\x04\x00\x07\xa0\x00\x00\x00\x03\x10\x10\x00", 13, 0x6f },
		{ "\x80\xa8\x00\x00\x02\x83\x00\x00", 8, 0x77 },
		{ "\x00\xb2\x01\x14\x00", 5, 0x70 },
		{ "\x00\xb2\x01\x1c\x00", 5, 0x70 },
		{ "\x00\xb2\x02\x1c\x00", 5, 0x70 },
		{ "\x80\xae\x80\x00\x02\x00\x00\x00", 8, 0x77 },
		{ "\x80\xae\x40\x00\x02\x00\x00\x00", 8, 0x77 },
	};
	uint8_t rsp[512];
	uint32_t n;
	int fd = vt_open_with_card();

	if (fd < 0)
		return 1;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int ret = vt_apdu(fd, steps[i].cmd, (uint32_t)steps[i].len, rsp,
				  sizeof(rsp), &n, 0);

		if (ret || n < 4 || rsp[0] != steps[i].tag ||
		    rsp[n - 2] != 0x90 || rsp[n - 1] != 0x00) {
			VT_FAIL("step %zu: ret %d, %u bytes", i, ret, n);
			return 1;
		}
	}
	/* READ RECORD SFI 2 rec 1 is the DESIGN.md BER-TLV vector
	 * 70 1A {9F39 01 05} {57 10 40 12 34 ...} {82 02 59 00}: 28 bytes,
	 * then SW 9000; tag 57 at offset 6, its value from offset 8. */
	VT_CHECK(vt_apdu(fd, "\x00\xb2\x01\x14\x00", 5, rsp, sizeof(rsp), &n, 0) == 0);
	VT_CHECK(n == 30 && rsp[6] == 0x57 && rsp[7] == 0x10 &&
		 rsp[8] == 0x40 && rsp[9] == 0x12);
	vt_close_with_card(fd);
	return 0;
}

static int expect_key(int fd, uint16_t code)
{
	struct paycard_event ev;

	if (vt_read_event(fd, &ev, 5000) != 1 || ev.type != PAYCARD_EVENT_KEY ||
	    ev.key.code != code) {
		VT_FAIL("want key 0x%02x, got type %u code 0x%02x", code,
			ev.type, ev.key.code);
		return 1;
	}
	memset(&ev, 0, sizeof(ev));
	return 0;
}

static int scenario_keypad_pin(void)
{
	struct paycard_event ev;
	char reply[128];
	int fd = vt_open(VT_SERIAL, 0);

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	VT_CHECK(vt_keypad(fd, PAYCARD_KEYPAD_PIN) == 0);
	VT_CHECK(vt_emu(VT_EMU_SOCK, reply, sizeof(reply),
			"key 1 2 3 4 enter") == 0);
	VT_CHECK(strstr(reply, "sent 5 dropped 0"));
	for (const char *k = "1234\r"; *k; k++)
		if (expect_key(fd, (uint16_t)*k))
			return 1;
	/* function mode: the digit is not reported, F1 is */
	VT_CHECK(vt_keypad(fd, PAYCARD_KEYPAD_FUNCTION) == 0);
	VT_CHECK(vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "key 5 f1") == 0);
	VT_CHECK(strstr(reply, "sent 1 dropped 1"));
	if (expect_key(fd, PCP_KEY_F1))
		return 1;
	VT_CHECK(vt_keypad(fd, PAYCARD_KEYPAD_OFF) == 0);
	VT_CHECK(vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "key 7 cancel") == 0);
	VT_CHECK(strstr(reply, "sent 0 dropped 2"));
	VT_CHECK(vt_read_event(fd, &ev, 300) == 0);
	/* PIN limits outside 4..12 are refused */
	{
		struct paycard_keypad k = { .mode = PAYCARD_KEYPAD_PIN,
					    .pin_min = 2, .pin_max = 12 };

		VT_CHECK(ioctl(fd, PAYCARD_IOC_SET_KEYPAD, &k) == -1 &&
			 errno == EINVAL);
	}
	close(fd);
	return 0;
}

static int scenario_open_ebusy(void)
{
	int fd = vt_open(VT_SERIAL, 0), fd2;

	VT_CHECK(fd >= 0);
	fd2 = vt_open(VT_SERIAL, 0);
	if (fd2 >= 0 || errno != EBUSY) {
		VT_FAIL("second open: fd %d errno %d, want EBUSY", fd2, errno);
		return 1;
	}
	close(fd);
	fd2 = vt_open(VT_SERIAL, 0);
	VT_CHECK(fd2 >= 0);	/* free again after close */
	close(fd2);
	return 0;
}

static int scenario_ui_leds(void)
{
	char reply[256];
	int fd = vt_open(VT_SERIAL, 0);

	VT_CHECK(fd >= 0);
	VT_CHECK(vt_ui(fd, 0x3, 0x1) == 0);
	VT_CHECK(vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "status") == 0);
	VT_CHECK(strstr(reply, "leds=0x1 "));
	VT_CHECK(vt_ui(fd, 0x1, 0x0) == 0);
	VT_CHECK(vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "status") == 0);
	VT_CHECK(strstr(reply, "leds=0x0 "));
	close(fd);
	return 0;
}

static int scenario_tamper_error_events(void)
{
	struct paycard_event ev;
	int fd = vt_open(VT_SERIAL, 0);

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	VT_CHECK(vt_emu1("tamper 6") == 0);
	VT_CHECK(vt_read_event(fd, &ev, 5000) == 1);
	VT_CHECK(ev.type == PAYCARD_EVENT_TAMPER && ev.tamper.flags == 6);
	VT_CHECK(vt_emu1("error 513") == 0);
	VT_CHECK(vt_read_event(fd, &ev, 5000) == 1);
	VT_CHECK(ev.type == PAYCARD_EVENT_ERROR && ev.error.code == 513);
	close(fd);
	return 0;
}

struct apdu_call {
	int fd;
	uint32_t timeout_ms;
	int ret;
	uint64_t took_us;
};

static void *apdu_thread(void *arg)
{
	struct apdu_call *c = arg;
	uint8_t rsp[64];
	uint64_t t0 = vt_now_us();

	c->ret = vt_apdu(c->fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp),
			 NULL, c->timeout_ms);
	c->took_us = vt_now_us() - t0;
	return NULL;
}

static int scenario_abort(void)
{
	struct apdu_call c = { .timeout_ms = 10000 };
	pthread_t t;
	uint8_t rsp[64];
	int fd = vt_open_with_card();

	if (fd < 0)
		return 1;
	c.fd = fd;
	VT_CHECK(vt_emu1("delay 3000") == 0);
	VT_CHECK(pthread_create(&t, NULL, apdu_thread, &c) == 0);
	vt_sleep_ms(300);
	VT_CHECK(ioctl(fd, PAYCARD_IOC_ABORT) == 0);
	pthread_join(t, NULL);
	if (c.ret != -ECANCELED || c.took_us > 2000000) {
		VT_FAIL("aborted APDU: %d after %llu us, want -ECANCELED", c.ret,
			(unsigned long long)c.took_us);
		return 1;
	}
	VT_CHECK(vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp), NULL, 0) == 0);
	vt_close_with_card(fd);
	return 0;
}

static int scenario_apdu_timeout(void)
{
	struct apdu_call c = { .timeout_ms = 500 };
	uint8_t rsp[64];
	int fd = vt_open_with_card();

	if (fd < 0)
		return 1;
	c.fd = fd;
	VT_CHECK(vt_emu1("delay 2000") == 0);
	apdu_thread(&c);
	if (c.ret != -ETIMEDOUT || c.took_us > 1500000) {
		VT_FAIL("APDU with 500 ms timeout: %d after %llu us", c.ret,
			(unsigned long long)c.took_us);
		return 1;
	}
	vt_sleep_ms(2000);	/* the late answer arrives and is dropped */
	VT_CHECK(vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp), NULL, 0) == 0);
	vt_close_with_card(fd);
	return 0;
}

static int group_id(const char *name)
{
	FILE *f = fopen("/etc/group", "r");
	char line[256];
	int gid = -1;

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (colon && (size_t)(colon - line) == strlen(name) &&
		    !strncmp(line, name, strlen(name))) {
			char *g = strchr(colon + 1, ':');

			gid = g ? atoi(g + 1) : -1;
			break;
		}
	}
	if (f)
		fclose(f);
	return gid;
}

/* udev's database entry of the node: tagged for systemd, which is asked to
 * start paycardd (what the rule's TAG/SYSTEMD_WANTS lines promise). */
static int check_udev_db(dev_t rdev)
{
	char path[64], line[256];
	bool tag = false, wants = false;
	FILE *f;

	snprintf(path, sizeof(path), "/run/udev/data/c%u:%u", major(rdev),
		 minor(rdev));
	f = fopen(path, "r");
	if (!f) {
		VT_FAIL("%s: %s", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		tag |= !strcmp(line, "G:systemd");
		wants |= !strcmp(line, "E:SYSTEMD_WANTS=paycardd.service");
	}
	fclose(f);
	if (!tag || !wants) {
		VT_FAIL("%s: systemd tag %s, SYSTEMD_WANTS=paycardd.service %s",
			path, tag ? "present" : "missing",
			wants ? "present" : "missing");
		return 1;
	}
	return 0;
}

static int check_udev_node(const char *serial)
{
	char link[PATH_MAX];
	const char *dev = vt_dev_path(serial, 10000);
	struct stat st, lst;
	int gid = group_id("paycard");

	VT_CHECK(dev != NULL);
	/* udev applies the rule a moment after the node appears, and writes
	 * its database entry last */
	snprintf(link, sizeof(link), "/dev/paycard/by-serial/%s", serial);
	for (int i = 0; i < 50; i++) {
		char db[64];

		if (!stat(dev, &st)) {
			snprintf(db, sizeof(db), "/run/udev/data/c%u:%u",
				 major(st.st_rdev), minor(st.st_rdev));
			if ((int)st.st_gid == gid && !stat(link, &lst) &&
			    !access(db, F_OK))
				break;
		}
		vt_sleep_ms(100);
	}
	VT_CHECK(stat(dev, &st) == 0);
	if ((int)st.st_gid != gid || (st.st_mode & 07777) != 0660) {
		VT_FAIL("%s: gid %u mode %o, want gid %d (paycard) mode 0660",
			dev, st.st_gid, st.st_mode & 07777, gid);
		return 1;
	}
	if (stat(link, &lst) || lst.st_rdev != st.st_rdev) {
		VT_FAIL("%s does not lead to %s", link, dev);
		return 1;
	}
	return check_udev_db(st.st_rdev);
}

static int scenario_udev_rule(void)
{
	return check_udev_node(VT_SERIAL);
}

/* A second, different reader on the second dummy UDC. */
static int scenario_second_reader(void)
{
	struct paycard_info info;
	pid_t pid = fork();
	int fd, bad = 1;

	if (pid == 0) {
		int log = open("/run/paycard-emu2.log",
			       O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (log >= 0)
			dup2(log, STDERR_FILENO);
		execl("/bin/paycard-emu", "paycard-emu", "--name", "paycard1",
		      "--udc", "dummy_udc.1", "--serial", VT_SERIAL2, "--model",
		      VT_MODEL2, "--firmware", VT_FIRMWARE2, "--max-apdu", "261",
		      "--control", VT_EMU_SOCK2, (char *)NULL);
		_exit(127);
	}
	fd = vt_open(VT_SERIAL2, 0);
	if (fd < 0) {
		VT_FAIL("second reader: %s", strerror(errno));
		goto out;
	}
	if (ioctl(fd, PAYCARD_IOC_GET_INFO, &info) ||
	    strcmp(info.model, VT_MODEL2) || strcmp(info.firmware, VT_FIRMWARE2) ||
	    info.max_apdu != 261) {
		VT_FAIL("second reader identity wrong");
		close(fd);
		goto out;
	}
	close(fd);
	bad = check_udev_node(VT_SERIAL2) || check_udev_node(VT_SERIAL);
out:
	kill(pid, SIGTERM);	/* the emulator unplugs itself on SIGTERM */
	waitpid(pid, NULL, 0);
	if (vt_wait_gone(VT_SERIAL2, 5000)) {
		VT_FAIL("second reader still present after its emulator quit");
		bad = 1;
	}
	return bad;
}

const struct vt_scenario vt_basic_scenarios[] = {
	{ "bind-sysfs", scenario_bind_sysfs, NULL },
	{ "info-ioctl", scenario_info_ioctl, NULL },
	{ "swipe-1-track", scenario_swipe_1, NULL },
	{ "swipe-2-tracks", scenario_swipe_2, NULL },
	{ "swipe-3-tracks", scenario_swipe_3, NULL },
	{ "swipe-bad-track", scenario_swipe_bad, NULL },
	{ "chip-insert-atr", scenario_chip_atr, NULL },
	{ "apdu-short", scenario_apdu_short, NULL },
	{ "apdu-256-response", scenario_apdu_256, NULL },
	{ "apdu-extended-max", scenario_apdu_extended, NULL },
	{ "emv-flow", scenario_emv_flow, NULL },
	{ "keypad-pin-mode", scenario_keypad_pin, NULL },
	{ "second-open-ebusy", scenario_open_ebusy, NULL },
	{ "ui-leds", scenario_ui_leds, NULL },
	{ "tamper-error-events", scenario_tamper_error_events, NULL },
	{ "abort-apdu", scenario_abort, NULL },
	{ "apdu-timeout", scenario_apdu_timeout, NULL },
	{ "udev-rule", scenario_udev_rule, NULL },
	{ "second-reader", scenario_second_reader, "usb" },
	{ NULL, NULL, NULL }
};
