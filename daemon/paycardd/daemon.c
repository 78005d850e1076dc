// SPDX-License-Identifier: MIT
/* What every concern shares: signals to all buses, notices, reload. */
#include "paycardd/daemon.h"
#include "paycardd/engine/engine_setup.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "paycardd/bus/bus_objects.h"
#include "paycardd/bus/bus_server.h"
#include "paycardd/log.h"

uint64_t now_realtime_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

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

void daemon_broadcast_signal(struct paycardd *d, const char *path, const char *iface,
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

void daemon_broadcast_properties(struct paycardd *d, const char *path,
				 const char *iface, const char *name, ...)
{
	char *names[13];
	struct props_args a = { path, iface, names };
	size_t n = 0;
	va_list ap;

	va_start(ap, name);
	for (const char *p = name; p && n < 12; p = va_arg(ap, const char *))
		names[n++] = (char *)p;
	va_end(ap);
	names[n] = NULL;
	if (d->server)
		bus_server_foreach(d->server, props_one, &a);
	if (d->system_bus)
		props_one(d->system_bus, &a);
}

enum notice_verdict daemon_notice_raise(struct paycardd *d, enum notice_class cls,
					const char *code, const char *text, struct notice *out)
{
	enum notice_verdict v = notices_raise(d->notices, cls, code, text,
					      now_realtime_usec(), out);

	if (v == NOTICE_EMITTED) {
		log_notice("notice [%s] %s: %s", notice_class_name(cls), code, text);
		daemon_broadcast_signal(d, TERMINAL_PATH, TERMINAL_IFACE, "Notice", "ttsss",
					out->id, out->usec, notice_class_name(cls), code, text);
		daemon_broadcast_properties(d, TERMINAL_PATH, TERMINAL_IFACE, "Notices", NULL);
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

int daemon_reload(struct paycardd *d, char *err, size_t err_len)
{
	struct paycardd_config fresh;
	int r;

	config_set_defaults(&fresh);
	r = config_parse_file(&fresh, d->config_path, err, err_len);
	if (r == -1) {
		log_error("reload refused: %s", err);
		return -1;
	}
	config_apply_reloadable(&d->cfg, &fresh);
	engine_reconfigure(d);
	if (d->cli_log_level >= 0)
		d->cfg.log_level = d->cli_log_level;
	log_set_level(d->cfg.log_level);
	notices_set_policy(d->notices, &d->cfg.notices);
	daemon_broadcast_properties(d, TERMINAL_PATH, TERMINAL_IFACE, "TerminalId",
				    "MerchantId", "MerchantName", "MarketingMuted", NULL);
	log_info("configuration reloaded from %s", d->config_path);
	return 0;
}

int system_bus_start(struct paycardd *d)
{
	sd_bus *bus = NULL;
	int r;

	if (d->cfg.system_bus == SYSTEM_BUS_NO)
		return 0;
	r = sd_bus_open_system(&bus);
	if (r < 0) {
		if (d->cfg.system_bus == SYSTEM_BUS_YES) {
			log_error("system bus: %s", strerror(-r));
			return r;
		}
		log_info("no system bus (%s): serving the private socket only", strerror(-r));
		return 0;
	}
	r = sd_bus_attach_event(bus, d->event, SD_EVENT_PRIORITY_NORMAL);
	if (r >= 0)
		r = bus_objects_register(d, bus, false);
	if (r >= 0)
		r = sd_bus_request_name(bus, PAYCARD_BUS_NAME, 0);
	if (r < 0) {
		log_warning("system bus: cannot serve %s: %s (is the policy file installed?)",
			    PAYCARD_BUS_NAME, strerror(-r));
		sd_bus_flush_close_unref(bus);
		return d->cfg.system_bus == SYSTEM_BUS_YES ? r : 0;
	}
	d->system_bus = bus;
	log_info("serving %s on the system bus", PAYCARD_BUS_NAME);
	return 0;
}
