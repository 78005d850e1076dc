/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The emulator's link to the host: the transport under the PCP byte
 * stream.  Two backends implement it: USB (emu_gadget.c, a FunctionFS
 * gadget on a UDC) and SPI (emu_spi.c, the test SPI controller's
 * /dev/paycard-vspi).  The protocol code (emu_reader.c, emu_writer.c,
 * emu_control.c) sees only this interface.
 *
 * The shared part tracks whether the host can exchange bytes now (USB:
 * configured by the host; SPI: the device is open) and a plug generation
 * that grows at every unplug, so output made before an unplug is never
 * delivered after it.
 */
#ifndef PAYCARD_EMU_LINK_H
#define PAYCARD_EMU_LINK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct emu_link;

struct emu_link_ops {
	const char *name;		/* "usb", "spi" */
	/* Connect to / disconnect from the host; 0 or -1 (message printed). */
	int (*plug)(struct emu_link *l);
	int (*unplug)(struct emu_link *l);
	/* Unplug if needed and release everything (at exit). */
	void (*teardown)(struct emu_link *l);
	/*
	 * The host's bytes, at most @cap.  @frame_rest is how many bytes the
	 * frame being assembled still lacks (0: not known yet), for links
	 * whose reads complete only on a full buffer.  Returns the count, or
	 * -1 with errno ESHUTDOWN when an unplug came in between (the host
	 * starts a new stream) or another errno on failure.
	 */
	ssize_t (*read)(struct emu_link *l, void *buf, size_t cap,
			size_t frame_rest);
	/* All @len bytes to the host, or -1 with errno. */
	int (*write)(struct emu_link *l, const void *buf, size_t len);
	/* Halt the reader-to-host direction until the host clears it (USB
	 * STALL); 0 when it took effect.  NULL: the link has no such thing. */
	int (*halt)(struct emu_link *l);
	/* The link's own event loop, run in a thread of its own (USB ep0);
	 * NULL when there is none. */
	void (*run)(struct emu_link *l);
};

struct emu_link {
	const struct emu_link_ops *ops;
	char where[256];		/* for messages: UDC or device path */
	pthread_mutex_t lock;		/* ready, generation */
	pthread_cond_t changed;
	bool ready;
	unsigned int generation;
};

void emu_link_init(struct emu_link *l, const struct emu_link_ops *ops);
/* The host can (not) exchange bytes now. */
void emu_link_set_ready(struct emu_link *l, bool ready);
/* Not ready, and a new plug generation: earlier output is void. */
void emu_link_unplugged(struct emu_link *l);
/* Block until ready; returns the generation it is ready in. */
unsigned int emu_link_wait_ready(struct emu_link *l);
unsigned int emu_link_generation(struct emu_link *l);
bool emu_link_ready(struct emu_link *l);

#endif /* PAYCARD_EMU_LINK_H */
