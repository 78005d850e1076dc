// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the PCP frame codec (kernel/paycard_frame.c).
 *
 * Expected frames below were built by hand from the layout in
 * include/paycard/protocol.h; their CRC-32 trailers were computed with
 * Python's zlib.crc32 (an independent CRC-32/ISO-HDLC implementation), and
 * the CRC check value 0xCBF43926 for "123456789" is the catalogue value of
 * CRC-32/ISO-HDLC.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <paycard/frame.h>

/* HELLO command, seq 1, payload {1, 0, 1, 0}: host speaks 1.0 to 1.0. */
static const u8 hello_cmd[] = {
	0x50, 0x43, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x77, 0xbe, 0xb5, 0x01,
};

/* HELLO response to seq 1: version 1.0, reserved 0. */
static const u8 hello_rsp[] = {
	0x50, 0x43, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0xed, 0xaa, 0xcf, 0x64,
};

/* CARD_REMOVED event, event counter 0x1234, empty payload. */
static const u8 removed_evt[] = {
	0x50, 0x43, 0x03, 0x81, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xe2, 0x9c, 0xdb, 0x63,
};

/* KEY event, counter 7, key '5'. */
static const u8 key_evt[] = {
	0x50, 0x43, 0x03, 0x83, 0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
	0x35, 0x00, 0x00, 0x00, 0xd1, 0x11, 0x82, 0xa9,
};

/* APDU response, seq 0xBEEF, status BUSY, no payload. */
static const u8 busy_rsp[] = {
	0x50, 0x43, 0x02, 0x12, 0xef, 0xbe, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xd9, 0x28, 0xe9, 0x22,
};

/* Report the first differing byte (6.1's KUnit has no MEMEQ assertion). */
static void expect_bytes(struct kunit *test, const u8 *got, const u8 *want,
			 size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			KUNIT_FAIL(test, "byte %zu: got 0x%02x, want 0x%02x",
				   i, got[i], want[i]);
			return;
		}
	}
}

static void crc32_check_value_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pcp_crc32(0, (const u8 *)"123456789", 9), 0xcbf43926u);
	KUNIT_EXPECT_EQ(test, pcp_crc32(0, NULL, 0), 0u);
}

static void crc32_incremental_test(struct kunit *test)
{
	u32 crc = pcp_crc32(0, (const u8 *)"1234", 4);

	KUNIT_EXPECT_EQ(test, pcp_crc32(crc, (const u8 *)"56789", 5), 0xcbf43926u);
}

static void le_helpers_test(struct kunit *test)
{
	u8 b[4];

	pcp_put_le16(b, 0xbeef);
	KUNIT_EXPECT_EQ(test, b[0], 0xef);
	KUNIT_EXPECT_EQ(test, b[1], 0xbe);
	KUNIT_EXPECT_EQ(test, pcp_get_le16(b), 0xbeef);
	pcp_put_le32(b, 0x01020304);
	KUNIT_EXPECT_EQ(test, b[0], 0x04);
	KUNIT_EXPECT_EQ(test, b[3], 0x01);
	KUNIT_EXPECT_EQ(test, pcp_get_le32(b), 0x01020304u);
	pcp_put_le32(b, 0xffffffff);
	KUNIT_EXPECT_EQ(test, pcp_get_le32(b), 0xffffffffu);
}

/* One hand-built frame per type: encode must give exactly its bytes. */
struct frame_vector {
	const char *name;
	const u8 *bytes;
	size_t size;
	u8 type;
	u8 code;
	u16 seq;
	u16 status;
	u32 len;
};

