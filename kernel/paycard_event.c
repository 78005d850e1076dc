// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * PCP event decoder (include/paycard/event.h).  Nothing the reader sends
 * is trusted: a track status the protocol does not define, or a track
 * longer than its ISO maximum (ISO/IEC 7813: track 1 79 characters,
 * track 2 40; ISO 4909: track 3 107), refuses the whole event.
 *
 * Pure C with no allocation and no I/O, built into paycard.ko and,
 * unchanged, into paycardd, the way paycard_frame.c is.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include <paycard/event.h>

/* Three (status, len, data[len]) track records, tracks 1, 2, 3. */
static bool pcp_event_msr(struct paycard_event_msr *msr, const u8 *p, u32 len)
{
	static const u8 track_max[3] = {
		PCP_TRACK1_MAX, PCP_TRACK2_MAX, PCP_TRACK3_MAX,
	};
	u32 off = 0;
	int i;

	for (i = 0; i < 3; i++) {
		u8 status, tlen;

		if (len - off < 2)
			return false;
		status = p[off];
		tlen = p[off + 1];
		off += 2;
		if (status > PCP_TRACK_NO_SENTINEL || tlen > track_max[i] ||
		    tlen > len - off)
			return false;
		msr->track[i].status = status;
		msr->track[i].len = tlen;
		memcpy(msr->track[i].data, p + off, tlen);
		off += tlen;
	}
	return true;
}

enum pcp_event_verdict pcp_event_decode(const struct pcp_frame *f,
					struct paycard_event *ev)
{
	const u8 *p = f->payload;

	switch (f->code) {
	case PCP_EVT_CARD_INSERTED:
		ev->type = PAYCARD_EVENT_CARD_INSERTED;
		return PCP_EVENT_OK;
	case PCP_EVT_CARD_REMOVED:
		ev->type = PAYCARD_EVENT_CARD_REMOVED;
		return PCP_EVENT_OK;
	case PCP_EVT_MSR:
		ev->type = PAYCARD_EVENT_MSR;
		if (pcp_event_msr(&ev->msr, p, f->len))
			return PCP_EVENT_OK;
		break;
	case PCP_EVT_KEY:
		ev->type = PAYCARD_EVENT_KEY;
		if (f->len >= PCP_KEY_EVENT_LEN) {
			ev->key.code = pcp_get_le16(p);
			return PCP_EVENT_OK;
		}
		break;
	case PCP_EVT_TAMPER:
		ev->type = PAYCARD_EVENT_TAMPER;
		if (f->len >= 4) {
			ev->tamper.flags = pcp_get_le32(p);
			return PCP_EVENT_OK;
		}
		break;
	case PCP_EVT_ERROR:
		ev->type = PAYCARD_EVENT_ERROR;
		if (f->len >= 4) {
			ev->error.code = pcp_get_le16(p);
			return PCP_EVENT_OK;
		}
		break;
	default:
		return PCP_EVENT_BAD_TYPE;
	}
	return PCP_EVENT_BAD_LENGTH;
}
