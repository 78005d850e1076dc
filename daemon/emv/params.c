// SPDX-License-Identifier: MIT
#include <string.h>

#include "emv/params.h"

static enum emv_status exact(const struct emv_data *d, uint32_t tag,
			     uint8_t *out, size_t want, bool required)
{
	size_t vlen;
	const uint8_t *v = emv_data_get(d, tag, &vlen);

	if (!v)
		return required ? EMV_E_MISSING_TAG : EMV_OK;
	if (vlen != want)
		return EMV_E_DATA_LENGTH;
	memcpy(out, v, want);
	return EMV_OK;
}

static uint64_t be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A one-byte BCD percentage 00..99. */
static enum emv_status percent(const struct emv_data *d, uint32_t tag,
			       uint8_t *out)
{
	uint8_t b = 0;
	enum emv_status st = exact(d, tag, &b, 1, false);

	if (st)
		return st;
	if ((b >> 4) > 9 || (b & 0x0f) > 9)
		return EMV_E_DATA_FORMAT;
	*out = (uint8_t)((b >> 4) * 10 + (b & 0x0f));
	return EMV_OK;
}

enum emv_status emv_aid_params_parse(const uint8_t *tlv, size_t len,
				     struct emv_aid_params *out)
{
	uint8_t asi = 0, floor[4] = { 0 }, threshold[4] = { 0 }, pin = 0;
	const uint8_t *aid, *ddol;
	size_t aid_len, ddol_len;
	struct emv_data d;
	enum emv_status st;

	memset(out, 0, sizeof(*out));
	emv_data_init(&d);
	st = emv_data_parse_list(&d, tlv, len);
	if (st)
		return st;
	aid = emv_data_get(&d, 0x9f06, &aid_len);
	if (!aid)
		return EMV_E_MISSING_TAG;
	if (aid_len < 5 || aid_len > EMV_AID_MAX)
		return EMV_E_DATA_LENGTH;
	memcpy(out->aid.aid, aid, aid_len);
	out->aid.len = aid_len;
	st = exact(&d, 0xdf01, &asi, 1, false);
	out->aid.partial = asi == 0x00;
	/* the application version: 9F09 is the terminal's tag; some hosts
	 * send it under the card's 9F08 */
	if (!st)
		st = exact(&d, 0x9f09, out->app_version, 2, false);
	if (!st && !emv_data_get(&d, 0x9f09, NULL))
		st = exact(&d, 0x9f08, out->app_version, 2, false);
	if (!st)
		st = exact(&d, 0xdf11, out->tac.dflt, 5, true);
	if (!st)
		st = exact(&d, 0xdf12, out->tac.online, 5, true);
	if (!st)
		st = exact(&d, 0xdf13, out->tac.denial, 5, true);
	if (!st)
		st = exact(&d, 0x9f1b, floor, 4, false);
	if (!st)
		st = exact(&d, 0xdf15, threshold, 4, false);
	if (!st)
		st = percent(&d, 0xdf17, &out->risk.random.target_percent);
	if (!st)
		st = percent(&d, 0xdf16,
			     &out->risk.random.max_target_percent);
	if (!st)
		st = exact(&d, 0xdf18, &pin, 1, false);
	if (st)
		return st;
	out->risk.floor_limit = be(floor, 4);
	out->risk.random.threshold = be(threshold, 4);
	out->online_pin = pin == 0x01;
	ddol = emv_data_get(&d, 0xdf14, &ddol_len);
	if (ddol) {
		if (ddol_len > EMV_DDOL_MAX)
			return EMV_E_DATA_LENGTH;
		memcpy(out->default_ddol, ddol, ddol_len);
		out->default_ddol_len = ddol_len;
	}
	return EMV_OK;
}

/* DF05 "YYYYMMDD" (ASCII) into a date. */
static enum emv_status ascii_date(const uint8_t *v, size_t len,
				  struct emv_date *d)
{
	uint8_t bcd[3];

	if (len != 8 || v[0] != '2' || v[1] != '0')
		return EMV_E_DATA_FORMAT;
	for (int i = 0; i < 3; i++) {
		uint8_t hi = v[2 + 2 * i] - '0', lo = v[3 + 2 * i] - '0';

		if (hi > 9 || lo > 9)
			return EMV_E_DATA_FORMAT;
		bcd[i] = (uint8_t)(hi << 4 | lo);
	}
	return emv_date_decode(bcd, d);
}

enum emv_status emv_capk_parse(const uint8_t *tlv, size_t len,
			       struct emv_capk *out, struct emv_date *expiry)
{
	uint8_t alg[2] = { 0x01, 0x01 }, check[PCC_SHA1_LEN], sum[PCC_SHA1_LEN];
	const uint8_t *v;
	size_t vlen;
	struct emv_data d;
	enum emv_status st;

	memset(out, 0, sizeof(*out));
	emv_data_init(&d);
	st = emv_data_parse_list(&d, tlv, len);
	if (!st)
		st = exact(&d, 0x9f06, out->rid, 5, true);
	if (!st)
		st = exact(&d, 0x9f22, &out->index, 1, true);
	if (!st)
		st = exact(&d, 0xdf06, &alg[0], 1, false);
	if (!st)
		st = exact(&d, 0xdf07, &alg[1], 1, false);
	if (!st)
		st = exact(&d, 0xdf03, check, PCC_SHA1_LEN, true);
	if (st)
		return st;
	if (alg[0] != 0x01 || alg[1] != 0x01)
		return EMV_E_DATA_FORMAT;	/* only SHA-1 and RSA exist */
	v = emv_data_get(&d, 0xdf02, &vlen);
	if (!v)
		return EMV_E_MISSING_TAG;
	if (!vlen || vlen > PCC_RSA_MAX_MODULUS)
		return EMV_E_DATA_LENGTH;
	memcpy(out->modulus, v, vlen);
	out->modulus_len = vlen;
	v = emv_data_get(&d, 0xdf04, &vlen);
	if (!v)
		return EMV_E_MISSING_TAG;
	if (vlen != 1 && vlen != 3)
		return EMV_E_DATA_LENGTH;
	memcpy(out->exponent, v, vlen);
	out->exponent_len = vlen;
	v = emv_data_get(&d, 0xdf05, &vlen);
	if (!v)
		return EMV_E_MISSING_TAG;
	st = ascii_date(v, vlen, expiry);
	if (!st)
		st = emv_capk_checksum(out, sum);
	if (!st && memcmp(sum, check, PCC_SHA1_LEN))
		st = EMV_E_CHECKSUM;
	return st;
}

const struct emv_aid_params *emv_aid_params_find(
	const struct emv_aid_params *list, size_t n, const uint8_t *aid,
	size_t aid_len)
{
	for (size_t i = 0; i < n; i++)
		if (emv_aid_matches(&list[i].aid, aid, aid_len))
			return &list[i];
	return NULL;
}
