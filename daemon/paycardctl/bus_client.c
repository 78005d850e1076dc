// SPDX-License-Identifier: MIT
#include "paycardctl/bus_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardctl/output.h"

int client_connect(const char *socket_path, bool system_bus, bool quiet, sd_bus **out)
{
	char address[160];
	sd_bus *bus = NULL;
	int r;

	if (system_bus) {
		r = sd_bus_open_system(&bus);
	} else {
		snprintf(address, sizeof(address), "unix:path=%s", socket_path);
		r = sd_bus_new(&bus);
		if (r >= 0)
			r = sd_bus_set_address(bus, address);
		/* paycardd answers Hello on its socket like a bus would */
		if (r >= 0)
			r = sd_bus_set_bus_client(bus, 1);
		if (r >= 0)
			r = sd_bus_start(bus);
	}
	if (r < 0) {
		if (!quiet)
			fprintf(stderr, "paycardctl: cannot reach paycardd on %s: %s\n",
				system_bus ? "the system bus" : socket_path, strerror(-r));
		sd_bus_unref(bus);
		return r;
	}
	*out = bus;
	return 0;
}

int client_report_error(const char *what, const sd_bus_error *err, int r)
{
	const char *name = sd_bus_error_is_set(err) ? err->name : "errno";
	const char *msg = sd_bus_error_is_set(err) && err->message ? err->message : strerror(-r);
	bool first = true;

	if (output_json) {
		fputc('{', stdout);
		json_kv_string(stdout, &first, "method", what);
		json_kv_string(stdout, &first, "error", name);
		json_kv_string(stdout, &first, "message", msg);
		fputs("}\n", stdout);
	} else {
		fprintf(stderr, "paycardctl: %s: %s (%s)\n", what, msg, name);
	}
	return 1;
}

int client_get_string(sd_bus *bus, const char *path, const char *iface, const char *prop,
		      char *out, size_t size)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	char *v = NULL;
	int r = sd_bus_get_property_string(bus, "org.paycard", path, iface, prop, &err, &v);

	snprintf(out, size, "%s", r >= 0 && v ? v : "");
	free(v);
	sd_bus_error_free(&err);
	return r;
}

int client_get_bool(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    bool *out)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int v = 0;
	int r = sd_bus_get_property_trivial(bus, "org.paycard", path, iface, prop, &err, 'b', &v);

	*out = r >= 0 && v;
	sd_bus_error_free(&err);
	return r;
}
