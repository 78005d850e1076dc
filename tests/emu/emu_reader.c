// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The reader side of the PCP protocol: commands from the link are answered
 * in order; events and responses go out through the writer queue.
 */
#include "emu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <paycard/frame.h>

uint64_t emu_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t emu_now_ms(void)
{
	return emu_now_us() / 1000;
}

static uint8_t *encode(uint8_t type, uint8_t code, uint16_t seq,
		       uint16_t status, const void *payload, uint32_t len,
		       size_t *out_len)
{
	size_t size = (size_t)PCP_OVERHEAD + len;
	uint8_t *buf = malloc(size);
	int n;

	if (!buf)
		return NULL;
	n = pcp_frame_encode(buf, size, type, code, seq, status, payload, len);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	*out_len = (size_t)n;
	return buf;
}

/* Line noise: bytes the host must skip while resynchronising, with one
 * false start ("PC" and an unknown frame type) in the middle so the host's
 * bad_type counter shows it was seen. */
static void push_garbage(struct emu *e)
{
	uint8_t junk[61];

	for (size_t i = 0; i < sizeof(junk); i++) {
		junk[i] = (uint8_t)(i * 37 + 11);
		if (junk[i] == PCP_MAGIC0)
			junk[i] ^= 0xff;
	}
	junk[30] = PCP_MAGIC0;
	junk[31] = PCP_MAGIC1;
	junk[32] = 0x7e;
	emu_out_push(e, EMU_OUT_DATA, junk, sizeof(junk));
}

/* A header announcing far more than PCP_MAX_PAYLOAD, and no payload. */
static void push_oversize(struct emu *e, const uint8_t *frame)
{
	uint8_t hdr[PCP_HDR_LEN];

	memcpy(hdr, frame, PCP_HDR_LEN);
	pcp_put_le32(hdr + 8, 0x7ffffff0);
	emu_out_push(e, EMU_OUT_DATA, hdr, sizeof(hdr));
}

/* Send one encoded response, applying an armed misbehaviour.  Called with
 * e->lock held. */
static void push_response(struct emu *e, uint8_t *frame, size_t len)
{
	enum emu_misbehave mb = e->misbehave;

	e->misbehave = EMU_MB_NONE;
	switch (mb) {
	case EMU_MB_BAD_CRC:
		frame[len - 1] ^= 0x5a;
		break;
	case EMU_MB_OVERSIZE:
		push_oversize(e, frame);
		return;
	case EMU_MB_GARBAGE:
		push_garbage(e);
		break;
	case EMU_MB_STALL:
		emu_out_push(e, EMU_OUT_HALT, NULL, 0);
		break;
	case EMU_MB_DISCONNECT:
		emu_out_push(e, EMU_OUT_DATA, frame, len / 2);
		emu_out_push(e, EMU_OUT_UNPLUG, NULL, 0);
		return;
	case EMU_MB_NONE:
		break;
	}
	emu_out_push(e, EMU_OUT_DATA, frame, len);
}

static void respond(struct emu *e, uint8_t code, uint16_t seq,
		    uint16_t status, const void *payload, uint32_t len)
{
	size_t n;
	uint8_t *frame = encode(PCP_TYPE_RESPONSE, code, seq, status, payload,
				len, &n);

	if (!frame) {
		fprintf(stderr, "paycard-emu: cannot encode response\n");
		return;
	}
	push_response(e, frame, n);
	free(frame);
}

void emu_send_event(struct emu *e, uint8_t code, const void *payload,
		    uint32_t len)
{
	size_t n;
	uint8_t *frame;

	if (++e->event_seq == 0)
		e->event_seq = 1;
	frame = encode(PCP_TYPE_EVENT, code, e->event_seq, 0, payload, len,
		       &n);
	if (!frame)
		return;
	emu_out_push(e, EMU_OUT_DATA, frame, n);
	free(frame);
}

/* A well-formed response that answers no request the host has sent. */
void emu_send_unsolicited_response(struct emu *e)
{
	static const uint8_t sw[2] = { 0x90, 0x00 };
	size_t n;
	uint8_t *frame = encode(PCP_TYPE_RESPONSE, PCP_CMD_APDU, 0xfeed, 0,
				sw, sizeof(sw), &n);

	if (!frame)
		return;
	emu_out_push(e, EMU_OUT_DATA, frame, n);
	free(frame);
}

