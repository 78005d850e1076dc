// SPDX-License-Identifier: MIT
/* ISO 9564-1 PIN blocks, formats 0 to 4. */
#include <string.h>
#include "crypto/evp_session.h"
#include "crypto/pinblock.h"
#include "crypto/random_pool.h"

#define PAN_MIN	12
#define PAN_MAX	19

size_t pcc_pinblock_len(enum pcc_pin_format format)
{
	switch (format) {
	case PCC_PIN_ISO0:
	case PCC_PIN_ISO1:
	case PCC_PIN_ISO2:
	case PCC_PIN_ISO3:
		return 8;
	case PCC_PIN_ISO4:
		return 16;
	}
	return 0;
}

static bool format_uses_pan(enum pcc_pin_format format)
{
	return format == PCC_PIN_ISO0 || format == PCC_PIN_ISO3 ||
	       format == PCC_PIN_ISO4;
}

static enum pcc_status check_digits(const char *s, size_t min, size_t max,
				    enum pcc_status bad_len,
				    enum pcc_status bad_digit, size_t *len)
{
	size_t n = strnlen(s, max + 1);

	if (n < min || n > max)
		return bad_len;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return bad_digit;
	*len = n;
	return PCC_OK;
}

static enum pcc_status check_pan(const char *pan, size_t *len)
{
	if (!pan)
		return PCC_E_PAN;
	return check_digits(pan, PAN_MIN, PAN_MAX, PCC_E_PAN, PCC_E_PAN, len);
}

static unsigned get_nibble(const uint8_t *buf, size_t i)
{
	return i % 2 ? buf[i / 2] & 15 : buf[i / 2] >> 4;
}

/* Pack 2 * @len nibbles into @len bytes. */
static void pack(const uint8_t *nibbles, size_t len, uint8_t *out)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(nibbles[2 * i] << 4 | nibbles[2 * i + 1]);
}

/* Formats 0 and 3: 0000 + the 12 rightmost PAN digits without the check
 * digit, left-padded with zeros when there are fewer (a 12-digit PAN). */
static void pan_field_8(const char *pan, size_t pan_len, uint8_t field[8])
{
	uint8_t nib[16] = { 0 };
	size_t digits = pan_len - 1 < 12 ? pan_len - 1 : 12;

	for (size_t i = 0; i < digits; i++)
		nib[16 - digits + i] = (uint8_t)(pan[pan_len - 1 - digits + i] -
						 '0');
	pack(nib, 8, field);
}

/* Format 4: length indicator (PAN length - 12), the PAN, zero padding. */
static void pan_field_16(const char *pan, size_t pan_len, uint8_t field[16])
{
	uint8_t nib[32] = { 0 };

	nib[0] = (uint8_t)(pan_len - 12);
	for (size_t i = 0; i < pan_len; i++)
		nib[1 + i] = (uint8_t)(pan[i] - '0');
	pack(nib, 16, field);
}

/* Fill nibble @i (0-based among the fill positions) of @format. */
static unsigned fill_nibble(enum pcc_pin_format format, const uint8_t *fill,
			    size_t i)
{
	unsigned r = get_nibble(fill, i);

	switch (format) {
	case PCC_PIN_ISO1:
		return r;
	case PCC_PIN_ISO3:
		return 10 + r % 6;	/* A..F; the bias is irrelevant here */
	case PCC_PIN_ISO4:
		return 10;		/* 'A' */
	default:
		return 15;		/* 'F' */
	}
}

enum pcc_status pcc_pinblock_encode_fill(enum pcc_pin_format format,
					 const char *pin, const char *pan,
					 const uint8_t fill[PCC_PIN_FILL_MAX],
					 uint8_t *block)
{
	size_t len = pcc_pinblock_len(format), pin_len, pan_len = 0;
	uint8_t pan_field[16], nib[16];
	enum pcc_status st;

	if (!len || !pin || !fill || !block)
		return PCC_E_ARGUMENT;
	st = check_digits(pin, PCC_PIN_MIN, PCC_PIN_MAX, PCC_E_PIN_LENGTH,
			  PCC_E_PIN_DIGIT, &pin_len);
	if (st == PCC_OK && format_uses_pan(format))
		st = check_pan(pan, &pan_len);
	if (st != PCC_OK)
		return st;
	nib[0] = (uint8_t)format;
	nib[1] = (uint8_t)pin_len;
	for (size_t i = 0; i < pin_len; i++)
		nib[2 + i] = (uint8_t)(pin[i] - '0');
	for (size_t i = 2 + pin_len; i < 16; i++)
		nib[i] = (uint8_t)fill_nibble(format, fill, i - 2 - pin_len);
	pack(nib, 8, block);
	pcc_wipe(nib, sizeof(nib));
	if (format == PCC_PIN_ISO4) {
		memcpy(block + 8, fill, 8);
	} else if (format_uses_pan(format)) {
		pan_field_8(pan, pan_len, pan_field);
		for (int i = 0; i < 8; i++)
			block[i] ^= pan_field[i];
	}
	return PCC_OK;
}

/* Formats 1, 3 and 4 carry random fill; 0 and 2 are fixed. */
static bool format_uses_random(enum pcc_pin_format format)
{
	return format == PCC_PIN_ISO1 || format == PCC_PIN_ISO3 ||
	       format == PCC_PIN_ISO4;
}

