// SPDX-License-Identifier: MIT
/*
 * libFuzzer: PIN block decoding.  Input: byte 0 selects the format (mod 5),
 * the next 8 or 16 bytes are the block, the rest (up to 19 characters) is
 * the PAN.  Each block is decoded clear and decrypted under fixed keys; a
 * decoded PIN must be 4-12 digits, and re-encoding it must give a block
 * that decodes to the same PIN.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/pinblock.h"

static const uint8_t tdes_key[16] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
	0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10 };
static const uint8_t aes_key[16] = {
	0xAF, 0x8C, 0xB1, 0x33, 0xA7, 0x8F, 0x8D, 0xC2,
	0xD1, 0x35, 0x9F, 0x18, 0x52, 0x75, 0x93, 0xFB };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pin(enum pcc_pin_format format, const char *pin,
		      const char *pan)
{
	uint8_t again[PCC_PINBLOCK_MAX];
	char back[PCC_PIN_MAX + 1];
	size_t n = strlen(pin);

	enum pcc_status st;

	if (n < PCC_PIN_MIN || n > PCC_PIN_MAX ||
	    strspn(pin, "0123456789") != n)
		abort();
	/* a clear format 4 field decodes without the PAN it is bound to */
	st = pcc_pinblock_encode(format, pin, pan, again);
	if (st == PCC_E_PAN && format == PCC_PIN_ISO4)
		return;
	if (st != PCC_OK ||
	    pcc_pinblock_decode(format, again, pcc_pinblock_len(format), pan,
				back) != PCC_OK || strcmp(pin, back))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum pcc_pin_format format;
	size_t len, pan_len;
	char pan[20], pin[PCC_PIN_MAX + 1];
	uint8_t *block;

	if (size < 1)
		return 0;
	format = (enum pcc_pin_format)(data[0] % 5);
	len = pcc_pinblock_len(format);
	if (size < 1 + len)
		return 0;
	block = malloc(len);
	memcpy(block, data + 1, len);
	pan_len = size - 1 - len < 19 ? size - 1 - len : 19;
	memcpy(pan, data + 1 + len, pan_len);
	pan[pan_len] = '\0';
	if (pcc_pinblock_decode(format, block, len, pan, pin) == PCC_OK)
		check_pin(format, pin, pan);
	if (pcc_pinblock_decrypt(format, format == PCC_PIN_ISO4 ? aes_key :
				 tdes_key, 16, block, len, pan, pin) == PCC_OK &&
	    strspn(pin, "0123456789") != strlen(pin))
		abort();
	free(block);
	return 0;
}
