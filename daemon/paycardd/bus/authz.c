// SPDX-License-Identifier: MIT
#include "paycardd/bus/authz.h"

#include <errno.h>

#include "paycardd/bus/errors.h"
#include "paycardd/log.h"

#define AUTHZ_CREDS_MASK (SD_BUS_CREDS_EUID | SD_BUS_CREDS_UID | SD_BUS_CREDS_EGID | \
			  SD_BUS_CREDS_GID | SD_BUS_CREDS_SUPPLEMENTARY_GIDS)

enum role authz_creds_role(sd_bus_creds *creds, const struct role_table *t)
{
	const gid_t *groups = NULL;
	uid_t uid;
	gid_t gid;
	int n_groups;

	/* the peer's effective ids (SO_PEERCRED); the bus driver reports the
	 * uid of the connection, which is the same thing there */
	if (sd_bus_creds_get_euid(creds, &uid) < 0 && sd_bus_creds_get_uid(creds, &uid) < 0)
		return ROLE_NONE;
	if (sd_bus_creds_get_egid(creds, &gid) < 0 && sd_bus_creds_get_gid(creds, &gid) < 0)
		gid = (gid_t)-1;
	n_groups = sd_bus_creds_get_supplementary_gids(creds, &groups);
	return role_for_caller(t, uid, gid, groups, n_groups > 0 ? (size_t)n_groups : 0);
}

enum role authz_caller_role(sd_bus_message *m, const struct role_table *t)
{
	sd_bus_creds *creds = NULL;
	enum role r;

	if (sd_bus_query_sender_creds(m, AUTHZ_CREDS_MASK, &creds) < 0)
		return ROLE_NONE;
	r = authz_creds_role(creds, t);
	sd_bus_creds_unref(creds);
	return r;
}

int authz_require(sd_bus_message *m, const struct role_table *t, enum role need,
		  sd_bus_error *err)
{
	enum role have = authz_caller_role(m, t);

	if (have >= need)
		return 0;
	log_info("%s.%s refused: caller is %s, needs %s", sd_bus_message_get_interface(m),
		 sd_bus_message_get_member(m), role_name(have), role_name(need));
	return sd_bus_error_setf(err, PAYCARD_ERROR_ACCESS_DENIED,
				 "%s needs the %s role; the caller has %s",
				 sd_bus_message_get_member(m), role_name(need), role_name(have));
}

int authz_property_read(sd_bus *bus, const struct role_table *t, sd_bus_error *err)
{
	sd_bus_message *m = sd_bus_get_current_message(bus);

	if (!m || !sd_bus_message_is_method_call(m, "org.freedesktop.DBus.Properties", NULL))
		return 0;
	return authz_require(m, t, ROLE_CASHIER, err);
}