static void cancel_deferred(struct emu *e, uint16_t status)
{
	if (!e->deferred.active)
		return;
	respond(e, PCP_CMD_APDU, e->deferred.seq, status, NULL, 0);
	free(e->deferred.rsp);
	memset(&e->deferred, 0, sizeof(e->deferred));
	pthread_cond_broadcast(&e->changed);
}

/* A pending APDU abandoned without an answer (HELLO, replug). */
static void drop_deferred(struct emu *e)
{
	free(e->deferred.rsp);
	memset(&e->deferred, 0, sizeof(e->deferred));
	pthread_cond_broadcast(&e->changed);
}

void emu_reset_state(struct emu *e)
{
	cancel_deferred(e, PCP_STATUS_ABORTED);
	e->powered = false;
	e->keypad_mode = PCP_KEYPAD_OFF;
	e->leds = 0;
}

static void cmd_hello(struct emu *e, uint16_t seq, const uint8_t *p,
		      uint32_t len)
{
	unsigned int ours = PCP_VERSION_MAJOR << 8 | PCP_VERSION_MINOR;
	uint8_t rsp[PCP_HELLO_LEN] = { PCP_VERSION_MAJOR, PCP_VERSION_MINOR };

	if (len < PCP_HELLO_LEN) {
		respond(e, PCP_CMD_HELLO, seq, PCP_STATUS_BAD_PARAM, NULL, 0);
		return;
	}
	if (ours < (unsigned int)(p[0] << 8 | p[1]) ||
	    ours > (unsigned int)(p[2] << 8 | p[3])) {
		respond(e, PCP_CMD_HELLO, seq, PCP_STATUS_UNSUPPORTED, NULL, 0);
		return;
	}
	/* HELLO resets the session (protocol 5.1): a host that restarted
	 * finds the card unpowered, the keypad off, nothing pending. */
	drop_deferred(e);
	e->powered = false;
	e->keypad_mode = PCP_KEYPAD_OFF;
	respond(e, PCP_CMD_HELLO, seq, PCP_STATUS_OK, rsp, sizeof(rsp));
	/* A card already in the slot is reported once the host has said
	 * hello, so a re-plugged reader's host learns about it. */
	if (e->card_present)
		emu_send_event(e, PCP_EVT_CARD_INSERTED, NULL, 0);
}

static void put_str(uint8_t *dst, const char *s)
{
	size_t n = strnlen(s, PCP_INFO_STR_LEN - 1);

	memset(dst, 0, PCP_INFO_STR_LEN);
	memcpy(dst, s, n);
}

static void cmd_get_info(struct emu *e, uint16_t seq)
{
	uint8_t info[PCP_INFO_LEN] = { 0 };

	info[0] = PCP_VERSION_MAJOR;
	info[1] = PCP_VERSION_MINOR;
	pcp_put_le16(info + 2, PCP_USB_TEST_VID);
	pcp_put_le32(info + 4, PCP_CAP_MSR | PCP_CAP_ICC | PCP_CAP_KEYPAD |
		     PCP_CAP_PIN_ENTRY | PCP_CAP_LEDS | PCP_CAP_BUZZER |
		     PCP_CAP_EXTENDED_APDU | PCP_CAP_TAMPER);
	pcp_put_le32(info + 8, PCP_MAX_PAYLOAD);
	pcp_put_le32(info + 12, e->cfg.max_apdu);
	put_str(info + 16, e->cfg.model);
	put_str(info + 48, e->cfg.serial);
	put_str(info + 80, e->cfg.firmware);
	info[112] = 16;		/* 0-9, enter, clear, cancel, F1..F3 */
	info[113] = 4;
	respond(e, PCP_CMD_GET_INFO, seq, PCP_STATUS_OK, info, sizeof(info));
}

