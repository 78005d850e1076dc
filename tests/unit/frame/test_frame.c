/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Unit tests of the PCP frame codec (kernel/paycard_frame.c, built for
 * userspace).  Expected frames are written out byte by byte from the layout
 * in include/paycard/protocol.h; their CRCs were computed independently with
 * Python's zlib.crc32 (the same CRC-32/ISO-HDLC), not with this code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <paycard/frame.h>

/*
 * GET_INFO command, seq 1, no payload:
 *   50 43       magic "PC"
 *   01          type COMMAND
 *   02          code GET_INFO
 *   01 00       seq 1 (little-endian)
 *   00 00       status 0
 *   00 00 00 00 len 0
 *   ab a0 9a 05 CRC-32 of the 12 bytes above = 0x059aa0ab, little-endian
 */
static const uint8_t get_info_cmd[] = {
	0x50, 0x43, 0x01, 0x02, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xab, 0xa0, 0x9a, 0x05,
};

/*
 * HELLO command, seq 0x0102, payload host_min 1.0, host_max 1.0:
 *   50 43 01 01 | 02 01 (seq 0x0102) | 00 00 | 04 00 00 00 (len 4)
 *   01 00 01 00 payload
 *   47 b3 a5 b7 CRC = 0xb7a5b347
 */
static const uint8_t hello_cmd[] = {
	0x50, 0x43, 0x01, 0x01, 0x02, 0x01, 0x00, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
	0x47, 0xb3, 0xa5, 0xb7,
};

/*
 * APDU response, seq 7, status OK, R-APDU "90 00":
 *   50 43 02 12 | 07 00 | 00 00 | 02 00 00 00 | 90 00 | c2 9c 03 32
 *   (CRC = 0x32039cc2)
 */
static const uint8_t apdu_rsp[] = {
	0x50, 0x43, 0x02, 0x12, 0x07, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x90, 0x00, 0xc2, 0x9c,
	0x03, 0x32,
};

/*
 * KEY event, event counter 5, keycode '5' (0x35):
 *   50 43 03 83 | 05 00 | 00 00 | 04 00 00 00 | 35 00 00 00 | 4e 8f b9 45
 *   (CRC = 0x45b98f4e)
 */
static const uint8_t key_evt[] = {
	0x50, 0x43, 0x03, 0x83, 0x05, 0x00, 0x00, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00,
	0x4e, 0x8f, 0xb9, 0x45,
};

#define ASM_MAX_PAYLOAD	256
#define ASM_BUF_SIZE	(PCP_OVERHEAD + ASM_MAX_PAYLOAD)

struct asm_fixture {
	struct pcp_assembler a;
	uint8_t buf[ASM_BUF_SIZE];
};

static int asm_setup(void **state)
{
	struct asm_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	pcp_asm_init(&f->a, f->buf, sizeof(f->buf), ASM_MAX_PAYLOAD);
	*state = f;
	return 0;
}

static int asm_teardown(void **state)
{
	free(*state);
	return 0;
}

/* Feed everything (the documented caller loop); return frames taken. */
static int feed_all(struct pcp_assembler *a, const uint8_t *data, size_t len,
		    struct pcp_frame *out, int max_out)
{
	struct pcp_frame fr;
	int n = 0;

	do {
		size_t used = pcp_asm_feed(a, data, len);

		data += used;
		len -= used;
		while (pcp_asm_next(a, &fr)) {
			/* payload pointers die on the next call: keep codes */
			if (n < max_out)
				out[n] = fr;
			n++;
		}
	} while (len);
	return n;
}

/* ---- CRC ---- */

static void crc_check_value(void **state)
{
	/* The catalogue check value of CRC-32/ISO-HDLC. */
	assert_int_equal(pcp_crc32(0, (const uint8_t *)"123456789", 9),
			 0xCBF43926u);
}

static void crc_chains_like_zlib(void **state)
{
	uint32_t c = pcp_crc32(0, (const uint8_t *)"1234", 4);

	assert_int_equal(pcp_crc32(c, (const uint8_t *)"56789", 5),
			 0xCBF43926u);
	/* Empty input leaves the running value alone: 0 stays 0. */
	assert_int_equal(pcp_crc32(0, NULL, 0), 0);
}

