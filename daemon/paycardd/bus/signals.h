/* SPDX-License-Identifier: MIT */
/* Signals and PropertiesChanged on every connected bus (each peer of the
 * private socket, and the system bus when one runs), and the events of
 * the lower layers (events.h) published through them. */
#ifndef PAYCARDD_SIGNALS_H
#define PAYCARDD_SIGNALS_H

#include "paycardd/events.h"

struct paycardd;

#define TERMINAL_PATH		"/org/paycard/terminal"
#define TERMINAL_IFACE		"org.paycard.Terminal1"
#define READER_IFACE		"org.paycard.Reader1"

extern const struct paycardd_events bus_events;

/* A signal of @iface at @path on every bus. */
void bus_broadcast_signal(struct paycardd *d, const char *path, const char *iface,
			  const char *member, const char *types, ...);
/* PropertiesChanged on every bus for the NULL-terminated property names. */
void bus_broadcast_properties(struct paycardd *d, const char *path, const char *iface,
			      const char *const *names);

#endif
