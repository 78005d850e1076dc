/* SPDX-License-Identifier: MIT */
/*
 * Magnetic stripe tracks per ISO/IEC 7813 (LRC already checked and
 * stripped by the reader; start and end sentinels optional):
 *
 *   track 1  %B PAN ^ NAME ^ YYMM SSS discretionary ?   (at most 79 chars)
 *   track 2  ;  PAN = YYMM SSS discretionary ?          (at most 40 chars)
 *
 * A field left empty after the separator ('^' or '=' directly) marks an
 * absent expiry/service code (ISO 7813 allows it); this library requires
 * both, since a POS cannot judge a card without them.  Nothing here logs;
 * wipe parsed tracks with emv_track_wipe().
 */
#ifndef PAYCARD_EMV_TRACK_H
#define PAYCARD_EMV_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include "emv/error.h"

#define EMV_TRACK1_MAX	79
#define EMV_TRACK2_MAX	40

struct emv_track {
	char pan[20];
	char name[27];			/* track 1 only; empty for track 2 */
	unsigned expiry_yy, expiry_mm;
	char service_code[4];
	char discretionary[80];
};

enum emv_status emv_track1_parse(const char *track, size_t len,
				 struct emv_track *out);
enum emv_status emv_track2_parse(const char *track, size_t len,
				 struct emv_track *out);

/* Luhn (ISO/IEC 7812-1) check of a digit string. */
bool emv_luhn_valid(const char *digits, size_t len);

/* EMV_E_EXPIRED when (@yy, @mm) is before the month of @today_yy/@today_mm
 * (a card is valid to the end of its expiry month). */
enum emv_status emv_track_check_expiry(const struct emv_track *t,
				       unsigned today_yy, unsigned today_mm);

enum emv_swipe_decision {
	EMV_SWIPE_ACCEPT,	/* process as a magnetic stripe transaction */
	EMV_SWIPE_INSERT_CHIP,	/* chip card: tell the cardholder to insert */
};

/* ISO 7813 service code, third digit 0, 3 or 5: PIN required (no bypass). */
bool emv_track_pin_required(const struct emv_track *t);

/*
 * Service code rule: first digit 2 or 6 means the card has a chip, and a
 * swipe is refused unless @chip_failed_fallback (the chip was tried on
 * this transaction and failed).
 */
enum emv_swipe_decision emv_swipe_decide(const struct emv_track *t,
					 bool chip_failed_fallback);

void emv_track_wipe(struct emv_track *t);

#endif
