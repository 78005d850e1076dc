/* SPDX-License-Identifier: MIT */
/*
 * The fake reader backend, for tests.  A test sends one text command per
 * datagram to the control socket (readers.fake_control in the config):
 *
 *   plug NAME MODEL SERIAL FIRMWARE [ABI]   a reader appears
 *   unplug NAME                             it disappears (EPOLLHUP)
 *   insert NAME [PROFILE [MODE]]            chip card in: a virtual EMV
 *                                           card (tests/emu/card profile
 *                                           file), or without PROFILE a
 *                                           card whose chip stays mute;
 *                                           MODE pull-after-ac: the card
 *                                           is pulled out right after its
 *                                           first GENERATE AC;
 *                                           stall-after-ac: the command
 *                                           after it takes 3 s
 *   remove NAME                             chip card out
 *   swipe NAME TRACK2                       a magnetic stripe read
 *   key NAME CODE                           a key press (PCP_KEY_* number)
 *   tamper NAME FLAGS                       a tamper event
 *
 * Each fake device is the read end of a SOCK_SEQPACKET pair carrying
 * struct paycard_event records, so the daemon reads it exactly like the
 * kernel's character device.  APDUs go to the virtual card synchronously,
 * as the kernel's PAYCARD_IOC_APDU would.
 */
#ifndef PAYCARDD_READER_BACKEND_FAKE_H
#define PAYCARDD_READER_BACKEND_FAKE_H

#include <systemd/sd-event.h>

#include "paycardd/reader_backend.h"

struct fake_backend;

typedef void (*fake_plug_fn)(void *user, const char *name, struct reader_device *dev);

int fake_backend_start(sd_event *event, const char *control_path,
		       fake_plug_fn on_plug, void *user, struct fake_backend **out);
void fake_backend_free(struct fake_backend *fb);

#endif
