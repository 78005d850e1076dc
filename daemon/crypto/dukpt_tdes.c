// SPDX-License-Identifier: MIT
/* TDES DUKPT host side, ANSI X9.24-1:2009. */
#include <string.h>
#include "crypto/dukpt_derive.h"

/* Key register mask: C0C0C0C0 00000000 on both halves. */
static const uint8_t c0_mask[16] = {
	0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0, 0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0,
};

/* Working key variants of X9.24-1:2009 (XORed into both halves). */
static const uint8_t *variant_of(enum pcc_dukpt_usage usage)
{
	static const uint8_t pin[8] = { 0, 0, 0, 0, 0, 0, 0, 0xFF };
	static const uint8_t mac_req[8] = { 0, 0, 0, 0, 0, 0, 0xFF, 0 };
	static const uint8_t mac_resp[8] = { 0, 0, 0, 0, 0xFF, 0, 0, 0 };
	static const uint8_t data_req[8] = { 0, 0, 0, 0, 0, 0xFF, 0, 0 };
	static const uint8_t data_resp[8] = { 0, 0, 0, 0xFF, 0, 0, 0, 0 };

	switch (usage) {
	case PCC_DUKPT_PIN:
		return pin;
	case PCC_DUKPT_MAC_REQUEST:
		return mac_req;
	case PCC_DUKPT_MAC_RESPONSE:
		return mac_resp;
	case PCC_DUKPT_DATA_REQUEST:
		return data_req;
	case PCC_DUKPT_DATA_RESPONSE:
		return data_resp;
	default:
		return NULL;
	}
}

void pcc_dukpt_tdes_register(const uint8_t ksn[10], uint32_t counter,
			     uint8_t reg[8])
{
	memcpy(reg, ksn + 2, 8);
	reg[5] = (uint8_t)((reg[5] & 0xE0) | ((counter >> 16) & 0x1F));
	reg[6] = (uint8_t)(counter >> 8);
	reg[7] = (uint8_t)counter;
}

static uint32_t ksn_counter(const uint8_t ksn[10])
{
	return (uint32_t)(ksn[7] & 0x1F) << 16 | (uint32_t)ksn[8] << 8 | ksn[9];
}

/* One half of the NRKG: (reg XOR right) encrypted with DES(left), XOR
 * right. */
static enum pcc_status nrkg_half(struct pcc_session *s, const uint8_t *key,
				 const uint8_t reg[8], uint8_t out[8])
{
	uint8_t t[8];
	enum pcc_status st;

	for (int i = 0; i < 8; i++)
		t[i] = reg[i] ^ key[8 + i];
	st = pcc_session_ecb(s, PCC_ALG_TDES, key, 8, true, t, out, 8);
	for (int i = 0; i < 8; i++)
		out[i] ^= key[8 + i];
	return st;
}

enum pcc_status pcc_dukpt_tdes_nrkg(struct pcc_session *s,
				    const uint8_t parent[16],
				    const uint8_t reg[8], uint8_t child[16])
{
	uint8_t masked[16], right[8];
	enum pcc_status st;

	for (int i = 0; i < 16; i++)
		masked[i] = parent[i] ^ c0_mask[i];
	st = nrkg_half(s, parent, reg, right);
	if (st == PCC_OK)
		st = nrkg_half(s, masked, reg, child);
	memcpy(child + 8, right, 8);
	pcc_wipe(masked, sizeof(masked));
	pcc_wipe(right, sizeof(right));
	return st;
}

enum pcc_status pcc_dukpt_tdes_variant(struct pcc_session *s,
				       const uint8_t current[16],
				       enum pcc_dukpt_usage usage,
				       uint8_t key[16])
{
	const uint8_t *v = variant_of(usage);
	uint8_t variant[16];
	enum pcc_status st = PCC_OK;

	if (!v)
		return PCC_E_ALGORITHM;
	for (int i = 0; i < 16; i++)
		variant[i] = current[i] ^ v[i % 8];
	/* Data keys: the variant key encrypts itself (one-way function). */
	if (usage == PCC_DUKPT_DATA_REQUEST || usage == PCC_DUKPT_DATA_RESPONSE)
		st = pcc_session_ecb(s, PCC_ALG_TDES, variant, 16, true,
				     variant, key, 16);
	else
		memcpy(key, variant, 16);
	pcc_wipe(variant, sizeof(variant));
	return st;
}

