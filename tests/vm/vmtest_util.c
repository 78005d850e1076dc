// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Helpers of the in-guest test client: device lookup, events, ioctls,
 * emulator control. */
#include "vmtest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

void vt_fail(const char *fn, int line, const char *fmt, ...)
{
	va_list ap;

	printf("  why: %s:%d: ", fn, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

const char *vt_transport(void)
{
	const char *t = getenv("PAYCARD_VM_TRANSPORT");

	return t && *t ? t : "usb";
}

bool vt_on_usb(void)
{
	return !strcmp(vt_transport(), "usb");
}

uint64_t vt_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void vt_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

bool vt_file_equals(const char *path, const char *want)
{
	char buf[256];

	if (read_small(path, buf, sizeof(buf))) {
		VT_FAIL("cannot read %s: %s", path, strerror(errno));
		return false;
	}
	if (strcmp(buf, want)) {
		VT_FAIL("%s is \"%s\", want \"%s\"", path, buf, want);
		return false;
	}
	return true;
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int vt_emu(const char *sock, char *reply, size_t size, const char *fmt, ...)
{
	char line[1024], buf[512];
	size_t fill = 0;
	va_list ap;
	int fd = connect_unix(sock), n;

	if (fd < 0) {
		VT_FAIL("emulator socket %s: %s", sock, strerror(errno));
		return -1;
	}
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	strcpy(line + n, "\n");
	if (write(fd, line, strlen(line)) < 0) {
		close(fd);
		return -1;
	}
	while (fill < sizeof(buf) - 1 && !memchr(buf, '\n', fill)) {
		ssize_t r = read(fd, buf + fill, sizeof(buf) - 1 - fill);

		if (r <= 0)
			break;
		fill += (size_t)r;
	}
	close(fd);
	buf[fill] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (reply)
		snprintf(reply, size, "%s", buf);
	if (strncmp(buf, "ok", 2)) {
		line[strcspn(line, "\n")] = '\0';
		VT_FAIL("emulator: \"%s\" -> \"%s\"", line, buf);
		return -1;
	}
	return 0;
}

/* Serial of /sys/class/paycard/@name: the sysfs attribute, or GET_INFO
 * when the attribute is missing and the node is free. */
static bool dev_has_serial(const char *name, const char *serial)
{
	char path[300], buf[64];
	struct paycard_info info;
	int fd;
	bool match;

	snprintf(path, sizeof(path), "/sys/class/paycard/%s/serial", name);
	if (!read_small(path, buf, sizeof(buf)))
		return !strcmp(buf, serial);
	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	match = !ioctl(fd, PAYCARD_IOC_GET_INFO, &info) &&
		!strncmp(info.serial, serial, sizeof(info.serial));
	close(fd);
	return match;
}

static const char *find_dev(const char *serial)
{
	static char path[300];
	DIR *d = opendir("/sys/class/paycard");
	struct dirent *de;
	const char *found = NULL;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "paycard", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		if (access(path, F_OK) == 0 && dev_has_serial(de->d_name, serial)) {
			found = path;
			break;
		}
	}
	closedir(d);
	return found;
}

const char *vt_dev_path(const char *serial, int timeout_ms)
{
	uint64_t end = vt_now_us() + (uint64_t)timeout_ms * 1000;

	for (;;) {
		const char *p = find_dev(serial);

		if (p || vt_now_us() > end)
			return p;
		vt_sleep_ms(50);
	}
}

int vt_wait_gone(const char *serial, int timeout_ms)
{
	uint64_t end = vt_now_us() + (uint64_t)timeout_ms * 1000;

	while (find_dev(serial)) {
		if (vt_now_us() > end)
			return -1;
		vt_sleep_ms(50);
	}
	return 0;
}

int vt_open(const char *serial, int flags)
{
	const char *p = vt_dev_path(serial, 10000);

	if (!p) {
		errno = ENOENT;
		return -1;
	}
	return open(p, O_RDWR | O_CLOEXEC | flags);
}

int vt_read_event(int fd, struct paycard_event *ev, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, timeout_ms);
	ssize_t r;

	if (n <= 0)
		return n;
	if (!(pfd.revents & POLLIN)) {
		errno = ENODEV;
		return -1;
	}
	r = read(fd, ev, sizeof(*ev));
	if (r < 0)
		return -1;
	if (r != sizeof(*ev)) {
		errno = EPROTO;
		return -1;
	}
	return 1;
}

void vt_drain(int fd)
{
	struct paycard_event ev;

	while (vt_read_event(fd, &ev, 0) == 1)
		;
	memset(&ev, 0, sizeof(ev));
}

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

int vt_apdu(int fd, const void *cmd, uint32_t cmd_len, void *rsp,
	    uint32_t rsp_size, uint32_t *rsp_len, uint32_t timeout_ms)
{
	struct paycard_apdu a = {
		.cmd_ptr = (uintptr_t)cmd, .cmd_len = cmd_len,
		.rsp_ptr = (uintptr_t)rsp, .rsp_size = rsp_size,
		.timeout_ms = timeout_ms,
	};
	int ret = ioctl_err(fd, PAYCARD_IOC_APDU, &a);

	if (rsp_len)
		*rsp_len = a.rsp_len;
	return ret;
}

int vt_probe(int fd, uint32_t timeout_ms)
{
	uint8_t rsp[64];
	uint32_t n = 0;
	int ret = vt_apdu(fd, "\x00\x84\x00\x00\x08", 5, rsp, sizeof(rsp), &n,
			  timeout_ms);

	if (!ret && (n != 10 || rsp[8] != 0x90))
		return -EBADMSG;	/* an answer, but not the card's */
	return ret;
}

int vt_power(int fd, bool on, struct paycard_chip_power *out)
{
	struct paycard_chip_power p = { .on = on };
	int ret = ioctl_err(fd, PAYCARD_IOC_CHIP_POWER, &p);

	if (out)
		*out = p;
	return ret;
}

int vt_keypad(int fd, uint8_t mode)
{
	struct paycard_keypad k = { .mode = mode, .pin_min = 4, .pin_max = 12 };

	return ioctl_err(fd, PAYCARD_IOC_SET_KEYPAD, &k);
}

int vt_stats(int fd, struct paycard_stats *st)
{
	return ioctl_err(fd, PAYCARD_IOC_GET_STATS, st);
}

int vt_ui(int fd, uint16_t mask, uint16_t on)
{
	struct paycard_ui ui = { .led_mask = mask, .led_on = on };

	return ioctl_err(fd, PAYCARD_IOC_UI, &ui);
}

int vt_card_ready(int fd)
{
	struct paycard_event ev;
	int ret;

	if (vt_emu1("insert %s", VT_PROFILE))
		return -1;
	if (vt_read_event(fd, &ev, 5000) != 1 ||
	    ev.type != PAYCARD_EVENT_CARD_INSERTED) {
		VT_FAIL("no CARD_INSERTED event");
		return -1;
	}
	ret = vt_power(fd, true, NULL);
	if (ret) {
		VT_FAIL("chip power on: %s", strerror(-ret));
		return -1;
	}
	return 0;
}

int vt_open_with_card(void)
{
	int fd = vt_open(VT_SERIAL, 0);

	if (fd < 0) {
		VT_FAIL("open: %s", strerror(errno));
		return -1;
	}
	vt_drain(fd);
	if (vt_card_ready(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

void vt_close_with_card(int fd)
{
	vt_emu1("remove");
	close(fd);
}
