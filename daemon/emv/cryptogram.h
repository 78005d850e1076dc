/* SPDX-License-Identifier: MIT */
/*
 * EMV application cryptograms with double-length TDES keys, over the
 * project's crypto library (OpenSSL EVP; no cipher code here).
 *
 *   ICC master key    EMV 4.3 Book 2 A1.4.1 (option A): Y = rightmost 16
 *                     digits of PAN || PSN (PSN "00" when absent, left
 *                     zero-padded when shorter), MK = DES3(IMK)[Y] ||
 *                     DES3(IMK)[Y xor FF..FF], odd parity.
 *   session key       EMV common session key, Book 2 A1.3.1: R 8 bytes
 *                     (ATC || 00 x 6 for the AC key), SK = DES3(MK)[R0 R1
 *                     F0 R3..R7] || DES3(MK)[R0 R1 0F R3..R7].
 *   AC                ISO 9797-1 MAC algorithm 3 (8 bytes) over the data,
 *                     padding method 2 (EMV, CVN 18 style) or method 1.
 *   ARPC method 1     Book 2 8.2.1: DES3(key)[ARQC xor (ARC || 00 x 6)].
 */
#ifndef PAYCARD_EMV_CRYPTOGRAM_H
#define PAYCARD_EMV_CRYPTOGRAM_H

#include <stddef.h>
#include <stdint.h>
#include "emv/error.h"

#define EMV_KEY_LEN	16
#define EMV_AC_LEN	8

enum emv_ac_padding {
	EMV_AC_PAD_ZEROS = 1,	/* ISO 9797-1 method 1 (Visa CVN 10 style) */
	EMV_AC_PAD_EMV = 2,	/* ISO 9797-1 method 2 (0x80 then zeros) */
};

/* @pan: ASCII digits (12..19); @psn: 0..99, or -1 when the card has none. */
enum emv_status emv_derive_icc_mk(const uint8_t imk[EMV_KEY_LEN],
				  const char *pan, int psn,
				  uint8_t icc_mk[EMV_KEY_LEN]);

enum emv_status emv_derive_session_key(const uint8_t mk[EMV_KEY_LEN],
				       const uint8_t r[8],
				       uint8_t sk[EMV_KEY_LEN]);

/* R for the AC session key: ATC || 00 00 00 00 00 00. */
void emv_session_r_from_atc(const uint8_t atc[2], uint8_t r[8]);

enum emv_status emv_ac_generate(const uint8_t sk[EMV_KEY_LEN],
				enum emv_ac_padding padding,
				const uint8_t *data, size_t len,
				uint8_t ac[EMV_AC_LEN]);

/* EMV_OK or EMV_E_CRYPTOGRAM (constant-time compare). */
enum emv_status emv_ac_verify(const uint8_t sk[EMV_KEY_LEN],
			      enum emv_ac_padding padding,
			      const uint8_t *data, size_t len,
			      const uint8_t ac[EMV_AC_LEN]);

enum emv_status emv_arpc_method1(const uint8_t key[EMV_KEY_LEN],
				 const uint8_t arqc[EMV_AC_LEN],
				 const uint8_t arc[2],
				 uint8_t arpc[EMV_AC_LEN]);

/*
 * The data the virtual card (tests/emu/card) and the host simulator put
 * under the AC: Book 2 8.1.1's recommended minimum, 9F02 9F03 9F1A 95 5F2A
 * 9A 9C 9F37 (as listed in the card's CDOL1) then 82 and 9F36, rebuilt
 * from a TLV list such as ISO 8583 field 55.  EMV_E_MISSING_TAG when one is
 * absent or has the wrong length.
 */
enum emv_status emv_ac_input_from_tlv(const uint8_t *tlv, size_t tlv_len,
				      uint8_t *out, size_t size,
				      size_t *out_len);

#endif
