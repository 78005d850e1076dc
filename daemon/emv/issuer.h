/* SPDX-License-Identifier: MIT */
/*
 * The issuer's side of an ARQC, for the host simulator (tests/hostsim):
 * from the issuer master key, the PAN and PSN of the request (fields 2/35
 * and 23) and its field 55, verify the ARQC and compute the ARPC for the
 * response's issuer authentication data (91 = ARPC || ARC).
 *
 * Scheme (the one tests/emu/card implements): option A ICC MK, EMV common
 * session key with R = ATC || 00 x 6, MAC algorithm 3 with padding method
 * 2 over emv_ac_input_from_tlv(), ARPC method 1 under the session key.
 */
#ifndef PAYCARD_EMV_ISSUER_H
#define PAYCARD_EMV_ISSUER_H

#include <stddef.h>
#include <stdint.h>
#include "emv/cryptogram.h"

#define EMV_ISSUER_AUTH_LEN	10	/* ARPC (8) || ARC (2) */

/*
 * EMV_OK: the ARQC is genuine and @issuer_auth holds 91's value for the
 * authorisation response code @arc (two ASCII characters, e.g. "00").
 * EMV_E_CRYPTOGRAM: it is not.  EMV_E_MISSING_TAG: field 55 lacks data.
 */
enum emv_status emv_issuer_verify_arqc(const uint8_t imk[EMV_KEY_LEN],
				       const char *pan, int psn,
				       const uint8_t *field55, size_t len,
				       const char arc[2],
				       uint8_t issuer_auth[EMV_ISSUER_AUTH_LEN]);

#endif