static void cmd_power_on(struct emu *e, uint16_t seq)
{
	if (!e->card_present) {
		respond(e, PCP_CMD_CHIP_POWER_ON, seq, PCP_STATUS_NO_CARD,
			NULL, 0);
	} else if (e->card.mute) {
		respond(e, PCP_CMD_CHIP_POWER_ON, seq, PCP_STATUS_CARD_ERROR,
			NULL, 0);
	} else {
		e->powered = true;
		respond(e, PCP_CMD_CHIP_POWER_ON, seq, PCP_STATUS_OK,
			e->card.atr, (uint32_t)e->card.atr_len);
	}
}

static void cmd_apdu(struct emu *e, uint16_t seq, const uint8_t *p,
		     uint32_t len)
{
	uint8_t *rsp;
	size_t rsp_len;
	int ret;

	e->apdus++;
	if (!e->card_present || !e->powered) {
		respond(e, PCP_CMD_APDU, seq, PCP_STATUS_NO_CARD, NULL, 0);
		return;
	}
	if (e->deferred.active) {
		respond(e, PCP_CMD_APDU, seq, PCP_STATUS_BUSY, NULL, 0);
		return;
	}
	if (len < 4 || len > e->cfg.max_apdu) {
		respond(e, PCP_CMD_APDU, seq, len < 4 ? PCP_STATUS_BAD_PARAM :
			PCP_STATUS_TOO_LARGE, NULL, 0);
		return;
	}
	ret = emu_profile_answer(&e->card, p, len, e->cfg.max_apdu, &rsp,
				 &rsp_len);
	if (ret) {
		/* an R-APDU above max_apdu is TOO_LARGE (protocol 5.4); a
		 * virtual card acting as pulled out is NO_CARD, as a real one */
		respond(e, PCP_CMD_APDU, seq, ret == -EMSGSIZE ?
			PCP_STATUS_TOO_LARGE : ret == -ENOMEDIUM ?
			PCP_STATUS_NO_CARD : PCP_STATUS_INTERNAL, NULL, 0);
		return;
	}
	if (e->next_delay_ms) {
		e->deferred = (struct emu_deferred){
			.active = true, .seq = seq, .rsp = rsp,
			.rsp_len = rsp_len,
			.due_ms = emu_now_ms() + e->next_delay_ms,
		};
		e->next_delay_ms = 0;
		pthread_cond_broadcast(&e->changed);
		return;
	}
	respond(e, PCP_CMD_APDU, seq, PCP_STATUS_OK, rsp, (uint32_t)rsp_len);
	free(rsp);
}

static void cmd_keypad(struct emu *e, uint16_t seq, const uint8_t *p,
		       uint32_t len)
{
	bool bad_pin = len >= PCP_KEYPAD_LEN && p[0] == PCP_KEYPAD_PIN &&
		       (p[1] < 4 || p[1] > 12 || p[2] < p[1] || p[2] > 12);

	if (len < PCP_KEYPAD_LEN || p[0] > PCP_KEYPAD_PIN || bad_pin) {
		respond(e, PCP_CMD_KEYPAD_MODE, seq, PCP_STATUS_BAD_PARAM,
			NULL, 0);
		return;
	}
	e->keypad_mode = p[0];
	if (p[0] == PCP_KEYPAD_PIN) {
		/* the inactivity timeout runs from now (protocol 5.5) */
		e->pin_timeout_ms = 1000u * (p[3] ? p[3] :
					     EMU_PIN_DEFAULT_TIMEOUT_S);
		e->pin_deadline_ms = emu_now_ms() + e->pin_timeout_ms;
		pthread_cond_broadcast(&e->changed);
	}
	respond(e, PCP_CMD_KEYPAD_MODE, seq, PCP_STATUS_OK, NULL, 0);
}

/* Digits only in PIN mode; function keys, enter, clear and cancel in both
 * PIN and function mode; nothing when the keypad is off. */
static bool key_reported(uint8_t mode, int key)
{
	bool digit = key >= PCP_KEY_0 && key <= PCP_KEY_9;

	if (mode == PCP_KEYPAD_PIN)
		return true;
	return mode == PCP_KEYPAD_FUNCTION && !digit;
}

