// SPDX-License-Identifier: MIT
/*
 * Book 3 references are to EMV 4.3 Book 3 (Application Specification),
 * section 10.6.  Which steps depend on the AIP follows 10.6's opening
 * rule: the exception file check is the terminal's own and always runs;
 * floor limit, random selection and velocity checking run when AIP byte 1
 * b4 asks for them (the order and the split are the same in the
 * independent jurextrade EMV terminal, EMVTerminalRiskManagement()).
 */
#include "emv/terminal_risk.h"
#include "emv/risk.h"
#include "iso8583/tlv.h"

#define AIP_TERMINAL_RISK_MGMT	0x08	/* AIP byte 1 b4 */

/* 10.6.1: the sum of this amount and the most recent logged one for the
 * same PAN "exceeds or equals" the floor limit. */
static void check_floor_limit(const struct emv_risk_config *cfg,
			      const struct emv_risk_input *in, uint8_t tvr[5])
{
	if (in->amount + in->logged_amount >= cfg->floor_limit)
		emv_tvr_set(tvr, EMV_TVR_FLOOR_LIMIT_EXCEEDED);
}

unsigned int emv_random_target_percent(const struct emv_random_selection *r,
				       uint64_t floor_limit, uint64_t amount)
{
	uint64_t span = floor_limit - r->threshold;
	unsigned int extra = r->max_target_percent > r->target_percent ?
			     r->max_target_percent - r->target_percent : 0;

	if (amount < r->threshold)
		return r->target_percent;
	if (amount >= floor_limit || !span)
		return r->max_target_percent;
	/* 10.6.2: the percentage rises linearly from the target at the
	 * threshold towards the maximum at the floor limit */
	return r->target_percent +
	       (unsigned int)(extra * (amount - r->threshold) / span);
}

/* 10.6.2: only transactions below the floor limit are candidates; one is
 * selected when the random number 1..99 is <= the target percent. */
static void select_randomly(const struct emv_risk_config *cfg,
			    const struct emv_risk_input *in, uint8_t tvr[5])
{
	const struct emv_random_selection *r = &cfg->random;

	if (in->amount >= cfg->floor_limit || !in->random_number)
		return;
	if (in->random_number <=
	    emv_random_target_percent(r, cfg->floor_limit, in->amount))
		emv_tvr_set(tvr, EMV_TVR_RANDOMLY_SELECTED);
}

/* GET DATA (Book 3 6.5.7) of a 2-byte counter; false when the card does
 * not return it. */
static enum emv_status get_counter(const struct emv_transport *t,
				   uint16_t tag, bool *found, uint16_t *value)
{
	const struct emv_command cmd = {
		.cla = 0x80, .ins = 0xca, .p1 = (uint8_t)(tag >> 8),
		.p2 = (uint8_t)tag, .le = true,
	};
	struct emv_apdu_response rsp;
	struct tlv v;
	enum emv_status st = emv_apdu_exchange(t, &cmd, &rsp);

	*found = false;
	if (st)
		return st;
	if (rsp.sw != 0x9000 || tlv_find(rsp.data, rsp.len, tag, &v) != TLV_OK ||
	    v.len != 2)
		return EMV_OK;
	*value = (uint16_t)(v.value[0] << 8 | v.value[1]);
	*found = true;
	return EMV_OK;
}

/*
 * 10.6.3: with both consecutive offline limits (9F14, 9F23) on the card,
 * compare ATC - last online ATC register with them.  Either counter
 * missing sets both "exceeded" bits; a last online ATC register of zero
 * means a new card, whether or not the ATC was returned.
 */
static enum emv_status check_velocity(const struct emv_transport *t,
				      const struct emv_data *icc,
				      uint8_t tvr[5])
{
	const uint8_t *lcol = emv_data_get(icc, 0x9f14, NULL);
	const uint8_t *ucol = emv_data_get(icc, 0x9f23, NULL);
	uint16_t atc = 0, last_online = 0;
	bool have_atc, have_last;
	enum emv_status st;

	if (!lcol || !ucol)
		return EMV_OK;
	st = get_counter(t, 0x9f36, &have_atc, &atc);
	if (!st)
		st = get_counter(t, 0x9f13, &have_last, &last_online);
	if (st)
		return st;
	if (have_last && last_online == 0)
		emv_tvr_set(tvr, EMV_TVR_NEW_CARD);
	if (!have_atc || !have_last) {
		emv_tvr_set(tvr, EMV_TVR_LCOL_EXCEEDED);
		emv_tvr_set(tvr, EMV_TVR_UCOL_EXCEEDED);
		return EMV_OK;
	}
	if (atc > last_online && atc - last_online > lcol[0])
		emv_tvr_set(tvr, EMV_TVR_LCOL_EXCEEDED);
	if (atc > last_online && atc - last_online > ucol[0])
		emv_tvr_set(tvr, EMV_TVR_UCOL_EXCEEDED);
	return EMV_OK;
}

enum emv_status emv_terminal_risk_management(const struct emv_transport *t,
					     const struct emv_risk_config *cfg,
					     const struct emv_risk_input *in,
					     const struct emv_card_info *card,
					     const struct emv_data *icc,
					     uint8_t tvr[5], uint8_t tsi[2])
{
	enum emv_status st;

	if (!t || !cfg || !in || !card || !icc || !tvr || !tsi)
		return EMV_E_ARGUMENT;
	if (in->on_exception_file)
		emv_tvr_set(tvr, EMV_TVR_EXCEPTION_FILE);
	if (!(card->aip[0] & AIP_TERMINAL_RISK_MGMT))
		return EMV_OK;
	check_floor_limit(cfg, in, tvr);
	select_randomly(cfg, in, tvr);
	st = check_velocity(t, icc, tvr);
	if (st)
		return st;
	tsi[0] |= EMV_TSI_TERMINAL_RISK_MGMT;
	return EMV_OK;
}
