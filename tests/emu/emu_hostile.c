// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The hostile reader (issue 12): `hostile N [SEED]` on the control socket
 * makes the emulator send N hostile items to the host, in a thread of its
 * own, through the writer queue (so the reader keeps answering commands,
 * queued between them): valid frames the host cannot use (event floods,
 * responses nobody asked for, unknown types and codes), frames with bad
 * CRCs at lengths from 0 to past PCP_MAX_PAYLOAD, headers announcing more
 * than the protocol allows, truncated frames, garbage runs (some full of
 * false magics), resynchronisation bait (a header announcing 64 KiB
 * followed by 64 KiB of 'P' and a bad CRC: the case issue 12 measured as
 * one byte per resync) and zero-length-packet storms.  Deterministic from
 * SEED, so a failing run can be replayed.
 */
#include "emu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paycard/frame.h>

/* The writer queue holds at most this much hostile data: the host sees a
 * steady stream and a probe's answer never waits behind megabytes. */
#define HOSTILE_QUEUE_BYTES	(256 * 1024)
/* One item in this many is resync bait; one in EVENT_FLOOD_EVERY starts a
 * flood of EVENT_FLOOD_LEN valid events; ZLP storms are ZLP_STORM_LEN. */
#define BAIT_EVERY		5000
#define BAIT_PAYLOAD		65536
#define EVENT_FLOOD_EVERY	500
#define EVENT_FLOOD_LEN		64
#define ZLP_STORM_LEN		32

struct hostile {
	struct emu *e;
	uint64_t rng;
	uint32_t left;
	uint8_t payload[PCP_MAX_PAYLOAD];
	uint8_t buf[PCP_MAX_FRAME];
};

/* xorshift64* (Vigna, "An experimental exploration of Marsaglia's
 * xorshift generators, scrambled", 2016). */
static uint64_t rnd(struct hostile *h)
{
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return h->rng * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(struct hostile *h, uint32_t n)
{
	return (uint32_t)(rnd(h) % n);
}

static void fill_random(struct hostile *h, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(h);
}

/*
 * A payload length: mostly short (where real traffic is, and what keeps
 * 100,000 items to minutes on an emulated CPU with KASAN), 1 in 40
 * exactly on a packet boundary of either USB speed or the protocol's
 * limits (each edge about 50 times in 100,000 items), 1 in 40 log-uniform
 * up to PCP_MAX_PAYLOAD so every size class is hit.
 */
static uint32_t pick_len(struct hostile *h)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 4, 47, 48, 49, 63, 64, 65, 127, 128, 129, 495, 496,
		497, 511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 16383,
		16384, 65535, 65536, PCP_MAX_PAYLOAD - 1, PCP_MAX_PAYLOAD,
	};

	uint32_t r = below(h, 40);

	if (r < 38)
		return below(h, 600);
	if (r == 38)
		return edges[below(h, sizeof(edges) / sizeof(edges[0]))];
	return below(h, 1u << (1 + below(h, 16))) % (PCP_MAX_PAYLOAD + 1);
}

/* Queue one item; blocks while the queue is full of hostile data. */
static void push(struct hostile *h, const void *data, size_t len)
{
	struct emu *e = h->e;

	pthread_mutex_lock(&e->out_lock);
	while (e->out_bytes > HOSTILE_QUEUE_BYTES)
		pthread_cond_wait(&e->out_room, &e->out_lock);
	pthread_mutex_unlock(&e->out_lock);
	emu_out_push_item(e, EMU_OUT_DATA, data, len, true);
}

/* A well-formed frame the host must refuse or drop: returns its length. */
static size_t make_frame(struct hostile *h, uint8_t type, uint8_t code,
			 uint16_t seq, uint32_t len)
{
	fill_random(h, h->payload, len);
	return (size_t)pcp_frame_encode(h->buf, sizeof(h->buf), type, code,
					seq, 0, h->payload, len);
}

/* Valid events, any code (known ones with random payloads), in a row. */
static void event_flood(struct hostile *h)
{
	for (int i = 0; i < EVENT_FLOOD_LEN && h->left; i++, h->left--)
		push(h, h->buf, make_frame(h, PCP_TYPE_EVENT,
					   0x80 + below(h, 16),
					   (uint16_t)rnd(h), below(h, 300)));
}

static void zlp_storm(struct hostile *h)
{
	for (int i = 0; i < ZLP_STORM_LEN && h->left; i++, h->left--)
		push(h, NULL, 0);
}

