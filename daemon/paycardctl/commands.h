/* SPDX-License-Identifier: MIT */
/* paycardctl subcommands: each gets the connection (NULL for doctor, which
 * connects itself to tell a missing daemon from other faults) and its
 * arguments, and returns the exit status. */
#ifndef PAYCARDCTL_COMMANDS_H
#define PAYCARDCTL_COMMANDS_H

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "txn/response_codes.h"

struct ctl {
	sd_bus *bus;
	const char *socket_path;
	bool system_bus;
	const char *host;	/* doctor --host HOST:PORT */
	const char *keystore;	/* doctor --keystore PATH */
};

int cmd_status(struct ctl *c, int argc, char **argv);
int cmd_readers(struct ctl *c, int argc, char **argv);
int cmd_notices(struct ctl *c, int argc, char **argv);
int cmd_role(struct ctl *c, int argc, char **argv);
int cmd_read_card(struct ctl *c, int argc, char **argv);
int cmd_cancel(struct ctl *c, int argc, char **argv);
int cmd_engine(struct ctl *c, int argc, char **argv);
int cmd_journal(struct ctl *c, int argc, char **argv);
int cmd_export(struct ctl *c, int argc, char **argv);
int cmd_receipt(struct ctl *c, int argc, char **argv);
int cmd_approve(struct ctl *c, int argc, char **argv);
int cmd_post_notice(struct ctl *c, int argc, char **argv);
int cmd_reload(struct ctl *c, int argc, char **argv);
int cmd_explain(struct ctl *c, int argc, char **argv);
int cmd_doctor(struct ctl *c, int argc, char **argv);

/* ISO 8583 response code in plain words; NULL when unknown. */

#endif
