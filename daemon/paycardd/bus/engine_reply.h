/* SPDX-License-Identifier: MIT */
/* An engine result as the D-Bus answer: a{sv} with the outcome, or an
 * org.paycard.Error.<name> when nothing reached the host. */
#ifndef PAYCARDD_ENGINE_REPLY_H
#define PAYCARDD_ENGINE_REPLY_H

#include <systemd/sd-bus.h>

#include "txn/engine.h"

/* A new reply to @call (error or a{sv}); NULL on allocation failure. */
sd_bus_message *engine_reply_new(sd_bus_message *call, const struct txn_result *res,
				 const struct txn_settlement *settlement);

#endif
