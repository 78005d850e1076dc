/* SPDX-License-Identifier: MIT */
#ifndef PAYCARDD_RELOAD_H
#define PAYCARDD_RELOAD_H

#include <stddef.h>

struct paycardd;

/* Re-read the config file and apply what can change at run time (SIGHUP,
 * Reload).  0, or -1 with the file:line message in @err (nothing changed). */
int reload_apply(struct paycardd *d, char *err, size_t err_len);

#endif
