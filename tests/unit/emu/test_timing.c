// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The reader emulator's timing rules (docs/reader-protocol.md):
 *  - 3.4: a partially received frame that gets no further bytes for 1 s
 *    is dropped like a frame failing a check (its first byte, then a
 *    rescan), counted in `truncated`; tests/emu/emu_rx.c, driven here
 *    with a fake clock (the time is an argument).
 *  - 5.5: PIN mode ends after timeout_s seconds without a key press: KEY
 *    event CANCEL, keypad OFF; tests/emu/emu_reader.c, the command taken
 *    through emu_handle_frame() and the expiry driven with explicit times.
 * The frames fed in are the hand-checked examples of protocol 3.3; the
 * expected KEY event (code 0x83, keycode 0x1B) is read off sections 6 and
 * 5.5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../emu/emu.h"

/* protocol 3.3: HELLO seq 1 and GET_INFO seq 2, as sent by the host */
static const uint8_t hello[] = {
	0x50, 0x43, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x77, 0xBE, 0xB5, 0x01,
};
static const uint8_t get_info[] = {
	0x50, 0x43, 0x01, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x48, 0xA7, 0x15, 0x8B,
};

/* ---- receive side: frames handed out ---- */

struct seen {
	int count;
	uint8_t code[8];
	uint16_t seq[8];
};

static void record(void *ctx, const struct pcp_frame *f)
{
	struct seen *s = ctx;

	assert_true(s->count < 8);
	s->code[s->count] = f->code;
	s->seq[s->count] = f->seq;
	s->count++;
}

static uint8_t rx_buf[PCP_MAX_FRAME];

static void rx_setup(struct emu_rx *rx)
{
	emu_rx_init(rx, rx_buf, sizeof(rx_buf));
}

/* Completed 999 ms after its first part: still one frame. */
static void test_rx_slow_frame_kept(void **state)
{
	struct emu_rx rx;
	struct seen s = { 0 };

	(void)state;
	rx_setup(&rx);
	emu_rx_feed(&rx, hello, 10, 5000, record, &s);
	assert_int_equal(rx.deadline_ms, 6000);
	assert_false(emu_rx_expire(&rx, 5999, record, &s));
	emu_rx_feed(&rx, hello + 10, sizeof(hello) - 10, 5999, record, &s);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.code[0], PCP_CMD_HELLO);
	assert_int_equal(s.seq[0], 1);
	assert_int_equal(rx.a.truncated, 0);
	assert_int_equal(rx.deadline_ms, 0);	/* nothing partial left */
}

/* Each arrival restarts the second: bytes at 100 and 1000 ms, then
 * quiet: dropped at 2000, not at 1100. */
static void test_rx_deadline_restarts(void **state)
{
	struct emu_rx rx;
	struct seen s = { 0 };

	(void)state;
	rx_setup(&rx);
	emu_rx_feed(&rx, hello, 10, 0 + 100, record, &s);
	emu_rx_feed(&rx, hello + 10, 2, 1000, record, &s);
	assert_false(emu_rx_expire(&rx, 1999, record, &s));
	assert_int_equal(rx.a.truncated, 0);
	assert_true(emu_rx_expire(&rx, 2000, record, &s));
	assert_int_equal(rx.a.truncated, 1);
	assert_int_equal(s.count, 0);
	/* the 11 bytes after the dropped 0x50 hold no other 0x50: all gone */
	assert_int_equal(rx.a.fill, 0);
	assert_int_equal(rx.deadline_ms, 0);
	assert_false(emu_rx_expire(&rx, 5000, record, &s));
	assert_int_equal(rx.a.truncated, 1);
}

/* protocol 3.1: the header of an APDU command announcing 100 payload
 * bytes (116 in all), of which the host sent nothing more */
static const uint8_t stalled_hdr[12] = {
	0x50, 0x43, 0x01, 0x12, 0x05, 0x00, 0x00, 0x00,
	0x64, 0x00, 0x00, 0x00,
};

/* The host gave up on a frame half sent: its next frame is answered once
 * the stale part expired. */
static void test_rx_next_frame_after_stall(void **state)
{
	struct emu_rx rx;
	struct seen s = { 0 };

	(void)state;
	rx_setup(&rx);
	emu_rx_feed(&rx, stalled_hdr, sizeof(stalled_hdr), 0, record, &s);
	assert_true(emu_rx_expire(&rx, 1000, record, &s));
	assert_int_equal(rx.a.fill, 0);	/* no 0x50 after the first byte */
	emu_rx_feed(&rx, get_info, sizeof(get_info), 1500, record, &s);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.code[0], PCP_CMD_GET_INFO);
	assert_int_equal(s.seq[0], 2);
}

/* The next frame within the second is taken for the stale frame's payload
 * (28 of 116 bytes); only the expiry, 1 s after those bytes, drops the
 * stale header and the rescan (protocol 3.4, "dropped the same way")
 * finds the whole frame behind it. */
