/* SPDX-License-Identifier: MIT */
/* paycardctl's connection to paycardd: the private socket (default) or the
 * system bus, through the public org.paycard API only. */
#ifndef PAYCARDCTL_BUS_CLIENT_H
#define PAYCARDCTL_BUS_CLIENT_H

#include <stdbool.h>
#include <systemd/sd-bus.h>

#define PAYCARD_DEFAULT_SOCKET	"/run/paycard/paycardd.sock"
#define TERMINAL_PATH		"/org/paycard/terminal"
#define TERMINAL_IFACE		"org.paycard.Terminal1"
#define READER_IFACE		"org.paycard.Reader1"

/* 0, or -errno with a message on stderr when @quiet is false. */
int client_connect(const char *socket_path, bool system_bus, bool quiet, sd_bus **out);

/* Print a failed call (human or JSON) and return exit status 1. */
int client_report_error(const char *what, const sd_bus_error *err, int r);

/* String / bool / uint32 property of @path; on failure "" / false / 0 and a
 * negative return. */
int client_get_string(sd_bus *bus, const char *path, const char *iface, const char *prop,
		      char *out, size_t size);
int client_get_bool(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    bool *out);

#endif
