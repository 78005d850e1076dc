/* SPDX-License-Identifier: MIT */
/* Notice classes and the policy that governs them (shared by the config
 * parser and the notice store). */
#ifndef PAYCARDD_NOTICE_CLASS_H
#define PAYCARDD_NOTICE_CLASS_H

#include <stdbool.h>

enum notice_class {
	NOTICE_SECURITY = 0,
	NOTICE_MAINTENANCE,
	NOTICE_MARKETING,
	NOTICE_INFO,
	NOTICE_CLASS_COUNT
};

struct notice_policy {
	bool marketing_muted;
	unsigned per_hour[NOTICE_CLASS_COUNT];	/* signalled notices per class per hour */
	unsigned dedup_window_s;		/* same class+code+text inside it = one notice */
};

const char *notice_class_name(enum notice_class c);
/* -1 when @name is not a class */
int notice_class_from_name(const char *name);

#endif
