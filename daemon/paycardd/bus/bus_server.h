/* SPDX-License-Identifier: MIT */
/* The peer-to-peer D-Bus server on paycardd's own Unix socket: one sd-bus
 * server connection per client, with the limits that keep one client from
 * hurting the others (connection count, message size, queued outgoing
 * messages, authentication and idle time). */
#ifndef PAYCARDD_BUS_SERVER_H
#define PAYCARDD_BUS_SERVER_H

#include <systemd/sd-bus.h>

struct paycardd;
struct bus_server;

struct bus_server_stats {
	unsigned connections;
	unsigned long accepted;
	unsigned long refused_full;	/* over max_connections */
	unsigned long dropped_auth;	/* not authenticated in time / bad auth */
	unsigned long dropped_idle;
	unsigned long dropped_queue;	/* stopped reading its replies */
	unsigned long dropped_size;	/* message over max_message_size */
};

/* A client's connection closed (what waited for it ends). */
typedef void (*bus_closed_fn)(struct paycardd *d, sd_bus *bus);

/* Listen on @fd when >= 0 (socket activation) or bind the configured path. */
int bus_server_start(struct paycardd *d, int fd, bus_closed_fn on_closed,
		     struct bus_server **out);
void bus_server_free(struct bus_server *s);

/* Call @fn for every authenticated client bus whose peer has a role. */
void bus_server_foreach(struct bus_server *s, void (*fn)(sd_bus *bus, void *user), void *user);

/* A long call is in progress for @bus: its idle timer must not drop it. */
void bus_server_hold(struct bus_server *s, sd_bus *bus, int delta);

void bus_server_get_stats(struct bus_server *s, struct bus_server_stats *out);

#endif
