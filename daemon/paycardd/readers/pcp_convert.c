// SPDX-License-Identifier: MIT
#include "paycardd/readers/pcp_convert.h"

#include <errno.h>
#include <paycard/event.h>
#include <string.h>

/* NUL-padded wire string -> NUL-terminated, non-printable bytes replaced */
static void copy_wire_string(char *dst, const u8 *src)
{
	size_t i;

	for (i = 0; i < PCP_INFO_STR_LEN - 1 && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7F) ? (char)src[i] : '?';
	dst[i] = '\0';
}

int pcp_info_to_paycard(const u8 *p, u32 len, struct paycard_info *info)
{
	if (len < PCP_INFO_LEN)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->proto_major = p[0];
	info->proto_minor = p[1];
	info->caps = pcp_get_le32(p + 4);
	info->max_apdu = pcp_get_le32(p + 12);
	info->abi_version = PAYCARD_ABI_VERSION;	/* no driver in between */
	copy_wire_string(info->model, p + 16);
	copy_wire_string(info->serial, p + 48);
	copy_wire_string(info->firmware, p + 80);
	strcpy(info->transport, "usb");
	return 0;
}

int pcp_event_to_paycard(const struct pcp_frame *f, struct paycard_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->seq = f->seq;
	return pcp_event_decode(f, ev) == PCP_EVENT_OK ? 0 : -EINVAL;
}
