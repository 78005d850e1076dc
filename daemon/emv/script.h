/* SPDX-License-Identifier: MIT */
/*
 * Issuer script processing (Book 3 10.10): templates 71 (before the final
 * GENERATE AC) and 72 (after), each holding an optional script identifier
 * 9F18 and commands 86 passed to the card as they are.  A command answered
 * with SW1 other than 90, 62 or 63 stops its script.
 */
#ifndef PAYCARD_EMV_SCRIPT_H
#define PAYCARD_EMV_SCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include "emv/apdu.h"

#define EMV_MAX_SCRIPTS	8

/* One 5-byte issuer script result (Book 4 A5, UnionPay DF31). */
struct emv_script_results {
	uint8_t r[EMV_MAX_SCRIPTS][5];
	size_t n;
};

/*
 * Run the scripts of template @template (0x71 or 0x72) found at the top
 * level of @scripts (the host's TLV list, e.g. from ISO 8583 field 55).
 * Results are appended to @results; a failed script sets the TVR bit for
 * before/after the final GENERATE AC.  Transport errors end processing;
 * malformed script data is EMV_E_TLV.
 */
enum emv_status emv_run_scripts(const struct emv_transport *t,
				uint32_t template, const uint8_t *scripts,
				size_t len, struct emv_script_results *results,
				uint8_t tvr[5]);

#endif
