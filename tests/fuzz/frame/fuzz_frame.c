/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libFuzzer target: PCP frame decoder and stream assembler.
 *
 * Byte 0 of the input picks the chunk sizes the rest is fed in (as USB
 * transfers or SPI reads would cut it).  Besides "no crash, no over-read"
 * (ASan/UBSan), it checks the codec's promises:
 *  - every frame decode accepts re-encodes to exactly the same bytes;
 *  - the assembler yields exactly the frames a one-shot scan finds, so the
 *    way bytes are split never changes what comes out;
 *  - every input byte ends up in a frame, in a skip counter or buffered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <paycard/frame.h>

#define FUZZ_MAX_PAYLOAD	512
#define FUZZ_BUF_SIZE		(PCP_OVERHEAD + FUZZ_MAX_PAYLOAD)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_roundtrip(const uint8_t *raw, int len,
			    const struct pcp_frame *fr)
{
	static uint8_t out[FUZZ_BUF_SIZE];
	int n;

	n = pcp_frame_encode(out, sizeof(out), fr->type, fr->code, fr->seq,
			     fr->status, fr->payload, fr->len);
	if (n != len || memcmp(out, raw, (size_t)len) != 0)
		abort();
}

/* One pass over a contiguous buffer with the same rescan rule. */
static unsigned int scan_frames(const uint8_t *data, size_t size)
{
	struct pcp_frame fr;
	unsigned int frames = 0;
	size_t off = 0;
	int ret;

	while (off < size) {
		ret = pcp_frame_decode(data + off, size - off,
				       FUZZ_MAX_PAYLOAD, &fr);
		if (ret == 0)
			break;
		if (ret > 0) {
			check_roundtrip(data + off, ret, &fr);
			frames++;
			off += (size_t)ret;
		} else {
			off++;
		}
	}
	return frames;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[FUZZ_BUF_SIZE];
	struct pcp_assembler a;
	struct pcp_frame fr;
	unsigned int frames = 0;
	size_t framed = 0, chunk, off;
	uint8_t split;

	if (size < 1)
		return 0;
	split = data[0];
	data++;
	size--;

	pcp_asm_init(&a, buf, sizeof(buf), FUZZ_MAX_PAYLOAD);
	for (off = 0; off < size; ) {
		chunk = split ? (size_t)split : size - off;
		if (chunk > size - off)
			chunk = size - off;
		off += pcp_asm_feed(&a, data + off, chunk);
		while (pcp_asm_next(&a, &fr)) {
			if (fr.len > FUZZ_MAX_PAYLOAD)
				abort();
			framed += PCP_OVERHEAD + fr.len;
			frames++;
		}
	}
	if (a.fill > sizeof(buf))
		abort();
	if (framed + a.bad_magic + a.fill != size)
		abort();
	if (frames != scan_frames(data, size))
		abort();
	pcp_asm_reset(&a);
	return 0;
}