/* 64 KiB announced, 64 KiB of 'P' (each one a candidate magic), bad CRC. */
static void resync_bait(struct hostile *h)
{
	size_t n = PCP_OVERHEAD + BAIT_PAYLOAD;

	memset(h->buf, PCP_MAGIC0, n);
	h->buf[1] = PCP_MAGIC1;
	h->buf[2] = PCP_TYPE_EVENT;
	h->buf[3] = PCP_EVT_MSR;
	pcp_put_le32(h->buf + 8, BAIT_PAYLOAD);
	push(h, h->buf, n);
}

/* One item of the other kinds. */
static void one_item(struct hostile *h)
{
	uint32_t len = pick_len(h);
	size_t n;

	switch (below(h, 8)) {
	case 0:		/* a response to nothing (commands never use seq 0) */
		push(h, h->buf, make_frame(h, PCP_TYPE_RESPONSE,
					   (uint8_t)rnd(h), 0, len));
		break;
	case 1:		/* unknown type or a command: readers never send one */
		push(h, h->buf, make_frame(h, below(h, 2) ? PCP_TYPE_COMMAND :
					   4 + below(h, 252),
					   (uint8_t)rnd(h), 1, len));
		break;
	case 2:		/* bad CRC */
		n = make_frame(h, PCP_TYPE_EVENT, PCP_EVT_KEY, 1, len);
		h->buf[n - 1 - below(h, 4)] ^= (uint8_t)(1 + below(h, 255));
		push(h, h->buf, n);
		break;
	case 3:		/* announced length past the protocol's limit */
		n = make_frame(h, PCP_TYPE_EVENT, PCP_EVT_KEY, 1, 0);
		pcp_put_le32(h->buf + 8, PCP_MAX_PAYLOAD + 1 +
			     below(h, 0xffffffffu - PCP_MAX_PAYLOAD));
		push(h, h->buf, PCP_HDR_LEN);
		break;
	case 4:		/* truncated: the rest never comes */
		n = make_frame(h, PCP_TYPE_EVENT, PCP_EVT_MSR, 1, len);
		push(h, h->buf, below(h, (uint32_t)n));
		break;
	case 5:		/* garbage with false magics */
		n = 1 + below(h, 1024);
		fill_random(h, h->buf, n);
		for (size_t i = 0; i + 1 < n; i += 1 + below(h, 64)) {
			h->buf[i] = PCP_MAGIC0;
			h->buf[i + 1] = PCP_MAGIC1;
		}
		push(h, h->buf, n);
		break;
	case 6:		/* plain noise */
		n = 1 + below(h, 1024);
		fill_random(h, h->buf, n);
		push(h, h->buf, n);
		break;
	default:	/* a valid frame with noise spliced into its payload */
		n = make_frame(h, PCP_TYPE_EVENT, PCP_EVT_KEY, 1, len);
		fill_random(h, h->buf + below(h, (uint32_t)n), below(h, 32));
		push(h, h->buf, n);
		break;
	}
	h->left--;
}

static void *hostile_thread(void *arg)
{
	struct hostile *h = arg;

	while (h->left) {
		uint32_t r = below(h, BAIT_EVERY);

		if (r == 0) {
			resync_bait(h);
			h->left--;
		} else if (r % EVENT_FLOOD_EVERY == 1) {
			event_flood(h);
		} else if (r % EVENT_FLOOD_EVERY == 2) {
			zlp_storm(h);
		} else {
			one_item(h);
		}
	}
	pthread_mutex_lock(&h->e->out_lock);
	h->e->hostile_running = false;
	pthread_mutex_unlock(&h->e->out_lock);
	free(h);
	return NULL;
}

int emu_hostile_start(struct emu *e, uint32_t count, uint64_t seed)
{
	struct hostile *h;
	pthread_t t;

	pthread_mutex_lock(&e->out_lock);
	if (e->hostile_running) {
		pthread_mutex_unlock(&e->out_lock);
		return -1;
	}
	e->hostile_running = true;
	e->hostile_sent = 0;
	e->write_max_us = 0;
	pthread_mutex_unlock(&e->out_lock);

	h = calloc(1, sizeof(*h));
	if (h) {
		h->e = e;
		h->rng = seed ? seed : 1;	/* xorshift: never 0 */
		h->left = count;
	}
	if (!h || pthread_create(&t, NULL, hostile_thread, h)) {
		free(h);
		pthread_mutex_lock(&e->out_lock);
		e->hostile_running = false;
		pthread_mutex_unlock(&e->out_lock);
		return -1;
	}
	pthread_detach(t);
	return 0;
}
