// SPDX-License-Identifier: MIT
/* Masking printer: nothing secret leaves this file, only lengths. */
#include <stdarg.h>
#include <string.h>

#include "iso8583/printer.h"
#include "iso8583/tlv.h"

/* Longest rendering: 255 bytes of ICC data as hex plus tags and spaces. */
#define RENDER_MAX	2048

struct text {
	char buf[RENDER_MAX];
	size_t len;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= sizeof(t->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < sizeof(t->buf) - t->len ? (size_t)n
				: sizeof(t->buf) - 1 - t->len;
}

static void put_hex(struct text *t, const uint8_t *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put(t, "%02X", v[i]);
}

void iso_mask_pan(const char *pan, size_t len, char *out)
{
	size_t keep_head = len >= 13 ? 6 : 0, keep_tail = len > 4 ? 4 : 0;

	for (size_t i = 0; i < len; i++)
		out[i] = i < keep_head || i >= len - keep_tail ? pan[i] : '*';
	out[len] = '\0';
}

/* EMV tags whose values are secret (track equivalents, PIN data) or a PAN. */
static bool tag_hidden(uint32_t tag)
{
	return tag == 0x56 || tag == 0x57 || tag == 0x99 ||
	       tag == 0x9F1F || tag == 0x9F20 || tag == 0x9F6B ||
	       tag == 0x5F20;
}

static void render_tlv_pan(struct text *t, const struct tlv *o)
{
	char digits[2 * 10 + 1], masked[sizeof(digits)];
	size_t n = 0;

	/* 5A is compressed numeric: BCD digits padded with F nibbles. */
	for (size_t i = 0; i < o->len && n + 2 < sizeof(digits); i++) {
		for (int s = 4; s >= 0; s -= 4) {
			unsigned v = o->value[i] >> s & 15;

			if (v <= 9)
				digits[n++] = (char)('0' + v);
		}
	}
	iso_mask_pan(digits, n, masked);
	put(t, "%s", masked);
}

static void render_icc(struct text *t, const uint8_t *v, size_t len)
{
	size_t pos = 0, err_offset = 0;
	struct tlv o;
	enum tlv_err err = tlv_validate(v, len, &err_offset);

	if (err) {
		put(t, "[malformed BER-TLV at byte %zu: %s; %zu bytes hidden]",
		    err_offset, tlv_strerror(err), len);
		return;
	}
	while (tlv_next(v, len, &pos, &o) == TLV_OK) {
		put(t, "%s%X=", o.offset ? " " : "", (unsigned)o.tag);
		if (tag_hidden(o.tag))
			put(t, "[hidden %zu bytes]", o.len);
		else if (o.tag == 0x5A)
			render_tlv_pan(t, &o);
		else if (o.constructed)
			put(t, "{"), render_icc(t, o.value, o.len), put(t, "}");
		else
			put_hex(t, o.value, o.len);
	}
}

static void print_tlv_level(FILE *out, const uint8_t *v, size_t len,
			    int depth)
{
	size_t pos = 0;
	struct tlv o;

	while (tlv_next(v, len, &pos, &o) == TLV_OK) {
		struct text t = { .len = 0 };

		fprintf(out, "%*s%X (%zu bytes)", 2 * depth, "", (unsigned)o.tag,
			o.len);
		if (o.constructed) {
			fputc('\n', out);
			print_tlv_level(out, o.value, o.len, depth + 1);
			continue;
		}
		if (tag_hidden(o.tag))
			put(&t, "[hidden]");
		else if (o.tag == 0x5A)
			render_tlv_pan(&t, &o);
		else
			put_hex(&t, o.value, o.len);
		fprintf(out, ": %s\n", t.buf);
	}
}

enum tlv_err iso_print_tlv(FILE *out, const uint8_t *v, size_t len)
{
	size_t err_offset = 0;
	enum tlv_err err = tlv_validate(v, len, &err_offset);

