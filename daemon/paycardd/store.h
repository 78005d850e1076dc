/* SPDX-License-Identifier: MIT */
/* paycardd's own SQLite database (state_dir/paycardd.db): notices and the
 * pinned reader identities.  WAL mode, synchronous=FULL. */
#ifndef PAYCARDD_STORE_H
#define PAYCARDD_STORE_H

#include <sqlite3.h>

/* Open (creating when needed) and apply the schema; @path ":memory:" for
 * tests.  NULL on failure (logged). */
sqlite3 *store_open(const char *path);
void store_close(sqlite3 *db);

#endif
