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

/*
 * The CA public keys the acquirer gave: a file of CA key records, one per
 * line in hex, in the form the CA key download carries them (9F06 9F22
 * DF05 DF06 DF07 DF02 DF04 DF03); '#' starts a comment.  Each record's
 * check value must hold.  Without a file no key is known: cards that ask
 * for offline data authentication fail it and the terminal action codes
 * decide.  0, or -1 with @err naming the line.
 */
int emv_params_load_ca_keys(const char *path, char *err, size_t err_len);

/* The terminal's EMV configuration for the reader with @serial: the same
 * for every reader but 9F1E, the reader's serial's last 8 characters. */
void emv_params_terminal(const char *serial, struct emv_terminal_config *out);

/* The transaction data for @req; false when the clock or the random
 * generator fails (no transaction then). */
bool emv_params_txn(const struct txn_request *req, uint32_t sequence,
		    struct emv_txn_params *out);

/* Does @kind ask the card for an ARQC (the host then acts as issuer)? */
bool emv_params_wants_arqc(enum txn_kind kind);

#endif
