/* SPDX-License-Identifier: MIT */
/* InjectKey: load a new terminal master key as a TR-31 key block,
 * unwrapped under the key store's key block protection key. */
#ifndef PAYCARDD_KEY_INJECT_H
#define PAYCARDD_KEY_INJECT_H

#include <systemd/sd-bus.h>

struct paycardd;

/* The name of the KBPK entry in the key store (provisioned at
 * manufacturing; see paycardd(8), KEY INJECTION). */
#define KEY_INJECT_KBPK	"KBPK"

/* The method: a K0 block becomes the master key, the terminal signs off
 * (its working keys were under the old one).  Replies a{sv}
 * kcv, usage, algorithm. */
int key_inject_call(struct paycardd *d, sd_bus_message *m, sd_bus_error *err);

/* A caller without the role was refused: the security notice. */
void key_inject_refused(struct paycardd *d, const sd_bus_error *err);

#endif
