// SPDX-License-Identifier: MIT
/*
 * DUKPT terminal side (X9.24-1 and X9.24-3 alike): register i holds the key
 * of the counter whose lowest set bit is i; the current key is the register
 * of the current counter's lowest set bit.
 */
#include <string.h>
#include "crypto/dukpt_derive.h"

static unsigned max_ones(const struct pcc_dukpt_terminal *t)
{
	return t->variant == PCC_DUKPT_TDES ? TDES_MAX_ONES : AES_MAX_ONES;
}

static unsigned registers(const struct pcc_dukpt_terminal *t)
{
	return t->variant == PCC_DUKPT_TDES ? PCC_DUKPT_TDES_REGISTERS :
	       PCC_DUKPT_AES_REGISTERS;
}

static size_t key_len(const struct pcc_dukpt_terminal *t)
{
	return t->variant == PCC_DUKPT_TDES ? 16 :
	       pcc_dukpt_key_len((enum pcc_dukpt_key_type)t->key_type);
}

/* The key at @counter from @parent, the key of @counter minus its lowest
 * set bit. */
static enum pcc_status child_key(struct pcc_session *s,
				 const struct pcc_dukpt_terminal *t,
				 const uint8_t *parent, uint32_t counter,
				 uint8_t *child)
{
	return pcc_dukpt_child_key(s, (enum pcc_dukpt_variant)t->variant,
				   (enum pcc_dukpt_key_type)t->key_type, t->ksn,
				   parent, counter, child);
}

static bool exhausted(const struct pcc_dukpt_terminal *t)
{
	return !t->counter || !(t->valid & (1u << __builtin_ctz(t->counter)));
}

static enum pcc_status check_variant(enum pcc_dukpt_variant variant,
				     size_t key_len_in, const uint8_t *ksn,
				     size_t ksn_len, int *type)
{
	if (variant == PCC_DUKPT_TDES) {
		if (key_len_in != 16)
			return PCC_E_KEY_LENGTH;
		if (ksn_len != PCC_DUKPT_TDES_KSN_LEN ||
		    (ksn[7] & 0x1F) || ksn[8] || ksn[9])
			return PCC_E_KSN;
		*type = PCC_DUKPT_2TDEA;
		return PCC_OK;
	}
	if (variant != PCC_DUKPT_AES)
		return PCC_E_ARGUMENT;
	*type = pcc_dukpt_aes_type_of_len(key_len_in);
	if (*type < 0)
		return PCC_E_KEY_LENGTH;
	if (ksn_len != PCC_DUKPT_AES_KSN_LEN ||
	    ksn[8] || ksn[9] || ksn[10] || ksn[11])
		return PCC_E_KSN;
	return PCC_OK;
}

enum pcc_status pcc_dukpt_terminal_load(struct pcc_dukpt_terminal *t,
					enum pcc_dukpt_variant variant,
					const uint8_t *initial_key,
					size_t key_len_in, const uint8_t *ksn,
					size_t ksn_len)
{
	struct pcc_session s;
	enum pcc_status st;
	int type;

	if (!t || !initial_key || !ksn)
		return PCC_E_ARGUMENT;
	st = check_variant(variant, key_len_in, ksn, ksn_len, &type);
	if (st != PCC_OK)
		return st;
	memset(t, 0, sizeof(*t));
	t->variant = (uint8_t)variant;
	t->key_type = (uint8_t)type;
	memcpy(t->ksn, ksn, ksn_len);
	st = pcc_session_open(&s);
	for (unsigned i = 0; i < registers(t) && st == PCC_OK; i++)
		st = child_key(&s, t, initial_key, 1u << i, t->reg[i]);
	pcc_session_close(&s);
	if (st != PCC_OK) {
		pcc_dukpt_terminal_wipe(t);
		return st;
	}
	t->valid = registers(t) == 32 ? UINT32_MAX : (1u << registers(t)) - 1;
	t->counter = 1;
	return PCC_OK;
}