static void test_rx_rescan_after_expiry(void **state)
{
	struct emu_rx rx;
	struct seen s = { 0 };

	(void)state;
	rx_setup(&rx);
	emu_rx_feed(&rx, stalled_hdr, sizeof(stalled_hdr), 0, record, &s);
	emu_rx_feed(&rx, get_info, sizeof(get_info), 500, record, &s);
	assert_int_equal(s.count, 0);
	assert_int_equal(emu_rx_frame_rest(&rx), 116 - 28);
	assert_false(emu_rx_expire(&rx, 1499, record, &s));
	assert_true(emu_rx_expire(&rx, 1500, record, &s));
	assert_int_equal(s.count, 1);
	assert_int_equal(s.code[0], PCP_CMD_GET_INFO);
	assert_int_equal(rx.a.truncated, 1);
	assert_int_equal(rx.deadline_ms, 0);
}

/* An unplug starts a new stream: nothing left to expire. */
static void test_rx_reset(void **state)
{
	struct emu_rx rx;
	struct seen s = { 0 };

	(void)state;
	rx_setup(&rx);
	emu_rx_feed(&rx, hello, 7, 0, record, &s);
	emu_rx_reset(&rx);
	assert_int_equal(rx.deadline_ms, 0);
	assert_false(emu_rx_expire(&rx, 10000, record, &s));
	assert_int_equal(rx.a.truncated, 0);
}

/* ---- PIN inactivity ---- */

static int no_op(struct emu_link *l)
{
	(void)l;
	return 0;
}

static const struct emu_link_ops fake_link_ops = {
	.name = "fake", .plug = no_op, .unplug = no_op,
};

struct pin_fixture {
	struct emu e;
	struct emu_link link;
};

static int pin_setup(void **state)
{
	struct pin_fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	emu_link_init(&f->link, &fake_link_ops);
	f->e.link = &f->link;
	f->e.cfg.max_apdu = 261;
	pthread_mutex_init(&f->e.lock, NULL);
	pthread_cond_init(&f->e.changed, NULL);
	pthread_mutex_init(&f->e.out_lock, NULL);
	pthread_cond_init(&f->e.out_ready, NULL);
	*state = f;
	return 0;
}

static int pin_teardown(void **state)
{
	struct pin_fixture *f = *state;

	emu_out_flush(&f->e);
	free(f);
	return 0;
}

/* The next frame the reader queued for the host; false when none. */
static bool next_out(struct emu *e, struct pcp_frame *f, uint8_t *copy)
{
	struct emu_out *o = e->out_head;

	if (!o)
		return false;
	assert_int_equal(o->kind, EMU_OUT_DATA);
	assert_true(o->len <= 64);
	memcpy(copy, o->data, o->len);
	assert_int_equal(pcp_frame_decode(copy, o->len, PCP_MAX_PAYLOAD, f),
			 (int)o->len);
	e->out_head = o->next;
	if (!e->out_head)
		e->out_tail = NULL;
	free(o);
	return true;
}

static void expect_response(struct emu *e, uint8_t code, uint16_t seq,
			    uint16_t status)
{
	struct pcp_frame f;
	uint8_t buf[64];

	assert_true(next_out(e, &f, buf));
	assert_int_equal(f.type, PCP_TYPE_RESPONSE);
	assert_int_equal(f.code, code);
	assert_int_equal(f.seq, seq);
	assert_int_equal(f.status, status);
}

/* KEY event CANCEL: 0x83, payload 1B 00 00 00 (protocol 6, 5.5) */
static void expect_cancel_event(struct emu *e)
{
	struct pcp_frame f;
	uint8_t buf[64];

	assert_true(next_out(e, &f, buf));
	assert_int_equal(f.type, PCP_TYPE_EVENT);
	assert_int_equal(f.code, 0x83);
	assert_int_equal(f.len, 4);
	assert_memory_equal(f.payload, "\x1b\x00\x00\x00", 4);
}

/* KEYPAD_MODE PIN 4..12 with @timeout_s; returns the deadline, checked
 * to be @timeout_s after the command (bracketed by the clock around it). */
static uint64_t pin_mode(struct emu *e, uint8_t timeout_s, uint64_t want_ms)
{
	const uint8_t p[4] = { PCP_KEYPAD_PIN, 4, 12, timeout_s };
	uint64_t before = emu_now_ms(), after, deadline;

	emu_handle_frame(e, PCP_TYPE_COMMAND, PCP_CMD_KEYPAD_MODE, 7, p, 4);
	after = emu_now_ms();
	expect_response(e, PCP_CMD_KEYPAD_MODE, 7, PCP_STATUS_OK);
	deadline = emu_pin_deadline(e);
	assert_true(deadline >= before + want_ms);
	assert_true(deadline <= after + want_ms);
	assert_int_equal(e->keypad_mode, PCP_KEYPAD_PIN);
	return deadline;
}

