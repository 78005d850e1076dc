// SPDX-License-Identifier: MIT
#include "paycardd/bus/bus_objects.h"

int bus_objects_register(struct paycardd *d, sd_bus *bus, bool peer_to_peer)
{
	int r = terminal_object_register(d, bus);

	if (r >= 0)
		r = reader_object_register(d, bus);
	if (r >= 0 && peer_to_peer)
		r = bus_driver_stub_register(bus);
	return r;
}
