/* SPDX-License-Identifier: MIT */
/* Reader identity pinning.  The first reader ever seen is recorded and
 * approved; a reader with another serial is recorded as pending and must not
 * be used until a supervisor approves it (a swapped reader can be a
 * skimmer).  Kept in the "readers" table of the paycardd database. */
#ifndef PAYCARDD_READER_IDENTITY_H
#define PAYCARDD_READER_IDENTITY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

enum reader_identity_verdict {
	IDENTITY_FIRST_RECORDED,	/* no reader was known: this one is now pinned */
	IDENTITY_APPROVED,		/* a known, approved serial */
	IDENTITY_NEW_PENDING,	/* a serial never seen: now pending approval */
	IDENTITY_STILL_PENDING,	/* seen before, still not approved */
	IDENTITY_ERROR,		/* database error or empty serial */
};

enum reader_identity_verdict reader_identity_check(sqlite3 *db, const char *serial, const char *model,
			       const char *firmware, uint64_t now_usec);

/* 0 approved, -ENOENT serial never seen, -EIO database error.  Approving an
 * already approved serial is not an error. */
int reader_identity_approve(sqlite3 *db, const char *serial);

/* True exactly once per (serial, firmware): the caller raises the "firmware
 * too old" notice then, never again for that firmware. */
bool reader_identity_firmware_warn_once(sqlite3 *db, const char *serial, const char *firmware);

bool reader_identity_is_approved(sqlite3 *db, const char *serial);

#endif
