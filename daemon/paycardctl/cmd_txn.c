// SPDX-License-Identifier: MIT
/* Transactions: read-card and the transaction engine's methods (with the
 * cashier prompts and PIN digit count as progress, Ctrl-C = Cancel), cancel. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardctl/bus_client.h"
#include "paycardctl/commands.h"
#include "paycardctl/output.h"
#include "paycardctl/result.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1;
}

struct read_state {
	bool done;
	int status;
	const char *reader;
};

static int on_prompt(sd_bus_message *m, void *user, sd_bus_error *err)
{
	const char *reader, *id, *en, *zh;

	if (sd_bus_message_read(m, "ssss", &reader, &id, &en, &zh) >= 0)
		fprintf(stderr, "[%s] %s / %s\n", reader, en, zh);
	return 0;
}

static int on_state(sd_bus_message *m, void *user, sd_bus_error *err)
{
	const char *reader, *state;

	if (sd_bus_message_read(m, "ss", &reader, &state) >= 0)
		fprintf(stderr, "[%s] state: %s\n", reader, state);
	return 0;
}

static int on_reply(sd_bus_message *m, void *user, sd_bus_error *unused)
{
	struct read_state *st = user;
	const char *source, *pan;
	bool first = true;

	st->done = true;
	if (sd_bus_message_is_method_error(m, NULL)) {
		st->status = client_report_error("ReadCard", sd_bus_message_get_error(m), -EIO);
		return 0;
	}
	if (sd_bus_message_read(m, "ss", &source, &pan) < 0) {
		st->status = 1;
		return 0;
	}
	if (output_json) {
		fputc('{', stdout);
		json_kv_string(stdout, &first, "source", source);
		json_kv_string(stdout, &first, "masked_pan", pan);
		fputs("}\n", stdout);
	} else {
		printf("card read: %s%s%s\n", source, pan[0] ? " " : "", pan);
	}
	st->status = 0;
	return 0;
}

static void send_cancel(sd_bus *bus, const char *reader)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;

	sd_bus_call_method(bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, "Cancel", &err,
			   NULL, "s", reader);
	sd_bus_error_free(&err);
}

int cmd_read_card(struct ctl *c, int argc, char **argv)
{
	struct read_state st = { .status = 1, .reader = argv[0] };
	uint32_t timeout = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 60;
	sd_bus_slot *call = NULL;
	int r;

	sd_bus_match_signal(c->bus, NULL, NULL, TERMINAL_PATH, TERMINAL_IFACE, "Prompt", on_prompt, NULL);
	sd_bus_match_signal(c->bus, NULL, NULL, TERMINAL_PATH, TERMINAL_IFACE, "TransactionState",
			    on_state, NULL);
	/* the call may take as long as the daemon's own timeout, plus slack */
	r = sd_bus_call_method_async(c->bus, &call, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE,
				     "ReadCard", on_reply, &st, "su", argv[0], timeout);
	if (r < 0) {
		fprintf(stderr, "paycardctl: ReadCard: %s\n", strerror(-r));
		return 1;
	}
	sd_bus_slot_set_floating(call, 0);
	signal(SIGINT, on_sigint);
	while (!st.done) {
		r = sd_bus_process(c->bus, NULL);
		if (r < 0)
			break;
		if (r > 0)
			continue;
		if (interrupted) {
			interrupted = 0;
			fprintf(stderr, "cancelling...\n");
			send_cancel(c->bus, argv[0]);
			continue;
		}
		sd_bus_wait(c->bus, 200000);
	}
	sd_bus_slot_unref(call);
	return st.status;
}

int cmd_cancel(struct ctl *c, int argc, char **argv)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r = sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, "Cancel",
				   &err, NULL, "s", argv[0]);

	if (r < 0)
		return client_report_error("Cancel", &err, r);
	if (output_json)
		puts("{\"cancelled\":true}");
	else
		puts("cancelled");
	return 0;
}

/* "12.34" yuan -> 1234 fen; whole yuan or up to two decimals. */
static bool parse_amount(const char *s, uint64_t *fen)
{
	uint64_t yuan = 0, cents = 0;
	int decimals = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		if (yuan > 9999999999ULL)
			return false;
		yuan = yuan * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p) && decimals < 2; p++, decimals++)
			cents = cents * 10 + (uint64_t)(*p - '0');
		if (decimals == 0)
			return false;
		if (decimals == 1)
			cents *= 10;
	}
	if (*p)
		return false;
	*fen = yuan * 100 + cents;
	return true;
}

/* subcommand -> method; args: 'r' reader, 'a' amount, 's' string;
 * options: an empty a{sv} follows */
