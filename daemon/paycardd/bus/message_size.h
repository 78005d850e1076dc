/* SPDX-License-Identifier: MIT */
/* Size of a received message's body, counted by walking its arguments
 * (sd-bus exposes no size getter).  Used for the per-message size cap. */
#ifndef PAYCARDD_MESSAGE_SIZE_H
#define PAYCARDD_MESSAGE_SIZE_H

#include <stddef.h>
#include <systemd/sd-bus.h>

/* Bytes of argument data (strings with their length words, fixed-size values
 * at their wire size).  The message is rewound afterwards. */
size_t message_size_estimate(sd_bus_message *m);

#endif
