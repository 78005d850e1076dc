// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Cost of one 512-byte feed (pcp_asm_feed + pcp_asm_next until false) of
 * the kernel's stream assembler, built for userspace: the worst feed of a
 * hostile reader's resync bait (a header announcing the largest payload,
 * then 'P' bytes and a bad CRC: issue 12) against the feed of a valid frame
 * of the same size.  Prints numbers; `make bench-frame`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <paycard/frame.h>

#define CHUNK 512

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Feeds @len bytes in CHUNK-byte feeds; returns the slowest feed in ms. */
static double worst_feed_ms(struct pcp_assembler *a, const u8 *data,
			    size_t len, unsigned int *frames)
{
	struct pcp_frame f;
	double worst = 0, t;
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		t = now_ms();
		pcp_asm_feed(a, data + off, n);
		while (pcp_asm_next(a, &f))
			++*frames;
		t = now_ms() - t;
		if (t > worst)
			worst = t;
	}
	return worst;
}

int main(void)
{
	static u8 buf[PCP_MAX_FRAME], stream[PCP_MAX_FRAME];
	static u8 payload[PCP_MAX_PAYLOAD];
	struct pcp_assembler a;
	unsigned int frames = 0;
	double bait_ms, valid_ms;
	unsigned long long moved;
	int len;

	/* a valid frame whose payload is all 'P' ... */
	memset(payload, PCP_MAGIC0, sizeof(payload));
	len = pcp_frame_encode(stream, sizeof(stream), PCP_TYPE_EVENT, 0, 1,
			       0, payload, sizeof(payload));
	if (len != PCP_MAX_FRAME)
		return 1;
	pcp_asm_init(&a, buf, sizeof(buf), PCP_MAX_PAYLOAD);
	valid_ms = worst_feed_ms(&a, stream, len, &frames);
	if (frames != 1)
		return 1;

	/* ... and the bait: the same bytes with a zero CRC */
	memset(stream + PCP_HDR_LEN + PCP_MAX_PAYLOAD, 0, PCP_CRC_LEN);
	pcp_asm_init(&a, buf, sizeof(buf), PCP_MAX_PAYLOAD);
	frames = 0;
	bait_ms = worst_feed_ms(&a, stream, len, &frames);
	if (frames || a.bad_crc != 1)
		return 1;
	moved = a.moved;

	printf("frame assembler, worst %d-byte feed of a %d-byte frame:\n",
	       CHUNK, len);
	printf("  resync bait (bad CRC, 'P' payload): %.3f ms, %llu bytes moved\n",
	       bait_ms, moved);
	printf("  valid frame:                        %.3f ms\n", valid_ms);
	return 0;
}