static const struct engine_cmd {
	const char *cmd, *member, *args;
	bool options;
} engine_cmds[] = {
	{ "sign-in", "SignIn", "", false },
	{ "sign-out", "SignOut", "", false },
	{ "settle", "Settle", "", false },
	{ "sale", "Sale", "ra", true },
	{ "void", "Void", "rs", true },
	{ "refund", "Refund", "ras", true },
	{ "balance", "Balance", "r", true },
	{ "preauth", "PreAuth", "ra", true },
	{ "preauth-void", "PreAuthVoid", "rs", true },
	{ "preauth-complete", "PreAuthComplete", "ras", true },
	{ "preauth-complete-void", "PreAuthCompleteVoid", "rs", true },
	{ "inject-key", "InjectKey", "s", false },
};

static int append_args(sd_bus_message *m, const struct engine_cmd *e, char **argv)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && e->args[i]; i++) {
		uint64_t fen;

		if (e->args[i] != 'a') {
			r = sd_bus_message_append(m, "s", argv[i]);
			continue;
		}
		if (!parse_amount(argv[i], &fen)) {
			fprintf(stderr, "paycardctl: amount '%s': use yuan like 12.34\n", argv[i]);
			return -EINVAL;
		}
		r = sd_bus_message_append(m, "t", fen);
	}
	if (r >= 0 && e->options)
		r = sd_bus_message_append(m, "a{sv}", 0);
	return r;
}

static int on_pin_digits(sd_bus_message *m, void *user, sd_bus_error *err)
{
	const char *reader;
	uint32_t count;

	if (sd_bus_message_read(m, "su", &reader, &count) >= 0)
		fprintf(stderr, "[%s] PIN: %.*s\n", reader, (int)(count > 12 ? 12 : count),
			"************");
	return 0;
}

struct engine_state {
	bool done;
	int status;
	const char *member;
};

static int on_engine_reply(sd_bus_message *m, void *user, sd_bus_error *unused)
{
	struct engine_state *st = user;

	st->done = true;
	if (sd_bus_message_is_method_error(m, NULL)) {
		st->status = client_report_error(st->member, sd_bus_message_get_error(m), -EIO);
		return 0;
	}
	if (!output_json && strcmp(st->member, "Settle") == 0) {
		static struct result_fields f;

		st->status = result_read(m, &f) < 0 ? 1 : 0;
		if (!st->status)
			settlement_report_print(&f, stdout);
		return 0;
	}
	st->status = result_print(m, stdout) < 0 ? 1 : 0;
	return 0;
}

int cmd_engine(struct ctl *c, int argc, char **argv)
{
	const struct engine_cmd *e = NULL;
	struct engine_state st = { .status = 1 };
	sd_bus_message *m = NULL;
	sd_bus_slot *call = NULL;
	const char *reader;
	int r;

	for (size_t i = 0; i < sizeof(engine_cmds) / sizeof(engine_cmds[0]); i++)
		if (strcmp(engine_cmds[i].cmd, argv[-1]) == 0)
			e = &engine_cmds[i];
	if (!e || (size_t)argc != strlen(e->args)) {
		fprintf(stderr, "paycardctl: %s: wrong arguments (see paycardctl --help)\n", argv[-1]);
		return 2;
	}
	st.member = e->member;
	reader = e->args[0] == 'r' ? argv[0] : NULL;
	r = sd_bus_message_new_method_call(c->bus, &m, "org.paycard", TERMINAL_PATH,
					   TERMINAL_IFACE, e->member);
	if (r >= 0)
		r = append_args(m, e, argv);
	if (r == -EINVAL) {
		sd_bus_message_unref(m);
		return 2;
	}
	sd_bus_match_signal(c->bus, NULL, NULL, TERMINAL_PATH, TERMINAL_IFACE, "Prompt", on_prompt, NULL);
	sd_bus_match_signal(c->bus, NULL, NULL, TERMINAL_PATH, TERMINAL_IFACE, "TransactionState",
			    on_state, NULL);
	sd_bus_match_signal(c->bus, NULL, NULL, TERMINAL_PATH, TERMINAL_IFACE, "PinDigits",
			    on_pin_digits, NULL);
	/* a sale waits for the cardholder: no client-side deadline shorter
	 * than the daemon's own (card wait, PIN timeout, host timeouts) */
	if (r >= 0)
		r = sd_bus_call_async(c->bus, &call, m, on_engine_reply, &st, 600ULL * 1000000ULL);
	sd_bus_message_unref(m);
	if (r < 0) {
		fprintf(stderr, "paycardctl: %s: %s\n", e->member, strerror(-r));
		return 1;
	}
	signal(SIGINT, on_sigint);
	while (!st.done) {
		r = sd_bus_process(c->bus, NULL);
		if (r < 0)
			break;
		if (r > 0)
			continue;
		if (interrupted && reader) {
			interrupted = 0;
			fprintf(stderr, "cancelling...\n");
			send_cancel(c->bus, reader);
			continue;
		}
		sd_bus_wait(c->bus, 200000);
	}
	sd_bus_slot_unref(call);
	return st.status;
}
