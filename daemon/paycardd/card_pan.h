/* SPDX-License-Identifier: MIT */
/* The card number as paycardd may show it: taken from track 2, masked. */
#ifndef PAYCARDD_CARD_PAN_H
#define PAYCARDD_CARD_PAN_H

#include <stdbool.h>
#include <stddef.h>

/* The PAN of an ISO 7813 track 2 ("[;]PAN=YYMM..."; 'D' also separates):
 * its length in digits, 0 when the track has no digits-then-separator start. */
size_t track2_pan_length(const char *track, size_t len);

/* Mask a PAN the way the journal stores it: first 6 and last 4 digits kept,
 * the rest '*'.  False unless @pan is 13..19 digits and @out (NUL included)
 * fits it. */
bool pan_mask(const char *pan, size_t len, char *out, size_t out_size);

#endif