enum pcc_status pcc_pinblock_encode(enum pcc_pin_format format,
				    const char *pin, const char *pan,
				    uint8_t *block)
{
	uint8_t fill[PCC_PIN_FILL_MAX] = { 0 };
	enum pcc_status st = PCC_OK;

	if (format_uses_random(format))
		st = pcc_random_pooled(fill, sizeof(fill));

	if (st == PCC_OK)
		st = pcc_pinblock_encode_fill(format, pin, pan, fill, block);
	pcc_wipe(fill, sizeof(fill));
	return st;
}

static bool fill_ok(enum pcc_pin_format format, unsigned nibble)
{
	switch (format) {
	case PCC_PIN_ISO1:
		return true;
	case PCC_PIN_ISO3:
		return nibble >= 10;
	case PCC_PIN_ISO4:
		return nibble == 10;
	default:
		return nibble == 15;
	}
}

enum pcc_status pcc_pinblock_decode(enum pcc_pin_format format,
				    const uint8_t *block, size_t block_len,
				    const char *pan, char *pin)
{
	size_t len = pcc_pinblock_len(format), pin_len, pan_len = 0;
	uint8_t field[8], pan_field[8];
	enum pcc_status st = PCC_OK;

	if (!len || !block || !pin)
		return PCC_E_ARGUMENT;
	if (block_len != len)
		return PCC_E_DATA_LENGTH;
	memcpy(field, block, 8);
	if (format == PCC_PIN_ISO0 || format == PCC_PIN_ISO3) {
		st = check_pan(pan, &pan_len);
		if (st != PCC_OK)
			return st;
		pan_field_8(pan, pan_len, pan_field);
		for (int i = 0; i < 8; i++)
			field[i] ^= pan_field[i];
	}
	pin_len = get_nibble(field, 1);
	if (get_nibble(field, 0) != (unsigned)format ||
	    pin_len < PCC_PIN_MIN || pin_len > PCC_PIN_MAX)
		st = PCC_E_PINBLOCK;
	for (size_t i = 2; st == PCC_OK && i < 16; i++) {
		unsigned v = get_nibble(field, i);

		if (i < 2 + pin_len ? v > 9 : !fill_ok(format, v))
			st = PCC_E_PINBLOCK;
		else if (i < 2 + pin_len)
			pin[i - 2] = (char)('0' + v);
	}
	pin[st == PCC_OK ? pin_len : 0] = '\0';
	pcc_wipe(field, sizeof(field));
	return st;
}

enum pcc_status pcc_pinblock_encrypt(enum pcc_pin_format format,
				     const uint8_t *key, size_t key_len,
				     const char *pin, const char *pan,
				     uint8_t *out)
{
	enum pcc_alg alg = format == PCC_PIN_ISO4 ? PCC_ALG_AES : PCC_ALG_TDES;
	size_t len = pcc_pinblock_len(format), pan_len;
	uint8_t clear[16], pan_field[16];
	struct pcc_session s;
	enum pcc_status st;

	if (!len || !key || !out)
		return PCC_E_ARGUMENT;
	if (!pcc_key_length_ok(alg, key_len))
		return PCC_E_KEY_LENGTH;
	st = pcc_pinblock_encode(format, pin, pan, clear);
	if (st != PCC_OK)
		return st;
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = pcc_session_start(&s, alg, key, key_len, true, NULL);
	if (st == PCC_OK)
		st = pcc_session_update(&s, clear, out, len);
	if (st == PCC_OK && format == PCC_PIN_ISO4) {
		/* ISO 9564-1 format 4: E(K, E(K, PIN field) XOR PAN field) */
		check_pan(pan, &pan_len);
		pan_field_16(pan, pan_len, pan_field);
		for (int i = 0; i < 16; i++)
			out[i] ^= pan_field[i];
		st = pcc_session_update(&s, out, out, 16);
	}
	pcc_session_close(&s);
	pcc_wipe(clear, sizeof(clear));
	return st;
}

enum pcc_status pcc_pinblock_decrypt(enum pcc_pin_format format,
				     const uint8_t *key, size_t key_len,
				     const uint8_t *enc, size_t enc_len,
				     const char *pan, char *pin)
{
	enum pcc_alg alg = format == PCC_PIN_ISO4 ? PCC_ALG_AES : PCC_ALG_TDES;
	size_t len = pcc_pinblock_len(format), pan_len;
	uint8_t clear[16], pan_field[16];
	struct pcc_session s;
	enum pcc_status st;

	if (!len || !key || !enc || !pin)
		return PCC_E_ARGUMENT;
	if (!pcc_key_length_ok(alg, key_len))
		return PCC_E_KEY_LENGTH;
	if (enc_len != len)
		return PCC_E_DATA_LENGTH;
	if (format == PCC_PIN_ISO4) {
		st = check_pan(pan, &pan_len);
		if (st != PCC_OK)
			return st;
	}
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = pcc_session_start(&s, alg, key, key_len, false, NULL);
	if (st == PCC_OK)
		st = pcc_session_update(&s, enc, clear, len);
	if (st == PCC_OK && format == PCC_PIN_ISO4) {
		pan_field_16(pan, pan_len, pan_field);
		for (int i = 0; i < 16; i++)
			clear[i] ^= pan_field[i];
		st = pcc_session_update(&s, clear, clear, 16);
	}
	pcc_session_close(&s);
	if (st == PCC_OK)
		st = pcc_pinblock_decode(format, clear, len, pan, pin);
	pcc_wipe(clear, sizeof(clear));
	return st;
}
