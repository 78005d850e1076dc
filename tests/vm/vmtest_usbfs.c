// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Raw usbfs access to the emulated reader, with no driver bound: checks the
 * emulator independently of the kernel driver, and is the floor the
 * benchmark compares /dev/paycard0 against (same emulator, same boot, same
 * frame codec, no paycard code in the kernel path).
 */
#include "vmtest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <paycard/frame.h>

#define USB_TIMEOUT_MS	5000
#define IN_URB_SIZE	(PCP_MAX_FRAME + 512 - PCP_MAX_FRAME % 512)
#define RX_CAP		(2 * IN_URB_SIZE)

static int read_sys(const char *dev, const char *attr, char *buf, size_t size)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/usb/devices/%s/%s", dev, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* "BBB/DDD" and packet size of the emulated reader with serial VT_SERIAL. */
static int find_reader(char *busdev, size_t size, unsigned int *maxpacket)
{
	DIR *d = opendir("/sys/bus/usb/devices");
	struct dirent *de;
	char v[16], p[16], s[64], bus[8], dev[8], speed[16];
	int ret = -1;

	if (!d)
		return -1;
	while (ret && (de = readdir(d))) {
		if (read_sys(de->d_name, "idVendor", v, sizeof(v)) ||
		    read_sys(de->d_name, "idProduct", p, sizeof(p)) ||
		    read_sys(de->d_name, "serial", s, sizeof(s)))
			continue;
		if (strtoul(v, NULL, 16) != PCP_USB_TEST_VID ||
		    strtoul(p, NULL, 16) != PCP_USB_TEST_PID ||
		    strcmp(s, VT_SERIAL))
			continue;
		if (read_sys(de->d_name, "busnum", bus, sizeof(bus)) ||
		    read_sys(de->d_name, "devnum", dev, sizeof(dev)) ||
		    read_sys(de->d_name, "speed", speed, sizeof(speed)))
			continue;
		snprintf(busdev, size, "%03d/%03d", atoi(bus), atoi(dev));
		*maxpacket = !strcmp(speed, "12") ? 64 : 512;
		ret = 0;
	}
	closedir(d);
	return ret;
}

