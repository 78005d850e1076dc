// SPDX-License-Identifier: MIT
#include <string.h>

#include "emv/dol.h"
#include "emv/genac.h"
#include "iso8583/tlv.h"

enum emv_ac_type emv_cid_type(uint8_t cid)
{
	switch (cid & 0xc0) {
	case 0x40: return EMV_AC_TC;
	case 0x80: return EMV_AC_ARQC;
	}
	return EMV_AC_AAC;	/* 00, and the RFU 11 treated as decline */
}

static enum emv_status store_result(struct emv_data *icc,
				    const struct emv_ac_result *r)
{
	enum emv_status st = emv_data_set(icc, 0x9f27, &r->cid, 1);

	if (!st)
		st = emv_data_set(icc, 0x9f36, r->atc, 2);
	if (!st && !r->signed_ac)
		st = emv_data_set(icc, 0x9f26, r->ac, 8);
	if (!st && r->iad_len)
		st = emv_data_set(icc, 0x9f10, r->iad, r->iad_len);
	return st;
}

static enum emv_status parse_format1(const uint8_t *v, size_t len,
				     struct emv_ac_result *out)
{
	if (len < 11 || len > 11 + sizeof(out->iad))
		return EMV_E_DATA_LENGTH;
	out->cid = v[0];
	memcpy(out->atc, v + 1, 2);
	memcpy(out->ac, v + 3, 8);
	out->iad_len = len - 11;
	memcpy(out->iad, v + 11, out->iad_len);
	return EMV_OK;
}

static enum emv_status parse_format2(const uint8_t *v, size_t len,
				     struct emv_ac_result *out)
{
	struct emv_data d;
	const uint8_t *cid, *atc, *ac, *iad;
	enum emv_status st;

	emv_data_init(&d);
	st = emv_data_parse_list(&d, v, len);
	if (st)
		return st;
	cid = emv_data_get(&d, 0x9f27, NULL);
	atc = emv_data_get(&d, 0x9f36, NULL);
	ac = emv_data_get(&d, 0x9f26, NULL);
	iad = emv_data_get(&d, 0x9f10, &out->iad_len);
	/* Book 2 6.6.1: with CDA the cryptogram is inside 9F4B */
	out->signed_ac = !ac && emv_data_get(&d, 0x9f4b, NULL);
	if (!cid || !atc || (!ac && !out->signed_ac))
		return EMV_E_MISSING_TAG;
	if (len > sizeof(out->objects))
		return EMV_E_DATA_LENGTH;
	memcpy(out->objects, v, len);
	out->objects_len = len;
	out->cid = cid[0];
	memcpy(out->atc, atc, 2);
	if (ac)
		memcpy(out->ac, ac, 8);
	if (!iad)
		out->iad_len = 0;
	else
		memcpy(out->iad, iad, out->iad_len);
	return EMV_OK;
}

enum emv_status emv_ac_response_parse(const uint8_t *rsp, size_t len,
				      struct emv_data *icc,
				      struct emv_ac_result *out)
{
	size_t pos = 0;
	struct tlv t;
	enum emv_status st;

	if (!rsp || !icc || !out)
		return EMV_E_ARGUMENT;
	memset(out, 0, sizeof(*out));
	if (tlv_next(rsp, len, &pos, &t) != TLV_OK)
		return EMV_E_TLV;
	if (pos != len)
		return EMV_E_TEMPLATE;
	if (t.tag == 0x80)
		st = parse_format1(t.value, t.len, out);
	else if (t.tag == 0x77)
		st = parse_format2(t.value, t.len, out);
	else
		st = EMV_E_TEMPLATE;
	return st ? st : store_result(icc, out);
}

/* Book 3 6.5.5.4: the card may answer with a lower type, never a higher
 * one, in the order AAC < ARQC < TC. */
static int ac_rank(enum emv_ac_type type)
{
	return type == EMV_AC_AAC ? 0 : type == EMV_AC_ARQC ? 1 : 2;
}

static bool cid_allowed(enum emv_ac_type requested, enum emv_ac_type got)
{
	return ac_rank(got) <= ac_rank(requested);
}

enum emv_status emv_generate_ac(const struct emv_transport *t,
				enum emv_ac_type type, bool cda,
				const uint8_t *dol, size_t dol_len,
				const struct emv_data *const *sources,
				size_t n_sources, struct emv_data *icc,
				struct emv_ac_result *out,
				struct emv_dol_trail *trail)
{
	struct emv_apdu_response rsp;
	uint8_t data[255];
	size_t n;
	enum emv_status st;

	if (!t || !dol || !sources || !icc || !out)
		return EMV_E_ARGUMENT;
	st = emv_dol_build(dol, dol_len, sources, n_sources, data,
			   sizeof(data), &n);
	if (st == EMV_E_BUFFER)
		return EMV_E_DATA_LENGTH;
	if (st)
		return st;
	st = emv_apdu_command(t, &(struct emv_command){
		.cla = 0x80, .ins = 0xae,
		.p1 = (uint8_t)(type | (cda ? 0x10 : 0)), .data = data,
		.lc = n, .le = true }, &rsp);
	if (st)
		return st;
	emv_dol_trail_add(trail, data, n);
	st = emv_ac_response_parse(rsp.data, rsp.len, icc, out);
	if (st)
		return st;
	return cid_allowed(type, emv_cid_type(out->cid)) ? EMV_OK : EMV_E_CID;
}

enum emv_status emv_external_authenticate(const struct emv_transport *t,
					  const uint8_t *iad, size_t len)
{
	struct emv_apdu_response rsp;

	if (!t || !iad || len < 8 || len > 16)
		return EMV_E_ARGUMENT;
	return emv_apdu_command(t, &(struct emv_command){
		.cla = 0x00, .ins = 0x82, .data = iad, .lc = len }, &rsp);
}
