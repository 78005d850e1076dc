// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SPI block layer's rules (docs/reader-protocol.md 2.2), checked
 * against paycard_spi with faults the test controller paycard_vspi makes
 * on demand (its writable module parameters): BUSY is retried and a
 * reader that stays BUSY fails the command with ETIMEDOUT after 1 s; a
 * garbled header fails the command and its bytes are not sent again; a
 * reader that never clears MORE is cut off after a fixed number of blocks.
 */
#include "vmtest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VSPI_PARAMS	"/sys/module/paycard_vspi/parameters/"
#define GET_CHALLENGE	"\x00\x84\x00\x00\x08"	/* 8 bytes + 9000 back */
#define MAX_FRAME	65568	/* protocol 3.1: 16 + 65552 */

static int param_write(const char *name, unsigned long value)
{
	char path[128], buf[32];
	int fd, n, ret;

	snprintf(path, sizeof(path), VSPI_PARAMS "%s", name);
	n = snprintf(buf, sizeof(buf), "%lu", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ret = fd >= 0 && write(fd, buf, (size_t)n) == n ? 0 : -1;
	if (ret)
		VT_FAIL("write %s to %s: %s", buf, path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

/* A numeric parameter; -1 (and a message) when it cannot be read. */
static long param_read(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), VSPI_PARAMS "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		VT_FAIL("read %s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* APDUs the emulator has received (its `status` line). */
static long emu_apdus(void)
{
	char reply[256], *a;

	if (vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "status"))
		return -1;
	a = strstr(reply, "apdus=");
	return a ? strtol(a + 6, NULL, 10) : -1;
}

/* GET CHALLENGE: 0 when the card's 10-byte answer came back. */
static int challenge(int fd, uint32_t timeout_ms)
{
	uint8_t rsp[64];
	uint32_t n = 0;
	int ret = vt_apdu(fd, GET_CHALLENGE, 5, rsp, sizeof(rsp), &n,
			  timeout_ms);

	if (!ret && (n != 10 || rsp[8] != 0x90))
		return -EBADMSG;
	return ret;
}

/* A few BUSY answers: the host sends the same bytes again and the APDU
 * runs exactly once. */
static int scenario_busy_retry(void)
{
	int fd = vt_open_with_card(), ret;
	long before;

	if (fd < 0)
		return 1;
	before = emu_apdus();
	VT_CHECK(param_write("busy_blocks", 3) == 0);
	ret = challenge(fd, 2000);
	if (ret) {
		VT_FAIL("APDU through 3 BUSY blocks: %s", strerror(-ret));
		return 1;
	}
	VT_CHECK(param_read("busy_blocks") == 0);	/* all 3 were used */
	VT_CHECK(emu_apdus() == before + 1);
	vt_close_with_card(fd);
	return 0;
}

/* A reader that stays BUSY: the host retries every 1-2 ms and gives up
 * after 1 s without progress with ETIMEDOUT; the command never got in. */
static int scenario_busy_timeout(void)
{
	const unsigned long armed = 1000000;
	int fd = vt_open_with_card(), ret;
	long before, retries;
	uint64_t t0, took_ms;

	if (fd < 0)
		return 1;
	before = emu_apdus();
	VT_CHECK(param_write("busy_blocks", armed) == 0);
	t0 = vt_now_us();
	ret = challenge(fd, 10000);
	took_ms = (vt_now_us() - t0) / 1000;
	retries = (long)armed - param_read("busy_blocks");
	VT_CHECK(param_write("busy_blocks", 0) == 0);
	printf("  busy-timeout: %s after %llu ms, %ld BUSY blocks\n",
	       ret ? strerror(-ret) : "success", (unsigned long long)took_ms,
	       retries);
	if (ret != -ETIMEDOUT) {
		VT_FAIL("APDU to a reader that stays BUSY: %d, want -ETIMEDOUT",
			ret);
		return 1;
	}
	/* 1 s, plus slack for the emulated machine.  A retry every 1-2 ms
	 * is at most 1001 blocks in 1 s (with the first); each retry also
	 * costs the block itself, so 2 ms and a bit: about 490 measured on
	 * an idle machine.  Fewer than 100 would mean a pace of 10 ms or
	 * worse, beyond what a loaded machine explains. */
	if (took_ms < 1000 || took_ms > 3000 || retries < 100 || retries > 1001) {
		VT_FAIL("gave up after %llu ms and %ld BUSY blocks, want "
			"1000..3000 ms and 100..1001 blocks",
			(unsigned long long)took_ms, retries);
		return 1;
	}
	VT_CHECK(emu_apdus() == before);
	VT_CHECK(challenge(fd, 2000) == 0);
	VT_CHECK(emu_apdus() == before + 1);
	vt_close_with_card(fd);
	return 0;
}

/* A garbled header (0xffff, MISO floating) fails the command with EPROTO
 * at once; the reader did take the bytes, and they are not sent again, so
 * the card sees the APDU once.  Its late answer is dropped; the next APDU
 * works. */
static int scenario_garbled_header(void)
{
	int fd = vt_open_with_card(), ret;
	long before;

	if (fd < 0)
		return 1;
	before = emu_apdus();
	VT_CHECK(param_write("garble_blocks", 1) == 0);
	ret = challenge(fd, 2000);
	if (ret != -EPROTO) {
		VT_FAIL("APDU answered by a garbled header: %d (%s), want -EPROTO",
			ret, strerror(-ret));
		return 1;
	}
	vt_sleep_ms(300);	/* the late answer comes and goes */
	if (emu_apdus() != before + 1) {
		VT_FAIL("the card saw %ld APDUs, want exactly 1 (not resent)",
			emu_apdus() - before);
		return 1;
	}
	VT_CHECK(challenge(fd, 2000) == 0);
	vt_close_with_card(fd);
	return 0;
}

/* A reader that never clears MORE: one data-ready interrupt clocks
 * 2 * ceil(65568 / (B - 2)) + 3 blocks (room for the largest frame twice),
 * then the host stops; the bytes that were there still arrive. */
static int scenario_endless_more(void)
{
	struct paycard_event ev;
	long block = param_read("block_size"), before, now, want;
	uint64_t end;
	int fd = vt_open(VT_SERIAL, 0);

	VT_CHECK(fd >= 0 && block > 2);
	vt_drain(fd);
	want = 2 * ((MAX_FRAME + block - 3) / (block - 2)) + 3;
	before = param_read("blocks");
	VT_CHECK(param_write("endless_more", 1) == 0);
	VT_CHECK(vt_emu1("tamper 1") == 0);
	if (vt_read_event(fd, &ev, 5000) != 1 ||
	    ev.type != PAYCARD_EVENT_TAMPER) {
		param_write("endless_more", 0);
		VT_FAIL("no TAMPER event while the reader says MORE");
		return 1;
	}
	/* wait for the cut-off (10 s at most), then check that it stopped */
	end = vt_now_us() + 10000000;
	while ((now = param_read("blocks")) >= 0 && now - before < want &&
	       vt_now_us() < end)
		vt_sleep_ms(100);
	vt_sleep_ms(500);
	now = param_read("blocks");
	VT_CHECK(param_write("endless_more", 0) == 0);
	if (now - before != want) {
		VT_FAIL("one interrupt clocked %ld blocks of %ld bytes, want %ld",
			now - before, block, want);
		return 1;
	}
	VT_CHECK(vt_ui(fd, 0x1, 0x1) == 0);	/* the reader answers again */
	VT_CHECK(vt_ui(fd, 0x1, 0x0) == 0);
	close(fd);
	return 0;
}

const struct vt_scenario vt_spi_scenarios[] = {
	{ "spi-busy-retry", scenario_busy_retry, "spi" },
	{ "spi-busy-timeout", scenario_busy_timeout, "spi" },
	{ "spi-garbled-header", scenario_garbled_header, "spi" },
	{ "spi-endless-more", scenario_endless_more, "spi" },
	{ NULL, NULL, NULL }
};
