// SPDX-License-Identifier: MIT
/*
 * libFuzzer: TR-31 header parsing and full unwrap (MAC check, decryption,
 * key length field) under fixed TDES and AES key block protection keys.
 * Any input must give a typed status, never a crash or an over-read; a
 * successful unwrap must report a sane key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/tr31.h"

static const uint8_t tdes_kbpk[16] = {
	0x89, 0xE8, 0x8C, 0xF7, 0x93, 0x14, 0x44, 0xF3,
	0x34, 0xBD, 0x75, 0x47, 0xFC, 0x3F, 0x38, 0x0C };
static const uint8_t aes_kbpk[32] = {
	0x88, 0xE1, 0xAB, 0x2A, 0x2E, 0x3D, 0xD3, 0x8C, 0x1F, 0xA0, 0x39,
	0xA5, 0x36, 0x50, 0x0C, 0xC8, 0xA8, 0x7A, 0xB9, 0xD6, 0x2D, 0xC9,
	0x2C, 0x01, 0x05, 0x8F, 0xA7, 0x9F, 0x44, 0x65, 0x7D, 0xE6 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size heap copy: ASan catches any read past the end */
	char *text = malloc(size ? size : 1);
	struct pcc_tr31_header hdr;
	uint8_t key[PCC_TR31_MAX_KEY];
	size_t key_len = 0;

	memcpy(text, data, size);
	if (pcc_tr31_parse_header(text, size, &hdr) == PCC_OK) {
		if (hdr.header_len > size || hdr.n_opt > 99)
			abort();
		for (unsigned i = 0; i < hdr.n_opt && i < PCC_TR31_MAX_OPT; i++)
			if (hdr.opt[i].offset + hdr.opt[i].len > size)
				abort();
	}
	if (pcc_tr31_unwrap(tdes_kbpk, 16, text, size, NULL, key, &key_len) ==
	    PCC_OK && (key_len == 0 || key_len > PCC_TR31_MAX_KEY))
		abort();
	if (pcc_tr31_unwrap(aes_kbpk, 32, text, size, NULL, key, &key_len) ==
	    PCC_OK && (key_len == 0 || key_len > PCC_TR31_MAX_KEY))
		abort();
	free(text);
	return 0;
}
