// SPDX-License-Identifier: MIT
#include "paycardctl/output.h"

bool output_json;

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);	/* UTF-8 passes through */
	}
	fputc('"', f);
}

static void key(FILE *f, bool *first, const char *k)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	json_string(f, k);
	fputc(':', f);
}

void json_kv_string(FILE *f, bool *first, const char *k, const char *value)
{
	key(f, first, k);
	json_string(f, value);
}

void json_kv_bool(FILE *f, bool *first, const char *k, bool value)
{
	key(f, first, k);
	fputs(value ? "true" : "false", f);
}

void json_kv_uint(FILE *f, bool *first, const char *k, uint64_t value)
{
	key(f, first, k);
	fprintf(f, "%llu", (unsigned long long)value);
}
