/* SPDX-License-Identifier: MIT */
/*
 * Working keys of a sign-in answer: field 62 of the 0810 for the key set
 * named in 60.3 (001, 003, 004), each key under the master key followed by
 * its 4-byte check value.  docs/unionpay-messages.md gives the layouts and
 * their sources.
 */
#ifndef PAYCARD_TXN_WORKKEYS_H
#define PAYCARD_TXN_WORKKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keystore.h"

/*
 * Check and load every key of @f62 (@len bytes) for key set @netcode into
 * @ks under @master (in memory; the caller commits).  On failure *@refused
 * names the key (or "field 62" when the layout is wrong).
 */
enum pcc_status workkeys_load(struct pcc_keystore *ks, const char *master,
			      const char *netcode, const uint8_t *f62,
			      size_t len, const char **refused);

#endif