static enum pcc_status ipek(struct pcc_session *s, const uint8_t bdk[16],
			    const uint8_t ksn[10], uint8_t out[16])
{
	uint8_t masked_bdk[16], base[8];
	enum pcc_status st;

	memcpy(base, ksn, 8);
	base[7] &= 0xE0;
	for (int i = 0; i < 16; i++)
		masked_bdk[i] = bdk[i] ^ c0_mask[i];
	st = pcc_session_ecb(s, PCC_ALG_TDES, bdk, 16, true, base, out, 8);
	if (st == PCC_OK)
		st = pcc_session_ecb(s, PCC_ALG_TDES, masked_bdk, 16, true,
				     base, out + 8, 8);
	pcc_wipe(masked_bdk, sizeof(masked_bdk));
	return st;
}

static enum pcc_status check_ksn(const uint8_t ksn[10])
{
	uint32_t counter = ksn_counter(ksn);

	if (!counter || __builtin_popcount(counter) > TDES_MAX_ONES)
		return PCC_E_KSN;
	return PCC_OK;
}

enum pcc_status pcc_dukpt_tdes_ipek(const uint8_t bdk[16],
				    const uint8_t ksn[PCC_DUKPT_TDES_KSN_LEN],
				    uint8_t out[16])
{
	struct pcc_session s;
	enum pcc_status st;

	if (!bdk || !ksn || !out)
		return PCC_E_ARGUMENT;
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = ipek(&s, bdk, ksn, out);
	pcc_session_close(&s);
	return st;
}

static enum pcc_status derive(struct pcc_session *s, const uint8_t *bdk,
			      const uint8_t ipek_in[16],
			      const uint8_t ksn[10],
			      enum pcc_dukpt_usage usage, uint8_t key[16])
{
	uint8_t initial[16], current[16];
	enum pcc_status st = check_ksn(ksn);

	if (st == PCC_OK && !variant_of(usage))
		st = PCC_E_ALGORITHM;
	if (st == PCC_OK && bdk)
		st = ipek(s, bdk, ksn, initial);
	else if (st == PCC_OK)
		memcpy(initial, ipek_in, 16);
	if (st == PCC_OK)
		st = pcc_dukpt_key_at(s, PCC_DUKPT_TDES, PCC_DUKPT_2TDEA, ksn,
				      initial, ksn_counter(ksn), current);
	if (st == PCC_OK)
		st = pcc_dukpt_tdes_variant(s, current, usage, key);
	pcc_wipe(initial, sizeof(initial));
	pcc_wipe(current, sizeof(current));
	return st;
}

enum pcc_status pcc_dukpt_tdes_derive(const uint8_t bdk[16],
				      const uint8_t ksn[PCC_DUKPT_TDES_KSN_LEN],
				      enum pcc_dukpt_usage usage,
				      uint8_t key[16])
{
	struct pcc_session s;
	enum pcc_status st;

	if (!bdk || !ksn || !key)
		return PCC_E_ARGUMENT;
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = derive(&s, bdk, NULL, ksn, usage, key);
	pcc_session_close(&s);
	return st;
}

enum pcc_status pcc_dukpt_tdes_derive_from_ipek(const uint8_t ipek_key[16],
				const uint8_t ksn[PCC_DUKPT_TDES_KSN_LEN],
				enum pcc_dukpt_usage usage, uint8_t key[16])
{
	struct pcc_session s;
	enum pcc_status st;

	if (!ipek_key || !ksn || !key)
		return PCC_E_ARGUMENT;
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = derive(&s, NULL, ipek_key, ksn, usage, key);
	pcc_session_close(&s);
	return st;
}