int vt_usb_open(struct vt_usb *u)
{
	char path[64];
	unsigned int intf = 0;

	memset(u, 0, sizeof(*u));
	u->fd = -1;
	for (int i = 0; i < 100 && find_reader(u->busdev, sizeof(u->busdev),
					       &u->maxpacket); i++)
		vt_sleep_ms(100);
	if (!u->busdev[0]) {
		VT_FAIL("no USB device %04x:%04x serial %s", PCP_USB_TEST_VID,
			PCP_USB_TEST_PID, VT_SERIAL);
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/bus/usb/%s", u->busdev);
	u->fd = open(path, O_RDWR | O_CLOEXEC);
	if (u->fd < 0 || ioctl(u->fd, USBDEVFS_CLAIMINTERFACE, &intf)) {
		VT_FAIL("%s: %s", path, strerror(errno));
		vt_usb_close(u);
		return -1;
	}
	u->rx = malloc(RX_CAP);
	u->in_buf = malloc(IN_URB_SIZE);
	u->in_urb = calloc(1, sizeof(*u->in_urb));
	return u->rx && u->in_buf && u->in_urb ? 0 : -1;
}

void vt_usb_close(struct vt_usb *u)
{
	unsigned int intf = 0;
	struct usbdevfs_urb *done;

	if (u->fd >= 0) {
		if (u->in_pending) {
			ioctl(u->fd, USBDEVFS_DISCARDURB, u->in_urb);
			ioctl(u->fd, USBDEVFS_REAPURB, &done);
		}
		ioctl(u->fd, USBDEVFS_RELEASEINTERFACE, &intf);
		close(u->fd);
	}
	free(u->rx);
	free(u->in_buf);
	free(u->in_urb);
	memset(u, 0, sizeof(*u));
	u->fd = -1;
}

/* Like the driver, keep one IN transfer submitted at all times, so the
 * floor does not pay for an IN submission after each command. */
static int submit_in(struct vt_usb *u)
{
	memset(u->in_urb, 0, sizeof(*u->in_urb));
	u->in_urb->type = USBDEVFS_URB_TYPE_BULK;
	u->in_urb->endpoint = 0x81;
	u->in_urb->buffer = u->in_buf;
	u->in_urb->buffer_length = IN_URB_SIZE;
	if (ioctl(u->fd, USBDEVFS_SUBMITURB, u->in_urb))
		return -errno;
	u->in_pending = true;
	return 0;
}

/* Wait for the IN transfer, append its bytes to rx, submit the next. */
static int reap_in(struct vt_usb *u)
{
	struct pollfd pfd = { .fd = u->fd, .events = POLLOUT };
	struct usbdevfs_urb *done;
	int n;

	if (!u->in_pending) {
		n = submit_in(u);
		if (n)
			return n;
	}
	if (poll(&pfd, 1, USB_TIMEOUT_MS) != 1)
		return -ETIMEDOUT;
	if (ioctl(u->fd, USBDEVFS_REAPURBNDELAY, &done))
		return -errno;
	u->in_pending = false;
	if (done->status < 0)
		return done->status;
	n = done->actual_length;
	if ((size_t)n > RX_CAP - u->rx_fill)
		return -EOVERFLOW;
	memcpy(u->rx + u->rx_fill, u->in_buf, (size_t)n);
	u->rx_fill += (size_t)n;
	return submit_in(u);
}

static int bulk(int fd, unsigned int ep, void *data, size_t len)
{
	struct usbdevfs_bulktransfer b = {
		.ep = ep, .len = (unsigned int)len, .timeout = USB_TIMEOUT_MS,
		.data = data,
	};
	int n = ioctl(fd, USBDEVFS_BULK, &b);

	return n < 0 ? -errno : n;
}

/* Send one encoded frame; a transfer ending on a packet boundary gets a
 * zero-length packet so the reader's read completes. */
static int send_frame(struct vt_usb *u, const uint8_t *frame, size_t len)
{
	int n = bulk(u->fd, 0x02, (void *)frame, len);

	if (n < 0)
		return n;
	if (len % u->maxpacket == 0)
		n = bulk(u->fd, 0x02, (void *)frame, 0);
	return n < 0 ? n : 0;
}

/* Next whole frame from the IN stream into @f (payload points into rx);
 * returns its length or -errno. */
static int next_frame(struct vt_usb *u, struct pcp_frame *f)
{
	for (;;) {
		int n = pcp_frame_decode(u->rx, u->rx_fill, PCP_MAX_PAYLOAD, f);

		if (n > 0)
			return n;
		if (n < 0)
			return -EPROTO;	/* the emulator must never send this */
		n = reap_in(u);
		if (n < 0)
			return n;
	}
}

static void consume(struct vt_usb *u, size_t n)
{
	memmove(u->rx, u->rx + n, u->rx_fill - n);
	u->rx_fill -= n;
}

int vt_usb_send(struct vt_usb *u, uint8_t code, const void *payload,
		uint32_t len)
{
	static uint8_t tx[PCP_MAX_FRAME];
	int n;

	if (++u->seq == 0)
		u->seq = 1;
	n = pcp_frame_encode(tx, sizeof(tx), PCP_TYPE_COMMAND, code, u->seq,
			     0, payload, len);
	if (n < 0)
		return -EINVAL;
	if (!u->in_pending) {
		int err = submit_in(u);

		if (err)
			return err;
	}
	n = send_frame(u, tx, (size_t)n);
	return n < 0 ? n : u->seq;
}

int vt_usb_wait(struct vt_usb *u, uint16_t seq, uint8_t code, void *rsp,
		uint32_t rsp_size, uint32_t *rsp_len)
{
	struct pcp_frame f;
	int n;

	for (;;) {
		n = next_frame(u, &f);
		if (n < 0)
			return n;
		if (f.type == PCP_TYPE_RESPONSE && f.seq == seq &&
		    f.code == code)
			break;
		consume(u, (size_t)n);	/* an event: not ours to judge here */
	}
	if (f.len > rsp_size) {
		consume(u, (size_t)n);
		return -EMSGSIZE;
	}
	if (f.len)
		memcpy(rsp, f.payload, f.len);
	*rsp_len = f.len;
	consume(u, (size_t)n);
	return f.status;
}

int vt_usb_cmd(struct vt_usb *u, uint8_t code, const void *payload,
	       uint32_t len, void *rsp, uint32_t rsp_size, uint32_t *rsp_len)
{
	int seq = vt_usb_send(u, code, payload, len);

	if (seq < 0)
		return seq;
	return vt_usb_wait(u, (uint16_t)seq, code, rsp, rsp_size, rsp_len);
}

/* --- scenario: the emulator alone, through usbfs (before our driver) --- */

static int raw_identity(struct vt_usb *u)
{
	static const uint8_t hello[PCP_HELLO_LEN] = { 1, 0, 1, 0xff };
	uint8_t rsp[PCP_INFO_LEN + 16];
	uint32_t n;

	VT_CHECK(vt_usb_cmd(u, PCP_CMD_HELLO, hello, sizeof(hello), rsp,
			    sizeof(rsp), &n) == PCP_STATUS_OK);
	VT_CHECK(n == PCP_HELLO_LEN && rsp[0] == 1 && rsp[1] == 0);
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_GET_INFO, NULL, 0, rsp, sizeof(rsp),
			    &n) == PCP_STATUS_OK);
	VT_CHECK(n == PCP_INFO_LEN);
	VT_CHECK(pcp_get_le32(rsp + 12) == VT_MAX_APDU);
	VT_CHECK(!strcmp((char *)rsp + 48, VT_SERIAL));
	VT_CHECK(vt_usb_cmd(u, 0x7e, NULL, 0, rsp, sizeof(rsp), &n) ==
		 PCP_STATUS_UNSUPPORTED);
	return 0;
}

