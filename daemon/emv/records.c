// SPDX-License-Identifier: MIT
#include <string.h>

#include "crypto/cipher.h"
#include "emv/dol.h"
#include "emv/oda.h"
#include "emv/records.h"
#include "iso8583/tlv.h"

enum emv_status emv_afl_parse(const uint8_t *afl, size_t len,
			      struct emv_afl_entry *out, size_t *n)
{
	if (!afl || !out || !n)
		return EMV_E_ARGUMENT;
	if (len == 0 || len % 4 || len / 4 > EMV_AFL_MAX_ENTRIES)
		return EMV_E_BAD_AFL;
	for (size_t i = 0; i < len / 4; i++) {
		const uint8_t *e = afl + 4 * i;
		struct emv_afl_entry *o = &out[i];

		o->sfi = e[0] >> 3;
		o->first = e[1];
		o->last = e[2];
		o->oda = e[3];
		/* low 3 bits of the SFI byte are RFU zeros (Book 3 10.2) */
		if ((e[0] & 7) || o->sfi < 1 || o->sfi > 30 || o->first == 0 ||
		    o->last < o->first || o->oda > o->last - o->first + 1)
			return EMV_E_BAD_AFL;
	}
	*n = len / 4;
	return EMV_OK;
}

enum emv_status emv_gpo_parse(struct emv_data *icc, const uint8_t *rsp,
			      size_t len)
{
	size_t pos = 0;
	struct tlv t;

	if (!icc || !rsp)
		return EMV_E_ARGUMENT;
	if (tlv_next(rsp, len, &pos, &t) != TLV_OK)
		return EMV_E_TLV;
	if (pos != len)
		return EMV_E_TEMPLATE;
	if (t.tag == 0x80) {
		enum emv_status st;

		/* AIP (2) then AFL (4 per entry) */
		if (t.len < 2 + 4 || (t.len - 2) % 4)
			return EMV_E_DATA_LENGTH;
		st = emv_data_add(icc, 0x82, t.value, 2);
		return st ? st : emv_data_add(icc, 0x94, t.value + 2,
					      t.len - 2);
	}
	if (t.tag == 0x77) {
		enum emv_status st = emv_data_parse_list(icc, t.value, t.len);

		if (st)
			return st;
		if (!emv_data_has(icc, 0x82) || !emv_data_has(icc, 0x94))
			return EMV_E_MISSING_TAG;
		return EMV_OK;
	}
	return EMV_E_TEMPLATE;
}

/* Command template 83 with the PDOL data; long form past 127 bytes. */
static size_t gpo_header(uint8_t *hdr, size_t dlen)
{
	hdr[0] = 0x83;
	if (dlen < 0x80) {
		hdr[1] = (uint8_t)dlen;
		return 2;
	}
	hdr[1] = 0x81;
	hdr[2] = (uint8_t)dlen;
	return 3;
}

enum emv_status emv_gpo(const struct emv_transport *t,
			const struct emv_data *terminal, struct emv_data *icc,
			struct emv_dol_trail *trail)
{
	const struct emv_data *sources[] = { terminal, icc };
	struct emv_apdu_response rsp;
	uint8_t pdol_data[252], data[255];
	size_t pdol_len = 0, dlen = 0, hlen;
	const uint8_t *pdol;
	enum emv_status st;

	if (!t || !terminal || !icc)
		return EMV_E_ARGUMENT;
	pdol = emv_data_get(icc, 0x9f38, &pdol_len);
	if (pdol) {
		/* Lc is one byte: 3 header bytes + at most 252 of data */
		st = emv_dol_build(pdol, pdol_len, sources, 2, pdol_data,
				   sizeof(pdol_data), &dlen);
		if (st == EMV_E_BUFFER)
			return EMV_E_DATA_LENGTH;
		if (st)
			return st;
	}
	hlen = gpo_header(data, dlen);
	memcpy(data + hlen, pdol_data, dlen);
	st = emv_apdu_command(t, &(struct emv_command){
		.cla = 0x80, .ins = 0xa8, .data = data, .lc = hlen + dlen,
		.le = true }, &rsp);
	if (st)
		return st;
	emv_dol_trail_add(trail, pdol_data, dlen);
	return emv_gpo_parse(icc, rsp.data, rsp.len);
}

enum emv_status emv_record_parse(struct emv_data *icc, const uint8_t *rec,
				 size_t len)
{
	if (len > 2 + EMV_VALUE_MAX + 1)
		return EMV_E_RECORD_TOO_LONG;
	return emv_data_parse_template(icc, 0x70, rec, len);
}

static enum emv_status read_record(const struct emv_transport *t,
				   uint8_t sfi, uint8_t rec,
				   struct emv_apdu_response *rsp)
{
	struct emv_command cmd = {
		.cla = 0x00, .ins = 0xb2, .p1 = rec,
		.p2 = (uint8_t)(sfi << 3 | 4), .le = true,
	};
	return emv_apdu_command(t, &cmd, rsp);
}

enum emv_status emv_read_records(const struct emv_transport *t,
				 struct emv_data *icc,
				 struct emv_static_data *sd)
{
	struct emv_afl_entry afl[EMV_AFL_MAX_ENTRIES];
	struct emv_apdu_response rsp;
	const uint8_t *raw;
	size_t raw_len, n;
	enum emv_status st;

	if (!t || !icc)
		return EMV_E_ARGUMENT;
	raw = emv_data_get(icc, 0x94, &raw_len);
	if (!raw)
		return EMV_E_MISSING_TAG;
	st = emv_afl_parse(raw, raw_len, afl, &n);
	for (size_t i = 0; !st && i < n; i++) {
		for (unsigned r = afl[i].first; !st && r <= afl[i].last; r++) {
			st = read_record(t, afl[i].sfi, (uint8_t)r, &rsp);
			if (!st && sd && r - afl[i].first < afl[i].oda)
				emv_static_data_add(sd, afl[i].sfi, rsp.data,
						    rsp.len);
			if (!st && afl[i].sfi <= 10)
				st = emv_record_parse(icc, rsp.data, rsp.len);
		}
	}
	pcc_wipe(&rsp, sizeof(rsp));	/* records hold the PAN */
	return st;
}