/* ---- encode ---- */

static void encode_get_info(void **state)
{
	uint8_t out[64];

	assert_int_equal(pcp_frame_encode(out, sizeof(out), PCP_TYPE_COMMAND,
					  PCP_CMD_GET_INFO, 1, 0, NULL, 0),
			 sizeof(get_info_cmd));
	assert_memory_equal(out, get_info_cmd, sizeof(get_info_cmd));
}

static void encode_hello_little_endian(void **state)
{
	const uint8_t payload[] = { 1, 0, 1, 0 };
	uint8_t out[64];

	assert_int_equal(pcp_frame_encode(out, sizeof(out), PCP_TYPE_COMMAND,
					  PCP_CMD_HELLO, 0x0102, 0, payload,
					  sizeof(payload)),
			 sizeof(hello_cmd));
	assert_memory_equal(out, hello_cmd, sizeof(hello_cmd));
}

static void encode_exact_space(void **state)
{
	const uint8_t rapdu[] = { 0x90, 0x00 };
	uint8_t out[sizeof(apdu_rsp)];

	assert_int_equal(pcp_frame_encode(out, sizeof(out), PCP_TYPE_RESPONSE,
					  PCP_CMD_APDU, 7, PCP_STATUS_OK,
					  rapdu, 2),
			 sizeof(apdu_rsp));
	assert_memory_equal(out, apdu_rsp, sizeof(apdu_rsp));
	/* One byte short is refused, and nothing past the buffer is touched. */
	assert_int_equal(pcp_frame_encode(out, sizeof(out) - 1,
					  PCP_TYPE_RESPONSE, PCP_CMD_APDU, 7,
					  0, rapdu, 2),
			 -PCP_ERR_SPACE);
}

static void encode_too_long(void **state)
{
	uint8_t out[16];

	assert_int_equal(pcp_frame_encode(out, sizeof(out), PCP_TYPE_COMMAND,
					  PCP_CMD_APDU, 1, 0, NULL,
					  PCP_MAX_PAYLOAD + 1),
			 -PCP_ERR_LENGTH);
}

/* ---- decode ---- */

static void decode_response(void **state)
{
	struct pcp_frame fr;

	assert_int_equal(pcp_frame_decode(apdu_rsp, sizeof(apdu_rsp), 256, &fr),
			 sizeof(apdu_rsp));
	assert_int_equal(fr.type, PCP_TYPE_RESPONSE);
	assert_int_equal(fr.code, PCP_CMD_APDU);
	assert_int_equal(fr.seq, 7);
	assert_int_equal(fr.status, PCP_STATUS_OK);
	assert_int_equal(fr.len, 2);
	assert_ptr_equal(fr.payload, apdu_rsp + PCP_HDR_LEN);
	assert_int_equal(fr.payload[0], 0x90);
	assert_int_equal(fr.payload[1], 0x00);
}

static void decode_event_with_trailing_bytes(void **state)
{
	uint8_t buf[sizeof(key_evt) + 3];
	struct pcp_frame fr;

	memcpy(buf, key_evt, sizeof(key_evt));
	memset(buf + sizeof(key_evt), 0xee, 3);
	/* Only the frame's own bytes are claimed. */
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr),
			 sizeof(key_evt));
	assert_int_equal(fr.type, PCP_TYPE_EVENT);
	assert_int_equal(fr.code, PCP_EVT_KEY);
	assert_int_equal(fr.seq, 5);
	assert_int_equal(pcp_get_le16(fr.payload), PCP_KEY_0 + 5);
}

static void decode_truncated_needs_more(void **state)
{
	struct pcp_frame fr;
	size_t n;

	for (n = 0; n < sizeof(hello_cmd); n++)
		assert_int_equal(pcp_frame_decode(hello_cmd, n, 256, &fr), 0);
}

