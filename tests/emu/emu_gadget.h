/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The emulator's USB link: a configfs gadget with one FunctionFS function
 * (vendor interface 0xFF/0x50/0x01, bulk IN + bulk OUT), bound to a UDC
 * (dummy_hcd in the VM).  Unplug/replug = unbind/bind the UDC, which the
 * host sees as a real disconnect and a new enumeration.
 */
#ifndef PAYCARD_EMU_GADGET_H
#define PAYCARD_EMU_GADGET_H

#include "emu_link.h"

struct emu_config;

/*
 * Create the gadget in configfs, mount FunctionFS, write the descriptors
 * and open the endpoints; not bound to the UDC yet (ops->plug does it).
 * Returns the link, or NULL with a message on stderr.
 */
struct emu_link *emu_gadget_create(const struct emu_config *cfg);

#endif /* PAYCARD_EMU_GADGET_H */
