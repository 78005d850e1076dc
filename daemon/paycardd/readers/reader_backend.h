/* SPDX-License-Identifier: MIT */
/*
 * Reader backends: how paycardd reaches a reader.  The reader manager only
 * sees this interface.
 *   - chardev: the kernel driver's /dev/paycardN (include/uapi/linux/paycard.h)
 *   - usb:     paycardd's own userspace transport over usbfs (libusb), the
 *              reader protocol spoken with the shared frame codec; used
 *              when the kernel module cannot be loaded
 *   - fake:    readers made up by a test through a control socket; only in
 *              the test build build/tests/paycardd-fake (reader_source.h)
 * Each device exposes one pollable fd that delivers struct paycard_event
 * records; EPOLLHUP on it means the reader is gone.
 */
#ifndef PAYCARDD_READER_BACKEND_H
#define PAYCARDD_READER_BACKEND_H

#include <linux/paycard.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reader_device;

struct reader_backend_ops {
	const char *name;
	int (*event_fd)(struct reader_device *dev);
	/* identity and capabilities; 0 or -errno */
	int (*get_info)(struct reader_device *dev, struct paycard_info *info);
	/* 1 = one event in @ev, 0 = none pending, -ENODEV = gone, other -errno */
	int (*read_event)(struct reader_device *dev, struct paycard_event *ev);
	/* abort what the reader is doing (PIN entry, APDU); 0 or -errno */
	int (*abort)(struct reader_device *dev);
	/* keypad mode (PAYCARD_KEYPAD_*): in PIN mode digits arrive as key
	 * events, only to paycardd; 0 or -errno */
	int (*set_keypad)(struct reader_device *dev, const struct paycard_keypad *mode);
	/* IC card: power on (cold reset, ATR in @atr, at most
	 * PAYCARD_ATR_MAX bytes) or off; 0 or -errno (-ENOMEDIUM no card,
	 * -EIO mute card, -ENODEV reader gone) */
	int (*chip_power)(struct reader_device *dev, bool on, uint8_t *atr, size_t *atr_len);
	/* one APDU with the powered card: 0 with the R-APDU (data + SW) in
	 * @rapdu, or -errno (-ENOMEDIUM card gone, -ENODEV reader gone,
	 * -ETIMEDOUT, -ECANCELED aborted).  Blocks for the card's answer. */
	int (*apdu)(struct reader_device *dev, const uint8_t *capdu, size_t capdu_len,
		    uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len);
	void (*close)(struct reader_device *dev);
};

/* Every backend's device starts with this. */
struct reader_device {
	const struct reader_backend_ops *ops;
};

/* Open /dev/paycardN (@devnode); -errno on failure (-EBUSY: another opener). */
int chardev_reader_open(const char *devnode, struct reader_device **out);

struct usb_context;

/* Open the reader behind the usbfs node @devnode (/dev/bus/usb/BBB/DDD):
 * claim its paycard interface, HELLO, GET_INFO.  -errno on failure
 * (-ENODEV: no paycard interface). */
int usb_reader_open(struct usb_context *u, const char *devnode, struct reader_device **out);

#endif
