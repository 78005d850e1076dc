/* SPDX-License-Identifier: MIT */
/* The userspace USB transport speaks the reader protocol (PCP) itself; these
 * turn its GET_INFO and event payloads into the uapi structures the rest of
 * paycardd uses, exactly as the kernel driver would. */
#ifndef PAYCARDD_PCP_CONVERT_H
#define PAYCARDD_PCP_CONVERT_H

#include <linux/paycard.h>
#include <paycard/frame.h>

/* GET_INFO response payload -> @info (transport "usb", abi_version ours).
 * 0, or -EINVAL when shorter than PCP_INFO_LEN. */
int pcp_info_to_paycard(const u8 *payload, u32 len, struct paycard_info *info);

/* An EVENT frame -> @ev (seq from the frame, no timestamp) by the decoder
 * the kernel uses too (include/paycard/event.h).  0, or -EINVAL for an
 * unknown code or a payload that does not hold what the code needs. */
int pcp_event_to_paycard(const struct pcp_frame *f, struct paycard_event *ev);

#endif
