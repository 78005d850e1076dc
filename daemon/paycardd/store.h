/* SPDX-License-Identifier: MIT */
/* paycardd's own SQLite database (state_dir/paycardd.db): notices and the
 * pinned reader identities.  WAL mode, synchronous=FULL. */
#ifndef PAYCARDD_STORE_H
#define PAYCARDD_STORE_H

#include <sqlite3.h>
#include <systemd/sd-event.h>

/* Open (creating when needed) and apply the schema; @path ":memory:" for
 * tests.  NULL on failure (logged). */
sqlite3 *store_open(const char *path);
void store_close(sqlite3 *db);

/*
 * WAL checkpoints out of the money path.  SQLite runs one inside whichever
 * commit takes the WAL past 1000 pages (a sale's approval, say: megabytes
 * written and two more fsyncs before the cashier hears back).  Instead a
 * commit only notes the WAL's size; the checkpoint runs from @ev's loop
 * after the current dispatch (after the reply that commit preceded).  A
 * WAL that still grows past a hard limit is checkpointed in the commit.
 * store_checkpoints_free restores SQLite's own.  Negative errno on error.
 */
struct store_checkpoints;
int store_checkpoints_start(sqlite3 *db, sd_event *ev, struct store_checkpoints **out);
void store_checkpoints_free(struct store_checkpoints *c);

#endif
