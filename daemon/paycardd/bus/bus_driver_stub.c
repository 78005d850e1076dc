// SPDX-License-Identifier: MIT
/*
 * A minimal org.freedesktop.DBus object for peer-to-peer clients: busctl
 * and gdbus believe they talk to a bus and send Hello (and AddMatch before
 * listening for signals) first; without an answer they cannot connect.
 * On a private connection every signal reaches the peer anyway, so match
 * rules are accepted and need no bookkeeping.
 */
#include <stdio.h>

#include "paycardd/bus/bus_objects.h"

static int method_hello(sd_bus_message *m, void *user, sd_bus_error *err)
{
	static unsigned long next;
	char name[32];

	snprintf(name, sizeof(name), ":1.%lu", ++next);
	return sd_bus_reply_method_return(m, "s", name);
}

static int method_match(sd_bus_message *m, void *user, sd_bus_error *err)
{
	const char *rule;
	int r = sd_bus_message_read(m, "s", &rule);

	return r < 0 ? r : sd_bus_reply_method_return(m, NULL);
}

static int method_get_id(sd_bus_message *m, void *user, sd_bus_error *err)
{
	return sd_bus_reply_method_return(m, "s", "00000000000000000000000000000000");
}

static const sd_bus_vtable driver_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("Hello", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", unique_name),
				method_hello, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("AddMatch", SD_BUS_ARGS("s", rule), SD_BUS_NO_RESULT,
				method_match, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("RemoveMatch", SD_BUS_ARGS("s", rule), SD_BUS_NO_RESULT,
				method_match, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("GetId", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", id),
				method_get_id, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

int bus_driver_stub_register(sd_bus *bus)
{
	return sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/DBus",
					"org.freedesktop.DBus", driver_vtable, NULL);
}