static void decode_bad_magic(void **state)
{
	uint8_t buf[sizeof(get_info_cmd)];
	struct pcp_frame fr;

	memcpy(buf, get_info_cmd, sizeof(buf));
	buf[0] = 'Q';
	/* Decided on the first byte already: no waiting for more. */
	assert_int_equal(pcp_frame_decode(buf, 1, 256, &fr), -PCP_ERR_MAGIC);
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr),
			 -PCP_ERR_MAGIC);
	buf[0] = 'P';
	buf[1] = 'D';
	assert_int_equal(pcp_frame_decode(buf, 2, 256, &fr), -PCP_ERR_MAGIC);
}

static void decode_unknown_type(void **state)
{
	uint8_t buf[sizeof(get_info_cmd)];
	struct pcp_frame fr;

	memcpy(buf, get_info_cmd, sizeof(buf));
	buf[2] = 0x04;	/* types are 1..3 */
	assert_int_equal(pcp_frame_decode(buf, 3, 256, &fr), -PCP_ERR_TYPE);
	buf[2] = 0x00;
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr),
			 -PCP_ERR_TYPE);
}

static void decode_oversize_length(void **state)
{
	uint8_t buf[PCP_HDR_LEN];
	struct pcp_frame fr;

	memcpy(buf, get_info_cmd, PCP_HDR_LEN);
	/* len 257 against a 256 limit: refused on the header alone. */
	pcp_put_le32(buf + 8, 257);
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr),
			 -PCP_ERR_LENGTH);
	/* The protocol cap holds even when the caller allows more. */
	pcp_put_le32(buf + 8, PCP_MAX_PAYLOAD + 1);
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), UINT32_MAX, &fr),
			 -PCP_ERR_LENGTH);
	/* 0xffffffff must not wrap the total length. */
	pcp_put_le32(buf + 8, UINT32_MAX);
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), UINT32_MAX, &fr),
			 -PCP_ERR_LENGTH);
	/* Exactly at the limit waits for the rest. */
	pcp_put_le32(buf + 8, 256);
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr), 0);
}

static void decode_bad_crc(void **state)
{
	uint8_t buf[sizeof(apdu_rsp)];
	struct pcp_frame fr;

	memcpy(buf, apdu_rsp, sizeof(buf));
	buf[sizeof(buf) - 1] ^= 0x01;	/* CRC byte */
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr),
			 -PCP_ERR_CRC);
	memcpy(buf, apdu_rsp, sizeof(buf));
	buf[12] ^= 0x80;		/* payload byte */
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr),
			 -PCP_ERR_CRC);
	memcpy(buf, apdu_rsp, sizeof(buf));
	buf[4] ^= 0x01;			/* seq byte */
	assert_int_equal(pcp_frame_decode(buf, sizeof(buf), 256, &fr),
			 -PCP_ERR_CRC);
}

/* Every single-bit flip anywhere in a frame is caught, never accepted. */
static void decode_every_bit_flip_rejected(void **state)
{
	uint8_t buf[sizeof(key_evt)];
	struct pcp_frame fr;
	size_t i;
	int bit, ret;

	for (i = 0; i < sizeof(buf); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, key_evt, sizeof(buf));
			buf[i] ^= 1u << bit;
			ret = pcp_frame_decode(buf, sizeof(buf), 256, &fr);
			/* a longer len may legitimately ask for more bytes */
			if (i >= 8 && i < 12 && ret == 0)
				continue;
			assert_true(ret < 0);
		}
	}
}

/* ---- assembler ---- */

static void asm_one_frame(void **state)
{
	struct asm_fixture *f = *state;
	struct pcp_frame fr;

	assert_int_equal(pcp_asm_feed(&f->a, apdu_rsp, sizeof(apdu_rsp)),
			 sizeof(apdu_rsp));
	assert_true(pcp_asm_next(&f->a, &fr));
	assert_int_equal(fr.code, PCP_CMD_APDU);
	assert_int_equal(fr.len, 2);
	assert_int_equal(fr.payload[0], 0x90);
	assert_false(pcp_asm_next(&f->a, &fr));
	assert_int_equal(f->a.fill, 0);
	assert_int_equal(f->a.bad_magic + f->a.bad_crc + f->a.bad_length +
			 f->a.bad_type, 0);
}

