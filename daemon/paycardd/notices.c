// SPDX-License-Identifier: MIT
#include "paycardd/notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/log.h"

#define USEC_PER_SEC	1000000ULL
#define RATE_WINDOW_USEC (3600 * USEC_PER_SEC)

struct notices {
	sqlite3 *db;
	struct notice_policy policy;
	/* fixed one-hour window per class */
	uint64_t window_start[NOTICE_CLASS_COUNT];
	unsigned in_window[NOTICE_CLASS_COUNT];
};

static const char *const class_names[NOTICE_CLASS_COUNT] = {
	[NOTICE_SECURITY] = "security", [NOTICE_MAINTENANCE] = "maintenance",
	[NOTICE_MARKETING] = "marketing", [NOTICE_INFO] = "info",
};

const char *notice_class_name(enum notice_class c)
{
	return c < NOTICE_CLASS_COUNT ? class_names[c] : "unknown";
}

int notice_class_from_name(const char *name)
{
	for (int i = 0; i < NOTICE_CLASS_COUNT; i++)
		if (strcmp(class_names[i], name) == 0)
			return i;
	return -1;
}

struct notices *notices_new(sqlite3 *db, const struct notice_policy *policy)
{
	struct notices *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->db = db;
	n->policy = *policy;
	return n;
}

void notices_free(struct notices *n)
{
	free(n);
}

void notices_set_policy(struct notices *n, const struct notice_policy *policy)
{
	n->policy = *policy;
}

static void fill(struct notice *out, uint64_t id, uint64_t usec, enum notice_class cls,
		 const char *code, const char *text, unsigned count)
{
	out->id = id;
	out->usec = usec;
	out->cls = cls;
	snprintf(out->code, sizeof(out->code), "%s", code);
	snprintf(out->text, sizeof(out->text), "%s", text);
	out->count = count;
}

/* The latest occurrence of the same notice inside the window, folded. */
static int fold_duplicate(struct notices *n, enum notice_class cls, const char *code,
			  const char *text, uint64_t now, struct notice *out)
{
	static const char sel[] =
		"SELECT id, count FROM notices WHERE class=?1 AND code=?2 AND text=?3"
		" AND last_usec >= ?4 ORDER BY id DESC LIMIT 1";
	uint64_t window = (uint64_t)n->policy.dedup_window_s * USEC_PER_SEC;
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(n->db, sel, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, class_names[cls], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)(now > window ? now - window : 0));
	if (n->policy.dedup_window_s && sqlite3_step(st) == SQLITE_ROW) {
		uint64_t id = (uint64_t)sqlite3_column_int64(st, 0);
		unsigned count = (unsigned)sqlite3_column_int(st, 1) + 1;
		char upd[96];

		snprintf(upd, sizeof(upd),
			 "UPDATE notices SET count=%u, last_usec=%llu WHERE id=%llu",
			 count, (unsigned long long)now, (unsigned long long)id);
		found = sqlite3_exec(n->db, upd, NULL, NULL, NULL) == SQLITE_OK ? 1 : -1;
		fill(out, id, now, cls, code, text, count);
	}
	sqlite3_finalize(st);
	return found;
}

static bool rate_allows(struct notices *n, enum notice_class cls, uint64_t now)
{
	if (now - n->window_start[cls] >= RATE_WINDOW_USEC || now < n->window_start[cls]) {
		n->window_start[cls] = now;
		n->in_window[cls] = 0;
	}
	if (n->in_window[cls] >= n->policy.per_hour[cls])
		return false;
	n->in_window[cls]++;
	return true;
}

static int insert(struct notices *n, enum notice_class cls, const char *code,
		  const char *text, uint64_t now, bool suppressed, struct notice *out)
{
	static const char ins[] =
		"INSERT INTO notices (first_usec, last_usec, class, code, text, suppressed)"
		" VALUES (?1, ?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(n->db, ins, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_text(st, 2, class_names[cls], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, suppressed);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	fill(out, (uint64_t)sqlite3_last_insert_rowid(n->db), now, cls, code, text, 1);
	return 0;
}

enum notice_verdict notices_raise(struct notices *n, enum notice_class cls,
				  const char *code, const char *text,
				  uint64_t now_usec, struct notice *out)
{
	bool allowed;
	int dup;

	if (cls >= NOTICE_CLASS_COUNT)
		return NOTICE_FAILED;
	if (cls == NOTICE_MARKETING && n->policy.marketing_muted)
		return NOTICE_MUTED;
	dup = fold_duplicate(n, cls, code, text, now_usec, out);
	if (dup > 0)
		return NOTICE_DUPLICATE;
	allowed = dup == 0 && rate_allows(n, cls, now_usec);
	if (dup < 0 || insert(n, cls, code, text, now_usec, !allowed, out) < 0) {
		log_error("notice store: %s", sqlite3_errmsg(n->db));
		return NOTICE_FAILED;
	}
	return allowed ? NOTICE_EMITTED : NOTICE_RATE_LIMITED;
}

int notices_list(struct notices *n, struct notice *out, size_t max)
{
	static const char sel[] =
		"SELECT id, last_usec, class, code, text, count FROM notices"
		" WHERE suppressed=0 ORDER BY id DESC LIMIT ?1";
	sqlite3_stmt *st;
	size_t i = 0;

	if (sqlite3_prepare_v2(n->db, sel, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	while (i < max && sqlite3_step(st) == SQLITE_ROW) {
		int cls = notice_class_from_name((const char *)sqlite3_column_text(st, 2));

		fill(&out[i++], (uint64_t)sqlite3_column_int64(st, 0),
		     (uint64_t)sqlite3_column_int64(st, 1), cls < 0 ? NOTICE_INFO : cls,
		     (const char *)sqlite3_column_text(st, 3),
		     (const char *)sqlite3_column_text(st, 4),
		     (unsigned)sqlite3_column_int(st, 5));
	}
	sqlite3_finalize(st);
	return (int)i;
}
