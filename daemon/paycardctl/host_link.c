// SPDX-License-Identifier: MIT
#include "paycardctl/host_link.h"

#include <stdio.h>
#include <string.h>

#include "paycardctl/bus_client.h"

static char *string_field(struct host_link *h, const char *key)
{
	if (!strcmp(key, "primary"))
		return h->primary;
	if (!strcmp(key, "ca_file"))
		return h->ca_file;
	if (!strcmp(key, "cert_file"))
		return h->cert_file;
	if (!strcmp(key, "key_file"))
		return h->key_file;
	if (!strcmp(key, "server_name"))
		return h->server_name;
	return NULL;
}

/* One {sv} entry: the fields doctor uses, others skipped. */
static int read_entry(sd_bus_message *m, struct host_link *h)
{
	const char *key, *value;
	char *field;
	int tls, r = sd_bus_message_read(m, "s", &key);

	if (r < 0)
		return r;
	field = string_field(h, key);
	if (field) {
		r = sd_bus_message_read(m, "v", "s", &value);
		if (r >= 0)
			snprintf(field, HOST_LINK_STR, "%s", value);
		return r;
	}
	if (!strcmp(key, "tls")) {
		r = sd_bus_message_read(m, "v", "b", &tls);
		h->tls = tls;
		return r;
	}
	return sd_bus_message_skip(m, "v");
}

int host_link_get(sd_bus *bus, struct host_link *out)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL;
	int r = sd_bus_get_property(bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, "HostLink",
				    &err, &m, "a{sv}");

	memset(out, 0, sizeof(*out));
	out->tls = true;
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = read_entry(m, out);
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	sd_bus_error_free(&err);
	sd_bus_message_unref(m);
	return r < 0 ? r : 0;
}
