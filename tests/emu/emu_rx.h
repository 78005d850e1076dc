/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The reader's receive side (host to reader): the host's byte stream cut
 * into frames by the shared assembler (include/paycard/frame.h), plus the
 * stall rule of docs/reader-protocol.md 3.4: a partial frame that gets no
 * further bytes for EMU_RX_IDLE_MS is dropped the way a frame failing a
 * check is (its first byte, then a rescan), counted in the assembler's
 * `truncated`.  The same rule as the host's paycard_rx_idle_expired().
 *
 * No threads and no clock here: the caller passes the time and holds
 * whatever lock guards the struct, so the unit tests can drive it with a
 * fake clock.
 */
#ifndef PAYCARD_EMU_RX_H
#define PAYCARD_EMU_RX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <paycard/frame.h>

#define EMU_RX_IDLE_MS	1000

struct emu_rx {
	struct pcp_assembler a;
	uint64_t deadline_ms;	/* drop the partial frame then; 0: none */
};

/* Called for every whole, valid frame; @f->payload is valid only during
 * the call. */
typedef void (*emu_rx_handler)(void *ctx, const struct pcp_frame *f);

/* @buf of @size bytes (at least PCP_MAX_FRAME for any frame). */
void emu_rx_init(struct emu_rx *rx, uint8_t *buf, size_t size);
/* The host starts a new stream (unplug): forget buffered bytes. */
void emu_rx_reset(struct emu_rx *rx);
/* Bytes that arrived at @now_ms: frames completed go to @fn. */
void emu_rx_feed(struct emu_rx *rx, const uint8_t *data, size_t len,
		 uint64_t now_ms, emu_rx_handler fn, void *ctx);
/* At @now_ms: drop a partial frame whose deadline has passed (true), and
 * hand out any whole frame found behind it. */
bool emu_rx_expire(struct emu_rx *rx, uint64_t now_ms, emu_rx_handler fn,
		   void *ctx);
/* Bytes the frame being assembled still lacks; 0 while its header is
 * incomplete or not a plausible one. */
size_t emu_rx_frame_rest(const struct emu_rx *rx);

#endif /* PAYCARD_EMU_RX_H */