static const struct frame_vector frame_vectors[] = {
	{ "command HELLO", hello_cmd, sizeof(hello_cmd),
	  PCP_TYPE_COMMAND, PCP_CMD_HELLO, 1, 0, 4 },
	{ "response HELLO", hello_rsp, sizeof(hello_rsp),
	  PCP_TYPE_RESPONSE, PCP_CMD_HELLO, 1, PCP_STATUS_OK, 4 },
	{ "response BUSY", busy_rsp, sizeof(busy_rsp),
	  PCP_TYPE_RESPONSE, PCP_CMD_APDU, 0xbeef, PCP_STATUS_BUSY, 0 },
	{ "event CARD_REMOVED", removed_evt, sizeof(removed_evt),
	  PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED, 0x1234, 0, 0 },
	{ "event KEY", key_evt, sizeof(key_evt),
	  PCP_TYPE_EVENT, PCP_EVT_KEY, 7, 0, 4 },
};

static void frame_vector_desc(const struct frame_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(frame_vector, frame_vectors, frame_vector_desc);

static void encode_vector_test(struct kunit *test)
{
	const struct frame_vector *v = test->param_value;
	u8 out[32];
	int ret;

	memset(out, 0xaa, sizeof(out));
	ret = pcp_frame_encode(out, sizeof(out), v->type, v->code, v->seq,
			       v->status, v->bytes + PCP_HDR_LEN, v->len);
	KUNIT_ASSERT_EQ(test, ret, (int)v->size);
	expect_bytes(test, out, v->bytes, v->size);
	/* Nothing written past the frame. */
	KUNIT_EXPECT_EQ(test, out[v->size], 0xaa);
}

static void decode_vector_test(struct kunit *test)
{
	const struct frame_vector *v = test->param_value;
	struct pcp_frame f;
	int ret;

	ret = pcp_frame_decode(v->bytes, v->size, PCP_MAX_PAYLOAD, &f);
	KUNIT_ASSERT_EQ(test, ret, (int)v->size);
	KUNIT_EXPECT_EQ(test, f.type, v->type);
	KUNIT_EXPECT_EQ(test, f.code, v->code);
	KUNIT_EXPECT_EQ(test, f.seq, v->seq);
	KUNIT_EXPECT_EQ(test, f.status, v->status);
	KUNIT_EXPECT_EQ(test, f.len, v->len);
	KUNIT_EXPECT_PTR_EQ(test, f.payload, v->bytes + PCP_HDR_LEN);
}

static void encode_no_space_test(struct kunit *test)
{
	u8 out[sizeof(hello_cmd)];
	u8 payload[4] = { 1, 0, 1, 0 };

	KUNIT_EXPECT_EQ(test, pcp_frame_encode(out, sizeof(out) - 1,
					       PCP_TYPE_COMMAND, PCP_CMD_HELLO,
					       1, 0, payload, 4),
			-PCP_ERR_SPACE);
	KUNIT_EXPECT_EQ(test, pcp_frame_encode(out, 0, PCP_TYPE_EVENT,
					       PCP_EVT_CARD_REMOVED, 1, 0,
					       NULL, 0),
			-PCP_ERR_SPACE);
	/* Exactly enough room is enough. */
	KUNIT_EXPECT_EQ(test, pcp_frame_encode(out, sizeof(out),
					       PCP_TYPE_COMMAND, PCP_CMD_HELLO,
					       1, 0, payload, 4),
			(int)sizeof(hello_cmd));
}

static void encode_too_long_test(struct kunit *test)
{
	u8 out[PCP_OVERHEAD];

	/* The length is refused before the (absent) payload is touched. */
	KUNIT_EXPECT_EQ(test, pcp_frame_encode(out, SIZE_MAX, PCP_TYPE_COMMAND,
					       PCP_CMD_APDU, 1, 0, NULL,
					       PCP_MAX_PAYLOAD + 1),
			-PCP_ERR_LENGTH);
}

/* Largest legal frame: encodes and decodes back with the same payload. */
static void max_payload_roundtrip_test(struct kunit *test)
{
	size_t size = PCP_MAX_FRAME;
	u8 *payload = kunit_kmalloc(test, PCP_MAX_PAYLOAD, GFP_KERNEL);
	u8 *out = kunit_kmalloc(test, size, GFP_KERNEL);
	struct pcp_frame f;
	u32 i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, payload);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	for (i = 0; i < PCP_MAX_PAYLOAD; i++)
		payload[i] = i * 7;
	KUNIT_ASSERT_EQ(test, pcp_frame_encode(out, size, PCP_TYPE_COMMAND,
					       PCP_CMD_APDU, 9, 0, payload,
					       PCP_MAX_PAYLOAD),
			(int)PCP_MAX_FRAME);
	KUNIT_ASSERT_EQ(test, pcp_frame_decode(out, size, PCP_MAX_PAYLOAD, &f),
			(int)PCP_MAX_FRAME);
	KUNIT_EXPECT_EQ(test, f.len, (u32)PCP_MAX_PAYLOAD);
	expect_bytes(test, f.payload, payload, PCP_MAX_PAYLOAD);
	/* A reader limit one byte lower refuses the same frame. */
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(out, size, PCP_MAX_PAYLOAD - 1,
					       &f),
			-PCP_ERR_LENGTH);
}