static void test_pin_timeout_cancels(void **state)
{
	struct pin_fixture *f = *state;
	struct pcp_frame fr;
	uint8_t buf[64];
	uint64_t d = pin_mode(&f->e, 2, 2000);

	assert_false(emu_pin_expire(&f->e, d - 1));
	assert_false(next_out(&f->e, &fr, buf));	/* nothing yet */
	assert_true(emu_pin_expire(&f->e, d));
	expect_cancel_event(&f->e);
	assert_false(next_out(&f->e, &fr, buf));	/* exactly one event */
	assert_int_equal(f->e.keypad_mode, PCP_KEYPAD_OFF);
	assert_int_equal(emu_pin_deadline(&f->e), 0);
	assert_false(emu_pin_expire(&f->e, d + 60000));
	/* keypad off: a digit is no longer reported */
	assert_false(emu_key_press(&f->e, '5', d + 1));
}

/* A key press is activity: the 2 s start again from it. */
static void test_pin_key_restarts(void **state)
{
	struct pin_fixture *f = *state;
	struct pcp_frame fr;
	uint8_t buf[64];
	uint64_t d = pin_mode(&f->e, 2, 2000);

	assert_true(emu_key_press(&f->e, '1', d - 500));
	assert_true(next_out(&f->e, &fr, buf));	/* the digit's event */
	assert_int_equal(pcp_get_le16(fr.payload), '1');
	assert_int_equal(emu_pin_deadline(&f->e), d + 1500);
	assert_false(emu_pin_expire(&f->e, d));
	assert_false(emu_pin_expire(&f->e, d + 1499));
	assert_true(emu_pin_expire(&f->e, d + 1500));
	expect_cancel_event(&f->e);
}

/* timeout_s 0: the reader's default, longer than paycardd's largest PIN
 * timer (300 s). */
static void test_pin_default(void **state)
{
	struct pin_fixture *f = *state;
	uint64_t d = pin_mode(&f->e, 0, 1000u * EMU_PIN_DEFAULT_TIMEOUT_S);

	assert_true(EMU_PIN_DEFAULT_TIMEOUT_S > 300);
	assert_false(emu_pin_expire(&f->e, d - 1));
	assert_true(emu_pin_expire(&f->e, d));
	expect_cancel_event(&f->e);
}

/* Entries that ended otherwise (ENTER, CANCEL, ABORT, RESET, function
 * mode) time out no more. */
static void test_pin_ended_no_timeout(void **state)
{
	static const uint8_t function[4] = { PCP_KEYPAD_FUNCTION, 0, 0, 0 };
	struct pin_fixture *f = *state;
	struct pcp_frame fr;
	uint8_t buf[64];
	uint64_t d = pin_mode(&f->e, 2, 2000);

	assert_true(emu_key_press(&f->e, PCP_KEY_ENTER, d - 100));
	assert_true(next_out(&f->e, &fr, buf));
	assert_false(emu_pin_expire(&f->e, d + 10000));

	d = pin_mode(&f->e, 2, 2000);
	emu_handle_frame(&f->e, PCP_TYPE_COMMAND, PCP_CMD_ABORT, 8, NULL, 0);
	expect_response(&f->e, PCP_CMD_ABORT, 8, PCP_STATUS_OK);
	assert_false(emu_pin_expire(&f->e, d + 10000));

	d = pin_mode(&f->e, 2, 2000);
	emu_handle_frame(&f->e, PCP_TYPE_COMMAND, PCP_CMD_RESET, 9, NULL, 0);
	expect_response(&f->e, PCP_CMD_RESET, 9, PCP_STATUS_OK);
	assert_false(emu_pin_expire(&f->e, d + 10000));

	d = pin_mode(&f->e, 2, 2000);
	emu_handle_frame(&f->e, PCP_TYPE_COMMAND, PCP_CMD_KEYPAD_MODE, 10,
			 function, 4);
	expect_response(&f->e, PCP_CMD_KEYPAD_MODE, 10, PCP_STATUS_OK);
	assert_int_equal(emu_pin_deadline(&f->e), 0);
	assert_false(emu_pin_expire(&f->e, d + 10000));
	assert_false(next_out(&f->e, &fr, buf));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rx_slow_frame_kept),
		cmocka_unit_test(test_rx_deadline_restarts),
		cmocka_unit_test(test_rx_next_frame_after_stall),
		cmocka_unit_test(test_rx_rescan_after_expiry),
		cmocka_unit_test(test_rx_reset),
		cmocka_unit_test_setup_teardown(test_pin_timeout_cancels,
						pin_setup, pin_teardown),
		cmocka_unit_test_setup_teardown(test_pin_key_restarts,
						pin_setup, pin_teardown),
		cmocka_unit_test_setup_teardown(test_pin_default,
						pin_setup, pin_teardown),
		cmocka_unit_test_setup_teardown(test_pin_ended_no_timeout,
						pin_setup, pin_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
