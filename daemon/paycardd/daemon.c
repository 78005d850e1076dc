// SPDX-License-Identifier: MIT
/* What every concern shares: notices, the events out (events.h), the clock. */
#include "paycardd/daemon.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "paycardd/log.h"

uint64_t now_realtime_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

enum notice_verdict daemon_notice_raise(struct paycardd *d, enum notice_class cls,
					const char *code, const char *text, struct notice *out)
{
	enum notice_verdict v = notices_raise(d->notices, cls, code, text,
					      now_realtime_usec(), out);

	if (v == NOTICE_EMITTED) {
		log_notice("notice [%s] %s: %s", notice_class_name(cls), code, text);
		events_notice(d, out);
	} else {
		log_debug("notice [%s] %s not signalled (verdict %d)", notice_class_name(cls),
			  code, v);
	}
	return v;
}

void daemon_notice(struct paycardd *d, enum notice_class cls, const char *code,
		   const char *fmt, ...)
{
	char text[NOTICE_TEXT_LEN];
	struct notice out;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	daemon_notice_raise(d, cls, code, text, &out);
}

#define PROPS_MAX	12

/* The NULL-terminated names @first, @ap... (at most PROPS_MAX) as changed
 * properties of reader @r, or of the terminal when @r is NULL. */
static void props_changed(struct paycardd *d, const struct reader *r, const char *first,
			  va_list ap)
{
	const char *props[PROPS_MAX + 1];
	size_t n = 0;

	if (!d->events)
		return;
	for (const char *p = first; p && n < PROPS_MAX; p = va_arg(ap, const char *))
		props[n++] = p;
	props[n] = NULL;
	if (r)
		d->events->reader_changed(d, r, props);
	else
		d->events->terminal_changed(d, props);
}

void events_reader_changed(struct paycardd *d, const struct reader *r, const char *prop, ...)
{
	va_list ap;

	va_start(ap, prop);
	props_changed(d, r, prop, ap);
	va_end(ap);
}

void events_terminal_changed(struct paycardd *d, const char *prop, ...)
{
	va_list ap;

	va_start(ap, prop);
	props_changed(d, NULL, prop, ap);
	va_end(ap);
}

void events_card(struct paycardd *d, const char *reader, const char *what)
{
	if (d->events)
		d->events->card_event(d, reader, what);
}

void events_prompt(struct paycardd *d, const char *reader, const char *id,
		   const char *text_en, const char *text_zh_cn)
{
	if (d->events)
		d->events->prompt(d, reader, id, text_en, text_zh_cn);
}

void events_transaction_state(struct paycardd *d, const char *reader, const char *state)
{
	if (d->events)
		d->events->transaction_state(d, reader, state);
}

void events_pin_digits(struct paycardd *d, const char *reader, unsigned count)
{
	if (d->events)
		d->events->pin_digits(d, reader, count);
}

void events_notice(struct paycardd *d, const struct notice *n)
{
	if (d->events)
		d->events->notice(d, n);
}
