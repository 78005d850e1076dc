/* SPDX-License-Identifier: MIT */
/*
 * Human (text) and machine (JSON) views of a message that are safe to log:
 * PAN masked to first 6 / last 4, PIN block, track data and key material
 * hidden (only their length shown), ICC data shown tag by tag with the same
 * rules applied to the tags inside it.
 */
#ifndef PAYCARD_ISO8583_PRINTER_H
#define PAYCARD_ISO8583_PRINTER_H

#include <stdio.h>

#include "iso8583/iso8583.h"
#include "iso8583/tlv.h"

enum iso_print_format {
	ISO_PRINT_TEXT,
	ISO_PRINT_JSON,
};

/* @env may be NULL (or is ignored for a dialect without TPDU/header). */
void iso_print(FILE *out, const struct iso_dialect *d,
	       const struct iso_envelope *env, const struct iso_msg *m,
	       enum iso_print_format format);

/* BER-TLV as an indented tree, one object per line, with the same hiding
 * rules as field 55.  Returns the validation result (printed on error). */
enum tlv_err iso_print_tlv(FILE *out, const uint8_t *v, size_t len);

/* Mask a PAN given as digits: first 6 and last 4 kept when the PAN has at
 * least 13 digits, otherwise only the last 4 (or nothing).  @out holds
 * @len + 1 bytes. */
void iso_mask_pan(const char *pan, size_t len, char *out);

#endif
