/* SPDX-License-Identifier: MIT */
/*
 * Reader sources: backends that find their readers themselves instead of
 * through udev, chosen with [readers] backend = NAME.  The built-in
 * "kernel" backend (with its libusb fallback) is not one: the reader
 * manager drives udev itself.
 *
 * Which sources a binary has is decided at link time by one list:
 *   - reader_sources.c:      build/paycardd, none (production)
 *   - reader_sources_test.c: build/tests/paycardd-fake, the fake backend
 *                            (reader_backend_fake.c) that the tests drive
 * so the production daemon holds no test backend and refuses its name and
 * its control key in the configuration.  In the core: the configuration
 * checks names against the list.
 */
#ifndef PAYCARDD_READER_SOURCE_H
#define PAYCARDD_READER_SOURCE_H

#include <systemd/sd-event.h>

struct reader_device;		/* readers/reader_backend.h */

/* A source found reader @name; the callee owns @dev from then on. */
typedef void (*reader_plug_fn)(void *user, const char *name, struct reader_device *dev);

struct reader_source {
	const char *name;		/* [readers] backend = NAME */
	const char *control_key;	/* [readers] key setting its control socket */
	const char *default_control;	/* the socket when that key is absent */
	/* start listening on @control_path; *@state is handed back to stop */
	int (*start)(sd_event *event, const char *control_path,
		     reader_plug_fn on_plug, void *user, void **state);
	void (*stop)(void *state);	/* NULL state: nothing was started */
};

/* This binary's sources, NULL-terminated. */
extern const struct reader_source *const reader_sources[];

#endif
