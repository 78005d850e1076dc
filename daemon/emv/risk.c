// SPDX-License-Identifier: MIT
#include <string.h>

#include "emv/risk.h"

void emv_tvr_set(uint8_t tvr[5], uint16_t bit)
{
	tvr[bit >> 8] |= (uint8_t)bit;
}

bool emv_tvr_test(const uint8_t tvr[5], uint16_t bit)
{
	return tvr[bit >> 8] & (uint8_t)bit;
}

/* AUC byte 1 (Book 3 Annex C2). */
#define AUC_DOMESTIC_CASH	0x80
#define AUC_INTL_CASH		0x40
#define AUC_DOMESTIC_GOODS	0x20
#define AUC_INTL_GOODS		0x10
#define AUC_DOMESTIC_SERVICES	0x08
#define AUC_INTL_SERVICES	0x04
#define AUC_NOT_ATM		0x01

/*
 * Application usage control (Book 3 10.4.2) for a POS terminal (not an
 * ATM): cash (9C 01) needs the cash bit, anything else the goods or
 * services bit, domestic when the issuer country 5F28 is ours.
 */
static bool usage_allowed(const struct emv_data *icc,
			  const struct emv_data *terminal)
{
	const uint8_t *auc = emv_data_get(icc, 0x9f07, NULL);
	const uint8_t *issuer = emv_data_get(icc, 0x5f28, NULL);
	const uint8_t *country = emv_data_get(terminal, 0x9f1a, NULL);
	const uint8_t *type = emv_data_get(terminal, 0x9c, NULL);
	bool domestic;

	if (!auc)
		return true;
	if (!(auc[0] & AUC_NOT_ATM))
		return false;
	if (!issuer || !country || !type)
		return true;
	domestic = !memcmp(issuer, country, 2);
	if (type[0] == 0x01)
		return auc[0] & (domestic ? AUC_DOMESTIC_CASH : AUC_INTL_CASH);
	return auc[0] & (domestic ? AUC_DOMESTIC_GOODS | AUC_DOMESTIC_SERVICES :
			 AUC_INTL_GOODS | AUC_INTL_SERVICES);
}

void emv_processing_restrictions(const struct emv_card_info *card,
				 const struct emv_data *icc,
				 const struct emv_data *terminal,
				 const struct emv_date *today, uint8_t tvr[5])
{
	const uint8_t *card_ver = emv_data_get(icc, 0x9f08, NULL);
	const uint8_t *term_ver = emv_data_get(terminal, 0x9f09, NULL);

	if (card_ver && term_ver && memcmp(card_ver, term_ver, 2))
		emv_tvr_set(tvr, EMV_TVR_VERSION_MISMATCH);
	if (!usage_allowed(icc, terminal))
		emv_tvr_set(tvr, EMV_TVR_SERVICE_NOT_ALLOWED);
	if (emv_date_compare(today, &card->expiry) > 0)
		emv_tvr_set(tvr, EMV_TVR_EXPIRED);
	if (card->has_effective &&
	    emv_date_compare(today, &card->effective) < 0)
		emv_tvr_set(tvr, EMV_TVR_NOT_EFFECTIVE);
}

/* (TAC | IAC) & TVR != 0; @absent fills a missing IAC. */
static bool action_hit(const uint8_t tvr[5], const uint8_t tac[5],
		       const struct emv_data *icc, uint32_t iac_tag,
		       uint8_t absent)
{
	const uint8_t *iac = emv_data_get(icc, iac_tag, NULL);

	for (int i = 0; i < 5; i++)
		if (tvr[i] & (tac[i] | (iac ? iac[i] : absent)))
			return true;
	return false;
}

enum emv_ac_type emv_taa_first(const uint8_t tvr[5], const struct emv_tac *tac,
			       const struct emv_data *icc)
{
	if (action_hit(tvr, tac->denial, icc, 0x9f0e, 0x00))
		return EMV_AC_AAC;
	return EMV_AC_ARQC;
}

enum emv_ac_type emv_taa_unable_online(const uint8_t tvr[5],
				       const struct emv_tac *tac,
				       const struct emv_data *icc)
{
	if (action_hit(tvr, tac->dflt, icc, 0x9f0d, 0xff))
		return EMV_AC_AAC;
	return EMV_AC_TC;
}