/* Every strict prefix of a valid frame asks for more bytes. */
static void decode_prefix_needs_more_test(struct kunit *test)
{
	struct pcp_frame f;
	size_t n;

	for (n = 0; n < sizeof(hello_cmd); n++)
		KUNIT_EXPECT_EQ_MSG(test, pcp_frame_decode(hello_cmd, n,
							   PCP_MAX_PAYLOAD, &f),
				    0, "prefix of %zu bytes", n);
}

static void decode_trailing_bytes_test(struct kunit *test)
{
	u8 buf[sizeof(removed_evt) + 3];
	struct pcp_frame f;

	memcpy(buf, removed_evt, sizeof(removed_evt));
	memcpy(buf + sizeof(removed_evt), "PC\x01", 3);
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf),
					       PCP_MAX_PAYLOAD, &f),
			(int)sizeof(removed_evt));
}

static void decode_bad_magic_test(struct kunit *test)
{
	u8 buf[sizeof(hello_cmd)];
	struct pcp_frame f;

	memcpy(buf, hello_cmd, sizeof(buf));
	buf[0] = 'Q';
	/* Decided on the first byte, without waiting for a header. */
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, 1, PCP_MAX_PAYLOAD, &f),
			-PCP_ERR_MAGIC);
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf),
					       PCP_MAX_PAYLOAD, &f),
			-PCP_ERR_MAGIC);
	buf[0] = PCP_MAGIC0;
	buf[1] = PCP_MAGIC0;
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, 2, PCP_MAX_PAYLOAD, &f),
			-PCP_ERR_MAGIC);
}

static void decode_bad_type_test(struct kunit *test)
{
	static const u8 bad_types[] = { 0x00, 0x04, 0x7f, 0xff };
	u8 buf[sizeof(hello_cmd)];
	struct pcp_frame f;
	size_t i;

	memcpy(buf, hello_cmd, sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(bad_types); i++) {
		buf[2] = bad_types[i];
		/* Three bytes are enough to refuse it. */
		KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, 3, PCP_MAX_PAYLOAD,
						       &f),
				-PCP_ERR_TYPE);
		KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf),
						       PCP_MAX_PAYLOAD, &f),
				-PCP_ERR_TYPE);
	}
}

static void decode_bad_length_test(struct kunit *test)
{
	u8 buf[sizeof(hello_cmd)];
	struct pcp_frame f;

	memcpy(buf, hello_cmd, sizeof(buf));
	/* len 4 against a limit of 3: refused on the header alone. */
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, PCP_HDR_LEN, 3, &f),
			-PCP_ERR_LENGTH);
	/* Above the protocol cap even when the caller allows anything. */
	pcp_put_le32(buf + 8, PCP_MAX_PAYLOAD + 1);
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf), U32_MAX, &f),
			-PCP_ERR_LENGTH);
	pcp_put_le32(buf + 8, U32_MAX);
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf), U32_MAX, &f),
			-PCP_ERR_LENGTH);
}

