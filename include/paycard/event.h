/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * PCP event decoder: one EVENT frame into the uapi struct paycard_event.
 * Pure C like the frame codec: compiled into the kernel core
 * (kernel/paycard_event.c) and, unchanged, into paycardd's userspace USB
 * transport, its unit tests and fuzzers, so both read events by one rule.
 */
#ifndef _PAYCARD_EVENT_H
#define _PAYCARD_EVENT_H

#include <linux/paycard.h>
#include <paycard/frame.h>

enum pcp_event_verdict {
	PCP_EVENT_OK = 0,
	PCP_EVENT_BAD_TYPE,	/* an event code this version does not know */
	PCP_EVENT_BAD_LENGTH,	/* payload too short or inconsistent for its code */
};

/*
 * Fill @ev's type and the member for it from @f; seq, flags and the time
 * stamp are the caller's.  Payload bytes beyond the known layout are
 * ignored (protocol minor versions only append).
 */
enum pcp_event_verdict pcp_event_decode(const struct pcp_frame *f,
					struct paycard_event *ev);

#endif
