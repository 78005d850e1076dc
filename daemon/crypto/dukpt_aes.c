// SPDX-License-Identifier: MIT
/* AES DUKPT host side, ANSI X9.24-3:2017. */
#include <string.h>
#include "crypto/dukpt_derive.h"

/* X9.24-3 algorithm indicator and key length (bits) of each key type. */
static const struct {
	uint16_t algorithm;
	uint16_t bits;
} key_types[] = {
	[PCC_DUKPT_2TDEA] = { 0x0000, 128 },
	[PCC_DUKPT_3TDEA] = { 0x0001, 192 },
	[PCC_DUKPT_AES128] = { 0x0002, 128 },
	[PCC_DUKPT_AES192] = { 0x0003, 192 },
	[PCC_DUKPT_AES256] = { 0x0004, 256 },
};

static bool type_ok(enum pcc_dukpt_key_type type)
{
	return (unsigned)type <= PCC_DUKPT_AES256;
}

size_t pcc_dukpt_key_len(enum pcc_dukpt_key_type type)
{
	return type_ok(type) ? key_types[type].bits / 8 : 0;
}

int pcc_dukpt_aes_type_of_len(size_t len)
{
	return len == 16 ? PCC_DUKPT_AES128 : len == 24 ? PCC_DUKPT_AES192 :
	       len == 32 ? PCC_DUKPT_AES256 : -1;
}

bool pcc_dukpt_aes_type_allowed(enum pcc_dukpt_key_type derivation,
				enum pcc_dukpt_key_type working)
{
	/* a working key is never stronger than the key deriving it */
	return type_ok(working) &&
	       pcc_dukpt_key_len(working) <= pcc_dukpt_key_len(derivation);
}

uint16_t pcc_dukpt_aes_usage_code(enum pcc_dukpt_usage usage)
{
	switch (usage) {
	case PCC_DUKPT_PIN:
		return 0x1000;
	case PCC_DUKPT_MAC_REQUEST:
		return 0x2000;		/* generation */
	case PCC_DUKPT_MAC_RESPONSE:
		return 0x2001;		/* verification */
	case PCC_DUKPT_MAC_BOTH:
		return 0x2002;
	case PCC_DUKPT_DATA_REQUEST:
		return 0x3000;		/* encrypt */
	case PCC_DUKPT_DATA_RESPONSE:
		return 0x3001;		/* decrypt */
	case PCC_DUKPT_DATA_BOTH:
		return 0x3002;
	}
	return 0;
}

enum pcc_status pcc_dukpt_aes_step(struct pcc_session *s,
				   const uint8_t *derivation_key,
				   size_t derivation_key_len,
				   uint16_t usage_code,
				   enum pcc_dukpt_key_type type,
				   const uint8_t id[8], uint32_t counter,
				   uint8_t *out)
{
	uint8_t dd[16], block[16];
	size_t len = pcc_dukpt_key_len(type);
	enum pcc_status st;

	dd[0] = 0x01;			/* version */
	dd[2] = (uint8_t)(usage_code >> 8);
	dd[3] = (uint8_t)usage_code;
	dd[4] = (uint8_t)(key_types[type].algorithm >> 8);
	dd[5] = (uint8_t)key_types[type].algorithm;
	dd[6] = (uint8_t)(key_types[type].bits >> 8);
	dd[7] = (uint8_t)key_types[type].bits;
	if (usage_code == AES_USAGE_INITIAL_KEY) {
		memcpy(dd + 8, id, 8);
	} else {
		memcpy(dd + 8, id + 4, 4);	/* derivation ID */
		dd[12] = (uint8_t)(counter >> 24);
		dd[13] = (uint8_t)(counter >> 16);
		dd[14] = (uint8_t)(counter >> 8);
		dd[15] = (uint8_t)counter;
	}
	st = pcc_session_start(s, PCC_ALG_AES, derivation_key,
			       derivation_key_len, true, NULL);
	/* one AES block per 128 bits of output, dd[1] counting them */
	for (size_t done = 0; st == PCC_OK && done < len; done += 16) {
		size_t n = len - done < 16 ? len - done : 16;

		dd[1] = (uint8_t)(done / 16 + 1);
		st = pcc_session_update(s, dd, block, 16);
		memcpy(out + done, block, n);
	}
	pcc_wipe(block, sizeof(block));
	return st;
}

