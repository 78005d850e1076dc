// SPDX-License-Identifier: MIT
/* /org/paycard/reader/<name>, interface org.paycard.Reader1: one object per
 * reader ever seen since start (Present tells whether it is connected). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/bus/authz.h"
#include "paycardd/bus/bus_objects.h"
#include "paycardd/bus/signals.h"
#include "paycardd/daemon.h"
#include "paycardd/readers/reader_manager.h"

static int reader_find(sd_bus *bus, const char *path, const char *iface, void *user,
		       void **found, sd_bus_error *err)
{
	struct paycardd *d = user;
	struct reader *r = reader_manager_find_path(d->readers, path);

	if (!r)
		return 0;
	*found = r;
	return 1;
}

static int reader_enumerate(sd_bus *bus, const char *prefix, void *user, char ***nodes,
			    sd_bus_error *err)
{
	struct paycardd *d = user;
	size_t n = reader_manager_count(d->readers);
	char **list = calloc(n + 1, sizeof(*list));

	if (!list)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		list[i] = strdup(reader_manager_at(d->readers, i)->path);
		if (!list[i]) {
			for (size_t j = 0; j < i; j++)
				free(list[j]);
			free(list);
			return -ENOMEM;
		}
	}
	*nodes = list;
	return 0;
}

static int may_read(sd_bus *bus, struct reader *r, sd_bus_error *err)
{
	return authz_property_read(bus, &reader_manager_daemon(r->mgr)->cfg.roles, err);
}

static int prop_string(sd_bus *bus, const char *path, const char *iface, const char *prop,
		       sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct reader *r = user;
	const char *v = "";
	int rc = may_read(bus, r, err);

	if (rc < 0)
		return rc;
	if (strcmp(prop, "Name") == 0)
		v = r->name;
	else if (strcmp(prop, "Model") == 0)
		v = r->info.model;
	else if (strcmp(prop, "Serial") == 0)
		v = r->info.serial;
	else if (strcmp(prop, "Firmware") == 0)
		v = r->info.firmware;
	else if (strcmp(prop, "Transport") == 0)
		v = r->info.transport;
	else if (strcmp(prop, "Backend") == 0)
		v = r->backend;
	return sd_bus_message_append(reply, "s", v);
}

static int prop_bool(sd_bus *bus, const char *path, const char *iface, const char *prop,
		     sd_bus_message *reply, void *user, sd_bus_error *err)
{
	struct reader *r = user;
	bool v = false;
	int rc = may_read(bus, r, err);

	if (rc < 0)
		return rc;
	if (strcmp(prop, "Present") == 0)
		v = r->present;
	else if (strcmp(prop, "CardPresent") == 0)
		v = r->card_present;
	else if (strcmp(prop, "Approved") == 0)
		v = r->approved;
	else if (strcmp(prop, "Busy") == 0)
		v = r->session != NULL;
	return sd_bus_message_append(reply, "b", v);
}

static int prop_capabilities(sd_bus *bus, const char *path, const char *iface, const char *prop,
			     sd_bus_message *reply, void *user, sd_bus_error *err)
{
	static const char *const names[] = {
		"msr", "icc", "keypad", "pin-entry", "leds", "buzzer", "extended-apdu", "tamper",
	};
	struct reader *r = user;
	int rc = may_read(bus, r, err);

	if (rc >= 0)
		rc = sd_bus_message_open_container(reply, 'a', "s");
	for (unsigned i = 0; rc >= 0 && i < 8; i++)
		if (r->info.caps & (1u << i))
			rc = sd_bus_message_append(reply, "s", names[i]);
	return rc < 0 ? rc : sd_bus_message_close_container(reply);
}

static const sd_bus_vtable reader_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Name", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Model", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Serial", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Firmware", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Transport", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Backend", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Capabilities", "as", prop_capabilities, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Present", "b", prop_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("CardPresent", "b", prop_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Approved", "b", prop_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Busy", "b", prop_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END
};

int reader_object_register(struct paycardd *d, sd_bus *bus)
{
	int r = sd_bus_add_fallback_vtable(bus, NULL, READER_PATH_PREFIX, READER_IFACE,
					   reader_vtable, reader_find, d);

	return r < 0 ? r : sd_bus_add_node_enumerator(bus, NULL, READER_PATH_PREFIX,
						       reader_enumerate, d);
}
