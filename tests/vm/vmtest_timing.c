// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The reader's own timing rules (docs/reader-protocol.md), as the
 * emulator implements them, seen from the host:
 *  - 5.5 PIN inactivity timeout: PIN mode set through the driver's
 *    SET_KEYPAD ioctl with timeout_s = 2; the entry ends 2 s after the
 *    last key press with a KEY event CANCEL read from /dev/paycardN, and
 *    the keypad is off.
 *  - 3.4 partial frames dropped after 1 s: the driver never stops in the
 *    middle of a frame on USB, so there the frame is cut through raw
 *    usbfs (before paycard_usb is loaded); on SPI a garbled header makes
 *    paycard_spi stop after the first block of a command (2.2 rule 5), and
 *    the next command through the driver must be answered once the
 *    second has passed.  The emulator's `truncated=` counts the drops.
 */
#include "vmtest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <paycard/frame.h>

#define PIN_TIMEOUT_S	2
#define GET_CHALLENGE	"\x00\x84\x00\x00\x08"	/* 8 bytes + 9000 back */

/* A numeric field NAME= of the emulator's status line; -1 (and why) when
 * missing. */
static long emu_status_field(const char *name)
{
	char reply[256], key[32], *p;

	snprintf(key, sizeof(key), " %s=", name);
	if (vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "status"))
		return -1;
	p = strstr(reply, key);
	if (!p) {
		VT_FAIL("no %s in the emulator's status: %s", name, reply);
		return -1;
	}
	return strtol(p + strlen(key), NULL, 10);
}

/* The next event, which must be a KEY event with @code. */
static int expect_key(int fd, uint16_t code, int timeout_ms)
{
	struct paycard_event ev;
	int ret = vt_read_event(fd, &ev, timeout_ms);

	if (ret != 1) {
		VT_FAIL("no KEY 0x%02x within %d ms (%d)", code, timeout_ms,
			ret);
		return 1;
	}
	if (ev.type != PAYCARD_EVENT_KEY || ev.key.code != code) {
		VT_FAIL("event type %u key 0x%02x, want KEY 0x%02x", ev.type,
			ev.key.code, code);
		return 1;
	}
	return 0;
}

/*
 * PIN mode with a 2 s inactivity timeout; a digit 1 s in restarts it, so
 * the CANCEL must come 2 s after the digit, not 2 s after the mode (which
 * is 1 s after the digit).  Bounds: the reader starts the 2 s no earlier
 * than our `key` command was sent (1 ms for its millisecond clock); 1 s
 * more is room for a loaded VM.
 */
static int scenario_pin_timeout(void)
{
	struct paycard_keypad kp = {
		.mode = PAYCARD_KEYPAD_PIN, .pin_min = 4, .pin_max = 12,
		.timeout_s = PIN_TIMEOUT_S,
	};
	struct paycard_event ev;
	char reply[128];
	uint64_t key_at, took_ms;
	int fd = vt_open(VT_SERIAL, 0);

	VT_CHECK(fd >= 0);
	vt_drain(fd);
	VT_CHECK(ioctl(fd, PAYCARD_IOC_SET_KEYPAD, &kp) == 0);
	VT_CHECK(emu_status_field("keypad") == PAYCARD_KEYPAD_PIN);
	vt_sleep_ms(1000);
	key_at = vt_now_us();
	VT_CHECK(vt_emu1("key 1") == 0);
	if (expect_key(fd, '1', 1000))
		goto fail;
	if (expect_key(fd, PCP_KEY_CANCEL, 4000))
		goto fail;
	took_ms = (vt_now_us() - key_at) / 1000;
	if (took_ms + 1 < PIN_TIMEOUT_S * 1000 ||
	    took_ms > PIN_TIMEOUT_S * 1000 + 1000) {
		VT_FAIL("CANCEL %llu ms after the last key, want %d..%d",
			(unsigned long long)took_ms, PIN_TIMEOUT_S * 1000 - 1,
			PIN_TIMEOUT_S * 1000 + 1000);
		goto fail;
	}
	/* keypad off: the reader reports no digit, and sent nothing more */
	VT_CHECK(emu_status_field("keypad") == PAYCARD_KEYPAD_OFF);
	VT_CHECK(vt_emu(VT_EMU_SOCK, reply, sizeof(reply), "key 5") == 0);
	if (strcmp(reply, "ok sent 0 dropped 1")) {
		VT_FAIL("a digit after the timeout: %s, want it dropped", reply);
		goto fail;
	}
	VT_CHECK(vt_read_event(fd, &ev, 300) == 0);
	close(fd);
	return 0;
fail:
	kp.mode = PAYCARD_KEYPAD_OFF;
	kp.pin_min = kp.pin_max = kp.timeout_s = 0;
	ioctl(fd, PAYCARD_IOC_SET_KEYPAD, &kp);
	close(fd);
	return 1;
}

/* ---- USB: the frame cut through raw usbfs ---- */

static int bulk_out(struct vt_usb *u, const void *data, size_t len)
{
	struct usbdevfs_bulktransfer b = {
		.ep = 0x02, .len = (unsigned int)len, .timeout = 2000,
		.data = (void *)data,
	};

	return ioctl(u->fd, USBDEVFS_BULK, &b) == (int)len ? 0 : -1;
}