static void decode_bad_crc_test(struct kunit *test)
{
	u8 buf[sizeof(hello_rsp)];
	struct pcp_frame f;

	memcpy(buf, hello_rsp, sizeof(buf));
	buf[sizeof(buf) - 1] ^= 0x80;
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf),
					       PCP_MAX_PAYLOAD, &f),
			-PCP_ERR_CRC);
	memcpy(buf, hello_rsp, sizeof(buf));
	buf[PCP_HDR_LEN] ^= 0x01;	/* payload byte */
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf),
					       PCP_MAX_PAYLOAD, &f),
			-PCP_ERR_CRC);
	memcpy(buf, hello_rsp, sizeof(buf));
	buf[3] ^= 0x02;			/* code byte: covered by the CRC */
	KUNIT_EXPECT_EQ(test, pcp_frame_decode(buf, sizeof(buf),
					       PCP_MAX_PAYLOAD, &f),
			-PCP_ERR_CRC);
}

/*
 * CRC-32 detects every single-bit error, and the header checks catch the
 * rest: no single flipped bit anywhere may decode as a whole frame.
 */
static void decode_any_bit_flip_rejected_test(struct kunit *test)
{
	u8 buf[sizeof(key_evt)];
	struct pcp_frame f;
	size_t bit;
	int ret;

	for (bit = 0; bit < sizeof(buf) * 8; bit++) {
		memcpy(buf, key_evt, sizeof(buf));
		buf[bit / 8] ^= 1 << (bit % 8);
		ret = pcp_frame_decode(buf, sizeof(buf), PCP_MAX_PAYLOAD, &f);
		KUNIT_EXPECT_LE_MSG(test, ret, 0, "bit %zu flipped", bit);
	}
}

/* ---- stream assembler ---- */

struct asm_ctx {
	struct pcp_assembler a;
	u8 buf[256];
};

static struct asm_ctx *asm_ctx_new(struct kunit *test, u32 max_payload)
{
	struct asm_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	pcp_asm_init(&ctx->a, ctx->buf, sizeof(ctx->buf), max_payload);
	return ctx;
}

static void feed_all(struct kunit *test, struct pcp_assembler *a,
		     const void *data, size_t len)
{
	KUNIT_ASSERT_EQ(test, pcp_asm_feed(a, data, len), len);
}

static void expect_frame(struct kunit *test, struct pcp_assembler *a,
			 u8 type, u8 code, u16 seq)
{
	struct pcp_frame f;

	KUNIT_ASSERT_TRUE(test, pcp_asm_next(a, &f));
	KUNIT_EXPECT_EQ(test, f.type, type);
	KUNIT_EXPECT_EQ(test, f.code, code);
	KUNIT_EXPECT_EQ(test, f.seq, seq);
}

static void expect_no_frame(struct kunit *test, struct pcp_assembler *a)
{
	struct pcp_frame f;

	KUNIT_EXPECT_FALSE(test, pcp_asm_next(a, &f));
}

static void asm_whole_frame_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	struct pcp_frame f;

	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	KUNIT_ASSERT_TRUE(test, pcp_asm_next(&ctx->a, &f));
	KUNIT_EXPECT_EQ(test, f.code, PCP_EVT_KEY);
	KUNIT_ASSERT_EQ(test, f.len, 4u);
	KUNIT_EXPECT_EQ(test, pcp_get_le16(f.payload), PCP_KEY_0 + 5);
	expect_no_frame(test, &ctx->a);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_magic, 0u);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_crc, 0u);
}

/* Frames spanning reads: one byte at a time, nothing early. */
static void asm_byte_by_byte_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	size_t i;

	for (i = 0; i < sizeof(hello_rsp) - 1; i++) {
		feed_all(test, &ctx->a, &hello_rsp[i], 1);
		expect_no_frame(test, &ctx->a);
	}
	feed_all(test, &ctx->a, &hello_rsp[i], 1);
	expect_frame(test, &ctx->a, PCP_TYPE_RESPONSE, PCP_CMD_HELLO, 1);
	expect_no_frame(test, &ctx->a);
}

