/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paycard core <-> transport interface.
 *
 * The core (paycard.ko) owns the character device, the event queue, the
 * command/response matching and the lifetime; a transport (paycard_usb.ko,
 * paycard_spi.ko, a KUnit fake) only moves bytes.  The split follows
 * tpm_tis_core/tpm_tis_spi and cros_ec/cros_ec_spi: the transport allocates
 * the device, starts receiving, registers, and on removal unregisters before
 * it stops receiving and drops its reference.
 *
 * Life of a transport binding:
 *
 *	pd = paycard_alloc(parent, &my_ops, "usb");
 *	paycard_set_drvdata(pd, my_state);
 *	start reception: each arrival -> paycard_receive_bytes(pd, buf, n);
 *	err = paycard_register(pd);	(HELLO + GET_INFO, then /dev/paycardN)
 *	if (err) { stop reception; paycard_put(pd); }
 *	...
 *	remove/disconnect:
 *	paycard_unregister(pd);		(no ops->send call after this returns)
 *	stop reception;			(late paycard_receive_bytes() is ignored)
 *	paycard_put(pd);		(freed when the last open file closes)
 */
#ifndef _PAYCARD_CORE_H
#define _PAYCARD_CORE_H

#include <linux/types.h>

struct device;
struct paycard_device;

/**
 * struct paycard_transport_ops - what a transport provides to the core
 * @send: write one whole encoded frame (@len bytes at @buf) to the reader.
 *	Called in process context, may sleep, never concurrently with itself
 *	for the same device.  Returns 0 once the bytes are handed to the bus,
 *	or a negative errno (the command then fails with that errno).  The
 *	buffer belongs to the core and is wiped after the call.
 * @suspend: optional; called by paycard_suspend() after the core has
 *	stopped issuing commands, so the transport can quiesce its bus.
 * @resume: optional; called by paycard_resume() before commands flow again.
 */
struct paycard_transport_ops {
	int (*send)(struct paycard_device *pd, const u8 *buf, size_t len);
	int (*suspend)(struct paycard_device *pd);
	int (*resume)(struct paycard_device *pd);
};

/**
 * paycard_alloc() - allocate a reader instance for a transport
 * @parent: the bus device (USB interface, SPI device); the class device is
 *	created below it.
 * @ops: transport operations; must outlive the paycard_unregister() call.
 * @transport: short bus name reported to userspace ("usb", "spi"; at most
 *	7 characters).
 *
 * Context: process context, may sleep.
 * Return: the instance (holding one reference for the caller) or an
 * ERR_PTR().  paycard_receive_bytes() may be called as soon as this returns.
 */
struct paycard_device *paycard_alloc(struct device *parent,
				     const struct paycard_transport_ops *ops,
				     const char *transport);

/**
 * paycard_register() - identify the reader and publish /dev/paycardN
 * @pd: instance from paycard_alloc(), with reception already running.
 *
 * Negotiates the protocol version (HELLO) and reads the reader's identity
 * (GET_INFO) over the transport, then creates the class device with its
 * sysfs attributes and the character device.
 *
 * Context: process context, sleeps for up to two command timeouts.
 * Return: 0, or a negative errno (-ETIMEDOUT no answer, -EPROTONOSUPPORT no
 * common protocol version, -EPROTO malformed answer, ...).  On failure the
 * caller stops reception and calls paycard_put().
 */
int paycard_register(struct paycard_device *pd);

/**
 * paycard_unregister() - the reader is going away
 * @pd: a registered instance.
 *
 * Marks the device dead, fails the command in flight with -ENODEV, wakes
 * every sleeper (read, poll, ioctl), waits for a running ops->send() to
 * return and removes the device node and sysfs attributes.  Open files stay
 * valid and get -ENODEV (poll: EPOLLHUP | EPOLLERR) until they are closed.
 *
 * Context: process context, may sleep.  After it returns the core never
 * calls @pd's transport ops again.
 */
void paycard_unregister(struct paycard_device *pd);

/**
 * paycard_put() - drop the transport's reference from paycard_alloc()
 * @pd: the instance; may be freed at once or when the last file closes.
 */
void paycard_put(struct paycard_device *pd);

/**
 * paycard_receive_bytes() - hand the core whatever bytes arrived
 * @pd: the instance.
 * @data: received bytes: any slice of the reader's stream (part of a frame,
 *	several frames, garbage); the core reassembles and validates frames.
 * @len: number of bytes.
 *
 * Context: any, including hard and soft interrupt context (URB completion);
 * must not be called concurrently for the same @pd (one receive path per
 * transport).  The caller may reuse or wipe @data when it returns.
 */
void paycard_receive_bytes(struct paycard_device *pd, const u8 *data,
			   size_t len);

/**
 * paycard_suspend() - stop commands before the transport suspends
 * @pd: the instance.
 *
 * Waits for the command in flight to finish (commands do not start until
 * paycard_resume()), then calls ops->suspend.
 * Context: process context, may sleep.  Return: 0 or ops->suspend's error.
 */
int paycard_suspend(struct paycard_device *pd);

/**
 * paycard_resume() - let commands flow again
 * @pd: the instance.
 *
 * Calls ops->resume, then releases the commands held by paycard_suspend().
 * Context: process context, may sleep.  Return: 0 or ops->resume's error.
 */
int paycard_resume(struct paycard_device *pd);

/* Transport private data, e.g. the USB interface state. */
void paycard_set_drvdata(struct paycard_device *pd, void *data);
void *paycard_get_drvdata(struct paycard_device *pd);

#endif /* _PAYCARD_CORE_H */
