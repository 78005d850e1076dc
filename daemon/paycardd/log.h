/* SPDX-License-Identifier: MIT */
/* Leveled logging to stderr; under systemd the journal reads the "<N>"
 * prefixes (sd-daemon.h levels), on a terminal a plain level word is shown. */
#ifndef PAYCARDD_LOG_H
#define PAYCARDD_LOG_H

#include <syslog.h>

/* Messages above @level (syslog numbering: LOG_ERR=3 ... LOG_DEBUG=7) are
 * dropped. */
void log_set_level(int level);
int log_get_level(void);

/* "error", "warning", "notice", "info", "debug" -> LOG_*; -1 if unknown. */
int log_level_from_name(const char *name);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
