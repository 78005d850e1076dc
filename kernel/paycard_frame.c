// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * PCP frame codec: CRC-32, encode, decode and the stream assembler.
 *
 * Pure C with no allocation and no I/O, so the very same file is built into
 * paycard.ko and, unchanged, into the reader emulator, the unit tests and
 * the fuzzers (see include/paycard/frame.h for the contract).
 */
#ifdef __KERNEL__
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#define EXPORT_SYMBOL_GPL(sym)
#endif

#include <paycard/frame.h>

#ifdef __KERNEL__
/* The kernel's crc32_le() has no pre/post inversion; ISO-HDLC wants both. */
u32 pcp_crc32(u32 crc, const u8 *buf, size_t len)
{
	return ~crc32_le(~crc, buf, len);
}
#else
/*
 * Half-byte table for the reflected polynomial 0xEDB88320: entry n is n
 * shifted through four rounds of the bitwise algorithm.  Sixteen words keep
 * the userspace build small while costing two look-ups per byte.
 */
static const u32 pcp_crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 pcp_crc32(u32 crc, const u8 *buf, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *buf++;
		crc = (crc >> 4) ^ pcp_crc32_nibble[crc & 0x0f];
		crc = (crc >> 4) ^ pcp_crc32_nibble[crc & 0x0f];
	}
	return ~crc;
}
#endif
EXPORT_SYMBOL_GPL(pcp_crc32);

/*
 * One table for every host: the kernel core returns these from its ioctls,
 * paycardd's userspace transport from its backend calls, so a reader's
 * answer means the same whichever way the daemon reaches it.
 */
int pcp_status_errno(u16 status)
{
	switch (status) {
	case PCP_STATUS_OK:
		return 0;
	case PCP_STATUS_UNSUPPORTED:
		return -EOPNOTSUPP;
	case PCP_STATUS_BAD_PARAM:
		return -EINVAL;
	case PCP_STATUS_BUSY:
		return -EBUSY;
	case PCP_STATUS_NO_CARD:
		return -ENOMEDIUM;
	case PCP_STATUS_TIMEOUT:
		return -ETIMEDOUT;
	case PCP_STATUS_ABORTED:
		return -ECANCELED;
	case PCP_STATUS_BAD_FRAME:
		return -EPROTO;
	case PCP_STATUS_TOO_LARGE:
		return -EMSGSIZE;
	case PCP_STATUS_CARD_ERROR:
	case PCP_STATUS_INTERNAL:
	default:
		return -EIO;
	}
}
EXPORT_SYMBOL_GPL(pcp_status_errno);

int pcp_frame_encode(u8 *out, size_t size, u8 type, u8 code, u16 seq,
		     u16 status, const void *payload, u32 len)
{
	size_t total;

	if (len > PCP_MAX_PAYLOAD)
		return -PCP_ERR_LENGTH;
	total = (size_t)PCP_OVERHEAD + len;
	if (size < total)
		return -PCP_ERR_SPACE;

	out[0] = PCP_MAGIC0;
	out[1] = PCP_MAGIC1;
	out[2] = type;
	out[3] = code;
	pcp_put_le16(out + 4, seq);
	pcp_put_le16(out + 6, status);
	pcp_put_le32(out + 8, len);
	if (len)
		memcpy(out + PCP_HDR_LEN, payload, len);
	pcp_put_le32(out + PCP_HDR_LEN + len,
		     pcp_crc32(0, out, PCP_HDR_LEN + len));
	return (int)total;
}
EXPORT_SYMBOL_GPL(pcp_frame_encode);

static bool pcp_type_known(u8 type)
{
	return type == PCP_TYPE_COMMAND || type == PCP_TYPE_RESPONSE ||
	       type == PCP_TYPE_EVENT;
}

/*
 * Header checks come before the CRC on purpose: they are decided on the
 * first 12 bytes, so garbage that happens to contain the magic is rejected
 * at once instead of making the stream wait for a bogus length's worth of
 * bytes before the CRC can tell.
 */
int pcp_frame_decode(const u8 *buf, size_t avail, u32 max_payload,
		     struct pcp_frame *frame)
{
	u32 len;
	size_t total;

	if (avail >= 1 && buf[0] != PCP_MAGIC0)
		return -PCP_ERR_MAGIC;
	if (avail >= 2 && buf[1] != PCP_MAGIC1)
		return -PCP_ERR_MAGIC;
	if (avail >= 3 && !pcp_type_known(buf[2]))
		return -PCP_ERR_TYPE;
	if (avail < PCP_HDR_LEN)
		return 0;

	len = pcp_get_le32(buf + 8);
	if (len > max_payload || len > PCP_MAX_PAYLOAD)
		return -PCP_ERR_LENGTH;
	total = (size_t)PCP_OVERHEAD + len;
	if (avail < total)
		return 0;
	if (pcp_crc32(0, buf, PCP_HDR_LEN + len) !=
	    pcp_get_le32(buf + PCP_HDR_LEN + len))
		return -PCP_ERR_CRC;