static void asm_two_frames_one_feed(void **state)
{
	struct asm_fixture *f = *state;
	uint8_t buf[sizeof(apdu_rsp) + sizeof(key_evt)];
	struct pcp_frame fr[4];

	memcpy(buf, apdu_rsp, sizeof(apdu_rsp));
	memcpy(buf + sizeof(apdu_rsp), key_evt, sizeof(key_evt));
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), fr, 4), 2);
	assert_int_equal(fr[0].type, PCP_TYPE_RESPONSE);
	assert_int_equal(fr[0].seq, 7);
	assert_int_equal(fr[1].type, PCP_TYPE_EVENT);
	assert_int_equal(fr[1].seq, 5);
}

static void asm_frame_split_byte_by_byte(void **state)
{
	struct asm_fixture *f = *state;
	struct pcp_frame fr;
	size_t i;

	for (i = 0; i < sizeof(hello_cmd) - 1; i++) {
		assert_int_equal(pcp_asm_feed(&f->a, hello_cmd + i, 1), 1);
		assert_false(pcp_asm_next(&f->a, &fr));
	}
	assert_int_equal(pcp_asm_feed(&f->a, hello_cmd + i, 1), 1);
	assert_true(pcp_asm_next(&f->a, &fr));
	assert_int_equal(fr.code, PCP_CMD_HELLO);
	assert_int_equal(fr.seq, 0x0102);
	assert_memory_equal(fr.payload, "\x01\x00\x01\x00", 4);
}

static void asm_frame_split_across_two_feeds(void **state)
{
	struct asm_fixture *f = *state;
	struct pcp_frame fr;

	/* Split inside the header, then the rest with a second frame. */
	assert_int_equal(feed_all(&f->a, apdu_rsp, 5, &fr, 1), 0);
	assert_int_equal(feed_all(&f->a, apdu_rsp + 5, sizeof(apdu_rsp) - 5,
				  &fr, 1), 1);
	assert_int_equal(fr.seq, 7);
}

static void asm_garbage_before_frame(void **state)
{
	struct asm_fixture *f = *state;
	/* 5 garbage bytes, one of them a lone 'P' not followed by 'C'. */
	const uint8_t garbage[] = { 0x00, 0xff, 'P', 'x', 0x43 };
	uint8_t buf[sizeof(garbage) + sizeof(key_evt)];
	struct pcp_frame fr;

	memcpy(buf, garbage, sizeof(garbage));
	memcpy(buf + sizeof(garbage), key_evt, sizeof(key_evt));
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), &fr, 1), 1);
	assert_int_equal(fr.code, PCP_EVT_KEY);
	assert_int_equal(f->a.bad_magic, 5);
}

static void asm_bad_crc_then_good(void **state)
{
	struct asm_fixture *f = *state;
	uint8_t buf[sizeof(apdu_rsp) + sizeof(key_evt)];
	struct pcp_frame fr[2];

	memcpy(buf, apdu_rsp, sizeof(apdu_rsp));
	buf[13] ^= 0xff;	/* payload 90 00 -> 90 ff */
	memcpy(buf + sizeof(apdu_rsp), key_evt, sizeof(key_evt));
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), fr, 2), 1);
	assert_int_equal(fr[0].type, PCP_TYPE_EVENT);
	assert_int_equal(f->a.bad_crc, 1);
	/* The whole 18-byte bad frame was skipped (it holds no other 'P'). */
	assert_int_equal(f->a.bad_magic, sizeof(apdu_rsp));
}

static void asm_oversize_then_good(void **state)
{
	struct asm_fixture *f = *state;
	uint8_t buf[PCP_HDR_LEN + sizeof(key_evt)];
	struct pcp_frame fr;

	memcpy(buf, get_info_cmd, PCP_HDR_LEN);
	pcp_put_le32(buf + 8, ASM_MAX_PAYLOAD + 1);
	memcpy(buf + PCP_HDR_LEN, key_evt, sizeof(key_evt));
	/* Rejected at once: the event behind it is not swallowed. */
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), &fr, 1), 1);
	assert_int_equal(fr.code, PCP_EVT_KEY);
	assert_int_equal(f->a.bad_length, 1);
}

