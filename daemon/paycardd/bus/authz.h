/* SPDX-License-Identifier: MIT */
/* Per-method authorisation from the caller's credentials: SO_PEERCRED on
 * the private socket, the bus driver's view on the system bus, both through
 * sd_bus_query_sender_creds. */
#ifndef PAYCARDD_AUTHZ_H
#define PAYCARDD_AUTHZ_H

#include <systemd/sd-bus.h>

#include "paycardd/roles.h"

/* The role of a peer with credentials @creds (EUID/UID, EGID/GID,
 * SUPPLEMENTARY_GIDS). */
enum role authz_creds_role(sd_bus_creds *creds, const struct role_table *t);

/* The caller's role, or ROLE_NONE when its credentials cannot be read. */
enum role authz_caller_role(sd_bus_message *m, const struct role_table *t);

/* 0 when the caller holds @need or more; otherwise -EACCES with an
 * AccessDenied error naming the role required. */
int authz_require(sd_bus_message *m, const struct role_table *t, enum role need,
		  sd_bus_error *err);

/* For property getters: an explicit Properties.Get/GetAll needs cashier;
 * building a PropertiesChanged signal (sent only to peers with a role) is
 * not a caller's request and passes. */
int authz_property_read(sd_bus *bus, const struct role_table *t, sd_bus_error *err);

#endif