/* Largest extended case 4 C-APDU: 80 EE 00 00 | 00 FF FF | 65535 data |
 * 00 00  = 65544 bytes; the card echoes the data, then 90 00. */
static int raw_extended_echo(struct vt_usb *u)
{
	uint8_t *cmd = malloc(VT_MAX_APDU), *rsp = malloc(VT_MAX_APDU);
	uint32_t n = 0;
	int st, bad = 0;

	if (!cmd || !rsp)
		return 1;
	memcpy(cmd, "\x80\xee\x00\x00\x00\xff\xff", 7);
	for (uint32_t i = 0; i < 65535; i++)
		cmd[7 + i] = (uint8_t)(i * 7 + 3);
	cmd[VT_MAX_APDU - 2] = cmd[VT_MAX_APDU - 1] = 0;
	st = vt_usb_cmd(u, PCP_CMD_APDU, cmd, VT_MAX_APDU, rsp, VT_MAX_APDU,
			&n);
	if (st != PCP_STATUS_OK || n != 65537 || memcmp(rsp, cmd + 7, 65535) ||
	    rsp[65535] != 0x90 || rsp[65536] != 0x00) {
		VT_FAIL("extended echo: status %d, %u bytes", st, n);
		bad = 1;
	}
	free(cmd);
	free(rsp);
	return bad;
}

static int raw_chip(struct vt_usb *u)
{
	uint8_t rsp[512];
	uint32_t n;

	VT_CHECK(vt_usb_cmd(u, PCP_CMD_CHIP_POWER_ON, NULL, 0, rsp, sizeof(rsp),
			    &n) == PCP_STATUS_NO_CARD);
	if (vt_emu1("insert %s", VT_PROFILE))
		return 1;
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_CHIP_POWER_ON, NULL, 0, rsp, sizeof(rsp),
			    &n) == PCP_STATUS_OK);
	VT_CHECK(n == sizeof(VT_ATR) - 1 && !memcmp(rsp, VT_ATR, n));
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_APDU, "\x00\xb0\x00\x00\x00", 5, rsp,
			    sizeof(rsp), &n) == PCP_STATUS_OK);
	VT_CHECK(n == 258 && rsp[255] == 0xff && rsp[256] == 0x90);
	if (raw_extended_echo(u))
		return 1;
	/* Remove first: waiting for the RESET answer consumes the REMOVED
	 * event, so the driver loaded next starts from a quiet stream. */
	if (vt_emu1("remove"))
		return 1;
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_RESET, NULL, 0, rsp, sizeof(rsp), &n) ==
		 PCP_STATUS_OK);
	return 0;
}

