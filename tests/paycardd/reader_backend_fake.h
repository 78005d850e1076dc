/* SPDX-License-Identifier: MIT */
/*
 * The fake reader backend, for tests only: linked into
 * build/tests/paycardd-fake (reader_sources_test.c), never into
 * build/paycardd.  A test sends one text command per datagram to the
 * control socket (readers.fake_control in the config):
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

#include "paycardd/reader_source.h"

/* backend = fake, control socket fake_control (default
 * /run/paycard/fake-readers.sock) */
extern const struct reader_source fake_reader_source;

#endif