	if (err) {
		fprintf(out, "malformed BER-TLV at byte %zu: %s\n", err_offset,
			tlv_strerror(err));
		return err;
	}
	print_tlv_level(out, v, len, 0);
	return TLV_OK;
}

/* Returns true when the value was hidden. */
static bool render_value(const struct iso_field_def *f, const uint8_t *v,
			 size_t len, struct text *t)
{
	char masked[ISO_MSG_DATA_MAX];

	switch (f->secrecy) {
	case ISO_SECRET_PAN:
		if (len >= sizeof(masked))
			len = sizeof(masked) - 1;
		iso_mask_pan((const char *)v, len, masked);
		put(t, "%s", masked);
		return false;
	case ISO_SECRET_TRACK:
	case ISO_SECRET_PIN:
	case ISO_SECRET_KEYS:
		put(t, "[hidden %zu %s]", len,
		    f->content == ISO_B ? "bytes" : "characters");
		return true;
	case ISO_ICC_TLV:
		render_icc(t, v, len);
		return false;
	}
	if (f->content == ISO_B)
		put_hex(t, v, len);
	else
		put(t, "%.*s", (int)len, (const char *)v);
	return false;
}

static void bitmap_of(const struct iso_msg *m, uint8_t bitmap[16], size_t *n)
{
	uint64_t words[2] = { m->present[0], m->present[1] };

	*n = words[1] ? 16 : 8;
	if (words[1])
		words[0] |= iso_field_bit(1);
	for (int i = 0; i < 16; i++)
		bitmap[i] = (uint8_t)(words[i / 8] >> (56 - 8 * (i % 8)));
}

/* JSON strings: our renderings are printable ASCII; escape " and \. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void print_subfields(FILE *out, const struct iso_dialect *d,
			    const struct iso_msg *m, int k, bool json)
{
	char part[32];
	int n = 1;

	for (; d->fields[k].subfields[n - 1].digits; n++) {
		if (iso_subfield_get(d, m, k, n, part, sizeof(part)))
			break;
		if (json) {
			fprintf(out, "%s\"%d.%d\":", n > 1 ? "," : "", k, n);
			json_string(out, part);
		} else {
			fprintf(out, "%s%d.%d=%s", n > 1 ? " " : " (", k, n, part);
		}
	}
	if (!json && n > 1)
		fputc(')', out);
}

static void print_envelope(FILE *out, const struct iso_dialect *d,
			   const struct iso_envelope *env, bool json)
{
	struct text tpdu = { .len = 0 }, header = { .len = 0 };

	if (!env || !(d->tpdu_len + d->header_len))
		return;
	put_hex(&tpdu, env->tpdu, d->tpdu_len);
	put_hex(&header, env->header, d->header_len);
	if (json)
		fprintf(out, "\"tpdu\":\"%s\",\"header\":\"%s\",", tpdu.buf,
			header.buf);
	else
		fprintf(out, "tpdu    %s\nheader  %s\n", tpdu.buf, header.buf);
}

void iso_print(FILE *out, const struct iso_dialect *d,
	       const struct iso_envelope *env, const struct iso_msg *m,
	       enum iso_print_format format)
{
	bool json = format == ISO_PRINT_JSON, first = true;
	uint8_t bitmap[16];
	struct text bm = { .len = 0 };
	size_t n;

	bitmap_of(m, bitmap, &n);
	put_hex(&bm, bitmap, n);
	if (json)
		fprintf(out, "{\"dialect\":\"%s\",", d->name);
	else
		fprintf(out, "dialect %s\n", d->name);
	print_envelope(out, d, env, json);
	if (json)
		fprintf(out, "\"mti\":\"%s\",\"bitmap\":\"%s\",\"fields\":[",
			m->mti, bm.buf);
	else
		fprintf(out, "mti     %s\nbitmap  %s\n", m->mti, bm.buf);
	for (int k = iso_msg_next(m, 1); k; k = iso_msg_next(m, k)) {
		const struct iso_field_def *f = &d->fields[k];
		struct text t = { .len = 0 };
		bool hidden;

		hidden = render_value(f, m->data + m->field[k].off,
				      m->field[k].len, &t);
		if (json) {
			fprintf(out, "%s{\"field\":%d,\"name\":", first ? "" : ",", k);
			json_string(out, f->name ? f->name : "undefined");
			fprintf(out, ",\"length\":%u,\"value\":", m->field[k].len);
			json_string(out, t.buf);
			fprintf(out, ",\"hidden\":%s", hidden ? "true" : "false");
			if (iso_msg_pad_variant(m, k))
				fprintf(out, ",\"padNibble\":\"F\"");
			if (f->subfields) {
				fprintf(out, ",\"subfields\":{");
				print_subfields(out, d, m, k, true);
				fputc('}', out);
			}
			fputc('}', out);
		} else {
			fprintf(out, "%3d %-30s %s", k, f->name ? f->name : "undefined",
				t.buf);
			if (f->subfields)
				print_subfields(out, d, m, k, false);
			if (iso_msg_pad_variant(m, k))
				fputs("  (pad nibble F)", out);
			fputc('\n', out);
		}
		first = false;
	}
	if (json)
		fprintf(out, "]}\n");
}