/* Statuses a firmware must give (docs/reader-protocol.md 5, 10). */
static int raw_refusals(struct vt_usb *u)
{
	static const uint8_t hello2[PCP_HELLO_LEN] = { 2, 0, 2, 5 };
	static const uint8_t pin_bad[PCP_KEYPAD_LEN] = { PCP_KEYPAD_PIN, 2, 12, 0 };
	static const uint8_t pin_ok[PCP_KEYPAD_LEN] = { PCP_KEYPAD_PIN, 4, 12, 0 };
	uint8_t rsp[64];
	uint32_t n;

	VT_CHECK(vt_usb_cmd(u, PCP_CMD_HELLO, hello2, sizeof(hello2), rsp,
			    sizeof(rsp), &n) == PCP_STATUS_UNSUPPORTED);
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_KEYPAD_MODE, pin_bad, sizeof(pin_bad),
			    rsp, sizeof(rsp), &n) == PCP_STATUS_BAD_PARAM);
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_KEYPAD_MODE, pin_ok, 3, rsp,
			    sizeof(rsp), &n) == PCP_STATUS_BAD_PARAM);
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_KEYPAD_MODE, pin_ok, sizeof(pin_ok),
			    rsp, sizeof(rsp), &n) == PCP_STATUS_OK);
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_UI, "\x01\x00", 2, rsp, sizeof(rsp),
			    &n) == PCP_STATUS_BAD_PARAM);
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_APDU, "\x00\x84\x00\x00\x08", 5, rsp,
			    sizeof(rsp), &n) == PCP_STATUS_NO_CARD);
	return 0;
}

/* ABORT while an APDU is pending: the APDU is answered ABORTED, then ABORT
 * OK; meanwhile any other command is answered BUSY. */
static int raw_abort(struct vt_usb *u)
{
	uint8_t rsp[64];
	uint32_t n;
	int apdu, ui, abort;

	if (vt_emu1("insert %s", VT_PROFILE))
		return 1;
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_CHIP_POWER_ON, NULL, 0, rsp, sizeof(rsp),
			    &n) == PCP_STATUS_OK);
	VT_CHECK(vt_emu1("delay 5000") == 0);
	apdu = vt_usb_send(u, PCP_CMD_APDU, "\x00\x84\x00\x00\x08", 5);
	ui = vt_usb_send(u, PCP_CMD_UI, "\0\0\0\0\0\0\0\0", 8);
	VT_CHECK(apdu > 0 && ui > 0);
	VT_CHECK(vt_usb_wait(u, (uint16_t)ui, PCP_CMD_UI, rsp, sizeof(rsp), &n) ==
		 PCP_STATUS_BUSY);
	abort = vt_usb_send(u, PCP_CMD_ABORT, NULL, 0);
	VT_CHECK(abort > 0);
	VT_CHECK(vt_usb_wait(u, (uint16_t)apdu, PCP_CMD_APDU, rsp, sizeof(rsp),
			     &n) == PCP_STATUS_ABORTED);
	VT_CHECK(vt_usb_wait(u, (uint16_t)abort, PCP_CMD_ABORT, rsp, sizeof(rsp),
			     &n) == PCP_STATUS_OK);
	if (vt_emu1("remove"))
		return 1;
	VT_CHECK(vt_usb_cmd(u, PCP_CMD_RESET, NULL, 0, rsp, sizeof(rsp), &n) ==
		 PCP_STATUS_OK);
	return 0;
}

static int scenario_emu_usbfs(void)
{
	struct vt_usb u;
	int ret;

	if (vt_usb_open(&u))
		return 1;
	ret = raw_identity(&u) || raw_refusals(&u) || raw_chip(&u) ||
	      raw_abort(&u);
	vt_usb_close(&u);
	return ret;
}

const struct vt_scenario vt_raw_scenarios[] = {
	{ "emu-usbfs-protocol", scenario_emu_usbfs, "usb" },
	{ NULL, NULL, NULL }
};
