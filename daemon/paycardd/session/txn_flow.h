/* SPDX-License-Identifier: MIT */
/*
 * One transaction on a reader, inside its card session: wait for the card
 * (swipe: ISO 7813 track 2, service code rule; chip: the EMV terminal flow
 * of daemon/emv over the reader's APDU operation), PIN entry on the reader's
 * keypad in PIN mode (digits stay in paycardd, in locked memory; only the
 * count goes out as PinDigits), then the engine online (chip: first
 * GENERATE AC, field 55), then for a chip the issuer authentication and
 * second GENERATE AC (an approval the card refuses is reversed), then the
 * reply.
 */
#ifndef PAYCARDD_TXN_FLOW_H
#define PAYCARDD_TXN_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "paycardd/session/card_session.h"
#include "txn/engine.h"

struct reader;
struct paycardd;
struct txn_flow;

/* NULL on allocation failure.  @want_pin: ask the cardholder for a PIN. */
struct txn_flow *txn_flow_new(struct paycardd *d, const struct txn_request *req, bool want_pin);
/* Wipes the card data and PIN.  NULL is fine. */
void txn_flow_free(struct txn_flow *f);

/* What the card session calls with a flow's card events (card_session.h). */
extern const struct card_flow_ops txn_flow_ops;

#endif
