// SPDX-License-Identifier: MIT
/*
 * The userspace USB transport: for a kernel without the paycard module (a
 * locked-down kernel that will not load our unsigned module, say).  It
 * speaks the reader protocol over the bulk endpoints with the same frame
 * codec as the kernel driver (kernel/paycard_frame.c) and hands the rest of
 * paycardd the same struct paycard_event records through a SEQPACKET pair,
 * so the reader manager cannot tell it from /dev/paycardN.
 */
#include <errno.h>
#include <fcntl.h>
#include <paycard/frame.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "paycardd/log.h"
#include "paycardd/readers/pcp_convert.h"
#include "paycardd/readers/reader_backend.h"
#include "paycardd/readers/usb_context.h"

#define USB_TIMEOUT_MS		1000
#define USB_IN_SIZE		16384
#define USB_MAX_PAYLOAD		4096	/* events and our small responses */
#define USB_CMD_PAYLOAD		512	/* largest command we send: a short C-APDU */
#define USB_APDU_WAIT_MS	6000	/* the reader's own APDU timeout is 5 s */

struct usb_reader {
	struct reader_device base;
	libusb_context *ctx;
	libusb_device_handle *h;
	int usbfs_fd;
	int iface;
	unsigned char ep_in, ep_out;
	int read_fd, write_fd;		/* events: our end, the manager's end */
	struct paycard_info info;
	struct libusb_transfer *in;
	bool in_active;
	struct pcp_assembler as;
	u8 as_buf[PCP_OVERHEAD + USB_MAX_PAYLOAD];
	unsigned char in_buf[USB_IN_SIZE];
	u16 seq;
	/* the response a chip command waits for, caught by in_done() */
	u16 want_seq;
	int got;
	struct pcp_frame pending;
	u8 pending_buf[USB_MAX_PAYLOAD];
};

static struct usb_reader *to_usb(struct reader_device *dev)
{
	return (struct usb_reader *)dev;
}

/* An event frame to the manager, as the kernel driver would queue it. */
static void forward_event(struct usb_reader *r, const struct pcp_frame *f)
{
	struct paycard_event ev;
	struct timespec ts;

	if (pcp_event_to_paycard(f, &ev) == 0 && r->write_fd >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ev.timestamp_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
		if (send(r->write_fd, &ev, sizeof(ev), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			log_warning("usb reader: event lost: %s", strerror(errno));
	}
	explicit_bzero(&ev, sizeof(ev));	/* track data, key codes */
}

/* Feed received bytes; events are forwarded, a response with @want_seq is
 * copied to @resp (payload into @resp_buf).  Returns true when it came. */
static bool feed(struct usb_reader *r, const u8 *data, size_t len, u16 want_seq,
		 struct pcp_frame *resp, u8 *resp_buf, size_t resp_size)
{
	struct pcp_frame f;
	bool found = false;

	while (len) {
		size_t n = pcp_asm_feed(&r->as, data, len);

		data += n;
		len -= n;
		while (pcp_asm_next(&r->as, &f)) {
			if (f.type == PCP_TYPE_EVENT) {
				forward_event(r, &f);
			} else if (resp && f.type == PCP_TYPE_RESPONSE && f.seq == want_seq &&
				   f.len <= resp_size) {
				*resp = f;
				memcpy(resp_buf, f.payload, f.len);
				resp->payload = resp_buf;
				found = true;
			}
		}
	}
	return found;
}

static int send_command(struct usb_reader *r, u8 code, const void *payload, u32 len, u16 *seq)
{
	u8 frame[PCP_OVERHEAD + USB_CMD_PAYLOAD];
	int n, done = 0, rc;

	if (++r->seq == 0)
		r->seq = 1;	/* 0 is never a command's sequence number */
	*seq = r->seq;
	n = pcp_frame_encode(frame, sizeof(frame), PCP_TYPE_COMMAND, code, r->seq, 0, payload, len);
	if (n < 0)
		return -EINVAL;
	rc = libusb_bulk_transfer(r->h, r->ep_out, frame, n, &done, USB_TIMEOUT_MS);
	return rc == 0 && done == n ? 0 : -EIO;
}

/* One command and its response, synchronously: only while opening. */
static int exchange(struct usb_reader *r, u8 code, const void *payload, u32 len,
		    u8 *resp_buf, size_t resp_size, struct pcp_frame *resp)
{
	unsigned char buf[512];
	u16 seq;
	int got, rc = send_command(r, code, payload, len, &seq);

	for (int tries = 0; rc == 0 && tries < 8; tries++) {
		rc = libusb_bulk_transfer(r->h, r->ep_in, buf, sizeof(buf), &got, USB_TIMEOUT_MS);
		if (rc == LIBUSB_ERROR_TIMEOUT) {
			rc = 0;
			continue;
		}
		if (rc != 0)
			return rc == LIBUSB_ERROR_NO_DEVICE ? -ENODEV : -EIO;
		if (feed(r, buf, (size_t)got, seq, resp, resp_buf, resp_size))
			return pcp_status_errno(resp->status);
	}
	return rc ? -EIO : -ETIMEDOUT;
}

static void reader_gone(struct usb_reader *r)
{
	if (r->write_fd >= 0) {
		close(r->write_fd);	/* the manager reads EOF: unplugged */
		r->write_fd = -1;
	}
}

static void in_done(struct libusb_transfer *t)
{
	struct usb_reader *r = t->user_data;

	r->in_active = false;
	if (t->status == LIBUSB_TRANSFER_COMPLETED) {
		if (r->want_seq &&
		    feed(r, t->buffer, (size_t)t->actual_length, r->want_seq, &r->pending,
			 r->pending_buf, sizeof(r->pending_buf)))
			r->got = 1;
		else if (!r->want_seq)
			feed(r, t->buffer, (size_t)t->actual_length, 0, NULL, NULL, 0);
		if (r->write_fd >= 0 && libusb_submit_transfer(t) == 0) {
			r->in_active = true;
			return;
		}
	}
	if (t->status != LIBUSB_TRANSFER_CANCELLED)
		reader_gone(r);
}

static int find_interface(struct usb_reader *r)
{
	struct libusb_config_descriptor *cfg;
	int found = -ENODEV;

	if (libusb_get_active_config_descriptor(libusb_get_device(r->h), &cfg) != 0)
		return -EIO;
	for (int i = 0; i < cfg->bNumInterfaces && found < 0; i++) {
		const struct libusb_interface_descriptor *alt = &cfg->interface[i].altsetting[0];

		if (cfg->interface[i].num_altsetting < 1 || alt->bInterfaceClass != PCP_USB_CLASS ||
		    alt->bInterfaceSubClass != PCP_USB_SUBCLASS ||
		    alt->bInterfaceProtocol != PCP_USB_PROTOCOL)
			continue;
		for (int e = 0; e < alt->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];

			if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
				continue;
			if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN)
				r->ep_in = ep->bEndpointAddress;
			else
				r->ep_out = ep->bEndpointAddress;
		}
		if (r->ep_in && r->ep_out) {
			r->iface = alt->bInterfaceNumber;
			found = 0;
		}
	}
	libusb_free_config_descriptor(cfg);
	return found;
}

