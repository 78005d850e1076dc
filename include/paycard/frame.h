/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * PCP frame codec: pure C, no allocation, no I/O.  Compiled into the kernel
 * core (kernel/paycard_frame.c) and, unchanged, into the emulator, the
 * daemon's userspace transport, the unit tests and the fuzzers.
 */
#ifndef _PAYCARD_FRAME_H
#define _PAYCARD_FRAME_H

#include <paycard/protocol.h>

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
#endif

/* Decoded frame; payload points into the buffer that was decoded. */
struct pcp_frame {
	u8 type;
	u8 code;
	u16 seq;
	u16 status;
	u32 len;
	const u8 *payload;
};

/* Decode errors (negative return values of pcp_frame_decode()). */
enum pcp_error {
	PCP_ERR_NONE = 0,
	PCP_ERR_MAGIC = 1,	/* first two bytes are not 'P' 'C' */
	PCP_ERR_LENGTH = 2,	/* len above the limit given to the decoder */
	PCP_ERR_CRC = 3,
	PCP_ERR_TYPE = 4,	/* unknown type */
	PCP_ERR_SPACE = 5,	/* encode: output buffer too small */
};

u32 pcp_crc32(u32 crc, const u8 *buf, size_t len);

/*
 * The errno the host reports for a response's @status (PCP_STATUS_*,
 * docs/reader-protocol.md section 7): 0 for OK, else a negative errno.  A
 * value the table does not name counts as INTERNAL (-EIO).
 */
int pcp_status_errno(u16 status);

/*
 * Encode a frame into @out (@size bytes).  Returns the frame length
 * (PCP_OVERHEAD + @len) or -PCP_ERR_SPACE / -PCP_ERR_LENGTH.
 */
int pcp_frame_encode(u8 *out, size_t size, u8 type, u8 code, u16 seq,
		     u16 status, const void *payload, u32 len);

/*
 * Decode one frame from the start of @buf (@avail bytes), accepting payloads
 * of at most @max_payload bytes.  Returns the number of bytes the frame
 * occupies (> 0), 0 when more bytes are needed, or -PCP_ERR_*.
 */
int pcp_frame_decode(const u8 *buf, size_t avail, u32 max_payload,
		     struct pcp_frame *frame);

/*
 * Stream assembler: the transports hand it whatever bytes arrived (USB bulk
 * transfers, SPI reads); it yields whole frames and resynchronises on the
 * next magic after garbage.  The caller owns @buf (at least PCP_OVERHEAD +
 * max_payload bytes).
 */
struct pcp_assembler {
	u8 *buf;
	size_t size;
	size_t fill;
	u32 max_payload;
	/* length of the frame last returned by pcp_asm_next(), dropped on
	 * the next call
	 */
	size_t consumed;
	/* counters, for the stats ioctl */
	u32 bad_magic;		/* bytes skipped while resynchronising */
	u32 bad_length;
	u32 bad_crc;
	u32 bad_type;
	u32 truncated;		/* partial frames dropped by pcp_asm_expire() */
};

void pcp_asm_init(struct pcp_assembler *a, u8 *buf, size_t size,
		  u32 max_payload);
void pcp_asm_reset(struct pcp_assembler *a);

/*
 * Append @len bytes of @data.  Returns the number of bytes consumed: less
 * than @len only when the buffer is full.  Then call pcp_asm_next() until it
 * returns false (which always leaves room, since a valid header's frame fits
 * the buffer) and feed the rest:
 *
 *	while (len) {
 *		n = pcp_asm_feed(a, data, len);
 *		data += n;
 *		len -= n;
 *		while (pcp_asm_next(a, &frame))
 *			handle(&frame);
 *	}
 *
 * @max_payload is clamped at init so that PCP_OVERHEAD + max_payload fits.
 */
size_t pcp_asm_feed(struct pcp_assembler *a, const u8 *data, size_t len);

/*
 * Take the next complete, valid frame.  Returns true and fills @frame (its
 * payload points into the assembler's buffer and stays valid until the next
 * pcp_asm_feed/pcp_asm_next call), false when no whole frame is buffered.
 * Invalid frames are skipped and counted.
 */
bool pcp_asm_next(struct pcp_assembler *a, struct pcp_frame *frame);

/*
 * The stream went quiet with a partial frame buffered (the sender stalled or
 * was cut off mid-frame).  Drop that frame's first byte, counting it in
 * truncated, so that the next pcp_asm_next() rescans what follows it: a
 * whole frame sent after the stall is then found instead of being taken for
 * the rest of the broken one.  Returns false when nothing was buffered.
 */
bool pcp_asm_expire(struct pcp_assembler *a);

/* Little-endian helpers for payload (de)serialisation. */
static inline u16 pcp_get_le16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}

static inline u32 pcp_get_le32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) |
	       ((u32)p[3] << 24);
}

static inline void pcp_put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static inline void pcp_put_le32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

#endif /* _PAYCARD_FRAME_H */
