// SPDX-License-Identifier: MIT
#include "paycardctl/result.h"

#include <inttypes.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "paycardctl/output.h"

/* One variant of a basic type as text ("?" for other types);
 * *@is_string tells JSON output whether to quote it. */
static int variant_text(sd_bus_message *m, char *out, size_t size, bool *is_string)
{
	union {
		const char *s;
		uint64_t t;
		int64_t x;
		uint32_t u;
		int b;
	} v;
	const char *contents;
	char type;
	int r = sd_bus_message_peek_type(m, &type, &contents);

	if (r < 0)
		return r;
	r = sd_bus_message_enter_container(m, 'v', contents);
	if (r < 0)
		return r;
	type = contents[0];
	*is_string = type != 't' && type != 'x' && type != 'u' && type != 'b';
	if (!strchr("stxub", type) || contents[1]) {
		r = sd_bus_message_skip(m, contents);
		snprintf(out, size, "?");
		return r < 0 ? r : sd_bus_message_exit_container(m);
	}
	r = sd_bus_message_read_basic(m, type, &v);
	if (r < 0)
		return r;
	if (type == 's')
		snprintf(out, size, "%s", v.s);
	else if (type == 't')
		snprintf(out, size, "%" PRIu64, v.t);
	else if (type == 'x')
		snprintf(out, size, "%" PRId64, v.x);
	else if (type == 'u')
		snprintf(out, size, "%" PRIu32, v.u);
	else
		snprintf(out, size, "%s", v.b ? "true" : "false");
	return sd_bus_message_exit_container(m);
}

int result_print(sd_bus_message *m, FILE *out)
{
	const char *key;
	char value[256];
	bool first = true, is_string;
	int r = sd_bus_message_enter_container(m, 'a', "{sv}");

	if (output_json)
		fputc('{', out);
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0)
			r = variant_text(m, value, sizeof(value), &is_string);
		if (r < 0)
			break;
		if (output_json) {
			fprintf(out, "%s", first ? "" : ",");
			json_string(out, key);
			fputc(':', out);
			if (is_string)
				json_string(out, value);
			else
				fputs(value, out);
			first = false;
		} else {
			fprintf(out, "%-16s %s\n", key, value);
		}
		r = sd_bus_message_exit_container(m);
	}
	if (output_json)
		fputs("}\n", out);
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

int result_read(sd_bus_message *m, struct result_fields *f)
{
	const char *key;
	bool is_string;
	int r = sd_bus_message_enter_container(m, 'a', "{sv}");

	f->n = 0;
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0 && f->n < RESULT_FIELDS_MAX) {
			snprintf(f->key[f->n], sizeof(f->key[f->n]), "%s", key);
			r = variant_text(m, f->value[f->n], sizeof(f->value[f->n]), &is_string);
			f->n++;
		} else if (r >= 0) {
			r = sd_bus_message_skip(m, "v");
		}
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

const char *result_get(const struct result_fields *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->key[i], key) == 0)
			return f->value[i];
	return "";
}

static double yuan(const struct result_fields *f, const char *key)
{
	return strtoull(result_get(f, key), NULL, 10) / 100.0;
}

static void report_line(const struct result_fields *f, FILE *out, const char *title,
			const char *prefix)
{
	char k[5][48];

	snprintf(k[0], sizeof(k[0]), "%sdebit_count", prefix);
	snprintf(k[1], sizeof(k[1]), "%sdebit_amount", prefix);
	snprintf(k[2], sizeof(k[2]), "%scredit_count", prefix);
	snprintf(k[3], sizeof(k[3]), "%scredit_amount", prefix);
	snprintf(k[4], sizeof(k[4]), "%sfees", prefix);
	fprintf(out, "%-12s %5s %14.2f %5s %14.2f %10.2f\n", title, result_get(f, k[0]),
		yuan(f, k[1]), result_get(f, k[2]), yuan(f, k[3]), yuan(f, k[4]));
}

void settlement_report_print(const struct result_fields *f, FILE *out)
{
	fprintf(out, "SETTLEMENT REPORT / 结算报告   batch %s: %s\n", result_get(f, "batch"),
		result_get(f, "result"));
	fprintf(out, "%-12s %5s %14s %5s %14s %10s\n", "CARD CLASS", "SALES", "AMOUNT (CNY)",
		"REFDS", "AMOUNT (CNY)", "FEES");
	report_line(f, out, "debit card", "debit_");
	report_line(f, out, "credit card", "credit_");
	report_line(f, out, "TOTAL", "");
	fprintf(out, "balanced with the acquirer: %s%s\n", result_get(f, "balanced"),
		strcmp(result_get(f, "batch_uploaded"), "true") ? "" : " (after batch upload)");
	fprintf(out, "next batch: %s\n", result_get(f, "new_batch"));
	fprintf(out, "%s\n", result_get(f, "message"));
}