/* GET_INFO sent in two parts @gap_ms apart; 0 when answered OK. */
static int split_get_info(struct vt_usb *u, int gap_ms)
{
	uint8_t frame[PCP_OVERHEAD], rsp[256];
	uint32_t n = 0;
	int seq;

	if (++u->seq == 0)
		u->seq = 1;
	seq = u->seq;
	VT_CHECK(pcp_frame_encode(frame, sizeof(frame), PCP_TYPE_COMMAND,
				  PCP_CMD_GET_INFO, (uint16_t)seq, 0, NULL, 0) ==
		 PCP_OVERHEAD);
	VT_CHECK(bulk_out(u, frame, 10) == 0);
	vt_sleep_ms(gap_ms);
	VT_CHECK(bulk_out(u, frame + 10, sizeof(frame) - 10) == 0);
	if (vt_usb_wait(u, (uint16_t)seq, PCP_CMD_GET_INFO, rsp, sizeof(rsp),
			&n) != PCP_STATUS_OK || n < PCP_INFO_LEN) {
		VT_FAIL("GET_INFO in two parts %d ms apart not answered",
			gap_ms);
		return 1;
	}
	return 0;
}

/*
 * A command frame whose sender paused 400 ms is still one frame (the
 * rule is 1 s); a header whose 100 payload bytes never come is dropped
 * after 1 s, counted once, and the next command is answered.  Without
 * the drop, that GET_INFO would be taken for the stale frame's payload
 * and never answered (vt_usb_wait gives up with ETIMEDOUT).
 */
static int scenario_usbfs_partial_frame(void)
{
	static const uint8_t stalled_hdr[PCP_HDR_LEN] = {
		0x50, 0x43, 0x01, 0x12, 0x05, 0x00, 0x00, 0x00,
		0x64, 0x00, 0x00, 0x00,		/* APDU, len 100 */
	};
	struct vt_usb u;
	long before;
	int ret = 1;

	if (vt_usb_open(&u))
		return 1;
	before = emu_status_field("truncated");
	if (before < 0 || split_get_info(&u, 400))
		goto out;
	if (emu_status_field("truncated") != before) {
		VT_FAIL("a 400 ms pause inside a frame dropped it");
		goto out;
	}
	if (bulk_out(&u, stalled_hdr, sizeof(stalled_hdr))) {
		VT_FAIL("bulk OUT: %s", strerror(errno));
		goto out;
	}
	vt_sleep_ms(1500);
	if (emu_status_field("truncated") != before + 1) {
		VT_FAIL("truncated %ld 1.5 s after a cut frame, want %ld",
			emu_status_field("truncated"), before + 1);
		goto out;
	}
	ret = split_get_info(&u, 0);
out:
	vt_usb_close(&u);
	return ret;
}

/* ---- SPI: the driver stops after a garbled header ---- */

static int vspi_param_write(const char *name, unsigned int value)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/sys/module/paycard_vspi/parameters/%s",
		 name);
	f = fopen(path, "w");
	if (!f) {
		VT_FAIL("%s: %s", path, strerror(errno));
		return -1;
	}
	ret = fprintf(f, "%u", value) < 0;
	return fclose(f) || ret ? -1 : 0;
}

/*
 * An echo APDU of 205 bytes is a 221-byte frame, four 64-byte blocks (62
 * stream bytes each, tests/vm/guest/init's SPI_BLOCK); the first block's
 * header is garbled, so the host fails the command with EPROTO and sends
 * none of the rest (2.2 rule 5) while the reader holds 62 bytes of it.
 * The reader must drop them 1 s after they stopped and answer the next
 * APDU; it counts one truncated frame and ran only that second APDU.
 */
static int scenario_spi_partial_frame(void)
{
	uint8_t cmd[205], rsp[64];
	uint32_t n = 0;
	long truncated, apdus;
	int fd = vt_open_with_card(), ret;

	if (fd < 0)
		return 1;
	memcpy(cmd, "\x80\xee\x00\x00\xc8", 5);	/* Lc 200 */
	memset(cmd + 5, 0x11, 200);		/* no 0x50 to resync on */
	truncated = emu_status_field("truncated");
	apdus = emu_status_field("apdus");
	VT_CHECK(truncated >= 0 && apdus >= 0);
	VT_CHECK(vspi_param_write("garble_blocks", 1) == 0);
	ret = vt_apdu(fd, cmd, sizeof(cmd), rsp, sizeof(rsp), &n, 2000);
	if (ret != -EPROTO) {
		vspi_param_write("garble_blocks", 0);
		VT_FAIL("APDU under a garbled header: %d (%s), want -EPROTO",
			ret, strerror(-ret));
		return 1;
	}
	vt_sleep_ms(1500);
	/* held, those 62 bytes would swallow this APDU as their payload */
	ret = vt_apdu(fd, GET_CHALLENGE, 5, rsp, sizeof(rsp), &n, 2000);
	if (ret || n != 10 || rsp[8] != 0x90 || rsp[9] != 0x00) {
		VT_FAIL("the APDU 1.5 s after the cut: %d (%s), %u bytes", ret,
			strerror(-ret), n);
		return 1;
	}
	if (emu_status_field("truncated") != truncated + 1 ||
	    emu_status_field("apdus") != apdus + 1) {
		VT_FAIL("after the cut: truncated +%ld apdus +%ld, want +1 +1",
			emu_status_field("truncated") - truncated,
			emu_status_field("apdus") - apdus);
		return 1;
	}
	vt_close_with_card(fd);
	return 0;
}

const struct vt_scenario vt_timing_scenarios[] = {
	{ "emu-usbfs-partial-frame", scenario_usbfs_partial_frame, "usb" },
	{ "pin-timeout", scenario_pin_timeout, NULL },
	{ "spi-partial-frame", scenario_spi_partial_frame, "spi" },
	{ NULL, NULL, NULL }
};
