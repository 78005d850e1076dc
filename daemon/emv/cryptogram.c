// SPDX-License-Identifier: MIT
#include <string.h>

#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "emv/cryptogram.h"
#include "emv/data.h"

static enum emv_status crypto_status(enum pcc_status st)
{
	return st == PCC_OK ? EMV_OK : EMV_E_CRYPTO;
}

/* Y: rightmost 16 digits of PAN || PSN, as 8 BCD bytes. */
static enum emv_status option_a_y(const char *pan, int psn, uint8_t y[8])
{
	char digits[22], padded[17];
	size_t n = strlen(pan);

	if (n < 12 || n > 19 || psn < -1 || psn > 99)
		return EMV_E_ARGUMENT;
	for (size_t i = 0; i < n; i++)
		if (pan[i] < '0' || pan[i] > '9')
			return EMV_E_ARGUMENT;
	memcpy(digits, pan, n);
	digits[n++] = (char)('0' + (psn < 0 ? 0 : psn / 10));
	digits[n++] = (char)('0' + (psn < 0 ? 0 : psn % 10));
	memset(padded, '0', 16);
	if (n >= 16)
		memcpy(padded, digits + n - 16, 16);
	else
		memcpy(padded + 16 - n, digits, n);
	for (int i = 0; i < 8; i++)
		y[i] = (uint8_t)((padded[2 * i] - '0') << 4 |
				 (padded[2 * i + 1] - '0'));
	pcc_wipe(digits, sizeof(digits));
	pcc_wipe(padded, sizeof(padded));
	return EMV_OK;
}

enum emv_status emv_derive_icc_mk(const uint8_t imk[EMV_KEY_LEN],
				  const char *pan, int psn,
				  uint8_t icc_mk[EMV_KEY_LEN])
{
	uint8_t y[16];
	enum emv_status st;

	if (!imk || !pan || !icc_mk)
		return EMV_E_ARGUMENT;
	st = option_a_y(pan, psn, y);
	if (st)
		return st;
	for (int i = 0; i < 8; i++)
		y[8 + i] = y[i] ^ 0xff;
	st = crypto_status(pcc_ecb_encrypt(PCC_ALG_TDES, imk, EMV_KEY_LEN, y,
					   icc_mk, sizeof(y)));
	pcc_wipe(y, sizeof(y));
	if (st == EMV_OK)
		pcc_des_parity_set(icc_mk, EMV_KEY_LEN);
	return st;
}

enum emv_status emv_derive_session_key(const uint8_t mk[EMV_KEY_LEN],
				       const uint8_t r[8],
				       uint8_t sk[EMV_KEY_LEN])
{
	uint8_t in[16];
	enum emv_status st;

	if (!mk || !r || !sk)
		return EMV_E_ARGUMENT;
	memcpy(in, r, 8);
	memcpy(in + 8, r, 8);
	in[2] = 0xf0;
	in[10] = 0x0f;
	st = crypto_status(pcc_ecb_encrypt(PCC_ALG_TDES, mk, EMV_KEY_LEN, in,
					   sk, sizeof(in)));
	if (st == EMV_OK)
		pcc_des_parity_set(sk, EMV_KEY_LEN);
	return st;
}

void emv_session_r_from_atc(const uint8_t atc[2], uint8_t r[8])
{
	memset(r, 0, 8);
	r[0] = atc[0];
	r[1] = atc[1];
}

static struct pcc_mac_spec ac_spec(enum emv_ac_padding padding)
{
	struct pcc_mac_spec spec = {
		.alg = PCC_MAC_ISO9797_ALG3,
		.cipher = PCC_ALG_TDES,
		.padding = padding == EMV_AC_PAD_ZEROS ? PCC_PAD_METHOD1 :
							 PCC_PAD_METHOD2,
	};
	return spec;
}

static bool padding_ok(enum emv_ac_padding padding)
{
	return padding == EMV_AC_PAD_ZEROS || padding == EMV_AC_PAD_EMV;
}

enum emv_status emv_ac_generate(const uint8_t sk[EMV_KEY_LEN],
				enum emv_ac_padding padding,
				const uint8_t *data, size_t len,
				uint8_t ac[EMV_AC_LEN])
{
	struct pcc_mac_spec spec = ac_spec(padding);

	if (!sk || (!data && len) || !ac || !padding_ok(padding))
		return EMV_E_ARGUMENT;
	return crypto_status(pcc_mac(&spec, sk, EMV_KEY_LEN, data, len, ac,
				     EMV_AC_LEN));
}

enum emv_status emv_ac_verify(const uint8_t sk[EMV_KEY_LEN],
			      enum emv_ac_padding padding,
			      const uint8_t *data, size_t len,
			      const uint8_t ac[EMV_AC_LEN])
{
	struct pcc_mac_spec spec = ac_spec(padding);
	enum pcc_status st;

	if (!sk || (!data && len) || !ac || !padding_ok(padding))
		return EMV_E_ARGUMENT;
	st = pcc_mac_verify(&spec, sk, EMV_KEY_LEN, data, len, ac,
			    EMV_AC_LEN);
	if (st == PCC_E_MAC)
		return EMV_E_CRYPTOGRAM;
	return crypto_status(st);
}

enum emv_status emv_arpc_method1(const uint8_t key[EMV_KEY_LEN],
				 const uint8_t arqc[EMV_AC_LEN],
				 const uint8_t arc[2],
				 uint8_t arpc[EMV_AC_LEN])
{
	uint8_t x[EMV_AC_LEN];

	if (!key || !arqc || !arc || !arpc)
		return EMV_E_ARGUMENT;
	memcpy(x, arqc, EMV_AC_LEN);
	x[0] ^= arc[0];
	x[1] ^= arc[1];
	return crypto_status(pcc_ecb_encrypt(PCC_ALG_TDES, key, EMV_KEY_LEN,
					     x, arpc, EMV_AC_LEN));
}

/* Tag and exact length of each item of the AC input, in order. */
static const struct { uint32_t tag; size_t len; } ac_input_tags[] = {
	{ 0x9f02, 6 }, { 0x9f03, 6 }, { 0x9f1a, 2 }, { 0x95, 5 },
	{ 0x5f2a, 2 }, { 0x9a, 3 }, { 0x9c, 1 }, { 0x9f37, 4 },
	{ 0x82, 2 }, { 0x9f36, 2 },
};

enum emv_status emv_ac_input_from_tlv(const uint8_t *tlv, size_t tlv_len,
				      uint8_t *out, size_t size,
				      size_t *out_len)
{
	struct emv_data d;
	size_t n = 0;
	enum emv_status st;

	if (!tlv || !out || !out_len)
		return EMV_E_ARGUMENT;
	emv_data_init(&d);
	st = emv_data_parse_list(&d, tlv, tlv_len);
	for (size_t i = 0; !st && i < sizeof(ac_input_tags) /
					 sizeof(ac_input_tags[0]); i++) {
		size_t len;
		const uint8_t *v = emv_data_get(&d, ac_input_tags[i].tag, &len);

		if (!v || len != ac_input_tags[i].len)
			st = EMV_E_MISSING_TAG;
		else if (len > size - n)
			st = EMV_E_BUFFER;
		else {
			memcpy(out + n, v, len);
			n += len;
		}
	}
	emv_data_wipe(&d);
	if (!st)
		*out_len = n;
	return st;
}
