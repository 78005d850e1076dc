// SPDX-License-Identifier: MIT
/*
 * paycard-tool iso8583 decode [--dialect cup|cup-bare|ascii] [--json] HEX
 * paycard-tool iso8583 encode [--dialect D] [--tpdu HEX] [--header HEX]
 *                             MTI FIELD=VALUE...
 * paycard-tool tlv decode HEX
 *
 * HEX is a whole frame as it travels on the wire (length prefix, TPDU,
 * header, message); spaces inside it are ignored.  Encode takes values as
 * text, except binary fields, which take hex.  Output is masked by the
 * library's printer: secrets are never shown.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "iso8583/iso8583.h"
#include "iso8583/printer.h"
#include "iso8583/tlv.h"
#include "tool/commands.h"

#define DEFAULT_TPDU	"6000030000"
/* Application type 60 (POS), version 31, status/processing 0, software
 * version 000000: the header a UnionPay POS terminal sends. */
#define DEFAULT_HEADER	"603100000000"

struct options {
	const struct iso_dialect *dialect;
	bool json;
	const char *tpdu, *header;
	int first_arg;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: paycard-tool iso8583 decode [--dialect cup|cup-bare|ascii] [--json] HEX\n"
		"       paycard-tool iso8583 encode [--dialect D] [--tpdu HEX] [--header HEX]\n"
		"                                   MTI FIELD=VALUE...  (binary fields in hex)\n"
		"       paycard-tool tlv decode HEX\n");
	return 2;
}

static int parse_options(int argc, char **argv, int start, struct options *o)
{
	*o = (struct options){ &iso_dialect_cup, false, DEFAULT_TPDU,
			       DEFAULT_HEADER, start };
	for (int i = start; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (i + 1 < argc && !strcmp(a, "--dialect")) {
			o->dialect = iso_dialect_by_name(argv[++i]);
			if (!o->dialect) {
				fprintf(stderr, "paycard-tool: unknown dialect %s\n", argv[i]);
				return -1;
			}
		} else if (i + 1 < argc && !strcmp(a, "--tpdu")) {
			o->tpdu = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--header")) {
			o->header = argv[++i];
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "paycard-tool: unknown option %s\n", a);
			return -1;
		} else {
			o->first_arg = i;
			return 0;
		}
	}
	o->first_arg = argc;
	return 0;
}

/* Join the remaining arguments, drop whitespace, decode hex. */
static long read_hex_args(int argc, char **argv, int first, uint8_t *out,
			  size_t size)
{
	size_t cap = 1, n = 0;
	char *text;
	long r;

	for (int i = first; i < argc; i++)
		cap += strlen(argv[i]);
	text = malloc(cap);
	if (!text)
		return -2;
	for (int i = first; i < argc; i++)
		for (const char *p = argv[i]; *p; p++)
			if (!isspace((unsigned char)*p))
				text[n++] = *p;
	r = n ? hex_decode(text, n, out, size) : -1;
	free(text);
	return r;
}

static int decode_cmd(int argc, char **argv)
{
	static uint8_t frame[ISO_FRAME_MAX];
	static struct iso_msg msg;
	struct iso_envelope env;
	struct iso_errinfo ei;
	struct options o;
	long n;

	if (parse_options(argc, argv, 2, &o) || o.first_arg >= argc)
		return usage();
	n = read_hex_args(argc, argv, o.first_arg, frame, sizeof(frame));
	if (n < 0) {
		fprintf(stderr, "paycard-tool: frame is not hex text\n");
		return 1;
	}
	if (iso_frame_decode(o.dialect, frame, (size_t)n, &env, &msg, &ei)) {
		fprintf(stderr, "paycard-tool: %s: %s (field %d, byte %zu)\n",
			o.dialect->name, iso_strerror(ei.code), ei.field, ei.offset);
		return 1;
	}
	iso_print(stdout, o.dialect, &env, &msg,
		  o.json ? ISO_PRINT_JSON : ISO_PRINT_TEXT);
	return 0;
}

static int fixed_hex(const char *what, const char *hex, uint8_t *out,
		     size_t len)
{
	if (hex_decode(hex, strlen(hex), out, len) != (long)len) {
		fprintf(stderr, "paycard-tool: %s must be %zu bytes of hex\n",
			what, len);
		return -1;
	}
	return 0;
}

static int set_field_arg(const struct iso_dialect *d, struct iso_msg *m,
			 const char *arg)
{
	uint8_t bytes[1024];
	char *end;
	long k = strtol(arg, &end, 10);
	const char *value = end + 1;
	long n;

	if (end == arg || *end != '=' || k < 2 || k > ISO_MAX_FIELD ||
	    !d->fields[k].content) {
		fprintf(stderr, "paycard-tool: %s: expected FIELD=VALUE with a "
			"field of dialect %s\n", arg, d->name);
		return -1;
	}
	if (d->fields[k].content != ISO_B)
		return iso_msg_set_str(m, (int)k, value) ? -1 : 0;
	n = hex_decode(value, strlen(value), bytes, sizeof(bytes));
	if (n < 0) {
		fprintf(stderr, "paycard-tool: field %ld is binary: give hex\n", k);
		return -1;
	}
	return iso_msg_set(m, (int)k, bytes, (size_t)n) ? -1 : 0;
}

static int encode_cmd(int argc, char **argv)
{
	static uint8_t frame[ISO_FRAME_MAX];
	static struct iso_msg msg;
	static char hex[2 * ISO_FRAME_MAX + 1];
	struct iso_envelope env = { { 0 }, { 0 } };
	struct iso_errinfo ei;
	struct options o;
	size_t len;

	if (parse_options(argc, argv, 2, &o) || o.first_arg >= argc)
		return usage();
	if (fixed_hex("--tpdu", o.tpdu, env.tpdu, 5) ||
	    fixed_hex("--header", o.header, env.header, 6))
		return 1;
	iso_msg_init(&msg, argv[o.first_arg]);
	for (int i = o.first_arg + 1; i < argc; i++)
		if (set_field_arg(o.dialect, &msg, argv[i]))
			return 1;
	if (iso_frame_encode(o.dialect, &env, &msg, frame, sizeof(frame), &len,
			     &ei)) {
		fprintf(stderr, "paycard-tool: cannot encode: %s (field %d)\n",
			iso_strerror(ei.code), ei.field);
		return 1;
	}
	hex_encode(frame, len, hex);
	printf("%s\n", hex);
	return 0;
}

int tool_iso8583(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "decode"))
		return decode_cmd(argc, argv);
	if (!strcmp(argv[1], "encode"))
		return encode_cmd(argc, argv);
	return usage();
}

int tool_tlv(int argc, char **argv)
{
	static uint8_t data[65536];
	long n;

	if (argc < 3 || strcmp(argv[1], "decode"))
		return usage();
	n = read_hex_args(argc, argv, 2, data, sizeof(data));
	if (n < 0) {
		fprintf(stderr, "paycard-tool: data is not hex text\n");
		return 1;
	}
	return iso_print_tlv(stdout, data, (size_t)n) ? 1 : 0;
}