/* Several frames in one read come out in order. */
static void asm_several_frames_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);

	feed_all(test, &ctx->a, removed_evt, sizeof(removed_evt));
	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	feed_all(test, &ctx->a, busy_rsp, sizeof(busy_rsp));
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED,
		     0x1234);
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_KEY, 7);
	expect_frame(test, &ctx->a, PCP_TYPE_RESPONSE, PCP_CMD_APDU, 0xbeef);
	expect_no_frame(test, &ctx->a);
}

/* A read ending mid-frame and the next one completing it. */
static void asm_split_across_feeds_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	u8 two[sizeof(removed_evt) + sizeof(key_evt)];
	size_t cut = sizeof(removed_evt) + 5;

	memcpy(two, removed_evt, sizeof(removed_evt));
	memcpy(two + sizeof(removed_evt), key_evt, sizeof(key_evt));
	feed_all(test, &ctx->a, two, cut);
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED,
		     0x1234);
	expect_no_frame(test, &ctx->a);
	feed_all(test, &ctx->a, two + cut, sizeof(two) - cut);
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_KEY, 7);
}

/* Line noise before a frame is skipped and counted byte for byte. */
static void asm_resync_after_garbage_test(struct kunit *test)
{
	static const u8 noise[] = { 0x00, 0xff, 0x13, 0x43, 0x50, 0x50, 0x44 };
	struct asm_ctx *ctx = asm_ctx_new(test, 64);

	feed_all(test, &ctx->a, noise, sizeof(noise));
	feed_all(test, &ctx->a, hello_rsp, sizeof(hello_rsp));
	expect_frame(test, &ctx->a, PCP_TYPE_RESPONSE, PCP_CMD_HELLO, 1);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_magic, (u32)sizeof(noise));
	expect_no_frame(test, &ctx->a);
}

/* An SPI idle pattern (0x00 or 0xFF fill) between frames is skipped. */
static void asm_idle_fill_between_frames_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	u8 fill[16];

	memset(fill, 0xff, sizeof(fill));
	feed_all(test, &ctx->a, removed_evt, sizeof(removed_evt));
	feed_all(test, &ctx->a, fill, sizeof(fill));
	memset(fill, 0x00, sizeof(fill));
	feed_all(test, &ctx->a, fill, sizeof(fill));
	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED,
		     0x1234);
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_KEY, 7);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_magic, 32u);
}

static void asm_bad_crc_then_good_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	u8 bad[sizeof(key_evt)];

	memcpy(bad, key_evt, sizeof(bad));
	bad[PCP_HDR_LEN] ^= 0x01;
	feed_all(test, &ctx->a, bad, sizeof(bad));
	feed_all(test, &ctx->a, hello_rsp, sizeof(hello_rsp));
	expect_frame(test, &ctx->a, PCP_TYPE_RESPONSE, PCP_CMD_HELLO, 1);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_crc, 1u);
	expect_no_frame(test, &ctx->a);
}

/* A header claiming a payload above the limit does not stall the stream. */
static void asm_bad_length_then_good_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 16);
	u8 bad[PCP_HDR_LEN];

	memcpy(bad, hello_cmd, PCP_HDR_LEN);
	pcp_put_le32(bad + 8, 17);
	feed_all(test, &ctx->a, bad, sizeof(bad));
	feed_all(test, &ctx->a, removed_evt, sizeof(removed_evt));
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED,
		     0x1234);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_length, 1u);
}

static void asm_bad_type_then_good_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	u8 bad[sizeof(hello_cmd)];

	memcpy(bad, hello_cmd, sizeof(bad));
	bad[2] = 0x09;
	feed_all(test, &ctx->a, bad, sizeof(bad));
	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_KEY, 7);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_type, 1u);
}

/*
 * A frame truncated by a reader reset, then a whole frame: the truncated
 * header's length swallows the start of the next frame, whose CRC check
 * then fails; the assembler must rescan inside the rejected bytes and still
 * find the whole frame.
 */
