// SPDX-License-Identifier: MIT
#include <string.h>

#include "crypto/cipher.h"
#include "emv/card.h"

static int bcd_byte(uint8_t b)
{
	if ((b >> 4) > 9 || (b & 0x0f) > 9)
		return -1;
	return (b >> 4) * 10 + (b & 0x0f);
}

enum emv_status emv_date_decode(const uint8_t bcd[3], struct emv_date *out)
{
	int yy = bcd_byte(bcd[0]), mm = bcd_byte(bcd[1]), dd = bcd_byte(bcd[2]);

	if (yy < 0 || mm < 1 || mm > 12 || dd < 1 || dd > 31)
		return EMV_E_DATA_FORMAT;
	out->yy = (uint8_t)yy;
	out->mm = (uint8_t)mm;
	out->dd = (uint8_t)dd;
	return EMV_OK;
}

int emv_date_compare(const struct emv_date *a, const struct emv_date *b)
{
	long x = a->yy * 10000L + a->mm * 100L + a->dd;
	long y = b->yy * 10000L + b->mm * 100L + b->dd;

	return (x > y) - (x < y);
}

/* Compressed numeric digits up to the first F pad; nibbles after the pad
 * must all be F (Book 3 Annex A: cn is left justified, F padded). */
static enum emv_status cn_digits(const uint8_t *v, size_t len, char *out,
				 size_t size, char separator)
{
	size_t n = 0;
	bool padded = false;

	for (size_t i = 0; i < 2 * len; i++) {
		uint8_t nib = (uint8_t)(i % 2 ? v[i / 2] & 0x0f : v[i / 2] >> 4);

		if (padded) {
			if (nib != 0x0f)
				return EMV_E_DATA_FORMAT;
			continue;
		}
		if (nib == 0x0f) {
			padded = true;
			continue;
		}
		if (nib > 9 && !(separator && nib == 0x0d))
			return EMV_E_DATA_FORMAT;
		if (n + 1 >= size)
			return EMV_E_DATA_LENGTH;
		out[n++] = nib == 0x0d ? separator : (char)('0' + nib);
	}
	out[n] = '\0';
	return EMV_OK;
}

static enum emv_status extract_pan(const struct emv_data *icc,
				   struct emv_card_info *out)
{
	size_t len;
	const uint8_t *v = emv_data_get(icc, 0x5a, &len);
	enum emv_status st;

	if (!v)
		return EMV_E_MISSING_TAG;
	st = cn_digits(v, len, out->pan, sizeof(out->pan), 0);
	if (st == EMV_E_DATA_LENGTH)
		return EMV_E_PAN_LENGTH;
	if (st)
		return st;
	len = strlen(out->pan);
	return len < 12 || len > 19 ? EMV_E_PAN_LENGTH : EMV_OK;
}

static enum emv_status extract_dates(const struct emv_data *icc,
				     struct emv_card_info *out)
{
	const uint8_t *v = emv_data_get(icc, 0x5f24, NULL);
	enum emv_status st;

	if (!v)
		return EMV_E_MISSING_TAG;
	st = emv_date_decode(v, &out->expiry);
	if (st)
		return st;
	v = emv_data_get(icc, 0x5f25, NULL);
	out->has_effective = v != NULL;
	return v ? emv_date_decode(v, &out->effective) : EMV_OK;
}

static void extract_name(const struct emv_data *icc, struct emv_card_info *out)
{
	size_t len, n = 0;
	const uint8_t *v = emv_data_get(icc, 0x5f20, &len);

	for (size_t i = 0; v && i < len && n < sizeof(out->name) - 1; i++)
		if (v[i] >= 0x20 && v[i] < 0x7f)
			out->name[n++] = (char)v[i];
	out->name[n] = '\0';
}

enum emv_status emv_card_extract(const struct emv_data *icc,
				 struct emv_card_info *out)
{
	size_t len;
	const uint8_t *v;
	enum emv_status st;

	if (!icc || !out)
		return EMV_E_ARGUMENT;
	memset(out, 0, sizeof(*out));
	if (!emv_data_has(icc, 0x8c) || !emv_data_has(icc, 0x8d) ||
	    !emv_data_has(icc, 0x82))
		return EMV_E_MISSING_TAG;
	memcpy(out->aip, emv_data_get(icc, 0x82, NULL), 2);
	st = extract_pan(icc, out);
	if (!st)
		st = extract_dates(icc, out);
	if (st)
		goto fail;
	v = emv_data_get(icc, 0x5f34, NULL);
	out->psn = v ? bcd_byte(v[0]) : -1;
	if (v && out->psn < 0) {
		st = EMV_E_DATA_FORMAT;
		goto fail;
	}
	v = emv_data_get(icc, 0x57, &len);
	if (v) {
		st = cn_digits(v, len, out->track2, sizeof(out->track2), '=');
		if (st)
			goto fail;
	}
	extract_name(icc, out);
	return EMV_OK;
fail:
	emv_card_wipe(out);
	return st;
}

void emv_card_wipe(struct emv_card_info *card)
{
	pcc_wipe(card, sizeof(*card));
}
