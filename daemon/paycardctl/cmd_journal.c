// SPDX-License-Identifier: MIT
/* The journal: list, export (the merchant's backup) and a plain-text
 * receipt of one transaction. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paycardctl/bus_client.h"
#include "paycardctl/commands.h"
#include "paycardctl/output.h"
#include "paycardctl/result.h"

static int query(struct ctl *c, const char *key, const char *type, const void *value,
		 sd_bus_message **reply)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL;
	int r = sd_bus_message_new_method_call(c->bus, &m, "org.paycard", TERMINAL_PATH,
					       TERMINAL_IFACE, "QueryJournal");

	if (r >= 0 && key && type[0] == 's')
		r = sd_bus_message_append(m, "a{sv}", 2, key, "s", (const char *)value,
					  "limit", "u", (uint32_t)500);
	else if (r >= 0 && key)
		r = sd_bus_message_append(m, "a{sv}", 1, key, "x", *(const int64_t *)value);
	else if (r >= 0)
		r = sd_bus_message_append(m, "a{sv}", 1, "limit", "u", (uint32_t)500);
	if (r >= 0)
		r = sd_bus_call(c->bus, m, 0, &err, reply);
	sd_bus_message_unref(m);
	if (r < 0)
		return client_report_error("QueryJournal", &err, r);
	return 0;
}

/* journal [BATCH] */
int cmd_journal(struct ctl *c, int argc, char **argv)
{
	sd_bus_message *reply = NULL;
	struct result_fields f;
	bool first = true;
	int r = query(c, argc ? "batch" : NULL, "s", argc ? argv[0] : NULL, &reply);

	if (r)
		return r;
	r = sd_bus_message_enter_container(reply, 'a', "a{sv}");
	if (output_json)
		fputc('[', stdout);
	else
		printf("%-5s %-12s %-16s %-6s %-6s %14s %8s %-19s %s\n", "ID", "KIND", "STATE",
		       "BATCH", "STAN", "AMOUNT", "FEE", "CARD", "RC");
	while (r > 0) {
		if (output_json) {
			if (!first)
				fputc(',', stdout);
			r = result_print(reply, stdout);
			first = false;
			if (r >= 0)
				r = sd_bus_message_peek_type(reply, NULL, NULL);
			continue;
		}
		r = result_read(reply, &f);
		if (r < 0)
			break;
		printf("%-5s %-12s %-16s %-6s %-6s %11.2f CNY %8.2f %-19s %s\n",
		       result_get(&f, "id"), result_get(&f, "kind"), result_get(&f, "state"),
		       result_get(&f, "batch"), result_get(&f, "stan"),
		       strtoull(result_get(&f, "amount"), NULL, 10) / 100.0,
		       strtoull(result_get(&f, "fee"), NULL, 10) / 100.0,
		       result_get(&f, "masked_pan"), result_get(&f, "response_code"));
		r = sd_bus_message_peek_type(reply, NULL, NULL);
	}
	if (output_json)
		fputs("]\n", stdout);
	sd_bus_message_unref(reply);
	return r < 0 ? 1 : 0;
}

/* export csv|json */
int cmd_export(struct ctl *c, int argc, char **argv)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *data;
	int r = sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE,
				   "ExportJournal", &err, &reply, "s", argv[0]);

	if (r < 0)
		return client_report_error("ExportJournal", &err, r);
	r = sd_bus_message_read(reply, "s", &data);
	if (r >= 0)
		fputs(data, stdout);
	sd_bus_message_unref(reply);
	return r < 0 ? 1 : 0;
}

static void terminal_string(struct ctl *c, const char *prop, char *out, size_t size)
{
	char *v = NULL;

	if (sd_bus_get_property_string(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, prop,
				       NULL, &v) >= 0)
		snprintf(out, size, "%s", v);
	else
		out[0] = '\0';
	free(v);
}

static const char *kind_title(const char *kind)
{
	static const char *const titles[][2] = {
		{ "sale", "SALE / 消费" }, { "void", "VOID / 消费撤销" },
		{ "refund", "REFUND / 退货" }, { "balance", "BALANCE / 余额查询" },
		{ "preauth", "PRE-AUTH / 预授权" }, { "preauth_void", "PRE-AUTH VOID / 预授权撤销" },
		{ "completion", "PRE-AUTH COMPLETION / 预授权完成" },
	};

	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(titles[i][0], kind) == 0)
			return titles[i][1];
	return kind;
}

static void print_receipt(struct ctl *c, const struct result_fields *f)
{
	char name[64], mid[32], tid[16], when[32];
	time_t t = (time_t)(strtoull(result_get(f, "created_usec"), NULL, 10) / 1000000ULL);
	struct tm tm;

	terminal_string(c, "MerchantName", name, sizeof(name));
	terminal_string(c, "MerchantId", mid, sizeof(mid));
	terminal_string(c, "TerminalId", tid, sizeof(tid));
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	printf("==========================================\n");
	printf("  %s\n", name[0] ? name : "(merchant name not configured)");
	printf("  POS SALES SLIP / POS签购单\n");
	printf("------------------------------------------\n");
	printf("MERCHANT ID   %s\n", mid);
	printf("TERMINAL ID   %s\n", tid);
	printf("CARD NO.      %s (%s, %s)\n", result_get(f, "masked_pan"),
	       result_get(f, "card_class"), result_get(f, "entry"));
	printf("TRANS TYPE    %s\n", kind_title(result_get(f, "kind")));
	printf("BATCH NO.     %s\n", result_get(f, "batch"));
	printf("VOUCHER NO.   %s\n", result_get(f, "stan"));
	printf("AUTH CODE     %s\n", result_get(f, "auth_code"));
	printf("REFERENCE NO. %s\n", result_get(f, "rrn"));
	printf("DATE/TIME     %s\n", when);
	printf("AMOUNT        CNY %.2f\n", strtoull(result_get(f, "amount"), NULL, 10) / 100.0);
	printf("FEE           CNY %.2f\n", strtoull(result_get(f, "fee"), NULL, 10) / 100.0);
	printf("STATUS        %s (response %s)\n", result_get(f, "state"),
	       result_get(f, "response_code"));
	printf("------------------------------------------\n");
	printf("CARDHOLDER SIGNATURE / 持卡人签名\n\n\n");
	printf("I ACKNOWLEDGE SATISFACTORY RECEIPT OF RELATIVE GOODS/SERVICES\n");
	printf("==========================================\n");
}

/* receipt JOURNAL_ID */
int cmd_receipt(struct ctl *c, int argc, char **argv)
{
	sd_bus_message *reply = NULL;
	struct result_fields f;
	char *end;
	int64_t id = strtoll(argv[0], &end, 10);
	int r;

	if (*end || id <= 0) {
		fprintf(stderr, "paycardctl: receipt: need a journal id (see paycardctl journal)\n");
		return 2;
	}
	r = query(c, "id", "x", &id, &reply);
	if (r)
		return r;
	r = sd_bus_message_enter_container(reply, 'a', "a{sv}");
	if (r > 0)	/* an empty array: no such record */
		r = sd_bus_message_peek_type(reply, NULL, NULL);
	if (r > 0)
		r = output_json ? result_print(reply, stdout) : result_read(reply, &f);
	else if (r == 0)
		fprintf(stderr, "paycardctl: receipt: no journal record %" PRId64 "\n", id);
	if (r > 0 && !output_json)
		print_receipt(c, &f);
	sd_bus_message_unref(reply);
	return r > 0 ? 0 : 1;
}
