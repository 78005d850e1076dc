// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The reader's receive side: frames out of the host's byte stream, and a
 * partial frame dropped after EMU_RX_IDLE_MS without bytes (emu_rx.h).
 */
#include "emu_rx.h"

void emu_rx_init(struct emu_rx *rx, uint8_t *buf, size_t size)
{
	pcp_asm_init(&rx->a, buf, size, PCP_MAX_PAYLOAD);
	rx->deadline_ms = 0;
}

void emu_rx_reset(struct emu_rx *rx)
{
	pcp_asm_reset(&rx->a);
	rx->deadline_ms = 0;
}

/* Hand out the whole frames; what is left is a partial frame, which has
 * EMU_RX_IDLE_MS from @now_ms (the last bytes' arrival) to complete. */
static void drain(struct emu_rx *rx, uint64_t now_ms, emu_rx_handler fn,
		  void *ctx)
{
	struct pcp_frame f;

	while (pcp_asm_next(&rx->a, &f))
		fn(ctx, &f);
	rx->deadline_ms = rx->a.fill ? now_ms + EMU_RX_IDLE_MS : 0;
}

void emu_rx_feed(struct emu_rx *rx, const uint8_t *data, size_t len,
		 uint64_t now_ms, emu_rx_handler fn, void *ctx)
{
	while (len) {
		size_t n = pcp_asm_feed(&rx->a, data, len);

		data += n;
		len -= n;
		drain(rx, now_ms, fn, ctx);
	}
}

bool emu_rx_expire(struct emu_rx *rx, uint64_t now_ms, emu_rx_handler fn,
		   void *ctx)
{
	if (!rx->deadline_ms || now_ms < rx->deadline_ms)
		return false;
	if (!pcp_asm_expire(&rx->a)) {
		rx->deadline_ms = 0;
		return false;
	}
	/* What follows the dropped byte gets a full period of its own, as
	 * the host's timer is re-armed after its drain. */
	drain(rx, now_ms, fn, ctx);
	return true;
}

size_t emu_rx_frame_rest(const struct emu_rx *rx)
{
	const struct pcp_assembler *a = &rx->a;

	if (a->fill >= PCP_HDR_LEN && a->buf[0] == PCP_MAGIC0 &&
	    a->buf[1] == PCP_MAGIC1) {
		uint32_t len = pcp_get_le32(a->buf + 8);

		if (len <= PCP_MAX_PAYLOAD && PCP_OVERHEAD + len > a->fill)
			return PCP_OVERHEAD + len - a->fill;
	}
	return 0;
}
