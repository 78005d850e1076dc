/* SPDX-License-Identifier: MIT */
/* The engine's D-Bus methods on the terminal object, after terminal_object.c
 * has checked the caller's role, the reader and the amount. */
#ifndef PAYCARDD_TERMINAL_ENGINE_H
#define PAYCARDD_TERMINAL_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "paycardd/roles.h"

struct paycardd;
struct reader;

/* The engine's methods; the vtable of terminal_object.c dispatches each
 * to its own handler, which hands on its entry of this table. */
enum engine_call {
	CALL_SIGN_IN,
	CALL_SIGN_OUT,
	CALL_SETTLE,
	CALL_SALE,
	CALL_VOID,
	CALL_REFUND,
	CALL_BALANCE,
	CALL_PREAUTH,
	CALL_PREAUTH_VOID,
	CALL_PREAUTH_COMPLETE,
	CALL_PREAUTH_COMPLETE_VOID,
	CALL_COUNT
};

/* What a method needs before it could run. */
struct engine_method {
	const char *member;	/* for messages */
	enum engine_call call;
	enum role need;
	bool reader;		/* first argument: reader name */
	bool amount;		/* then an amount in fen */
};

extern const struct engine_method engine_methods[CALL_COUNT];

/* @r is NULL for the methods without a reader; @amount 0 when the method
 * has none.  The message is positioned after the arguments already read. */
int terminal_engine_call(struct paycardd *d, sd_bus_message *m, const struct engine_method *em,
			 struct reader *r, uint64_t amount, sd_bus_error *err);

int terminal_query_journal(sd_bus_message *m, void *user, sd_bus_error *err);
int terminal_export_journal(sd_bus_message *m, void *user, sd_bus_error *err);

#endif