static void asm_unknown_type_then_good(void **state)
{
	struct asm_fixture *f = *state;
	uint8_t buf[sizeof(get_info_cmd) + sizeof(key_evt)];
	struct pcp_frame fr;

	memcpy(buf, get_info_cmd, sizeof(get_info_cmd));
	buf[2] = 0x7f;
	memcpy(buf + sizeof(get_info_cmd), key_evt, sizeof(key_evt));
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), &fr, 1), 1);
	assert_int_equal(fr.code, PCP_EVT_KEY);
	assert_int_equal(f->a.bad_type, 1);
}

/* A frame hidden inside a corrupt one's payload is still found. */
static void asm_resync_inside_rejected_frame(void **state)
{
	struct asm_fixture *f = *state;
	uint8_t buf[PCP_OVERHEAD + sizeof(key_evt)];
	struct pcp_frame fr;
	int len;

	len = pcp_frame_encode(buf, sizeof(buf), PCP_TYPE_EVENT, PCP_EVT_MSR,
			       9, 0, key_evt, sizeof(key_evt));
	assert_int_equal(len, sizeof(buf));
	buf[sizeof(buf) - 1] ^= 0x55;	/* break the outer CRC */
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), &fr, 1), 1);
	assert_int_equal(fr.code, PCP_EVT_KEY);
	assert_int_equal(fr.seq, 5);
	assert_int_equal(f->a.bad_crc, 1);
}

/* More garbage than the buffer holds, then a frame: the loop progresses. */
static void asm_flood_of_garbage(void **state)
{
	struct asm_fixture *f = *state;
	uint8_t buf[3 * ASM_BUF_SIZE + sizeof(key_evt)];
	struct pcp_frame fr;

	memset(buf, 'P', 3 * ASM_BUF_SIZE);	/* 'P' without 'C' */
	memcpy(buf + 3 * ASM_BUF_SIZE, key_evt, sizeof(key_evt));
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), &fr, 1), 1);
	assert_int_equal(fr.code, PCP_EVT_KEY);
	assert_int_equal(f->a.bad_magic, 3 * ASM_BUF_SIZE);
}

static void asm_largest_frame_fits(void **state)
{
	struct asm_fixture *f = *state;
	static uint8_t payload[ASM_MAX_PAYLOAD];
	static uint8_t frame[ASM_BUF_SIZE];
	struct pcp_frame fr;

	memset(payload, 0xa5, sizeof(payload));
	assert_int_equal(pcp_frame_encode(frame, sizeof(frame),
					  PCP_TYPE_RESPONSE, PCP_CMD_APDU, 3,
					  0, payload, sizeof(payload)),
			 ASM_BUF_SIZE);
	assert_int_equal(pcp_asm_feed(&f->a, frame, sizeof(frame)),
			 sizeof(frame));
	assert_true(pcp_asm_next(&f->a, &fr));
	assert_int_equal(fr.len, ASM_MAX_PAYLOAD);
	assert_memory_equal(fr.payload, payload, sizeof(payload));
}

static void asm_init_clamps_max_payload(void **state)
{
	struct pcp_assembler a;
	uint8_t buf[PCP_OVERHEAD + 8];

	pcp_asm_init(&a, buf, sizeof(buf), 1000);
	assert_int_equal(a.max_payload, 8);
}

static void asm_reset_wipes(void **state)
{
	struct asm_fixture *f = *state;
	struct pcp_frame fr;
	size_t i;

	assert_int_equal(pcp_asm_feed(&f->a, key_evt, 10), 10);
	assert_false(pcp_asm_next(&f->a, &fr));
	pcp_asm_reset(&f->a);
	assert_int_equal(f->a.fill, 0);
	for (i = 0; i < sizeof(f->buf); i++)
		assert_int_equal(f->buf[i], 0);
	/* and it still works afterwards */
	assert_int_equal(feed_all(&f->a, key_evt, sizeof(key_evt), &fr, 1), 1);
}

/* Consumed frames do not linger in the buffer (they may be track data). */
static void asm_consumed_frame_wiped(void **state)
{
	struct asm_fixture *f = *state;
	struct pcp_frame fr;
	size_t i;

	assert_int_equal(feed_all(&f->a, key_evt, sizeof(key_evt), &fr, 1), 1);
	assert_false(pcp_asm_next(&f->a, &fr));
	for (i = 0; i < sizeof(f->buf); i++)
		assert_int_equal(f->buf[i], 0);
}

