// SPDX-License-Identifier: MIT
#include "paycardd/bus/signals.h"

#include <stdarg.h>
#include <systemd/sd-bus.h>

#include "paycardd/bus/bus_server.h"
#include "paycardd/daemon.h"
#include "paycardd/readers/reader_manager.h"

struct signal_args {
	const char *path, *iface, *member, *types;
	va_list *ap;
};

static void emit_one(sd_bus *bus, void *user)
{
	struct signal_args *a = user;
	va_list copy;

	va_copy(copy, *a->ap);
	sd_bus_emit_signalv(bus, a->path, a->iface, a->member, a->types, copy);
	va_end(copy);
}

void bus_broadcast_signal(struct paycardd *d, const char *path, const char *iface,
			  const char *member, const char *types, ...)
{
	struct signal_args a = { path, iface, member, types, NULL };
	va_list ap;

	va_start(ap, types);
	a.ap = &ap;
	if (d->server)
		bus_server_foreach(d->server, emit_one, &a);
	if (d->system_bus)
		emit_one(d->system_bus, &a);
	va_end(ap);
}

struct props_args {
	const char *path, *iface;
	char **names;
};

static void props_one(sd_bus *bus, void *user)
{
	struct props_args *a = user;

	sd_bus_emit_properties_changed_strv(bus, a->path, a->iface, a->names);
}

void bus_broadcast_properties(struct paycardd *d, const char *path, const char *iface,
			      const char *const *names)
{
	struct props_args a = { path, iface, (char **)names };

	if (d->server)
		bus_server_foreach(d->server, props_one, &a);
	if (d->system_bus)
		props_one(d->system_bus, &a);
}

static void reader_changed(struct paycardd *d, const struct reader *r, const char *const *props)
{
	bus_broadcast_properties(d, r->path, READER_IFACE, props);
}

static void terminal_changed(struct paycardd *d, const char *const *props)
{
	bus_broadcast_properties(d, TERMINAL_PATH, TERMINAL_IFACE, props);
}

static void card_event(struct paycardd *d, const char *reader, const char *what)
{
	bus_broadcast_signal(d, TERMINAL_PATH, TERMINAL_IFACE, "CardEvent", "ss", reader, what);
}

static void prompt(struct paycardd *d, const char *reader, const char *id,
		   const char *text_en, const char *text_zh_cn)
{
	bus_broadcast_signal(d, TERMINAL_PATH, TERMINAL_IFACE, "Prompt", "ssss", reader, id,
			     text_en, text_zh_cn);
}

static void transaction_state(struct paycardd *d, const char *reader, const char *state)
{
	bus_broadcast_signal(d, TERMINAL_PATH, TERMINAL_IFACE, "TransactionState", "ss",
			     reader, state);
}

static void pin_digits(struct paycardd *d, const char *reader, unsigned count)
{
	bus_broadcast_signal(d, TERMINAL_PATH, TERMINAL_IFACE, "PinDigits", "su", reader,
			     (uint32_t)count);
}

static void notice(struct paycardd *d, const struct notice *n)
{
	static const char *const notices_prop[] = { "Notices", NULL };

	bus_broadcast_signal(d, TERMINAL_PATH, TERMINAL_IFACE, "Notice", "ttsss", n->id, n->usec,
			     notice_class_name(n->cls), n->code, n->text);
	bus_broadcast_properties(d, TERMINAL_PATH, TERMINAL_IFACE, notices_prop);
}

const struct paycardd_events bus_events = {
	.reader_changed = reader_changed,
	.terminal_changed = terminal_changed,
	.card_event = card_event,
	.prompt = prompt,
	.transaction_state = transaction_state,
	.pin_digits = pin_digits,
	.notice = notice,
};