static enum pcc_status initial_key(struct pcc_session *s, const uint8_t *bdk,
				   size_t bdk_len, const uint8_t id[8],
				   enum pcc_dukpt_key_type type, uint8_t *out)
{
	int bdk_type = pcc_dukpt_aes_type_of_len(bdk_len);

	if (bdk_type < 0)
		return PCC_E_KEY_LENGTH;
	if (type < PCC_DUKPT_AES128 ||
	    !pcc_dukpt_aes_type_allowed((enum pcc_dukpt_key_type)bdk_type,
					type))
		return PCC_E_ALGORITHM;
	return pcc_dukpt_aes_step(s, bdk, bdk_len, AES_USAGE_INITIAL_KEY, type,
				  id, 0, out);
}

enum pcc_status pcc_dukpt_aes_initial_key(const uint8_t *bdk, size_t bdk_len,
					  const uint8_t initial_key_id[8],
					  enum pcc_dukpt_key_type type,
					  uint8_t *out)
{
	struct pcc_session s;
	enum pcc_status st;

	if (!bdk || !initial_key_id || !out)
		return PCC_E_ARGUMENT;
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = initial_key(&s, bdk, bdk_len, initial_key_id, type, out);
	pcc_session_close(&s);
	return st;
}

static uint32_t ksn_counter(const uint8_t ksn[12])
{
	return (uint32_t)ksn[8] << 24 | (uint32_t)ksn[9] << 16 |
	       (uint32_t)ksn[10] << 8 | ksn[11];
}

/* Initial key, then the key chain to the counter, then the working key. */
static enum pcc_status derive(struct pcc_session *s, const uint8_t *bdk,
			      size_t bdk_len, const uint8_t ksn[12],
			      enum pcc_dukpt_usage usage,
			      enum pcc_dukpt_key_type key_type, uint8_t *key)
{
	uint32_t counter = ksn_counter(ksn);
	uint16_t code = pcc_dukpt_aes_usage_code(usage);
	int type = pcc_dukpt_aes_type_of_len(bdk_len);
	uint8_t dk[32];
	enum pcc_status st;

	if (type < 0)
		return PCC_E_KEY_LENGTH;
	if (!counter || __builtin_popcount(counter) > AES_MAX_ONES)
		return PCC_E_KSN;
	if (!code || !pcc_dukpt_aes_type_allowed((enum pcc_dukpt_key_type)type,
						 key_type))
		return PCC_E_ALGORITHM;
	st = initial_key(s, bdk, bdk_len, ksn, (enum pcc_dukpt_key_type)type,
			 dk);
	if (st == PCC_OK)
		st = pcc_dukpt_key_at(s, PCC_DUKPT_AES,
				      (enum pcc_dukpt_key_type)type, ksn, dk,
				      counter, dk);
	if (st == PCC_OK)
		st = pcc_dukpt_aes_step(s, dk, bdk_len, code, key_type, ksn,
					counter, key);
	pcc_wipe(dk, sizeof(dk));
	return st;
}

enum pcc_status pcc_dukpt_aes_derive(const uint8_t *bdk, size_t bdk_len,
				     const uint8_t ksn[PCC_DUKPT_AES_KSN_LEN],
				     enum pcc_dukpt_usage usage,
				     enum pcc_dukpt_key_type key_type,
				     uint8_t *key)
{
	struct pcc_session s;
	enum pcc_status st;

	if (!bdk || !ksn || !key)
		return PCC_E_ARGUMENT;
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = derive(&s, bdk, bdk_len, ksn, usage, key_type, key);
	pcc_session_close(&s);
	return st;
}