static int usb_event_fd(struct reader_device *dev)
{
	return to_usb(dev)->read_fd;
}

static int usb_get_info(struct reader_device *dev, struct paycard_info *info)
{
	*info = to_usb(dev)->info;
	return 0;
}

static int usb_read_event(struct reader_device *dev, struct paycard_event *ev)
{
	ssize_t n = recv(to_usb(dev)->read_fd, ev, sizeof(*ev), MSG_DONTWAIT);

	if (n == (ssize_t)sizeof(*ev))
		return 1;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n <= 0 ? -ENODEV : -EIO;
}

static int usb_abort(struct reader_device *dev)
{
	u16 seq;

	/* the response arrives through the running IN transfer and is dropped */
	return send_command(to_usb(dev), PCP_CMD_ABORT, NULL, 0, &seq);
}

static int usb_set_keypad(struct reader_device *dev, const struct paycard_keypad *mode)
{
	u8 payload[PCP_KEYPAD_LEN] = { mode->mode, mode->pin_min, mode->pin_max, mode->timeout_s };
	u16 seq;

	/* like abort: the response comes through the running IN transfer */
	return send_command(to_usb(dev), PCP_CMD_KEYPAD_MODE, payload, sizeof(payload), &seq);
}

/* A chip command while the IN transfer runs: its response is caught by
 * in_done(); libusb's events are handled here until it comes (the
 * kernel's PAYCARD_IOC_APDU blocks the same way). */
static int chip_command(struct usb_reader *r, u8 code, const void *payload, u32 len)
{
	struct timeval tv = { .tv_usec = 100000 };
	struct timespec start, now;
	int rc;

	if (r->write_fd < 0)
		return -ENODEV;
	r->got = 0;
	rc = send_command(r, code, payload, len, &r->want_seq);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (rc == 0 && !r->got && r->write_fd >= 0) {
		libusb_handle_events_timeout_completed(r->ctx, &tv, &r->got);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    USB_APDU_WAIT_MS)
			rc = -ETIMEDOUT;
	}
	r->want_seq = 0;
	if (rc == 0 && !r->got)
		rc = -ENODEV;	/* the IN transfer ended: unplugged */
	return rc ? rc : pcp_status_errno(r->pending.status);
}

static int usb_chip_power(struct reader_device *dev, bool on, uint8_t *atr, size_t *atr_len)
{
	struct usb_reader *r = to_usb(dev);
	int rc = chip_command(r, on ? PCP_CMD_CHIP_POWER_ON : PCP_CMD_CHIP_POWER_OFF, NULL, 0);

	if (rc == 0 && on) {
		if (r->pending.len > PAYCARD_ATR_MAX)
			return -EIO;
		memcpy(atr, r->pending.payload, r->pending.len);
		*atr_len = r->pending.len;
	}
	return rc;
}