static void asm_truncated_frame_then_good_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);

	feed_all(test, &ctx->a, hello_rsp, PCP_HDR_LEN + 2);
	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_KEY, 7);
	expect_no_frame(test, &ctx->a);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_crc, 1u);
}

/* The frame handed out stays intact until the next feed/next call. */
static void asm_payload_stable_until_next_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	struct pcp_frame f;

	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	feed_all(test, &ctx->a, hello_rsp, sizeof(hello_rsp));
	KUNIT_ASSERT_TRUE(test, pcp_asm_next(&ctx->a, &f));
	KUNIT_ASSERT_EQ(test, f.len, 4u);
	expect_bytes(test, f.payload, key_evt + PCP_HDR_LEN, 4);
	KUNIT_ASSERT_TRUE(test, pcp_asm_next(&ctx->a, &f));
	expect_bytes(test, f.payload, hello_rsp + PCP_HDR_LEN, 4);
}

/*
 * A full buffer holding no complete frame is discarded (counted as
 * bad_length) so the stream can go on; the feed reports what it took.
 */
static void asm_full_buffer_recovers_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	u8 junk[sizeof(ctx->buf) + 10];
	size_t took, total = 0;
	int rounds = 0;

	/* A header promising 64 bytes, then never a valid CRC. */
	memset(junk, 0x5a, sizeof(junk));
	memcpy(junk, hello_cmd, PCP_HDR_LEN);
	pcp_put_le32(junk + 8, 64);
	while (total < sizeof(junk) && rounds++ < 4) {
		took = pcp_asm_feed(&ctx->a, junk + total, sizeof(junk) - total);
		total += took;
		expect_no_frame(test, &ctx->a);
	}
	KUNIT_EXPECT_EQ(test, total, sizeof(junk));
	KUNIT_EXPECT_GE(test, ctx->a.bad_crc + ctx->a.bad_length, 1u);
	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_KEY, 7);
}

/*
 * Resync bait from a hostile reader (issue 12): a header announcing the
 * largest payload, then 'P' bytes (each a candidate magic) and a bad CRC,
 * fed in 512-byte USB transfers.  Each rejected byte once moved the whole
 * 64 KiB buffer, ~65,000 times, under the spinlock of the URB completion;
 * the work must stay linear in the bytes fed: every byte is moved at most
 * once after it arrived.
 */
static void asm_resync_bait_linear_test(struct kunit *test)
{
	const size_t total = PCP_MAX_FRAME, chunk = 512;
	struct pcp_assembler a;
	u8 *buf, *bait;
	size_t off, n;

	buf = kunit_kzalloc(test, PCP_MAX_FRAME, GFP_KERNEL);
	bait = kunit_kmalloc(test, total, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bait);
	pcp_asm_init(&a, buf, PCP_MAX_FRAME, PCP_MAX_PAYLOAD);

	memset(bait, PCP_MAGIC0, total);
	memcpy(bait, hello_cmd, PCP_HDR_LEN);
	pcp_put_le32(bait + 8, PCP_MAX_PAYLOAD);
	/* a zero trailer, which must not happen to be the right CRC */
	KUNIT_ASSERT_NE(test, pcp_crc32(0, bait, PCP_HDR_LEN + PCP_MAX_PAYLOAD),
			0u);
	memset(bait + PCP_HDR_LEN + PCP_MAX_PAYLOAD, 0, PCP_CRC_LEN);

	for (off = 0; off < total; off += n) {
		n = min(chunk, total - off);
		feed_all(test, &a, bait + off, n);
		expect_no_frame(test, &a);
	}
	KUNIT_EXPECT_EQ(test, a.bad_crc, 1u);
	KUNIT_EXPECT_EQ(test, a.bad_magic, (u32)total);
	KUNIT_EXPECT_LE(test, a.moved, (u64)total);

	feed_all(test, &a, key_evt, sizeof(key_evt));
	expect_frame(test, &a, PCP_TYPE_EVENT, PCP_EVT_KEY, 7);
}

