// SPDX-License-Identifier: MIT
#include <string.h>

#include "emv/risk.h"
#include "emv/script.h"
#include "iso8583/tlv.h"

#define SCRIPT_NOT_PERFORMED	0x00
#define SCRIPT_FAILED		0x10
#define SCRIPT_PERFORMED	0x20

/* Send one 86 command: a whole C-APDU (header + optional Lc data). */
static enum emv_status send_command(const struct emv_transport *t,
				    const uint8_t *c, size_t len, bool *ok)
{
	struct emv_command cmd;
	struct emv_apdu_response rsp;
	enum emv_status st;

	if (len < 4 || (len > 4 && (len < 5 || (size_t)c[4] + 5 > len ||
				    len > (size_t)c[4] + 6)))
		return EMV_E_DATA_FORMAT;
	cmd = (struct emv_command){
		.cla = c[0], .ins = c[1], .p1 = c[2], .p2 = c[3],
		.lc = len > 4 ? c[4] : 0, .data = len > 5 ? c + 5 : NULL,
		.le = len == (size_t)c[4] + 6,
	};
	st = emv_apdu_exchange(t, &cmd, &rsp);
	if (st)
		return st;
	*ok = (rsp.sw >> 8) == 0x90 || (rsp.sw >> 8) == 0x62 ||
	      (rsp.sw >> 8) == 0x63;
	return EMV_OK;
}

static enum emv_status run_one(const struct emv_transport *t,
			       const uint8_t *v, size_t len, uint8_t result[5])
{
	size_t pos = 0;
	uint8_t seq = 0;
	struct tlv c;

	memset(result, 0, 5);
	result[0] = SCRIPT_NOT_PERFORMED;
	while (pos < len) {
		bool ok = false;
		enum emv_status st;

		if (tlv_next(v, len, &pos, &c) != TLV_OK)
			return EMV_E_TLV;
		if (c.tag == 0x9f18 && c.len == 4) {
			memcpy(result + 1, c.value, 4);
			continue;
		}
		if (c.tag != 0x86)
			continue;
		seq++;
		st = send_command(t, c.value, c.len, &ok);
		if (st == EMV_E_DATA_FORMAT)
			ok = false;
		else if (st)
			return st;
		if (!ok) {
			result[0] = (uint8_t)(SCRIPT_FAILED |
					      (seq < 15 ? seq : 15));
			return EMV_OK;
		}
		result[0] = SCRIPT_PERFORMED;
	}
	return EMV_OK;
}

enum emv_status emv_run_scripts(const struct emv_transport *t,
				uint32_t template, const uint8_t *scripts,
				size_t len, struct emv_script_results *results,
				uint8_t tvr[5])
{
	size_t pos = 0;
	struct tlv s;

	if (!t || (!scripts && len) || !results || !tvr ||
	    (template != 0x71 && template != 0x72))
		return EMV_E_ARGUMENT;
	while (pos < len) {
		uint8_t *r;
		enum emv_status st;

		if (tlv_next(scripts, len, &pos, &s) != TLV_OK)
			return EMV_E_TLV;
		if (s.tag != template)
			continue;
		if (results->n == EMV_MAX_SCRIPTS)
			return EMV_E_STORE_FULL;
		r = results->r[results->n++];
		st = run_one(t, s.value, s.len, r);
		if (st)
			return st;
		if ((r[0] & 0xf0) == SCRIPT_FAILED)
			emv_tvr_set(tvr, template == 0x71 ?
				    EMV_TVR_SCRIPT_FAILED_BEFORE :
				    EMV_TVR_SCRIPT_FAILED_AFTER);
	}
	return EMV_OK;
}
