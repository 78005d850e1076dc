// SPDX-License-Identifier: MIT
/*
 * Wire frames: 2-byte big-endian length of everything after it, then the
 * dialect's TPDU and application header, then the message body.  Also the
 * MAC helpers, which need to know where the body and the MAC field lie.
 */
#include <string.h>

#include "common/hex.h"
#include "iso8583/iso8583.h"

#define TPDU_ID	0x60	/* TPDU identifier for transaction messages */

static enum iso_err fail(struct iso_errinfo *ei, enum iso_err code,
			 size_t offset)
{
	if (ei)
		*ei = (struct iso_errinfo){ code, -1, offset };
	return code;
}

size_t iso_frame_body_offset(const struct iso_dialect *d)
{
	return 2 + d->tpdu_len + d->header_len;
}

enum iso_err iso_frame_encode(const struct iso_dialect *d,
			      const struct iso_envelope *env,
			      const struct iso_msg *m, uint8_t *out,
			      size_t size, size_t *out_len,
			      struct iso_errinfo *ei)
{
	size_t body_off = iso_frame_body_offset(d), body_len, total;
	enum iso_err err;

	if (size < body_off)
		return fail(ei, ISO_ERR_NO_SPACE, 0);
	if (d->tpdu_len + d->header_len) {
		if (!env)
			return fail(ei, ISO_ERR_INVALID_ARG, 2);
		if (d->tpdu_len && env->tpdu[0] != TPDU_ID)
			return fail(ei, ISO_ERR_BAD_TPDU, 2);
		memcpy(out + 2, env->tpdu, d->tpdu_len);
		memcpy(out + 2 + d->tpdu_len, env->header, d->header_len);
	}
	err = iso_encode(d, m, out + body_off, size - body_off, &body_len, ei);
	if (err) {
		if (ei)
			ei->offset += body_off;
		return err;
	}
	total = body_off + body_len;
	if (total - 2 > 0xffff)
		return fail(ei, ISO_ERR_NO_SPACE, 0);
	out[0] = (uint8_t)((total - 2) >> 8);
	out[1] = (uint8_t)(total - 2);
	*out_len = total;
	return ISO_OK;
}

enum iso_err iso_frame_decode(const struct iso_dialect *d, const uint8_t *in,
			      size_t len, struct iso_envelope *env,
			      struct iso_msg *m, struct iso_errinfo *ei)
{
	size_t body_off = iso_frame_body_offset(d), announced;
	enum iso_err err;

	if (len < 2)
		return fail(ei, ISO_ERR_SHORT, 0);
	announced = (size_t)in[0] << 8 | in[1];
	if (announced != len - 2)
		return fail(ei, ISO_ERR_FRAME_LENGTH, 0);
	if (len < body_off)
		return fail(ei, ISO_ERR_SHORT, len);
	if (d->tpdu_len && in[2] != TPDU_ID)
		return fail(ei, ISO_ERR_BAD_TPDU, 2);
	if (env) {
		memset(env, 0, sizeof(*env));
		memcpy(env->tpdu, in + 2, d->tpdu_len);
		memcpy(env->header, in + 2 + d->tpdu_len, d->header_len);
	}
	err = iso_decode(d, in + body_off, len - body_off, m, ei);
	if (err && ei)
		ei->offset += body_off;
	return err;
}

/* The MAC is the highest field: 64 without, 128 with a secondary bitmap. */
static int mac_field(const struct iso_msg *m)
{
	return m->present[1] ? 128 : 64;
}

static size_t mac_wire_len(const struct iso_dialect *d)
{
	return d->binary_hex ? 16 : 8;
}

enum iso_err iso_frame_encode_mac(const struct iso_dialect *d,
				  const struct iso_envelope *env,
				  struct iso_msg *m, iso_mac_fn mac, void *ctx,
				  uint8_t *out, size_t size, size_t *out_len,
				  struct iso_errinfo *ei)
{
	static const uint8_t zero[8];
	int k = mac_field(m);
	size_t body_off = iso_frame_body_offset(d), len;
	uint8_t value[8], *tail;
	enum iso_err err = ISO_OK;

	if (d->fields[k].content != ISO_B || d->fields[k].max_len != 8)
		return fail(ei, ISO_ERR_UNKNOWN_FIELD, 0);
	/* Encode with a placeholder MAC (the last field, fixed length), then
	 * patch the real one into the message and the frame's tail. */
	if (iso_msg_has(m, k) && m->field[k].len == sizeof(zero))
		memcpy(m->data + m->field[k].off, zero, sizeof(zero));	/* reuse */
	else
		err = iso_msg_set(m, k, zero, sizeof(zero));
	if (!err)
		err = iso_frame_encode(d, env, m, out, size, &len, ei);
	if (err)
		return err;
	tail = out + len - mac_wire_len(d);
	if (mac(ctx, out + body_off, (size_t)(tail - out) - body_off, value))
		return fail(ei, ISO_ERR_INVALID_ARG, body_off);
	memcpy(m->data + m->field[k].off, value, sizeof(value));
	if (d->binary_hex)
		hex_encode_digits(value, sizeof(value), (char *)tail);
	else
		memcpy(tail, value, sizeof(value));
	*out_len = len;
	return ISO_OK;
}

enum iso_err iso_frame_mac_span(const struct iso_dialect *d,
				const uint8_t *frame, size_t len,
				const struct iso_msg *m, const uint8_t **span,
				size_t *span_len)
{
	size_t body_off = iso_frame_body_offset(d);
	int k = mac_field(m);

	if (!iso_msg_has(m, k))
		return ISO_ERR_ABSENT;
	if (len < body_off + mac_wire_len(d))
		return ISO_ERR_SHORT;
	*span = frame + body_off;
	*span_len = len - body_off - mac_wire_len(d);
	return ISO_OK;
}
