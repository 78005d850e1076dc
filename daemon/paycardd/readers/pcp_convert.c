// SPDX-License-Identifier: MIT
#include "paycardd/readers/pcp_convert.h"

#include <errno.h>
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

/* Three (status, len, data[len]) track records. */
static int msr_tracks(const u8 *p, u32 len, struct paycard_event_msr *msr)
{
	u32 off = 0;

	for (int t = 0; t < 3; t++) {
		struct paycard_track *tr = &msr->track[t];

		if (off + 2 > len || off + 2 + p[off + 1] > len ||
		    p[off + 1] > sizeof(tr->data))
			return -EINVAL;
		tr->status = p[off];
		tr->len = p[off + 1];
		memcpy(tr->data, p + off + 2, tr->len);
		off += 2u + tr->len;
	}
	return 0;
}

int pcp_event_to_paycard(const struct pcp_frame *f, struct paycard_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->seq = f->seq;
	switch (f->code) {
	case PCP_EVT_CARD_INSERTED:
		ev->type = PAYCARD_EVENT_CARD_INSERTED;
		return 0;
	case PCP_EVT_CARD_REMOVED:
		ev->type = PAYCARD_EVENT_CARD_REMOVED;
		return 0;
	case PCP_EVT_MSR:
		ev->type = PAYCARD_EVENT_MSR;
		return msr_tracks(f->payload, f->len, &ev->msr);
	case PCP_EVT_KEY:
		if (f->len < PCP_KEY_EVENT_LEN)
			return -EINVAL;
		ev->type = PAYCARD_EVENT_KEY;
		ev->key.code = pcp_get_le16(f->payload);
		return 0;
	case PCP_EVT_TAMPER:
		if (f->len < 4)
			return -EINVAL;
		ev->type = PAYCARD_EVENT_TAMPER;
		ev->tamper.flags = pcp_get_le32(f->payload);
		return 0;
	case PCP_EVT_ERROR:
		if (f->len < 4)
			return -EINVAL;
		ev->type = PAYCARD_EVENT_ERROR;
		ev->error.code = pcp_get_le16(f->payload);
		return 0;
	default:
		return -EINVAL;
	}
}
