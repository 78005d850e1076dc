// SPDX-License-Identifier: MIT
#include "paycardd/store.h"

#include <stddef.h>

#include "paycardd/log.h"

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
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
