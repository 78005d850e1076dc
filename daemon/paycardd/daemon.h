/* SPDX-License-Identifier: MIT */
/* The daemon's shared state: one instance, owned by main.c, handed to every
 * concern.  Everything runs on the one sd-event loop. */
#ifndef PAYCARDD_DAEMON_H
#define PAYCARDD_DAEMON_H

#include <sqlite3.h>
#include <systemd/sd-event.h>

#include "paycardd/config.h"
#include "paycardd/events.h"
#include "paycardd/notices.h"

struct bus_server;
struct engine_job;
struct link_waiter;
struct session_call;
struct reader_manager;
struct txn_engine;
struct journal;
struct pcc_keystore;
struct hostlink;

#define READER_PATH_PREFIX	"/org/paycard/reader"

struct paycardd {
	sd_event *event;
	struct paycardd_config cfg;
	char config_path[CONFIG_PATH_LEN];
	sqlite3 *db;
	struct store_checkpoints *checkpoints;
	struct notices *notices;
	struct bus_server *server;	/* peer-to-peer socket */
	struct sd_bus *system_bus;		/* NULL when none runs */
	const struct paycardd_events *events;	/* bus/: publishes what happens */
	struct reader_manager *readers;
	char module_state[96];		/* "loaded, ABI 1", "not loaded: ...", ... */
	bool module_missing;		/* not loaded: the libusb transport may stand in */
	int cli_log_level;		/* -1, or --log-level (wins over the file) */
	/* the transaction engine: NULL when no acquirer host is configured */
	struct txn_engine *engine;
	struct journal *journal;
	struct pcc_keystore *keystore;
	struct hostlink *hostlink;
	sd_event_source *engine_boot;	/* sign-in and reversals after start */
	sd_event_source *engine_daily;	/* the daily sign-in */
	sd_event_source *engine_retry;	/* pending reversals, every minute */
	struct engine_job *jobs;	/* sign-in, settlement... under way */
	struct link_waiter *link_waiters;	/* for the host link, in order */
	struct session_call *session_calls;	/* bus/: calls waiting for a session */
	sd_event_source *link_release;	/* their turn, after a release */
	char engine_state[512];		/* why the engine is off, for NotSupported */
};

/* Raise a notice (policy, store, signal) and log it. */
void daemon_notice(struct paycardd *d, enum notice_class cls, const char *code,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same, with the text given and the verdict returned (PostNotice). */
enum notice_verdict daemon_notice_raise(struct paycardd *d, enum notice_class cls,
					const char *code, const char *text, struct notice *out);

/* Report through d->events (events.h); nothing when none are set. */
void events_reader_changed(struct paycardd *d, const struct reader *r, const char *prop, ...);
void events_terminal_changed(struct paycardd *d, const char *prop, ...);
void events_card(struct paycardd *d, const char *reader, const char *what);
void events_prompt(struct paycardd *d, const char *reader, const char *id,
		   const char *text_en, const char *text_zh_cn);
void events_transaction_state(struct paycardd *d, const char *reader, const char *state);
void events_pin_digits(struct paycardd *d, const char *reader, unsigned count);
void events_notice(struct paycardd *d, const struct notice *n);

/* CLOCK_REALTIME in microseconds */
uint64_t now_realtime_usec(void);

#endif
