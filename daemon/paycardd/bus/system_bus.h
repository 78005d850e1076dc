/* SPDX-License-Identifier: MIT */
#ifndef PAYCARDD_SYSTEM_BUS_H
#define PAYCARDD_SYSTEM_BUS_H

struct paycardd;

/* Connect to the system bus when one runs (config system_bus). */
int system_bus_start(struct paycardd *d);

#endif