	frame->type = buf[2];
	frame->code = buf[3];
	frame->seq = pcp_get_le16(buf + 4);
	frame->status = pcp_get_le16(buf + 6);
	frame->len = len;
	frame->payload = buf + PCP_HDR_LEN;
	return (int)total;
}
EXPORT_SYMBOL_GPL(pcp_frame_decode);

void pcp_asm_init(struct pcp_assembler *a, u8 *buf, size_t size,
		  u32 max_payload)
{
	memset(a, 0, sizeof(*a));
	a->buf = buf;
	a->size = size;
	/* A frame must always fit whole, or the stream could never advance. */
	if (size < PCP_OVERHEAD)
		max_payload = 0;
	else if (max_payload > size - PCP_OVERHEAD)
		max_payload = (u32)(size - PCP_OVERHEAD);
	a->max_payload = max_payload;
}
EXPORT_SYMBOL_GPL(pcp_asm_init);

/* Forget buffered bytes (they may hold track data) but keep the counters. */
void pcp_asm_reset(struct pcp_assembler *a)
{
	memset(a->buf, 0, a->fill);
	a->fill = 0;
	a->consumed = 0;
}
EXPORT_SYMBOL_GPL(pcp_asm_reset);

/* Drop @n bytes from the front of the buffer and wipe the vacated tail. */
static void pcp_asm_drop(struct pcp_assembler *a, size_t n)
{
	memmove(a->buf, a->buf + n, a->fill - n);
	memset(a->buf + a->fill - n, 0, n);
	a->moved += a->fill - n;
	a->fill -= n;
}

/* The frame handed out by the last pcp_asm_next() is released here. */
static void pcp_asm_release(struct pcp_assembler *a)
{
	if (a->consumed) {
		pcp_asm_drop(a, a->consumed);
		a->consumed = 0;
	}
}

size_t pcp_asm_feed(struct pcp_assembler *a, const u8 *data, size_t len)
{
	size_t room;

	pcp_asm_release(a);
	room = a->size - a->fill;
	if (len > room)
		len = room;
	memcpy(a->buf + a->fill, data, len);
	a->fill += len;
	return len;
}
EXPORT_SYMBOL_GPL(pcp_asm_feed);

/*
 * Offset of the first possible frame start at or after @from: a "PC" magic,
 * or a lone 'P' as the last byte (its 'C' may still come); @a->fill when
 * there is none.  One pass over the bytes, no copying.
 */
static size_t pcp_asm_find_magic(const struct pcp_assembler *a, size_t from)
{
	const u8 *end = a->buf + a->fill;
	const u8 *p = a->buf + from;

	while (p < end && (p = memchr(p, PCP_MAGIC0, end - p))) {
		if (p + 1 == end || p[1] == PCP_MAGIC1)
			return p - a->buf;
		p++;
	}
	return a->fill;
}

static void pcp_asm_count_error(struct pcp_assembler *a, int err)
{
	switch (err) {
	case PCP_ERR_LENGTH:
		a->bad_length++;
		break;
	case PCP_ERR_CRC:
		a->bad_crc++;
		break;
	case PCP_ERR_TYPE:
		a->bad_type++;
		break;
	default:
		break;
	}
}

/* Skip the @skip bytes before the next candidate frame, counting them. */
static void pcp_asm_skip(struct pcp_assembler *a, size_t skip)
{
	if (!skip)
		return;
	a->bad_magic += skip;
	pcp_asm_drop(a, skip);
}

/*
 * Rejected candidates are stepped over with an offset and the skipped bytes
 * dropped with one move per call, never one per byte: a hostile reader's
 * resync bait (a header announcing 64 KiB, then 'P' bytes and a bad CRC)
 * once cost ~65,000 moves of the whole buffer under the caller's spinlock.
 * The work of one call is now one scan and one move of the buffer plus one
 * CRC per complete candidate header, and a candidate needs new bytes to
 * become complete.
 */
bool pcp_asm_next(struct pcp_assembler *a, struct pcp_frame *frame)
{
	size_t start = 0;
	int ret = 0;

	pcp_asm_release(a);
	while (start < a->fill) {
		ret = pcp_frame_decode(a->buf + start, a->fill - start,
				       a->max_payload, frame);
		if (ret >= 0)
			break;
		pcp_asm_count_error(a, -ret);
		/*
		 * A rejected header is not trusted for its length either: a
		 * real frame may start inside it, so rescan from the next byte.
		 */
		start = pcp_asm_find_magic(a, start + 1);
	}
	pcp_asm_skip(a, start);
	if (ret <= 0)
		return false;
	frame->payload = a->buf + PCP_HDR_LEN;
	a->consumed = ret;
	return true;
}
EXPORT_SYMBOL_GPL(pcp_asm_next);

bool pcp_asm_expire(struct pcp_assembler *a)
{
	pcp_asm_release(a);
	if (!a->fill)
		return false;
	a->truncated++;
	/* byte 0 began the partial frame: drop it and up to the next magic */
	pcp_asm_skip(a, pcp_asm_find_magic(a, 1));
	return true;
}
EXPORT_SYMBOL_GPL(pcp_asm_expire);
