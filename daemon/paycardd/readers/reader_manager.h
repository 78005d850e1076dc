/* SPDX-License-Identifier: MIT */
/*
 * The readers paycardd knows: found by libudev (kernel backend, libusb
 * fallback) or by a reader source of a test build (reader_source.h),
 * checked (ABI, identity pinning, firmware minimum), watched for events.
 * A reader that goes away keeps its object with Present=false; a reader
 * that comes back under the same name reuses it.
 */
#ifndef PAYCARDD_READER_MANAGER_H
#define PAYCARDD_READER_MANAGER_H

#include <linux/paycard.h>
#include <stdbool.h>
#include <systemd/sd-event.h>

#include "paycardd/readers/reader_backend.h"

struct paycardd;
struct card_session;

#define READERS_MAX	16

struct reader {
	struct reader_manager *mgr;
	char name[16];			/* "paycard0"; last element of the object path */
	char path[64];			/* /org/paycard/reader/<name> */
	char backend[8];		/* "kernel", "libusb", a source's name */
	struct paycard_info info;
	struct reader_device *dev;	/* NULL while unplugged or refused */
	sd_event_source *io;
	bool present;
	bool card_present;
	bool approved;
	struct card_session *session;	/* the one transaction in progress */
};

struct reader_manager;

/* What the layer above does with its readers (session/: the card
 * session, card_session_listener), given at start. */
struct reader_listener {
	void (*event)(struct reader *r, const struct paycard_event *ev);
	void (*gone)(struct reader *r);		/* unplugged */
	void (*closing)(struct reader *r);	/* paycardd shuts down */
};

int reader_manager_start(struct paycardd *d, const struct reader_listener *listener,
			 struct reader_manager **out);
void reader_manager_free(struct reader_manager *m);

struct reader *reader_manager_find(struct reader_manager *m, const char *name);
struct reader *reader_manager_find_path(struct reader_manager *m, const char *path);
size_t reader_manager_count(struct reader_manager *m);
struct reader *reader_manager_at(struct reader_manager *m, size_t i);

/* Supervisor approval of a pending serial: 0, -ENOENT unknown serial, -EIO. */
int reader_manager_approve(struct reader_manager *m, const char *serial);

/* For the reader objects and sessions. */
struct paycardd *reader_manager_daemon(struct reader_manager *m);

#endif
