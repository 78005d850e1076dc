/* SPDX-License-Identifier: MIT */
/* A method call waiting for a reader's card session (ReadCard, Sale...):
 * the session's result becomes its D-Bus reply. */
#ifndef PAYCARDD_SESSION_CALL_H
#define PAYCARDD_SESSION_CALL_H

#include <systemd/sd-bus.h>

struct paycardd;
struct reader;
struct txn_flow;

/* Start @r's session (with @flow, a transaction, or NULL) for call @m:
 * 1 when the reply is the session's now, else as a method handler. */
int session_call_start(struct paycardd *d, sd_bus_message *m, struct reader *r,
		       unsigned timeout_s, struct txn_flow *flow, sd_bus_error *err);

/* A client connection closed: its sessions end without a reply. */
void session_calls_forget_bus(struct paycardd *d, sd_bus *bus);

#endif
