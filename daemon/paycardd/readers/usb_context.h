/* SPDX-License-Identifier: MIT */
/* libusb driven by paycardd's sd-event loop: no libusb threads, no libusb
 * device discovery (udev finds the readers, we open their usbfs nodes). */
#ifndef PAYCARDD_USB_CONTEXT_H
#define PAYCARDD_USB_CONTEXT_H

#include <libusb.h>
#include <systemd/sd-event.h>

struct usb_context;

int usb_context_start(sd_event *event, struct usb_context **out);
void usb_context_free(struct usb_context *u);
libusb_context *usb_context_libusb(struct usb_context *u);

#endif