static int usb_apdu(struct reader_device *dev, const uint8_t *capdu, size_t capdu_len,
		    uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	struct usb_reader *r = to_usb(dev);
	int rc;

	if (capdu_len < 4 || capdu_len > USB_CMD_PAYLOAD)
		return -EINVAL;
	rc = chip_command(r, PCP_CMD_APDU, capdu, (u32)capdu_len);
	if (rc == 0) {
		if (r->pending.len > rapdu_size)
			rc = -EMSGSIZE;
		else {
			memcpy(rapdu, r->pending.payload, r->pending.len);
			*rapdu_len = r->pending.len;
		}
	}
	explicit_bzero(r->pending_buf, sizeof(r->pending_buf));	/* card data */
	return rc;
}

static void usb_free(struct usb_reader *r)
{
	if (r->in)
		libusb_free_transfer(r->in);
	if (r->h) {
		libusb_release_interface(r->h, r->iface);
		libusb_close(r->h);
	}
	if (r->usbfs_fd >= 0)
		close(r->usbfs_fd);
	if (r->read_fd >= 0)
		close(r->read_fd);
	reader_gone(r);
	explicit_bzero(r, sizeof(*r));
	free(r);
}

static void usb_close(struct reader_device *dev)
{
	struct usb_reader *r = to_usb(dev);
	struct timeval tv = { .tv_usec = 100000 };

	/* a submitted transfer must complete (cancelled) before the handle
	 * is closed; we are not inside a libusb callback here */
	if (r->in_active && libusb_cancel_transfer(r->in) == 0)
		for (int i = 0; i < 20 && r->in_active; i++)
			libusb_handle_events_timeout_completed(r->ctx, &tv, NULL);
	if (r->in_active) {
		log_error("usb reader: transfer did not cancel; leaking it");
		return;
	}
	usb_free(r);
}

static const struct reader_backend_ops usb_ops = {
	.name = "libusb",
	.event_fd = usb_event_fd,
	.get_info = usb_get_info,
	.read_event = usb_read_event,
	.abort = usb_abort,
	.set_keypad = usb_set_keypad,
	.chip_power = usb_chip_power,
	.apdu = usb_apdu,
	.close = usb_close,
};

/* HELLO (versions 1.0 to our own) and GET_INFO, then the event stream. */
static int usb_reader_start(struct usb_reader *r)
{
	static const u8 hello[PCP_HELLO_LEN] = { 1, 0, PCP_VERSION_MAJOR, PCP_VERSION_MINOR };
	u8 resp_buf[PCP_INFO_LEN + 64];
	struct pcp_frame resp;
	int rc;

	rc = exchange(r, PCP_CMD_HELLO, hello, sizeof(hello), resp_buf, sizeof(resp_buf), &resp);
	if (rc == 0)
		rc = exchange(r, PCP_CMD_GET_INFO, NULL, 0, resp_buf, sizeof(resp_buf), &resp);
	if (rc == 0)
		rc = pcp_info_to_paycard(resp.payload, resp.len, &r->info);
	if (rc < 0)
		return rc;
	r->in = libusb_alloc_transfer(0);
	if (!r->in)
		return -ENOMEM;
	libusb_fill_bulk_transfer(r->in, r->h, r->ep_in, r->in_buf, sizeof(r->in_buf), in_done, r, 0);
	if (libusb_submit_transfer(r->in) != 0)
		return -EIO;
	r->in_active = true;
	return 0;
}

int usb_reader_open(struct usb_context *u, const char *devnode, struct reader_device **out)
{
	struct usb_reader *r = calloc(1, sizeof(*r));
	int sv[2], rc;

	if (!r)
		return -ENOMEM;
	r->base.ops = &usb_ops;
	r->ctx = usb_context_libusb(u);
	r->read_fd = r->write_fd = -1;
	pcp_asm_init(&r->as, r->as_buf, sizeof(r->as_buf), USB_MAX_PAYLOAD);
	r->usbfs_fd = open(devnode, O_RDWR | O_CLOEXEC);
	if (r->usbfs_fd < 0) {
		rc = -errno;
		free(r);
		return rc;
	}
	rc = socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ? -errno : 0;
	if (rc == 0) {
		r->read_fd = sv[0];
		r->write_fd = sv[1];
		rc = libusb_wrap_sys_device(r->ctx, r->usbfs_fd, &r->h) == 0 ? 0 : -EIO;
	}
	if (rc == 0)
		rc = find_interface(r);
	if (rc == 0)
		rc = libusb_claim_interface(r->h, r->iface) == 0 ? 0 : -EBUSY;
	if (rc == 0)
		rc = usb_reader_start(r);
	if (rc < 0) {
		usb_close(&r->base);
		return rc;
	}
	*out = &r->base;
	return 0;
}
