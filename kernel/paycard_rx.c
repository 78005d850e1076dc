// SPDX-License-Identifier: GPL-2.0
/*
 * paycard receive path: reassemble the reader's byte stream into frames,
 * hand responses to the waiting command and queue events for read().
 *
 * Runs in whatever context the transport receives in (URB completion is
 * interrupt context), so everything here is under pd->lock with interrupts
 * off and never sleeps.  Nothing the reader sends is trusted: every frame
 * that is malformed, unknown or answers no request is dropped and counted.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include <paycard/event.h>

#include "paycard_priv.h"

static void paycard_match_response(struct paycard_device *pd,
				   const struct pcp_frame *f)
{
	struct paycard_cmd *cmd = &pd->cmd;

	if (cmd->state == PAYCARD_CMD_PENDING && f->seq == cmd->seq &&
	    f->code == cmd->code) {
		/* f->len is bounded by the assembler's max_payload */
		memcpy(pd->rsp_buf, f->payload, f->len);
		cmd->rsp_len = f->len;
		cmd->status = f->status;
		cmd->state = PAYCARD_CMD_DONE;
		complete(&cmd->done);
		return;
	}
	/* The late answer to a command we gave up on is expected once. */
	if (cmd->stale_seq && f->seq == cmd->stale_seq) {
		cmd->stale_seq = 0;
		return;
	}
	pd->stats.unmatched++;
}

/*
 * Translate one event frame into @ev (include/paycard/event.h, shared with
 * paycardd).  Returns false and counts why for an unknown code or a
 * payload too short or inconsistent for its code.
 */
static bool paycard_parse_event(struct paycard_device *pd,
				struct paycard_event *ev,
				const struct pcp_frame *f)
{
	switch (pcp_event_decode(f, ev)) {
	case PCP_EVENT_OK:
		return true;
	case PCP_EVENT_BAD_TYPE:
		pd->stats.bad_type++;
		return false;
	default:
		pd->stats.bad_length++;
		return false;
	}
}

static void paycard_queue_event(struct paycard_device *pd,
				const struct pcp_frame *f)
{
	struct paycard_event *ev;
	bool gap;

	/*
	 * The reader numbers its events: a gap means it dropped some.  After
	 * 65535 comes 0, or 1 from a reader that skips 0 as commands do.
	 */
	gap = pd->have_evt_seq && f->seq != (u16)(pd->last_evt_seq + 1) &&
	      !(pd->last_evt_seq == U16_MAX && f->seq == 1);
	pd->last_evt_seq = f->seq;
	pd->have_evt_seq = true;

	/* Parse into the slot past the tail; only a full ring is refused. */
	ev = &pd->events[(pd->event_head + pd->event_count) %
			 PAYCARD_EVENT_QUEUE];
	if (pd->event_count == PAYCARD_EVENT_QUEUE)
		ev = &pd->scratch_event;
	if (!paycard_parse_event(pd, ev, f)) {
		memzero_explicit(ev, sizeof(*ev));
		return;
	}
	/* Nobody to read it: do not keep what may be track data or a PIN. */
	if (!pd->open) {
		memzero_explicit(ev, sizeof(*ev));
		return;
	}
	if (ev == &pd->scratch_event) {
		memzero_explicit(ev, sizeof(*ev));
		pd->event_lost = true;
		pd->stats.events_lost++;
		return;
	}
	ev->seq = f->seq;
	ev->timestamp_ns = ktime_get_ns();
	if (pd->event_lost || gap)
		ev->flags |= PAYCARD_EVF_LOST;
	pd->event_lost = false;
	pd->event_count++;
	wake_up_interruptible(&pd->read_wait);
}

static void paycard_handle_frame(struct paycard_device *pd,
				 const struct pcp_frame *f)
{
	pd->stats.frames_rx++;
	switch (f->type) {
	case PCP_TYPE_RESPONSE:
		paycard_match_response(pd, f);
		break;
	case PCP_TYPE_EVENT:
		paycard_queue_event(pd, f);
		break;
	default:
		/* a reader never sends commands */
		pd->stats.bad_type++;
		break;
	}
}

/* Take every whole frame; keep the idle timer on while a partial one waits. */
static void paycard_rx_drain(struct paycard_device *pd)
{
	struct pcp_frame f;

	while (pcp_asm_next(&pd->rx_asm, &f))
		paycard_handle_frame(pd, &f);
	if (pd->rx_asm.fill)
		mod_timer(&pd->rx_idle,
			  jiffies + msecs_to_jiffies(PAYCARD_RX_IDLE_MS));
}

void paycard_receive_bytes(struct paycard_device *pd, const u8 *data,
			   size_t len)
{
	unsigned long flags;
	size_t used;

	spin_lock_irqsave(&pd->lock, flags);
	while (!pd->dead && len) {
		used = pcp_asm_feed(&pd->rx_asm, data, len);
		data += used;
		len -= used;
		paycard_rx_drain(pd);
	}
	spin_unlock_irqrestore(&pd->lock, flags);
}
EXPORT_SYMBOL_GPL(paycard_receive_bytes);

/*
 * The reader went quiet in the middle of a frame (stall, reset, garbage that
 * looked like a header): give up on that frame so the frames behind it are
 * not held hostage until enough bytes arrive to fail its CRC.
 */
void paycard_rx_idle_expired(struct timer_list *t)
{
	struct paycard_device *pd = from_timer(pd, t, rx_idle);
	unsigned long flags;

	spin_lock_irqsave(&pd->lock, flags);
	if (!pd->dead && pcp_asm_expire(&pd->rx_asm))
		paycard_rx_drain(pd);
	spin_unlock_irqrestore(&pd->lock, flags);
}

/* Called with pd->lock held. */
void paycard_events_flush(struct paycard_device *pd)
{
	memzero_explicit(pd->events, sizeof(pd->events));
	pd->event_head = 0;
	pd->event_count = 0;
	pd->event_lost = false;
}

bool paycard_event_pop(struct paycard_device *pd, struct paycard_event *ev)
{
	struct paycard_event *slot;
	bool ret = false;

	spin_lock_irq(&pd->lock);
	if (pd->event_count) {
		slot = &pd->events[pd->event_head];
		*ev = *slot;
		memzero_explicit(slot, sizeof(*slot));
		pd->event_head = (pd->event_head + 1) % PAYCARD_EVENT_QUEUE;
		pd->event_count--;
		ret = true;
	}
	spin_unlock_irq(&pd->lock);
	return ret;
}
