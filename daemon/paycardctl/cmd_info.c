// SPDX-License-Identifier: MIT
/* status, readers, notices, role: reading the terminal's state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paycardctl/bus_client.h"
#include "paycardctl/commands.h"
#include "paycardctl/output.h"

static const char *const terminal_strings[] = {
	"Version", "TerminalId", "MerchantId", "HostReachability", "ModuleState",
};

int cmd_status(struct ctl *c, int argc, char **argv)
{
	char v[256];
	bool b, first = true;
	uint32_t batch = 0;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_get_property_trivial(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE,
					"BatchNumber", &err, 'u', &batch);
	if (r < 0)
		return client_report_error("status", &err, r);
	if (output_json)
		fputc('{', stdout);
	for (size_t i = 0; i < sizeof(terminal_strings) / sizeof(terminal_strings[0]); i++) {
		client_get_string(c->bus, TERMINAL_PATH, TERMINAL_IFACE, terminal_strings[i], v, sizeof(v));
		if (output_json)
			json_kv_string(stdout, &first, terminal_strings[i], v);
		else
			printf("%-18s %s\n", terminal_strings[i], v[0] ? v : "(unset)");
	}
	client_get_bool(c->bus, TERMINAL_PATH, TERMINAL_IFACE, "SignedIn", &b);
	if (output_json) {
		json_kv_bool(stdout, &first, "SignedIn", b);
		json_kv_uint(stdout, &first, "BatchNumber", batch);
	} else {
		printf("%-18s %s\n%-18s %u\n", "SignedIn", b ? "yes" : "no", "BatchNumber", batch);
	}
	client_get_bool(c->bus, TERMINAL_PATH, TERMINAL_IFACE, "MarketingMuted", &b);
	if (output_json) {
		json_kv_bool(stdout, &first, "MarketingMuted", b);
		fputs("}\n", stdout);
	} else {
		printf("%-18s %s\n", "MarketingMuted", b ? "yes" : "no");
	}
	return 0;
}

/* Every reader path, NULL-terminated (free with strv_free). */
static char **reader_paths(sd_bus *bus, sd_bus_error *err, int *r)
{
	sd_bus_message *reply = NULL;
	char **paths = NULL;

	*r = sd_bus_call_method(bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, "ListReaders",
				err, &reply, NULL);
	if (*r >= 0)
		*r = sd_bus_message_read_strv(reply, &paths);
	sd_bus_message_unref(reply);
	return paths;
}

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static const char *const reader_strings[] = { "Name", "Model", "Serial", "Firmware", "Transport",
					      "Backend" };
static const char *const reader_bools[] = { "Present", "Approved", "CardPresent", "Busy" };

static void print_reader(sd_bus *bus, const char *path, bool *first_reader)
{
	char v[6][64];
	bool b[4], first = true;

	for (int i = 0; i < 6; i++)
		client_get_string(bus, path, READER_IFACE, reader_strings[i], v[i], sizeof(v[i]));
	for (int i = 0; i < 4; i++)
		client_get_bool(bus, path, READER_IFACE, reader_bools[i], &b[i]);
	if (!output_json) {
		printf("%-10s %-12s serial %-14s fw %-8s %-4s %-7s %s%s%s%s\n", v[0], v[1], v[2], v[3],
		       v[4], v[5],
		       b[0] ? "present" : "absent", b[1] ? "" : ", PENDING APPROVAL",
		       b[2] ? ", card in" : "", b[3] ? ", busy" : "");
		return;
	}
	if (!*first_reader)
		fputc(',', stdout);
	*first_reader = false;
	fputc('{', stdout);
	json_kv_string(stdout, &first, "path", path);
	for (int i = 0; i < 6; i++)
		json_kv_string(stdout, &first, reader_strings[i], v[i]);
	for (int i = 0; i < 4; i++)
		json_kv_bool(stdout, &first, reader_bools[i], b[i]);
	fputc('}', stdout);
}

int cmd_readers(struct ctl *c, int argc, char **argv)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	bool first = true;
	int r;
	char **paths = reader_paths(c->bus, &err, &r);

	if (r < 0)
		return client_report_error("ListReaders", &err, r);
	if (output_json)
		fputc('[', stdout);
	else if (!paths || !paths[0])
		puts("no readers");
	for (char **p = paths; p && *p; p++)
		print_reader(c->bus, *p, &first);
	if (output_json)
		fputs("]\n", stdout);
	strv_free(paths);
	return 0;
}

int cmd_notices(struct ctl *c, int argc, char **argv)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	uint32_t max = argc > 0 ? (uint32_t)strtoul(argv[0], NULL, 10) : 20;
	const char *cls, *code, *text;
	uint64_t id, usec;
	uint32_t count;
	bool first_item = true;
	int r;

	r = sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, "ListNotices",
			       &err, &reply, "u", max);
	if (r < 0)
		return client_report_error("ListNotices", &err, r);
	r = sd_bus_message_enter_container(reply, 'a', "(ttsssu)");
	if (output_json)
		fputc('[', stdout);
	while (r >= 0 && sd_bus_message_read(reply, "(ttsssu)", &id, &usec, &cls, &code, &text,
					     &count) > 0) {
		time_t t = (time_t)(usec / 1000000);
		char when[32];
		bool first = true;

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		if (!output_json) {
			printf("#%-4llu %s %-11s %-22s %s%s\n", (unsigned long long)id, when, cls, code,
			       text, count > 1 ? " (repeated)" : "");
			continue;
		}
		if (!first_item)
			fputc(',', stdout);
		first_item = false;
		fputc('{', stdout);
		json_kv_uint(stdout, &first, "id", id);
		json_kv_uint(stdout, &first, "usec", usec);
		json_kv_string(stdout, &first, "class", cls);
		json_kv_string(stdout, &first, "code", code);
		json_kv_string(stdout, &first, "text", text);
		json_kv_uint(stdout, &first, "count", count);
		fputc('}', stdout);
	}
	if (output_json)
		fputs("]\n", stdout);
	sd_bus_message_unref(reply);
	return 0;
}

int cmd_role(struct ctl *c, int argc, char **argv)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *role = "";
	bool first = true;
	int r = sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE,
				   "GetCallerRole", &err, &reply, NULL);

	if (r < 0)
		return client_report_error("GetCallerRole", &err, r);
	sd_bus_message_read(reply, "s", &role);
	if (output_json) {
		fputc('{', stdout);
		json_kv_string(stdout, &first, "role", role);
		fputs("}\n", stdout);
	} else {
		puts(role);
	}
	sd_bus_message_unref(reply);
	return 0;
}
