// SPDX-License-Identifier: MIT
#include "paycardd/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int max_level = LOG_INFO;

static const char *const level_names[] = {
	[LOG_ERR] = "error", [LOG_WARNING] = "warning",
	[LOG_NOTICE] = "notice", [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

void log_set_level(int level)
{
	max_level = level;
}

int log_get_level(void)
{
	return max_level;
}

int log_level_from_name(const char *name)
{
	for (int i = LOG_ERR; i <= LOG_DEBUG; i++)
		if (level_names[i] && strcmp(level_names[i], name) == 0)
			return i;
	return -1;
}

void log_msg(int level, const char *fmt, ...)
{
	/* JOURNAL_STREAM is set by systemd when stderr is the journal: then the
	 * "<N>" prefix carries the priority instead of a word. */
	static int to_journal = -1;
	va_list ap;

	if (level > max_level)
		return;
	if (to_journal < 0)
		to_journal = getenv("JOURNAL_STREAM") != NULL;
	if (to_journal)
		fprintf(stderr, "<%d>", level);
	else
		fprintf(stderr, "paycardd: %s: ", level_names[level] ? level_names[level] : "log");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