static void asm_reset_wipes_keeps_counters_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	size_t i;

	feed_all(test, &ctx->a, "xx", 2);
	feed_all(test, &ctx->a, key_evt, sizeof(key_evt) - 1);
	expect_no_frame(test, &ctx->a);
	pcp_asm_reset(&ctx->a);
	KUNIT_EXPECT_EQ(test, ctx->a.fill, 0u);
	for (i = 0; i < sizeof(ctx->buf); i++)
		KUNIT_EXPECT_EQ_MSG(test, ctx->buf[i], 0, "byte %zu", i);
	KUNIT_EXPECT_EQ(test, ctx->a.bad_magic, 2u);
	/* The rest of the old frame is now noise before a good one. */
	feed_all(test, &ctx->a, key_evt + sizeof(key_evt) - 1, 1);
	feed_all(test, &ctx->a, hello_rsp, sizeof(hello_rsp));
	expect_frame(test, &ctx->a, PCP_TYPE_RESPONSE, PCP_CMD_HELLO, 1);
}

/* Consumed frames are wiped from the buffer (they may hold key presses). */
static void asm_consumed_bytes_wiped_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	struct pcp_frame f;
	size_t i;

	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	KUNIT_ASSERT_TRUE(test, pcp_asm_next(&ctx->a, &f));
	KUNIT_EXPECT_FALSE(test, pcp_asm_next(&ctx->a, &f));
	for (i = 0; i < sizeof(ctx->buf); i++)
		KUNIT_EXPECT_EQ_MSG(test, ctx->buf[i], 0, "byte %zu", i);
}

/*
 * A sender stalled mid-frame, then sent a whole frame: the stale header
 * (promising 40 bytes) holds the new frame hostage until
 * pcp_asm_expire(); then the new frame is found and the stall counted once.
 */
static void asm_expire_after_stall_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	u8 stale[PCP_HDR_LEN + 1];

	memcpy(stale, hello_cmd, sizeof(stale));
	pcp_put_le32(stale + 8, 40);
	feed_all(test, &ctx->a, stale, sizeof(stale));
	feed_all(test, &ctx->a, removed_evt, sizeof(removed_evt));
	expect_no_frame(test, &ctx->a);
	KUNIT_EXPECT_TRUE(test, pcp_asm_expire(&ctx->a));
	KUNIT_EXPECT_EQ(test, ctx->a.truncated, 1u);
	expect_frame(test, &ctx->a, PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED,
		     0x1234);
	expect_no_frame(test, &ctx->a);
}

static void asm_expire_nothing_buffered_test(struct kunit *test)
{
	struct asm_ctx *ctx = asm_ctx_new(test, 64);
	struct pcp_frame f;

	KUNIT_EXPECT_FALSE(test, pcp_asm_expire(&ctx->a));
	/* A frame already handed out is not a partial one. */
	feed_all(test, &ctx->a, key_evt, sizeof(key_evt));
	KUNIT_ASSERT_TRUE(test, pcp_asm_next(&ctx->a, &f));
	KUNIT_EXPECT_FALSE(test, pcp_asm_expire(&ctx->a));
	KUNIT_EXPECT_EQ(test, ctx->a.truncated, 0u);
}

static void asm_init_clamps_max_payload_test(struct kunit *test)
{
	struct pcp_assembler a;
	u8 buf[PCP_OVERHEAD + 8];

	pcp_asm_init(&a, buf, sizeof(buf), PCP_MAX_PAYLOAD);
	KUNIT_EXPECT_EQ(test, a.max_payload, 8u);
	pcp_asm_init(&a, buf, sizeof(buf), 2);
	KUNIT_EXPECT_EQ(test, a.max_payload, 2u);
	pcp_asm_init(&a, buf, PCP_OVERHEAD - 1, 100);
	KUNIT_EXPECT_EQ(test, a.max_payload, 0u);
}

/*
 * docs/reader-protocol.md section 7, row by row: the status value on the
 * wire (as a number, so a wrong PCP_STATUS_* constant fails too) and the
 * host errno named there; values the table does not list count as INTERNAL.
 */
