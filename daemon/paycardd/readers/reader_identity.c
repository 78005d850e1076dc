// SPDX-License-Identifier: MIT
#include "paycardd/readers/reader_identity.h"

#include <errno.h>
#include <string.h>

#include "paycardd/log.h"

/* Run @sql with up to three text parameters and an optional int64 ?4;
 * returns the first column of the first row as an int (or @none). */
static int query_int(sqlite3 *db, const char *sql, const char *a, const char *b,
		     const char *c, int none)
{
	sqlite3_stmt *st;
	int rc, result = none;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_error("reader identity: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (c)
		sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		result = sqlite3_column_int(st, 0);
	else if (rc != SQLITE_DONE)
		result = -1;
	sqlite3_finalize(st);
	return result;
}

static bool record(sqlite3 *db, const char *serial, const char *model,
		   const char *firmware, const char *state, uint64_t now)
{
	static const char ins[] =
		"INSERT INTO readers (serial, model, firmware, state, first_usec)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, ins, -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, firmware, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

enum reader_identity_verdict reader_identity_check(sqlite3 *db, const char *serial, const char *model,
			       const char *firmware, uint64_t now_usec)
{
	int known, approved;

	if (!serial[0])
		return IDENTITY_ERROR;	/* a reader without identity cannot be pinned */
	known = query_int(db, "SELECT count(*) FROM readers", NULL, NULL, NULL, 0);
	approved = query_int(db, "SELECT state='approved' FROM readers WHERE serial=?1",
			     serial, NULL, NULL, -2);
	if (known < 0 || approved == -1)
		return IDENTITY_ERROR;
	if (approved >= 0) {
		/* keep the recorded firmware current (an update is not a swap) */
		query_int(db, "UPDATE readers SET firmware=?2 WHERE serial=?1",
			  serial, firmware, NULL, 0);
		return approved ? IDENTITY_APPROVED : IDENTITY_STILL_PENDING;
	}
	if (known == 0)
		return record(db, serial, model, firmware, "approved", now_usec) ?
			IDENTITY_FIRST_RECORDED : IDENTITY_ERROR;
	return record(db, serial, model, firmware, "pending", now_usec) ?
		IDENTITY_NEW_PENDING : IDENTITY_ERROR;
}

int reader_identity_approve(sqlite3 *db, const char *serial)
{
	int state = query_int(db, "SELECT 1 FROM readers WHERE serial=?1", serial,
			      NULL, NULL, 0);

	if (state < 0)
		return -EIO;
	if (state == 0)
		return -ENOENT;
	if (query_int(db, "UPDATE readers SET state='approved' WHERE serial=?1",
		      serial, NULL, NULL, 0) < 0)
		return -EIO;
	return 0;
}

bool reader_identity_is_approved(sqlite3 *db, const char *serial)
{
	return query_int(db, "SELECT state='approved' FROM readers WHERE serial=?1",
			 serial, NULL, NULL, 0) == 1;
}

bool reader_identity_firmware_warn_once(sqlite3 *db, const char *serial, const char *firmware)
{
	int warned = query_int(db, "SELECT firmware_warned=?2 FROM readers WHERE serial=?1",
			       serial, firmware, NULL, 0);

	if (warned != 0)
		return false;
	return query_int(db, "UPDATE readers SET firmware_warned=?2 WHERE serial=?1",
			 serial, firmware, NULL, 0) == 0 &&
	       sqlite3_changes(db) == 1;
}
