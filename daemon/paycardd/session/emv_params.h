/* SPDX-License-Identifier: MIT */
/*
 * What paycardd tells a chip card about itself and the transaction: the
 * terminal configuration of an attended online-only POS in China, and the
 * per-transaction data (amount, 9C type, date, time, unpredictable number).
 */
#ifndef PAYCARDD_EMV_PARAMS_H
#define PAYCARDD_EMV_PARAMS_H

#include <stdbool.h>

#include "emv/terminal.h"
#include "txn/engine.h"

/* The terminal's EMV configuration (constant). */
const struct emv_terminal_config *emv_params_terminal(void);

/* The transaction data for @req; false when the clock or the random
 * generator fails (no transaction then). */
bool emv_params_txn(const struct txn_request *req, uint32_t sequence,
		    struct emv_txn_params *out);

/* Does @kind ask the card for an ARQC (the host then acts as issuer)? */
bool emv_params_wants_arqc(enum txn_kind kind);

#endif
