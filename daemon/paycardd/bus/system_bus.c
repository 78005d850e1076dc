// SPDX-License-Identifier: MIT
/* The same objects on the system bus, when one runs (config system_bus). */
#include "paycardd/bus/system_bus.h"

#include <string.h>
#include <systemd/sd-bus.h>

#include "paycardd/bus/bus_objects.h"
#include "paycardd/daemon.h"
#include "paycardd/log.h"

#define PAYCARD_BUS_NAME	"org.paycard"

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