static void write_ksn(const struct pcc_dukpt_terminal *t, uint8_t *out)
{
	if (t->variant == PCC_DUKPT_TDES) {
		memcpy(out, t->ksn, PCC_DUKPT_TDES_KSN_LEN);
		out[7] = (uint8_t)((out[7] & 0xE0) | (t->counter >> 16));
		out[8] = (uint8_t)(t->counter >> 8);
		out[9] = (uint8_t)t->counter;
		return;
	}
	memcpy(out, t->ksn, 8);
	out[8] = (uint8_t)(t->counter >> 24);
	out[9] = (uint8_t)(t->counter >> 16);
	out[10] = (uint8_t)(t->counter >> 8);
	out[11] = (uint8_t)t->counter;
}

enum pcc_status pcc_dukpt_terminal_key(const struct pcc_dukpt_terminal *t,
				       enum pcc_dukpt_usage usage,
				       enum pcc_dukpt_key_type key_type,
				       uint8_t *key, uint8_t *ksn_out)
{
	const uint8_t *current;
	struct pcc_session s;
	uint16_t code;
	enum pcc_status st;

	if (!t || !key)
		return PCC_E_ARGUMENT;
	if (exhausted(t))
		return PCC_E_DUKPT_EXHAUSTED;
	current = t->reg[__builtin_ctz(t->counter)];
	st = pcc_session_open(&s);
	if (st == PCC_OK && t->variant == PCC_DUKPT_TDES) {
		st = pcc_dukpt_tdes_variant(&s, current, usage, key);
	} else if (st == PCC_OK) {
		code = pcc_dukpt_aes_usage_code(usage);
		if (!code || !pcc_dukpt_aes_type_allowed(
				(enum pcc_dukpt_key_type)t->key_type, key_type))
			st = PCC_E_ALGORITHM;
		else
			st = pcc_dukpt_aes_step(&s, current, key_len(t), code,
						key_type, t->ksn, t->counter,
						key);
	}
	pcc_session_close(&s);
	if (st == PCC_OK && ksn_out)
		write_ksn(t, ksn_out);
	return st;
}

/* Counter space: 21 bits for TDES, 32 for AES. */
static uint64_t counter_limit(const struct pcc_dukpt_terminal *t)
{
	return t->variant == PCC_DUKPT_TDES ? 1ull << 21 : 1ull << 32;
}

enum pcc_status pcc_dukpt_terminal_advance(struct pcc_dukpt_terminal *t)
{
	struct pcc_session s;
	enum pcc_status st = PCC_OK;
	unsigned low;
	uint64_t next;

	if (!t)
		return PCC_E_ARGUMENT;
	if (exhausted(t))
		return PCC_E_DUKPT_EXHAUSTED;
	low = (unsigned)__builtin_ctz(t->counter);
	if ((unsigned)__builtin_popcount(t->counter) < max_ones(t)) {
		/* future keys below: counter | bit for every lower bit */
		st = pcc_session_open(&s);
		for (int j = (int)low - 1; j >= 0 && st == PCC_OK; j--) {
			st = child_key(&s, t, t->reg[low], t->counter | 1u << j,
				       t->reg[j]);
			t->valid |= 1u << j;
		}
		pcc_session_close(&s);
		next = (uint64_t)t->counter + 1;
	} else {
		/* counter | any lower bit has too many ones: skip them all */
		next = (uint64_t)t->counter + (1u << low);
	}
	if (st != PCC_OK)
		return st;
	pcc_wipe(t->reg[low], sizeof(t->reg[low]));
	t->valid &= ~(1u << low);
	t->counter = next < counter_limit(t) ? (uint32_t)next : 0;
	return t->counter ? PCC_OK : PCC_E_DUKPT_EXHAUSTED;
}

void pcc_dukpt_terminal_wipe(struct pcc_dukpt_terminal *t)
{
	if (t)
		pcc_wipe(t, sizeof(*t));
}
