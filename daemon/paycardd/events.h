/* SPDX-License-Identifier: MIT */
/*
 * What the lower layers (session, engine, readers, core) report to the
 * outside world, as txn_hooks (txn/engine.h) is for the transaction
 * library: the layer that knows reports, bus/ decides how to publish
 * (signals and PropertiesChanged on every connection, bus/signals.c).
 * Property names are those of the documented API (docs/dbus/).  The
 * layers call the events_* functions of daemon.h, which do nothing when no
 * events are set (unit tests).
 */
#ifndef PAYCARDD_EVENTS_H
#define PAYCARDD_EVENTS_H

struct paycardd;
struct reader;
struct notice;

struct paycardd_events {
	/* properties of a reader, NULL-terminated names */
	void (*reader_changed)(struct paycardd *d, const struct reader *r,
			       const char *const *props);
	/* properties of the terminal, NULL-terminated names */
	void (*terminal_changed)(struct paycardd *d, const char *const *props);
	/* "inserted", "removed", "swiped" */
	void (*card_event)(struct paycardd *d, const char *reader, const char *what);
	/* a prompt for the cashier's screen, in both languages */
	void (*prompt)(struct paycardd *d, const char *reader, const char *id,
		       const char *text_en, const char *text_zh_cn);
	/* "waiting-card", "online", "approved"... (docs/dbus/) */
	void (*transaction_state)(struct paycardd *d, const char *reader, const char *state);
	/* how many PIN digits are entered: never the digits */
	void (*pin_digits)(struct paycardd *d, const char *reader, unsigned count);
	/* a notice was raised and is to be shown */
	void (*notice)(struct paycardd *d, const struct notice *n);
};

#endif
