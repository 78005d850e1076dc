// SPDX-License-Identifier: MIT
/* MACs: UnionPay ECB, ISO 9797-1 algorithms 1 and 3, CMAC. */
#include <string.h>
#include "common/hex.h"
#include "crypto/evp_session.h"
#include "crypto/mac.h"

/*
 * Split @msg for ISO 9797-1 padding: the first @body_len bytes are whole
 * blocks processed as they are; @last gets the final padded block.
 */
static enum pcc_status split_padded(const uint8_t *msg, size_t len,
				    enum pcc_mac_padding padding, size_t bs,
				    size_t *body_len, uint8_t *last)
{
	size_t rem = len % bs;

	if (padding != PCC_PAD_METHOD1 && padding != PCC_PAD_METHOD2)
		return PCC_E_ARGUMENT;
	memset(last, 0, bs);
	if (padding == PCC_PAD_METHOD1 && rem == 0 && len > 0) {
		*body_len = len - bs;	/* aligned: no padding at all */
		memcpy(last, msg + *body_len, bs);
		return PCC_OK;
	}
	*body_len = len - rem;
	if (rem)
		memcpy(last, msg + *body_len, rem);
	if (padding == PCC_PAD_METHOD2)
		last[rem] = 0x80;
	return PCC_OK;
}

/*
 * CBC-encrypt @body (whole blocks) with a zero IV and then @tail (one block,
 * or NULL), leaving the last cipher block in @chain (zero when nothing was
 * encrypted).  The message is streamed through a small scratch buffer.
 */
static enum pcc_status cbc_chain(struct pcc_session *s, enum pcc_alg alg,
				 const uint8_t *key, size_t key_len,
				 const uint8_t *body, size_t body_len,
				 const uint8_t *tail, uint8_t *chain)
{
	static const uint8_t zero_iv[PCC_MAX_BLOCK];
	uint8_t scratch[512];
	size_t bs = pcc_block_size(alg);
	enum pcc_status st;

	memset(chain, 0, bs);
	if (!body_len && !tail)
		return PCC_OK;
	st = pcc_session_start(s, alg, key, key_len, true, zero_iv);
	while (st == PCC_OK && body_len) {
		size_t n = body_len < sizeof(scratch) ? body_len :
			   sizeof(scratch);

		st = pcc_session_update(s, body, scratch, n);
		memcpy(chain, scratch + n - bs, bs);
		body += n;
		body_len -= n;
	}
	if (st == PCC_OK && tail)
		st = pcc_session_update(s, tail, chain, bs);
	return st;
}

static enum pcc_status iso9797_alg1(struct pcc_session *s, enum pcc_alg alg,
				    const uint8_t *key, size_t key_len,
				    enum pcc_mac_padding padding,
				    const uint8_t *msg, size_t len,
				    uint8_t *out)
{
	uint8_t last[PCC_MAX_BLOCK];
	size_t body_len, bs = pcc_block_size(alg);
	enum pcc_status st;

	if (!pcc_key_length_ok(alg, key_len))
		return PCC_E_KEY_LENGTH;
	st = split_padded(msg, len, padding, bs, &body_len, last);
	return st ? st : cbc_chain(s, alg, key, key_len, msg, body_len, last,
				   out);
}

/* Retail MAC: single DES CBC under K1 over all but the last block, then
 * E(K1, D(K2, E(K1, x))) of the last one, i.e. 2-key TDES of x. */
static enum pcc_status iso9797_alg3(struct pcc_session *s,
				    const uint8_t *key, size_t key_len,
				    enum pcc_mac_padding padding,
				    const uint8_t *msg, size_t len,
				    uint8_t *out)
{
	uint8_t last[8], chain[8];
	size_t body_len;
	enum pcc_status st;

	if (key_len != 16)
		return PCC_E_KEY_LENGTH;
	st = split_padded(msg, len, padding, 8, &body_len, last);
	if (st == PCC_OK)
		st = cbc_chain(s, PCC_ALG_TDES, key, 8, msg, body_len, NULL,
			       chain);
	for (int i = 0; i < 8; i++)
		last[i] ^= chain[i];
	if (st == PCC_OK)
		st = pcc_session_ecb(s, PCC_ALG_TDES, key, 16, true, last, out,
				     8);
	return st;
}

