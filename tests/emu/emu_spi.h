/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The emulator's SPI link: the test SPI controller's character device
 * (tests/vm-spi/paycard_vspi.c, /dev/paycard-vspi).  read() gives the
 * host's stream bytes, write() queues the reader's (blocking while the
 * controller's queue is full); opening the device plugs the reader in,
 * closing it unplugs it.  The link is ready as soon as it is open.
 */
#ifndef PAYCARD_EMU_SPI_H
#define PAYCARD_EMU_SPI_H

#include "emu_link.h"

/* The link on @path, not plugged yet (ops->plug opens the device). */
struct emu_link *emu_spi_create(const char *path);

#endif /* PAYCARD_EMU_SPI_H */