static void send_key(struct emu *e, int key)
{
	uint8_t payload[PCP_KEY_EVENT_LEN] = { 0 };

	pcp_put_le16(payload, (uint16_t)key);
	emu_send_event(e, PCP_EVT_KEY, payload, sizeof(payload));
}

bool emu_key_press(struct emu *e, int key, uint64_t now_ms)
{
	if (!key_reported(e->keypad_mode, key))
		return false;
	send_key(e, key);
	if (e->keypad_mode != PCP_KEYPAD_PIN)
		return true;
	/* ENTER or CANCEL ends a PIN entry; any other key is activity and
	 * restarts the inactivity timeout (protocol 5.5) */
	if (key == PCP_KEY_ENTER || key == PCP_KEY_CANCEL)
		e->keypad_mode = PCP_KEYPAD_OFF;
	else
		e->pin_deadline_ms = now_ms + e->pin_timeout_ms;
	return true;
}

uint64_t emu_pin_deadline(const struct emu *e)
{
	return e->keypad_mode == PCP_KEYPAD_PIN ? e->pin_deadline_ms : 0;
}

/* The entry ends as if the cardholder had pressed CANCEL: the host sees
 * the KEY event CANCEL and the keypad is off (protocol 5.5). */
bool emu_pin_expire(struct emu *e, uint64_t now_ms)
{
	uint64_t deadline = emu_pin_deadline(e);

	if (!deadline || now_ms < deadline)
		return false;
	send_key(e, PCP_KEY_CANCEL);
	e->keypad_mode = PCP_KEYPAD_OFF;
	return true;
}

static void cmd_ui(struct emu *e, uint16_t seq, const uint8_t *p,
		   uint32_t len)
{
	uint16_t mask, on;

	if (len < PCP_UI_LEN) {
		respond(e, PCP_CMD_UI, seq, PCP_STATUS_BAD_PARAM, NULL, 0);
		return;
	}
	mask = pcp_get_le16(p);
	on = pcp_get_le16(p + 2);
	e->leds = (uint16_t)((e->leds & ~mask) | (on & mask));
	respond(e, PCP_CMD_UI, seq, PCP_STATUS_OK, NULL, 0);
}

void emu_handle_frame(struct emu *e, uint8_t type, uint8_t code, uint16_t seq,
		      const uint8_t *payload, uint32_t len)
{
	if (type != PCP_TYPE_COMMAND)
		return;		/* a reader ignores anything but commands */
	pthread_mutex_lock(&e->lock);
	e->commands++;
	/* One command at a time: while an APDU is pending only ABORT (and a
	 * restarting host's HELLO) get through (protocol 10). */
	if (e->deferred.active && code != PCP_CMD_ABORT &&
	    code != PCP_CMD_HELLO) {
		respond(e, code, seq, PCP_STATUS_BUSY, NULL, 0);
		pthread_mutex_unlock(&e->lock);
		return;
	}
	switch (code) {
	case PCP_CMD_HELLO:
		cmd_hello(e, seq, payload, len);
		break;
	case PCP_CMD_GET_INFO:
		cmd_get_info(e, seq);
		break;
	case PCP_CMD_CHIP_POWER_ON:
		cmd_power_on(e, seq);
		break;
	case PCP_CMD_CHIP_POWER_OFF:
		e->powered = false;
		respond(e, code, seq, PCP_STATUS_OK, NULL, 0);
		break;
	case PCP_CMD_APDU:
		cmd_apdu(e, seq, payload, len);
		break;
	case PCP_CMD_KEYPAD_MODE:
		cmd_keypad(e, seq, payload, len);
		break;
	case PCP_CMD_UI:
		cmd_ui(e, seq, payload, len);
		break;
	case PCP_CMD_ABORT:
		/* the aborted command is answered first, then ABORT (5.8) */
		cancel_deferred(e, PCP_STATUS_ABORTED);
		e->keypad_mode = PCP_KEYPAD_OFF;	/* ends a PIN entry */
		respond(e, code, seq, PCP_STATUS_OK, NULL, 0);
		break;
	case PCP_CMD_RESET:
		emu_reset_state(e);
		respond(e, code, seq, PCP_STATUS_OK, NULL, 0);
		break;
	default:
		respond(e, code, seq, PCP_STATUS_UNSUPPORTED, NULL, 0);
		break;
	}
	pthread_mutex_unlock(&e->lock);
}