static enum pcc_status cup_ecb(struct pcc_session *s, const uint8_t *mak,
			       size_t mak_len, const uint8_t *msg,
			       size_t len, uint8_t *field64)
{
	uint8_t x[8] = { 0 }, block[8];
	char hex[17];
	enum pcc_status st;

	if (mak_len != 8 && mak_len != 16)
		return PCC_E_KEY_LENGTH;
	for (size_t i = 0; i < len; i++)
		x[i % 8] ^= msg[i];
	hex_encode(x, 8, hex);
	st = pcc_session_start(s, PCC_ALG_TDES, mak, mak_len, true, NULL);
	if (st == PCC_OK)
		st = pcc_session_update(s, (const uint8_t *)hex, block, 8);
	for (int i = 0; i < 8; i++)
		block[i] ^= (uint8_t)hex[8 + i];
	if (st == PCC_OK)
		st = pcc_session_update(s, block, block, 8);
	hex_encode(block, 4, hex);
	memcpy(field64, hex, PCC_CUP_MAC_LEN);
	return st;
}

/* The full MAC (block size, or 8 for cup-ecb) into @out. */
static enum pcc_status mac_full(const struct pcc_mac_spec *spec,
				const uint8_t *key, size_t key_len,
				const uint8_t *msg, size_t len,
				uint8_t *out, size_t *out_len)
{
	struct pcc_session s;
	enum pcc_status st;

	if (!spec || !key || (len && !msg))
		return PCC_E_ARGUMENT;
	if (spec->alg == PCC_MAC_CMAC || spec->alg == PCC_MAC_ISO9797_ALG1)
		*out_len = pcc_block_size(spec->cipher);
	else
		*out_len = 8;
	if (!*out_len)
		return PCC_E_ARGUMENT;
	if (spec->alg == PCC_MAC_CMAC)
		return pcc_key_length_ok(spec->cipher, key_len) ?
		       pcc_cmac_full(spec->cipher, key, key_len, msg, len,
				     out) : PCC_E_KEY_LENGTH;
	st = pcc_session_open(&s);
	if (st != PCC_OK)
		return st;
	switch (spec->alg) {
	case PCC_MAC_CUP_ECB:
		st = cup_ecb(&s, key, key_len, msg, len, out);
		break;
	case PCC_MAC_ISO9797_ALG1:
		st = iso9797_alg1(&s, spec->cipher, key, key_len,
				  spec->padding, msg, len, out);
		break;
	case PCC_MAC_ISO9797_ALG3:
		st = iso9797_alg3(&s, key, key_len, spec->padding, msg, len,
				  out);
		break;
	default:
		st = PCC_E_ARGUMENT;
	}
	pcc_session_close(&s);
	return st;
}

enum pcc_status pcc_mac(const struct pcc_mac_spec *spec,
			const uint8_t *key, size_t key_len,
			const uint8_t *msg, size_t msg_len,
			uint8_t *mac, size_t mac_len)
{
	uint8_t full[PCC_MAX_BLOCK];
	size_t full_len = 0;
	enum pcc_status st;

	if (!mac)
		return PCC_E_ARGUMENT;
	st = mac_full(spec, key, key_len, msg, msg_len, full, &full_len);
	if (st != PCC_OK)
		return st;
	if (!mac_len || mac_len > full_len)
		return PCC_E_DATA_LENGTH;
	memcpy(mac, full, mac_len);
	return PCC_OK;
}

enum pcc_status pcc_mac_verify(const struct pcc_mac_spec *spec,
			       const uint8_t *key, size_t key_len,
			       const uint8_t *msg, size_t msg_len,
			       const uint8_t *mac, size_t mac_len)
{
	uint8_t computed[PCC_MAX_BLOCK];
	enum pcc_status st;

	if (!mac)
		return PCC_E_ARGUMENT;
	st = pcc_mac(spec, key, key_len, msg, msg_len, computed, mac_len);
	if (st != PCC_OK)
		return st;
	return pcc_equal(computed, mac, mac_len) ? PCC_OK : PCC_E_MAC;
}

enum pcc_status pcc_mac_cup_ecb(const uint8_t *mak, size_t mak_len,
				const uint8_t *msg, size_t msg_len,
				uint8_t field64[PCC_CUP_MAC_LEN])
{
	static const struct pcc_mac_spec spec = { .alg = PCC_MAC_CUP_ECB };

	return pcc_mac(&spec, mak, mak_len, msg, msg_len, field64,
		       PCC_CUP_MAC_LEN);
}
