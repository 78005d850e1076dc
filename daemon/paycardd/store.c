// SPDX-License-Identifier: MIT
#include "paycardd/store.h"

#include <errno.h>
#include <stdlib.h>

#include "paycardd/log.h"

/* The page cache is capped at 128 KiB (SQLite's default is 2 MB): the
 * journal grows with every sale and a cache that follows it would make
 * paycardd's memory grow with the batch; what falls out of it is re-read
 * from the kernel's page cache. */
static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"PRAGMA cache_size=-128;"
	"CREATE TABLE IF NOT EXISTS notices ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" first_usec INTEGER NOT NULL, last_usec INTEGER NOT NULL,"
	" class TEXT NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL,"
	" count INTEGER NOT NULL DEFAULT 1,"
	" suppressed INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS notices_key ON notices(class, code, text);"
	"CREATE TABLE IF NOT EXISTS readers ("
	" serial TEXT PRIMARY KEY, model TEXT NOT NULL, firmware TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('approved', 'pending')),"
	" first_usec INTEGER NOT NULL,"
	" firmware_warned TEXT NOT NULL DEFAULT '');";

sqlite3 *store_open(const char *path)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_error("%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	if (sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("%s: schema: %s", path, msg);
		sqlite3_free(msg);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

void store_close(sqlite3 *db)
{
	sqlite3_close(db);
}

/* pages in the WAL that ask for a checkpoint (SQLite's default), and the
 * hard limit a checkpoint that keeps failing to run must not pass */
#define WAL_CHECKPOINT_PAGES	1000
#define WAL_FORCE_PAGES		16000

struct store_checkpoints {
	sqlite3 *db;
	sd_event_source *defer;
};

static void checkpoint(sqlite3 *db, const char *schema_name)
{
	int rc = sqlite3_wal_checkpoint_v2(db, schema_name, SQLITE_CHECKPOINT_PASSIVE, NULL,
					   NULL);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_warning("database checkpoint: %s", sqlite3_errstr(rc));
}

static int on_checkpoint_due(sd_event_source *src, void *user)
{
	struct store_checkpoints *c = user;

	checkpoint(c->db, NULL);
	return 0;
}

static int on_wal_commit(void *user, sqlite3 *db, const char *schema_name, int pages)
{
	struct store_checkpoints *c = user;

	if (pages >= WAL_FORCE_PAGES)
		checkpoint(db, schema_name);
	else if (pages >= WAL_CHECKPOINT_PAGES)
		sd_event_source_set_enabled(c->defer, SD_EVENT_ONESHOT);
	return SQLITE_OK;
}

int store_checkpoints_start(sqlite3 *db, sd_event *ev, struct store_checkpoints **out)
{
	struct store_checkpoints *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->db = db;
	r = sd_event_add_defer(ev, &c->defer, on_checkpoint_due, c);
	if (r < 0) {
		free(c);
		return r;
	}
	sd_event_source_set_enabled(c->defer, SD_EVENT_OFF);
	sqlite3_wal_hook(db, on_wal_commit, c);
	*out = c;
	return 0;
}

void store_checkpoints_free(struct store_checkpoints *c)
{
	if (!c)
		return;
	sqlite3_wal_autocheckpoint(c->db, WAL_CHECKPOINT_PAGES);
	sd_event_source_disable_unref(c->defer);
	free(c);
}
