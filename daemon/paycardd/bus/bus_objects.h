/* SPDX-License-Identifier: MIT */
/* Registration of paycardd's objects on one bus connection (each peer on the
 * private socket and the system bus get the same objects). */
#ifndef PAYCARDD_BUS_OBJECTS_H
#define PAYCARDD_BUS_OBJECTS_H

#include <stdbool.h>
#include <systemd/sd-bus.h>

struct paycardd;

/* @peer_to_peer adds the small org.freedesktop.DBus object that bus
 * clients (busctl, gdbus) expect to answer Hello/AddMatch/RemoveMatch. */
int bus_objects_register(struct paycardd *d, sd_bus *bus, bool peer_to_peer);

/* The per-connection part: terminal (terminal_object.c), readers
 * (reader_object.c), the bus driver stand-in (bus_driver_stub.c). */
int terminal_object_register(struct paycardd *d, sd_bus *bus);
int reader_object_register(struct paycardd *d, sd_bus *bus);
int bus_driver_stub_register(sd_bus *bus);

#endif
