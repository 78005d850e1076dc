// SPDX-License-Identifier: MIT
/*
 * The DUKPT key chain, the same in X9.24-1 and X9.24-3: the key of a
 * counter comes from the key of that counter minus its lowest set bit, so
 * the key at any counter is one derivation per set bit, high to low.  The
 * host side walks the whole chain; the terminal keeps its links in the
 * future key registers.  Only the one-step derivation differs.
 */
#include <string.h>
#include "crypto/dukpt_derive.h"

enum pcc_status pcc_dukpt_child_key(struct pcc_session *s,
				    enum pcc_dukpt_variant variant,
				    enum pcc_dukpt_key_type type,
				    const uint8_t *ksn, const uint8_t *parent,
				    uint32_t counter, uint8_t *child)
{
	uint8_t reg[8];

	if (variant == PCC_DUKPT_TDES) {
		pcc_dukpt_tdes_register(ksn, counter, reg);
		return pcc_dukpt_tdes_nrkg(s, parent, reg, child);
	}
	return pcc_dukpt_aes_step(s, parent, pcc_dukpt_key_len(type),
				  AES_USAGE_KEY_DERIVATION, type, ksn, counter,
				  child);
}

enum pcc_status pcc_dukpt_key_at(struct pcc_session *s,
				 enum pcc_dukpt_variant variant,
				 enum pcc_dukpt_key_type type,
				 const uint8_t *ksn, const uint8_t *initial,
				 uint32_t counter, uint8_t *key)
{
	uint32_t prefix = 0;
	enum pcc_status st = PCC_OK;

	if (key != initial)
		memcpy(key, initial, pcc_dukpt_key_len(type));
	for (int bit = 31; bit >= 0 && st == PCC_OK; bit--) {
		if (!(counter & 1u << bit))
			continue;
		prefix |= 1u << bit;
		st = pcc_dukpt_child_key(s, variant, type, ksn, key, prefix,
					 key);
	}
	return st;
}