static const struct {
	u16 status;
	int err;
} status_table[] = {
	{ 0x0000, 0 },			/* OK */
	{ 0x0001, -EOPNOTSUPP },	/* UNSUPPORTED */
	{ 0x0002, -EINVAL },		/* BAD_PARAM */
	{ 0x0003, -EBUSY },		/* BUSY */
	{ 0x0004, -ENOMEDIUM },		/* NO_CARD */
	{ 0x0005, -EIO },		/* CARD_ERROR */
	{ 0x0006, -ETIMEDOUT },		/* TIMEOUT */
	{ 0x0007, -ECANCELED },		/* ABORTED */
	{ 0x0008, -EPROTO },		/* BAD_FRAME */
	{ 0x0009, -EMSGSIZE },		/* TOO_LARGE */
	{ 0x00FF, -EIO },		/* INTERNAL */
	{ 0x000A, -EIO },		/* unlisted: first value after the table */
	{ 0x00FE, -EIO },
	{ 0x0100, -EIO },		/* INTERNAL's low byte, not INTERNAL */
	{ 0xFFFF, -EIO },
};

static void status_errno_table_test(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(status_table); i++)
		KUNIT_EXPECT_EQ_MSG(test, pcp_status_errno(status_table[i].status),
				    status_table[i].err, "status 0x%04x",
				    status_table[i].status);
}

static struct kunit_case paycard_frame_test_cases[] = {
	KUNIT_CASE(crc32_check_value_test),
	KUNIT_CASE(crc32_incremental_test),
	KUNIT_CASE(le_helpers_test),
	KUNIT_CASE_PARAM(encode_vector_test, frame_vector_gen_params),
	KUNIT_CASE_PARAM(decode_vector_test, frame_vector_gen_params),
	KUNIT_CASE(encode_no_space_test),
	KUNIT_CASE(encode_too_long_test),
	KUNIT_CASE(max_payload_roundtrip_test),
	KUNIT_CASE(decode_prefix_needs_more_test),
	KUNIT_CASE(decode_trailing_bytes_test),
	KUNIT_CASE(decode_bad_magic_test),
	KUNIT_CASE(decode_bad_type_test),
	KUNIT_CASE(decode_bad_length_test),
	KUNIT_CASE(decode_bad_crc_test),
	KUNIT_CASE(decode_any_bit_flip_rejected_test),
	KUNIT_CASE(asm_whole_frame_test),
	KUNIT_CASE(asm_byte_by_byte_test),
	KUNIT_CASE(asm_several_frames_test),
	KUNIT_CASE(asm_split_across_feeds_test),
	KUNIT_CASE(asm_resync_after_garbage_test),
	KUNIT_CASE(asm_idle_fill_between_frames_test),
	KUNIT_CASE(asm_bad_crc_then_good_test),
	KUNIT_CASE(asm_bad_length_then_good_test),
	KUNIT_CASE(asm_bad_type_then_good_test),
	KUNIT_CASE(asm_truncated_frame_then_good_test),
	KUNIT_CASE(asm_payload_stable_until_next_test),
	KUNIT_CASE(asm_full_buffer_recovers_test),
	KUNIT_CASE(asm_resync_bait_linear_test),
	KUNIT_CASE(asm_reset_wipes_keeps_counters_test),
	KUNIT_CASE(asm_consumed_bytes_wiped_test),
	KUNIT_CASE(asm_expire_after_stall_test),
	KUNIT_CASE(asm_expire_nothing_buffered_test),
	KUNIT_CASE(asm_init_clamps_max_payload_test),
	KUNIT_CASE(status_errno_table_test),
	{}
};

static struct kunit_suite paycard_frame_test_suite = {
	.name = "paycard_frame",
	.test_cases = paycard_frame_test_cases,
};

kunit_test_suite(paycard_frame_test_suite);

MODULE_DESCRIPTION("KUnit tests for the paycard PCP frame codec");
MODULE_LICENSE("GPL");
