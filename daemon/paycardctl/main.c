// SPDX-License-Identifier: MIT
/*
 * paycardctl: the operator's tool for paycardd.  Uses only the public D-Bus
 * API (org.paycard.Terminal1 / Reader1) on paycardd's socket or the system
 * bus.  Human output by default, --json for scripts.  See paycardctl(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardctl/bus_client.h"
#include "paycardctl/commands.h"
#include "paycardctl/output.h"

static const struct command {
	const char *name;
	int min_args, max_args;
	int (*fn)(struct ctl *c, int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "status", 0, 0, cmd_status, "status                      terminal IDs, sign-in, module, batch" },
	{ "readers", 0, 0, cmd_readers, "readers                     readers with identity and state" },
	{ "notices", 0, 1, cmd_notices, "notices [MAX]               newest notices (default 20)" },
	{ "role", 0, 0, cmd_role, "role                        your role for paycardd" },
	{ "read-card", 1, 2, cmd_read_card, "read-card READER [TIMEOUT]  wait for a card (Ctrl-C cancels)" },
	{ "cancel", 1, 1, cmd_cancel, "cancel READER               cancel the transaction on READER" },
	{ "approve", 1, 1, cmd_approve, "approve SERIAL              approve a swapped reader (supervisor)" },
	{ "sign-in", 0, 0, cmd_engine, "sign-in | sign-out" },
	{ "sign-out", 0, 0, cmd_engine, NULL },
	{ "sale", 2, 2, cmd_engine, "sale READER AMOUNT          AMOUNT in yuan, e.g. 12.34" },
	{ "void", 2, 2, cmd_engine, "void READER TRACE           (supervisor)" },
	{ "refund", 3, 3, cmd_engine, "refund READER AMOUNT REF    (supervisor)" },
	{ "balance", 1, 1, cmd_engine, "balance READER" },
	{ "preauth", 2, 2, cmd_engine, "preauth READER AMOUNT" },
	{ "preauth-void", 2, 2, cmd_engine, "preauth-void READER AUTHCODE (supervisor)" },
	{ "preauth-complete", 3, 3, cmd_engine, "preauth-complete READER AMOUNT AUTHCODE" },
	{ "preauth-complete-void", 2, 2, cmd_engine, "preauth-complete-void READER TRACE (supervisor)" },
	{ "settle", 0, 0, cmd_engine, "settle                      close the batch (supervisor)" },
	{ "journal", 0, 1, cmd_journal, "journal [BATCH]             transactions of the journal (newest first)" },
	{ "receipt", 1, 1, cmd_receipt, "receipt ID                  the receipt of journal record ID" },
	{ "export", 1, 1, cmd_export, "export csv|json             the whole journal (supervisor; backup)" },
	{ "inject-key", 1, 1, cmd_engine, "inject-key TR31-BLOCK       (supervisor)" },
	{ "post-notice", 3, 3, cmd_post_notice, "post-notice CLASS CODE TEXT (admin)" },
	{ "reload", 0, 0, cmd_reload, "reload                      re-read paycardd.conf (admin)" },
	{ "explain", 1, 1, cmd_explain, "explain CODE                a host response code in words" },
	{ "doctor", 0, 0, cmd_doctor, "doctor                      check every layer, name the failing one" },
};

static void usage(FILE *f)
{
	fputs("usage: paycardctl [--json] [--socket PATH | --system] COMMAND [ARGS]\n"
	      "       paycardctl doctor [--host HOST:PORT] [--keystore PATH]\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].usage)
			fprintf(f, "  %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "system", no_argument, NULL, 'S' },
		{ "host", required_argument, NULL, 'H' },
		{ "keystore", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct ctl c = { .socket_path = getenv("PAYCARD_SOCKET") };
	const struct command *cmd = NULL;
	int opt, argn, status;

	if (!c.socket_path)
		c.socket_path = PAYCARD_DEFAULT_SOCKET;
	while ((opt = getopt_long(argc, argv, "js:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': output_json = true; break;
		case 's': c.socket_path = optarg; break;
		case 'S': c.system_bus = true; break;
		case 'H': c.host = optarg; break;
		case 'k': c.keystore = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, argv[optind]) == 0)
			cmd = &commands[i];
	argn = argc - optind - 1;
	if (!cmd || argn < cmd->min_args || argn > cmd->max_args) {
		fprintf(stderr, "paycardctl: %s '%s'\n", cmd ? "wrong arguments for" : "unknown command",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	/* doctor and explain connect themselves (or not at all) */
	if (cmd->fn != cmd_doctor && cmd->fn != cmd_explain &&
	    client_connect(c.socket_path, c.system_bus, false, &c.bus) < 0)
		return 1;
	status = cmd->fn(&c, argn, argv + optind + 1);
	sd_bus_flush_close_unref(c.bus);
	return status;
}
