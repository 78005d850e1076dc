// SPDX-License-Identifier: MIT
/* approve, post-notice, reload, explain. */
#include <stdio.h>
#include <string.h>

#include "paycardctl/bus_client.h"
#include "paycardctl/commands.h"
#include "paycardctl/output.h"

static int simple_call(struct ctl *c, const char *member, const char *types, const char *a1,
		       const char *done)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r = sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, member,
				   &err, NULL, types, a1);

	if (r < 0)
		return client_report_error(member, &err, r);
	if (output_json)
		puts("{\"ok\":true}");
	else
		puts(done);
	return 0;
}

int cmd_approve(struct ctl *c, int argc, char **argv)
{
	return simple_call(c, "ApproveReader", "s", argv[0], "approved");
}

int cmd_reload(struct ctl *c, int argc, char **argv)
{
	return simple_call(c, "Reload", NULL, NULL, "reloaded");
}

int cmd_post_notice(struct ctl *c, int argc, char **argv)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *verdict = "";
	uint64_t id = 0;
	bool first = true;
	int r = sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE,
				   "PostNotice", &err, &reply, "sss", argv[0], argv[1], argv[2]);

	if (r < 0)
		return client_report_error("PostNotice", &err, r);
	sd_bus_message_read(reply, "ts", &id, &verdict);
	if (output_json) {
		fputc('{', stdout);
		json_kv_uint(stdout, &first, "id", id);
		json_kv_string(stdout, &first, "verdict", verdict);
		fputs("}\n", stdout);
	} else {
		printf("notice #%llu: %s\n", (unsigned long long)id, verdict);
	}
	sd_bus_message_unref(reply);
	return 0;
}

int cmd_explain(struct ctl *c, int argc, char **argv)
{
	const char *text = txn_response_code_text(argv[0]);
	bool first = true;

	if (output_json) {
		fputc('{', stdout);
		json_kv_string(stdout, &first, "code", argv[0]);
		json_kv_string(stdout, &first, "meaning", text ? text : "");
		fputs("}\n", stdout);
	} else {
		printf("%s: %s\n", argv[0], text ? text : "not a response code paycardctl knows");
	}
	return text ? 0 : 1;
}