static void handle_rx_frame(void *ctx, const struct pcp_frame *f)
{
	emu_handle_frame(ctx, f->type, f->code, f->seq, f->payload, f->len);
}

/* Room for a whole frame rounded up to a high-speed USB packet. */
#define EMU_RX_CAP	(PCP_MAX_FRAME + 512)

void *emu_command_thread(void *arg)
{
	struct emu *e = arg;
	uint8_t *frame_buf = malloc(PCP_MAX_FRAME);
	uint8_t *rx = malloc(EMU_RX_CAP);

	if (!frame_buf || !rx) {
		fprintf(stderr, "paycard-emu: out of memory\n");
		exit(1);
	}
	pthread_mutex_lock(&e->rx_lock);
	emu_rx_init(&e->rx, frame_buf, PCP_MAX_FRAME);
	pthread_mutex_unlock(&e->rx_lock);
	for (;;) {
		size_t rest;
		ssize_t n;

		pthread_mutex_lock(&e->rx_lock);
		rest = emu_rx_frame_rest(&e->rx);
		pthread_mutex_unlock(&e->rx_lock);
		n = e->link->ops->read(e->link, rx, EMU_RX_CAP, rest);
		pthread_mutex_lock(&e->rx_lock);
		if (n < 0)
			emu_rx_reset(&e->rx);	/* unplugged: a new stream */
		else
			emu_rx_feed(&e->rx, rx, (size_t)n, emu_now_ms(),
				    handle_rx_frame, e);
		pthread_cond_broadcast(&e->rx_changed);
		pthread_mutex_unlock(&e->rx_lock);
		if (n < 0 && errno != ESHUTDOWN && errno != EINTR)
			usleep(10000);
	}
	return NULL;
}

static void wait_until(pthread_cond_t *cond, pthread_mutex_t *lock,
		       uint64_t ms)
{
	/* both conditions run on CLOCK_MONOTONIC (see main) */
	struct timespec until = {
		.tv_sec = (time_t)(ms / 1000),
		.tv_nsec = (long)(ms % 1000) * 1000000,
	};

	pthread_cond_timedwait(cond, lock, &until);
}

/* Drops a partial frame the host stopped sending (protocol 3.4). */
void *emu_rx_timer_thread(void *arg)
{
	struct emu *e = arg;

	pthread_mutex_lock(&e->rx_lock);
	for (;;) {
		uint64_t due = e->rx.deadline_ms;

		if (!due)
			pthread_cond_wait(&e->rx_changed, &e->rx_lock);
		else if (emu_now_ms() < due)
			wait_until(&e->rx_changed, &e->rx_lock, due);
		else
			emu_rx_expire(&e->rx, emu_now_ms(), handle_rx_frame, e);
	}
	return NULL;
}

static void send_deferred(struct emu *e)
{
	respond(e, PCP_CMD_APDU, e->deferred.seq, PCP_STATUS_OK,
		e->deferred.rsp, (uint32_t)e->deferred.rsp_len);
	free(e->deferred.rsp);
	memset(&e->deferred, 0, sizeof(e->deferred));
}

/* The earlier of two deadlines, 0 meaning none. */
static uint64_t earlier(uint64_t a, uint64_t b)
{
	return !a || (b && b < a) ? b : a;
}

/* The reader's own timing: the deferred APDU response when it is due
 * (`delay` command) and the end of a PIN entry left idle. */
void *emu_deferred_thread(void *arg)
{
	struct emu *e = arg;

	pthread_mutex_lock(&e->lock);
	for (;;) {
		uint64_t apdu_due = e->deferred.active ? e->deferred.due_ms : 0;
		uint64_t due = earlier(apdu_due, emu_pin_deadline(e));
		uint64_t now = emu_now_ms();

		if (!due)
			pthread_cond_wait(&e->changed, &e->lock);
		else if (now < due)
			wait_until(&e->changed, &e->lock, due);
		else if (apdu_due && now >= apdu_due)
			send_deferred(e);
		else
			emu_pin_expire(e, now);
	}
	return NULL;
}
