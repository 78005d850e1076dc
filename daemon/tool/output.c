// SPDX-License-Identifier: MIT
#include <stdio.h>
#include "common/hex.h"
#include "tool/output.h"

bool tool_json;
static int fields;	/* JSON members written so far */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_member(const char *name, const char *text)
{
	fputs(fields++ ? "," : "", stdout);
	json_string(stdout, name);
	fputc(':', stdout);
	json_string(stdout, text);
}

void out_begin(void)
{
	fields = 0;
	if (tool_json)
		fputc('{', stdout);
}

void out_end(void)
{
	if (tool_json)
		fputs("}\n", stdout);
}

static void out_bytes(const char *name, const uint8_t *bytes, size_t len,
		      bool bare)
{
	char hex[2 * 4096 + 1];

	if (len > 4096)
		len = 4096;
	hex_encode(bytes, len, hex);
	if (tool_json)
		json_member(name, hex);
	else if (bare)
		printf("%s\n", hex);
	else
		printf("%s: %s\n", name, hex);
}

void out_value(const char *name, const uint8_t *bytes, size_t len)
{
	out_bytes(name, bytes, len, true);
}

void out_hex(const char *name, const uint8_t *bytes, size_t len)
{
	out_bytes(name, bytes, len, false);
}

void out_value_text(const char *name, const char *text)
{
	if (tool_json)
		json_member(name, text);
	else
		printf("%s\n", text);
}

void out_text(const char *name, const char *text)
{
	if (tool_json)
		json_member(name, text);
	else
		printf("%s: %s\n", name, text);
}

static int report(const char *cmd, const char *what, const char *code,
		  const char *why, int status)
{
	fprintf(stderr, "paycard-tool: %s: %s%s%s\n", cmd, what ? what : "",
		what ? ": " : "", why);
	if (tool_json) {
		fields = 0;
		fputc('{', stdout);
		json_member("error", code);
		json_member("message", why);
		if (what)
			json_member("input", what);
		fputs("}\n", stdout);
	}
	return status;
}

int tool_fail(const char *cmd, const char *what, enum pcc_status st)
{
	return report(cmd, what, pcc_status_name(st), pcc_strerror(st), 1);
}

int tool_bad_input(const char *cmd, const char *what, const char *why)
{
	return report(cmd, what, "BAD_INPUT", why, 1);
}

int tool_usage(const char *cmd, const char *why)
{
	return report(cmd, NULL, "USAGE", why, 2);
}
