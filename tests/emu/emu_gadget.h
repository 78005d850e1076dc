/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The emulator's USB side: a configfs gadget with one FunctionFS function
 * (vendor interface 0xFF/0x50/0x01, bulk IN + bulk OUT), bound to a UDC
 * (dummy_hcd in the VM).  Unplug/replug = unbind/bind the UDC, which the
 * host sees as a real disconnect and a new enumeration.
 */
#ifndef PAYCARD_EMU_GADGET_H
#define PAYCARD_EMU_GADGET_H

#include <stdbool.h>
#include <pthread.h>

#define EMU_PATH_MAX	256

struct emu_gadget {
	char dir[EMU_PATH_MAX];		/* configfs gadget directory */
	char ffs_dir[EMU_PATH_MAX];	/* FunctionFS mount point */
	char udc[64];
	int ep0, ep_in, ep_out;
	bool bound;
	bool enabled;			/* host configured us (ENABLE event) */
	unsigned int generation;	/* +1 per unplug */
	unsigned int maxpacket;		/* bulk wMaxPacketSize at the current speed */
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

struct emu_config;

/*
 * Create the gadget in configfs, mount FunctionFS, write the descriptors and
 * open the endpoints.  Does not bind the UDC (emu_gadget_plug does).
 * Returns 0 or -1 with a message on stderr.
 */
int emu_gadget_setup(struct emu_gadget *g, const struct emu_config *cfg);
int emu_gadget_plug(struct emu_gadget *g);
int emu_gadget_unplug(struct emu_gadget *g);
void emu_gadget_teardown(struct emu_gadget *g, const struct emu_config *cfg);

/* ep0 event loop; calls @on_enable when the host configures the device. */
void emu_gadget_ep0_loop(struct emu_gadget *g, void (*on_enable)(void *),
			 void *arg);

/* Block until the host has configured the device; returns the plug
 * generation it is configured in. */
unsigned int emu_gadget_wait_enabled(struct emu_gadget *g);
unsigned int emu_gadget_generation(struct emu_gadget *g);
bool emu_gadget_enabled(struct emu_gadget *g);

/* Bulk wMaxPacketSize at high speed; full speed uses 64. */
#define EMU_BULK_MAXPACKET	512
#define EMU_BULK_MAXPACKET_FS	64

unsigned int emu_gadget_maxpacket(struct emu_gadget *g);

#endif /* PAYCARD_EMU_GADGET_H */
