// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bench-usb: APDU round trip through /dev/paycardN versus a raw usbfs bulk
 * round trip to the same emulator in the same boot (our driver unbound for
 * the second half).  Prints median, p99 and their ratios; never fails on
 * speed, only when a round trip itself fails.
 */
#include "vmtest.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <paycard/protocol.h>

/* The two paths alternate in chunks, so both see the same load on a
 * shared machine (each switch unbinds or rebinds the driver). */
#define CHUNKS	10
#define WARMUP	10	/* per chunk, not measured */

static const uint8_t get_challenge[] = { 0x00, 0x84, 0x00, 0x00, 0x08 };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct lat {
	uint64_t median, p99;
};

static struct lat summarise(uint64_t *us, int n)
{
	struct lat l;

	qsort(us, (size_t)n, sizeof(*us), cmp_u64);
	l.median = us[n / 2];
	l.p99 = us[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	return l;
}

static int bench_device(int rounds, uint64_t *us)
{
	uint8_t rsp[64];
	int fd = vt_open(VT_SERIAL, 0), ret;

	if (fd < 0) {
		VT_FAIL("open: %s", strerror(errno));
		return -1;
	}
	ret = vt_power(fd, true, NULL);
	for (int i = -WARMUP; !ret && i < rounds; i++) {
		uint64_t t0 = vt_now_us();

		ret = vt_apdu(fd, get_challenge, sizeof(get_challenge), rsp,
			      sizeof(rsp), NULL, 0);
		if (i >= 0)
			us[i] = vt_now_us() - t0;
	}
	close(fd);
	if (ret)
		VT_FAIL("through the driver: %s", strerror(-ret));
	return ret ? -1 : 0;
}

static int bench_usbfs(int rounds, uint64_t *us)
{
	struct vt_usb u;
	uint8_t rsp[64];
	uint32_t n;
	int st;

	if (vt_usb_open(&u))
		return -1;
	st = vt_usb_cmd(&u, PCP_CMD_CHIP_POWER_ON, NULL, 0, rsp, sizeof(rsp),
			&n);
	for (int i = -WARMUP; st == PCP_STATUS_OK && i < rounds; i++) {
		uint64_t t0 = vt_now_us();

		st = vt_usb_cmd(&u, PCP_CMD_APDU, get_challenge,
				sizeof(get_challenge), rsp, sizeof(rsp), &n);
		if (i >= 0)
			us[i] = vt_now_us() - t0;
	}
	vt_usb_close(&u);
	if (st != PCP_STATUS_OK)
		VT_FAIL("raw usbfs: status %d", st);
	return st == PCP_STATUS_OK ? 0 : -1;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Interface name ("1-1:1.0") and driver directory of our reader. */
static int reader_binding(char *intf, size_t isize, char *drv, size_t dsize)
{
	const char *dev = vt_dev_path(VT_SERIAL, 10000);
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (!dev)
		return -1;
	snprintf(path, sizeof(path), "/sys/class/paycard/%s/device",
		 strrchr(dev, '/') + 1);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	snprintf(intf, isize, "%s", basename(target));
	strcat(path, "/driver");
	if (!realpath(path, target))
		return -1;
	snprintf(drv, dsize, "%s", target);
	return 0;
}

static int set_binding(const char *drv, const char *intf, bool bind)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/%s", drv, bind ? "bind" : "unbind");
	if (write_str(path, intf)) {
		VT_FAIL("%s %s: %s", path, intf, strerror(errno));
		return -1;
	}
	return 0;
}

int vt_bench(int rounds)
{
	int chunk = rounds / CHUNKS > 0 ? rounds / CHUNKS : 1;
	uint64_t *dev_us = calloc((size_t)chunk * CHUNKS, sizeof(uint64_t));
	uint64_t *raw_us = calloc((size_t)chunk * CHUNKS, sizeof(uint64_t));
	char intf[64], drv[PATH_MAX];
	struct lat d, r;

	if (!dev_us || !raw_us || reader_binding(intf, sizeof(intf), drv,
						 sizeof(drv))) {
		VT_FAIL("reader not bound to our driver");
		return 1;
	}
	if (vt_emu1("insert %s", VT_PROFILE))
		return 1;
	for (int c = 0; c < CHUNKS; c++) {
		if (bench_device(chunk, dev_us + c * chunk) ||
		    set_binding(drv, intf, false) ||
		    bench_usbfs(chunk, raw_us + c * chunk) ||
		    set_binding(drv, intf, true))
			return 1;
	}
	vt_emu1("remove");
	rounds = chunk * CHUNKS;
	d = summarise(dev_us, rounds);
	r = summarise(raw_us, rounds);
	printf("bench-usb: APDU round trip (5-byte C-APDU, 10-byte R-APDU), "
	       "%d rounds per path in %d alternating chunks, same emulator, "
	       "same boot\n", rounds, CHUNKS);
	printf("bench-usb: /dev/paycard  median %6llu us  p99 %6llu us\n",
	       (unsigned long long)d.median, (unsigned long long)d.p99);
	printf("bench-usb: raw usbfs     median %6llu us  p99 %6llu us\n",
	       (unsigned long long)r.median, (unsigned long long)r.p99);
	printf("bench-usb: ratio median %.3f  p99 %.3f  (target median <= 1.10)\n",
	       (double)d.median / (double)r.median,
	       (double)d.p99 / (double)r.p99);
	free(dev_us);
	free(raw_us);
	return 0;
}
