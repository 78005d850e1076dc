/* SPDX-License-Identifier: MIT */
/* The acquirer link as paycardd is configured ([host]), read from its
 * HostLink property: doctor tests the host the way the daemon reaches it. */
#ifndef PAYCARDCTL_HOST_LINK_H
#define PAYCARDCTL_HOST_LINK_H

#include <stdbool.h>
#include <systemd/sd-bus.h>

#define HOST_LINK_STR	256

struct host_link {
	char primary[HOST_LINK_STR];	/* HOST:PORT; "" when not configured */
	bool tls;
	char ca_file[HOST_LINK_STR];	/* "" = the system CA store */
	char cert_file[HOST_LINK_STR];	/* "" = no client certificate */
	char key_file[HOST_LINK_STR];
	char server_name[HOST_LINK_STR];	/* "" = the host name */
};

/* 0, or negative when paycardd does not answer (or is older). */
int host_link_get(sd_bus *bus, struct host_link *out);

#endif
