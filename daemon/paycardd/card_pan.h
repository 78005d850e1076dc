/* SPDX-License-Identifier: MIT */
/* The card number of a swipe, for the masked PAN ReadCard reports. */
#ifndef PAYCARDD_CARD_PAN_H
#define PAYCARDD_CARD_PAN_H

#include <stddef.h>

#include "common/pan.h"

/* The PAN of an ISO 7813 track 2 ("[;]PAN=YYMM..."; 'D' also separates):
 * its length in digits, 0 when the track has no digits-then-separator start. */
size_t track2_pan_length(const char *track, size_t len);

#endif
