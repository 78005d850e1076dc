/* SPDX-License-Identifier: MIT */
/* Notices for the merchant: classified, de-duplicated, rate-limited per
 * class, marketing mutable; every notice that is not muted is kept in the
 * database, and only the ones that pass de-duplication and the rate limit
 * are signalled. */
#ifndef PAYCARDD_NOTICES_H
#define PAYCARDD_NOTICES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "paycardd/notice_class.h"

#define NOTICE_CODE_LEN	64
#define NOTICE_TEXT_LEN	256

struct notice {
	uint64_t id;
	uint64_t usec;			/* CLOCK_REALTIME of the last occurrence */
	enum notice_class cls;
	char code[NOTICE_CODE_LEN];	/* stable machine id, e.g. "reader.swapped" */
	char text[NOTICE_TEXT_LEN];
	unsigned count;			/* occurrences folded into this notice */
};

enum notice_verdict {
	NOTICE_EMITTED,		/* new: store it and signal it */
	NOTICE_DUPLICATE,	/* same class+code+text inside the window: count++ */
	NOTICE_RATE_LIMITED,	/* stored as suppressed, not signalled */
	NOTICE_MUTED,		/* marketing while muted: dropped */
	NOTICE_FAILED,		/* database error (logged) */
};

struct notices;

struct notices *notices_new(sqlite3 *db, const struct notice_policy *policy);
void notices_free(struct notices *n);
void notices_set_policy(struct notices *n, const struct notice_policy *policy);

/* @out receives the stored notice (for EMITTED, DUPLICATE and RATE_LIMITED). */
enum notice_verdict notices_raise(struct notices *n, enum notice_class cls,
				  const char *code, const char *text,
				  uint64_t now_usec, struct notice *out);

/* Up to @max signalled (not suppressed) notices, newest first; returns the
 * count or -1. */
int notices_list(struct notices *n, struct notice *out, size_t max);

#endif