/* A stalled partial frame no longer hides the frames sent after it. */
static void asm_expire_stalled_frame(void **state)
{
	struct asm_fixture *f = *state;
	uint8_t buf[PCP_HDR_LEN + sizeof(key_evt)];
	struct pcp_frame fr;

	/* header of a 100-byte frame whose payload never comes */
	memcpy(buf, get_info_cmd, PCP_HDR_LEN);
	pcp_put_le32(buf + 8, 100);
	memcpy(buf + PCP_HDR_LEN, key_evt, sizeof(key_evt));
	assert_int_equal(feed_all(&f->a, buf, sizeof(buf), &fr, 1), 0);
	assert_true(pcp_asm_expire(&f->a));
	assert_int_equal(f->a.truncated, 1);
	assert_true(pcp_asm_next(&f->a, &fr));
	assert_int_equal(fr.code, PCP_EVT_KEY);
	assert_false(pcp_asm_next(&f->a, &fr));
	/* nothing buffered: nothing to expire */
	assert_false(pcp_asm_expire(&f->a));
	assert_int_equal(f->a.truncated, 1);
}

/*
 * The userspace build of the status map (paycardd's libusb transport uses
 * it): docs/reader-protocol.md section 7 row by row, values as numbers so a
 * wrong PCP_STATUS_* constant fails too; unlisted values count as INTERNAL.
 */
static void status_errno_follows_protocol_table(void **state)
{
	static const struct {
		uint16_t status;
		int err;
	} table[] = {
		{ 0x0000, 0 }, { 0x0001, -EOPNOTSUPP }, { 0x0002, -EINVAL },
		{ 0x0003, -EBUSY }, { 0x0004, -ENOMEDIUM }, { 0x0005, -EIO },
		{ 0x0006, -ETIMEDOUT }, { 0x0007, -ECANCELED }, { 0x0008, -EPROTO },
		{ 0x0009, -EMSGSIZE }, { 0x00FF, -EIO },
		{ 0x000A, -EIO }, { 0x0100, -EIO }, { 0xFFFF, -EIO },	/* unlisted */
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		assert_int_equal(pcp_status_errno(table[i].status), table[i].err);
}

#define ASM_TEST(fn) cmocka_unit_test_setup_teardown(fn, asm_setup, asm_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc_check_value),
		cmocka_unit_test(crc_chains_like_zlib),
		cmocka_unit_test(encode_get_info),
		cmocka_unit_test(encode_hello_little_endian),
		cmocka_unit_test(encode_exact_space),
		cmocka_unit_test(encode_too_long),
		cmocka_unit_test(decode_response),
		cmocka_unit_test(decode_event_with_trailing_bytes),
		cmocka_unit_test(decode_truncated_needs_more),
		cmocka_unit_test(decode_bad_magic),
		cmocka_unit_test(decode_unknown_type),
		cmocka_unit_test(decode_oversize_length),
		cmocka_unit_test(decode_bad_crc),
		cmocka_unit_test(decode_every_bit_flip_rejected),
		ASM_TEST(asm_one_frame),
		ASM_TEST(asm_two_frames_one_feed),
		ASM_TEST(asm_frame_split_byte_by_byte),
		ASM_TEST(asm_frame_split_across_two_feeds),
		ASM_TEST(asm_garbage_before_frame),
		ASM_TEST(asm_bad_crc_then_good),
		ASM_TEST(asm_oversize_then_good),
		ASM_TEST(asm_unknown_type_then_good),
		ASM_TEST(asm_resync_inside_rejected_frame),
		ASM_TEST(asm_flood_of_garbage),
		ASM_TEST(asm_largest_frame_fits),
		cmocka_unit_test(asm_init_clamps_max_payload),
		ASM_TEST(asm_reset_wipes),
		ASM_TEST(asm_consumed_frame_wiped),
		ASM_TEST(asm_expire_stalled_frame),
		cmocka_unit_test(status_errno_follows_protocol_table),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
