/* SPDX-License-Identifier: MIT */
/* The card number as paycard shows and stores it: masked, never whole. */
#ifndef PAYCARD_COMMON_PAN_H
#define PAYCARD_COMMON_PAN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Mask a PAN the way receipts, the journal and the API show it: first 6
 * and last 4 digits kept, the rest '*'.  False unless @pan is 13..19
 * digits and @out (NUL included) fits it.
 */
bool pan_mask(const char *pan, size_t len, char *out, size_t out_size);

#endif
