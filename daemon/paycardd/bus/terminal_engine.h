/* SPDX-License-Identifier: MIT */
/* The engine's D-Bus methods on the terminal object, after terminal_object.c
 * has checked the caller's role, the reader and the amount. */
#ifndef PAYCARDD_TERMINAL_ENGINE_H
#define PAYCARDD_TERMINAL_ENGINE_H

#include <stdint.h>
#include <systemd/sd-bus.h>

struct paycardd;
struct reader;

/* @r is NULL for the methods without a reader; @amount 0 when the method
 * has none.  The message is positioned after the arguments already read. */
int terminal_engine_call(struct paycardd *d, sd_bus_message *m, const char *member,
			 struct reader *r, uint64_t amount, sd_bus_error *err);

int terminal_query_journal(sd_bus_message *m, void *user, sd_bus_error *err);
int terminal_export_journal(sd_bus_message *m, void *user, sd_bus_error *err);

#endif
